import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { Clipboard } from '@angular/cdk/clipboard';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

/** A key's full value, right after it was created or rotated: the one time anyone sees it. */
@Component({
  selector: 'eb-api-key-secret',
  imports: [MatButtonModule, MatIconModule],
  template: `
    <div class="notice warn" role="alert">
      <mat-icon aria-hidden="true">warning</mat-icon>
      <p>
        Copy this key now and keep it somewhere safe. <strong>You will not see it again</strong>: the service
        keeps only a fingerprint of it.
      </p>
    </div>
    <div class="secret">
      <code class="key" aria-label="API key">{{ value() }}</code>
      <button mat-icon-button type="button" aria-label="Copy the API key" (click)="copy()">
        <mat-icon aria-hidden="true">{{ copied() ? 'check' : 'content_copy' }}</mat-icon>
      </button>
    </div>
    <p class="muted">Scripts send it as <code>Authorization: Bearer &lt;key&gt;</code>.</p>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    .secret {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .key {
      overflow-wrap: anywhere;
      font-size: 0.95rem;
    }
    .muted {
      margin: 0;
    }
    .notice.warn {
      background: #fff0c2;
      color: #5c4300;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiKeySecret {
  private readonly clipboard = inject(Clipboard);

  readonly value = input.required<string>();
  protected readonly copied = signal(false);

  protected copy(): void {
    this.copied.set(this.clipboard.copy(this.value()));
  }
}
