import { inject } from '@angular/core';
import type { ActivatedRouteSnapshot, CanActivateFn, RouterStateSnapshot, UrlTree } from '@angular/router';
import { Router } from '@angular/router';
import { PORTAL_PATHS } from '@entra-backup/common';
import { TENANT_PARAM, TenantContext } from '../tenant/tenant-context';
import { SessionStore } from './session-store';

/** The partner portal: the partner dashboard, or the choice of partner. */
export const PARTNER_HOME = '/partner';

/**
 * Tenant pages (Backups, Explore, Settings, ...), for a tenant's admins and partner staff:
 * signed-out visitors go to the landing page, users without access to "no access".
 *
 * It also keeps the active tenant in the URL for partner staff: `?tenant=<id>` (or Settings'
 * `/settings/:tenantId`) opens that tenant; a tenant page reached without it (a link inside the
 * portal) gets the active tenant added, so every tenant page in the history names its tenant
 * and the back button returns to the tenant it showed. Staff who have not opened a tenant yet
 * (and do not administer their own) go to the partner portal. Routes using it set
 * `runGuardsAndResolvers: 'always'`, so a change of tenant alone runs it again.
 */
export const adminGuard: CanActivateFn = (_route, state) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  if (!session.signedIn()) return router.parseUrl(PORTAL_PATHS.home);
  if (!session.hasAccess()) return router.parseUrl(PORTAL_PATHS.noAccess);
  return syncTenant(state, router, inject(TenantContext));
};

function syncTenant(state: RouterStateSnapshot, router: Router, context: TenantContext): true | UrlTree {
  const inQuery = state.root.queryParamMap.get(TENANT_PARAM) ?? undefined;
  if (!context.multiTenant()) {
    // One tenant only: a tenant named in the query means nothing; take it out of the URL.
    return inQuery === undefined ? true : withTenant(router, state, undefined);
  }
  const inPath = pathTenantId(state.root);
  const requested = inPath ?? inQuery;
  if (requested !== undefined) context.open(requested);
  const tenantId = context.tenantId();
  if (tenantId === undefined) return router.parseUrl(PARTNER_HOME);
  return inQuery === tenantId ? true : withTenant(router, state, tenantId);
}

/** The `:tenantId` route parameter of the deepest route that has one (Settings). */
function pathTenantId(route: ActivatedRouteSnapshot): string | undefined {
  let found: string | undefined;
  for (let r: ActivatedRouteSnapshot | null = route; r !== null; r = r.firstChild) {
    found = r.paramMap.get('tenantId') ?? found;
  }
  return found?.toLowerCase();
}

/** The URL being opened, with the tenant query parameter set (or removed). */
function withTenant(router: Router, state: RouterStateSnapshot, tenantId: string | undefined): UrlTree {
  const url = router.parseUrl(state.url);
  const { [TENANT_PARAM]: _previous, ...others } = url.queryParams;
  url.queryParams = tenantId === undefined ? others : { ...others, [TENANT_PARAM]: tenantId };
  return url;
}

/**
 * The landing page is for signed-out visitors; signed-in admins go straight to their backups,
 * partner staff without a tenant of their own to the partner portal.
 */
export const landingGuard: CanActivateFn = () => {
  const session = inject(SessionStore);
  const router = inject(Router);
  if (!session.signedIn()) return true;
  if (!session.hasAccess()) return router.parseUrl(PORTAL_PATHS.noAccess);
  const context = inject(TenantContext);
  return router.parseUrl(context.ownTenantId() === undefined ? PARTNER_HOME : '/backups');
};

/** `/settings` without a tenant opens the active tenant's (the query, e.g. `?tenant=`, is kept). */
export const activeTenantSettingsGuard: CanActivateFn = (route) => {
  const tenantId = inject(TenantContext).tenantId();
  if (tenantId === undefined) return true;
  return inject(Router).createUrlTree([PORTAL_PATHS.settings(tenantId)], { queryParams: route.queryParams });
};

/** The partner portal, for partner staff: others go to their tenant, or to the landing page. */
export const partnerGuard: CanActivateFn = () => {
  const session = inject(SessionStore);
  const router = inject(Router);
  if (!session.signedIn()) return router.parseUrl(PORTAL_PATHS.home);
  if ((session.user()?.partners.length ?? 0) > 0) return true;
  return router.parseUrl(session.hasAccess() ? '/backups' : PORTAL_PATHS.noAccess);
};

/** `/partner/:partnerId`: a partner the signed-in person works for; others go to the choice of partners. */
export const partnerMemberGuard: CanActivateFn = (route) => {
  const partnerId = route.paramMap.get('partnerId');
  const member = inject(SessionStore)
    .user()
    ?.partners.some((p) => p.partnerId === partnerId);
  return member === true ? true : inject(Router).parseUrl(PARTNER_HOME);
};

/** `/partner` for someone who works for one partner: straight to its dashboard. */
export const onlyPartnerGuard: CanActivateFn = () => {
  const partners = inject(SessionStore).user()?.partners ?? [];
  return partners.length === 1 ? inject(Router).createUrlTree([PARTNER_HOME, partners[0]!.partnerId]) : true;
};
