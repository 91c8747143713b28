import { DatePipe } from '@angular/common';
import { HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { PORTAL_PATHS, errorBodySchema } from '@entra-backup/common';
import { BrowserLocation } from '../core/browser-location';
import { describeApiError } from '../core/http/api-error';
import { LOGIN_URL, SessionStore } from '../core/session/session-store';
import { OnboardApi, invitationResource } from './onboard.api';

/** Refusals of "accept" worth more than the service's one sentence. */
const ACCEPT_ERRORS: Readonly<Record<string, string>> = {
  TENANT_ALREADY_MANAGED:
    'Your tenant is already looked after by a partner. An administrator of your tenant can revoke that ' +
    'partner\'s access in Settings ("Managed by partner"); then open this link again.',
};

/**
 * `/onboard/:token`: a partner's invitation as the customer sees it. Anyone may read it; the
 * customer's Global Administrator signs in, accepts it (the tenant is then linked to the
 * partner) and grants admin consent on Microsoft's page, or goes to Settings when consent exists.
 */
@Component({
  selector: 'eb-onboard-page',
  imports: [DatePipe, MatButtonModule, MatCardModule, MatIconModule, MatProgressBarModule],
  templateUrl: './onboard-page.html',
  styles: `
    :host {
      display: block;
      max-width: 720px;
      margin: 16px auto 0;
    }
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 8px;
    }
    p {
      margin: 0 0 12px;
    }
    ul {
      margin: 0 0 12px;
      padding-left: 20px;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
      align-items: center;
    }
    .notice {
      margin-bottom: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OnboardPage {
  private readonly api = inject(OnboardApi);
  private readonly location = inject(BrowserLocation);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly session = inject(SessionStore);

  /** Bound from the route. */
  readonly token = input.required<string>();

  protected readonly invitation = invitationResource(this.token);
  /** The link is not known (404), as opposed to a failure to read it. */
  protected readonly unknown = computed(() => {
    const error = this.invitation.error();
    return error instanceof HttpErrorResponse && error.status === 404;
  });
  protected readonly loadError = computed(() => {
    const error = this.invitation.error();
    return error === undefined || this.unknown() ? undefined : describeApiError(error);
  });
  protected readonly signInUrl = computed(
    () => `${LOGIN_URL}?returnTo=${encodeURIComponent(`/onboard/${encodeURIComponent(this.token())}`)}`,
  );
  /** Signed in as an administrator of their own tenant: the one who may accept. */
  protected readonly canAccept = computed(() => this.session.user()?.tenantAdmin === true);

  protected readonly accepting = signal(false);
  protected readonly acceptError = signal<string | undefined>(undefined);
  protected readonly signingOut = signal(false);

  protected accept(): void {
    this.accepting.set(true);
    this.acceptError.set(undefined);
    this.api
      .accept(this.token())
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (accepted) => {
          if (accepted.consentUrl !== null) {
            // Microsoft's admin-consent page; its callback brings the admin back to Settings.
            this.location.assign(accepted.consentUrl);
            return;
          }
          this.accepting.set(false);
          void this.router.navigateByUrl(PORTAL_PATHS.settings(accepted.tenantId));
        },
        error: (error: unknown) => {
          this.accepting.set(false);
          this.acceptError.set(explainAcceptError(error));
          this.invitation.reload();
        },
      });
  }

  protected async signOut(): Promise<void> {
    this.signingOut.set(true);
    try {
      await this.session.signOut();
    } catch (error) {
      this.acceptError.set(`Could not sign out: ${describeApiError(error)}`);
    } finally {
      this.signingOut.set(false);
    }
  }

  protected reload(): void {
    this.invitation.reload();
  }
}

function explainAcceptError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    const code = errorBodySchema.safeParse(error.error).data?.code;
    const known = code === undefined ? undefined : ACCEPT_ERRORS[code];
    if (known !== undefined) return known;
  }
  return describeApiError(error);
}
