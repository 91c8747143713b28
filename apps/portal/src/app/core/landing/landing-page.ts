import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { PARTNER_HOME } from '../session/session-guards';
import { RouterLink } from '@angular/router';
import { LOGIN_URL, SessionStore } from '../session/session-store';

/**
 * What a signed-out visitor sees: what the product does, "Sign in with Microsoft 365" and, beside
 * it, the partner portal's entry for resellers' staff.
 */
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
  /** Partner staff sign in the same way and land in the partner portal. */
  protected readonly partnerLoginUrl = `${LOGIN_URL}?returnTo=${encodeURIComponent(PARTNER_HOME)}`;

  /** A readable sign-in failure the API put in the URL (`/?signInError=...`). */
  readonly signInError = input<string>();
}
