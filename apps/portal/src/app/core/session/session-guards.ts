import { inject } from '@angular/core';
import type { CanActivateFn } from '@angular/router';
import { Router } from '@angular/router';
import { PORTAL_PATHS } from '@entra-backup/common';
import { SessionStore } from './session-store';

/** Pages for the tenant's admins: signed-out visitors go to the landing page, other users to "no access". */
export const adminGuard: CanActivateFn = () => {
  const session = inject(SessionStore);
  const router = inject(Router);
  if (!session.signedIn()) return router.parseUrl(PORTAL_PATHS.home);
  if (!session.hasAccess()) return router.parseUrl(PORTAL_PATHS.noAccess);
  return true;
};

/** The landing page is for signed-out visitors; signed-in admins go straight to their backups. */
export const landingGuard: CanActivateFn = () => {
  const session = inject(SessionStore);
  const router = inject(Router);
  if (!session.signedIn()) return true;
  return router.parseUrl(session.hasAccess() ? '/backups' : PORTAL_PATHS.noAccess);
};

/** `/settings` without a tenant opens the signed-in user's own tenant. */
export const ownTenantSettingsGuard: CanActivateFn = () => {
  const session = inject(SessionStore);
  const tenantId = session.tenantId();
  return tenantId === undefined ? true : inject(Router).parseUrl(PORTAL_PATHS.settings(tenantId));
};
