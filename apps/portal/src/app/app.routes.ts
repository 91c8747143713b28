import type { Route, Routes } from '@angular/router';
import { adminGuard, landingGuard, partnerGuard } from './core/session/session-guards';

/**
 * Tenant pages show the active tenant (`TenantContext`); `adminGuard` keeps it in the URL, and
 * runs again on every navigation, since switching tenants may change only the query.
 */
const TENANT_PAGE: Pick<Route, 'canActivate' | 'runGuardsAndResolvers'> = {
  canActivate: [adminGuard],
  runGuardsAndResolvers: 'always',
};

export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Entra Backup',
    canActivate: [landingGuard],
    loadComponent: () => import('./core/landing/landing-page').then((m) => m.LandingPage),
  },
  {
    path: 'emergency',
    title: 'Emergency sign-in · Entra Backup',
    canActivate: [landingGuard],
    loadComponent: () => import('./core/emergency/emergency-sign-in-page').then((m) => m.EmergencySignInPage),
  },
  {
    path: 'no-access',
    title: 'No access · Entra Backup',
    loadComponent: () => import('./core/no-access/no-access-page').then((m) => m.NoAccessPage),
  },
  {
    path: 'partner',
    canActivate: [partnerGuard],
    loadChildren: () => import('./partner/partner.routes').then((m) => m.PARTNER_ROUTES),
  },
  {
    // A customer's invitation from a partner: public, the page asks to sign in itself.
    path: 'onboard/:token',
    title: 'Partner invitation · Entra Backup',
    loadComponent: () => import('./onboard/onboard-page').then((m) => m.OnboardPage),
  },
  {
    path: 'backups',
    ...TENANT_PAGE,
    loadChildren: () => import('./backups/backups.routes').then((m) => m.BACKUPS_ROUTES),
  },
  {
    path: 'compare',
    ...TENANT_PAGE,
    loadChildren: () => import('./compare/compare.routes').then((m) => m.COMPARE_ROUTES),
  },
  {
    path: 'settings',
    ...TENANT_PAGE,
    loadChildren: () => import('./settings/settings.routes').then((m) => m.SETTINGS_ROUTES),
  },
  {
    path: 'restore',
    ...TENANT_PAGE,
    loadChildren: () => import('./restore/restore.routes').then((m) => m.RESTORE_WIZARD_ROUTES),
  },
  {
    path: 'restores',
    ...TENANT_PAGE,
    loadChildren: () => import('./restore/restore.routes').then((m) => m.RESTORES_ROUTES),
  },
  {
    path: 'export',
    ...TENANT_PAGE,
    loadChildren: () => import('./export/export.routes').then((m) => m.EXPORT_ROUTES),
  },
  {
    path: 'explore',
    ...TENANT_PAGE,
    loadChildren: () => import('./explore/explore.routes').then((m) => m.EXPLORE_ROUTES),
  },
  {
    path: 'audit',
    canActivate: [adminGuard],
    loadChildren: () => import('./audit/audit.routes').then((m) => m.AUDIT_ROUTES),
  },
  {
    // One object: its page (Explore), and beside it its version history and as-of view (History).
    path: 'objects/:type/:collection/:objectId',
    ...TENANT_PAGE,
    children: [
      {
        path: '',
        pathMatch: 'full',
        loadChildren: () => import('./explore/explore.routes').then((m) => m.OBJECT_ROUTES),
      },
      { path: '', loadChildren: () => import('./history/history.routes').then((m) => m.HISTORY_ROUTES) },
    ],
  },
  {
    path: '**',
    title: 'Page not found · Entra Backup',
    loadComponent: () => import('./core/not-found/not-found-page').then((m) => m.NotFoundPage),
  },
];
