import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { LOGIN_URL, SessionStore } from '../session/session-store';

/** What a signed-out visitor sees: what the product does and "Sign in with Microsoft 365". */
@Component({
  selector: 'eb-landing-page',
  imports: [MatButtonModule, MatCardModule, MatIconModule, RouterLink],
  templateUrl: './landing-page.html',
  styleUrl: './landing-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LandingPage {
  protected readonly session = inject(SessionStore);
  protected readonly loginUrl = LOGIN_URL;

  /** A readable sign-in failure the API put in the URL (`/?signInError=...`). */
  readonly signInError = input<string>();
}
