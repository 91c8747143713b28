import type { Route } from '@angular/router';

const title = 'API keys · Entra Backup';
const loadComponent = () => import('./api-keys-page').then((m) => m.ApiKeysPage);

/** `/settings/:tenantId/api-keys`: a tenant's own keys (mounted by the settings routes). */
export const TENANT_API_KEYS_ROUTE: Route = { path: ':tenantId/api-keys', title, loadComponent };

/** `:partnerId/api-keys` under the partner shell's `/partner` routes: a partner's keys. */
export const PARTNER_API_KEYS_ROUTE: Route = { path: ':partnerId/api-keys', title, loadComponent };
