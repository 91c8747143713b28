import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { PORTAL_PATHS } from '@entra-backup/common';
import { filter, map } from 'rxjs';
import { describeApiError } from '../http/api-error';
import { PARTNER_HOME } from '../session/session-guards';
import { SessionStore } from '../session/session-store';
import { TenantContext, tenantQuery } from '../tenant/tenant-context';
import { tenantResource } from '../../tenants/tenants.api';

/** First path segments of the pages that are not a tenant's (no tenant bar, no tenant tabs). */
const NON_TENANT_PAGES: ReadonlySet<string> = new Set(['', 'partner', 'onboard', 'no-access']);

/**
 * The frame around every page: the product menu (top left), the demo-mode notice, the signed-in
 * user with "Sign out", and Settings (top right); on a tenant's pages, the active tenant (with,
 * for partner staff, the way to their own tenant and back to their partners' dashboards) and
 * the tabs of its pages.
 * user with "Sign out", and Settings (top right); under emergency access, a banner saying so.
 */
@Component({
  selector: 'eb-shell',
  imports: [
    MatToolbarModule,
    MatButtonModule,
    MatIconModule,
    MatMenuModule,
    MatTooltipModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(SessionStore);
  protected readonly context = inject(TenantContext);
  protected readonly signingOut = signal(false);
  protected readonly partnerHome = PARTNER_HOME;

  private readonly url = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map((event) => event.urlAfterRedirects),
    ),
    { initialValue: this.router.url },
  );
  /** A tenant's page is shown (not the landing page, the partner portal, an invitation, ...). */
  protected readonly onTenantPage = computed(() => {
    const first = this.url().split(/[/?#]/)[1] ?? '';
    return this.session.hasAccess() && !NON_TENANT_PAGES.has(first) && this.context.tenantId() !== undefined;
  });
  protected readonly tenant = tenantResource(
    computed(() => (this.onTenantPage() ? this.context.tenantId() : undefined)),
  );
  /** The query opening the person's own tenant (partner staff who also administer their own). */
  protected readonly ownTenantQuery = computed(() => {
    const own = this.context.ownTenantId();
    return own === undefined ? undefined : tenantQuery(own);
  });
  protected readonly tenantName = computed(() => {
    const id = this.context.tenantId();
    return this.tenant.hasValue() && this.tenant.value().tenantId.toLowerCase() === id
      ? this.tenant.value().displayName
      : id;
  });
  /** Signed in with a break-glass account (emergency sign-in): browse and restore only. */
  protected readonly emergency = computed(() => this.session.user()?.kind === 'emergency');

  protected async signOut(): Promise<void> {
    this.signingOut.set(true);
    try {
      await this.session.signOut();
      await this.router.navigateByUrl(PORTAL_PATHS.home);
    } catch (error) {
      this.snackBar.open(`Could not sign out: ${describeApiError(error)}`, 'Close', {
        politeness: 'assertive',
      });
    } finally {
      this.signingOut.set(false);
    }
  }
}
