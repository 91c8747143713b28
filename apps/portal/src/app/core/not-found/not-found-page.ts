import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'eb-not-found-page',
  imports: [MatButtonModule, RouterLink],
  template: `
    <header class="page-header">
      <div>
        <h1>Page not found</h1>
        <p class="subtitle">There is no page at this address.</p>
      </div>
    </header>
    <p><a mat-flat-button routerLink="/">Go to the start page</a></p>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFoundPage {}
