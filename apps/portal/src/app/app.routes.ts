import type { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Tenants · Entra Backup',
    loadComponent: () => import('./tenants/tenants-page').then((m) => m.TenantsPage),
  },
  {
    path: 'settings',
    loadChildren: () => import('./settings/settings.routes').then((m) => m.SETTINGS_ROUTES),
  },
  {
    path: '**',
    title: 'Page not found · Entra Backup',
    loadComponent: () => import('./core/not-found/not-found-page').then((m) => m.NotFoundPage),
  },
];
