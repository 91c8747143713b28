import type { Routes } from '@angular/router';
import { adminGuard, landingGuard } from './core/session/session-guards';

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
    path: 'backups',
    canActivate: [adminGuard],
    loadChildren: () => import('./backups/backups.routes').then((m) => m.BACKUPS_ROUTES),
  },
  {
    path: 'compare',
    canActivate: [adminGuard],
    loadChildren: () => import('./compare/compare.routes').then((m) => m.COMPARE_ROUTES),
  },
  {
    path: 'settings',
    canActivate: [adminGuard],
    loadChildren: () => import('./settings/settings.routes').then((m) => m.SETTINGS_ROUTES),
  },
  {
    path: 'restore',
    canActivate: [adminGuard],
    loadChildren: () => import('./restore/restore.routes').then((m) => m.RESTORE_WIZARD_ROUTES),
  },
  {
    path: 'restores',
    canActivate: [adminGuard],
    loadChildren: () => import('./restore/restore.routes').then((m) => m.RESTORES_ROUTES),
  },
  {
    path: 'export',
    canActivate: [adminGuard],
    loadChildren: () => import('./export/export.routes').then((m) => m.EXPORT_ROUTES),
  },
  {
    path: 'explore',
    canActivate: [adminGuard],
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
    canActivate: [adminGuard],
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
