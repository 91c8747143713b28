import type { Routes } from '@angular/router';

export const BACKUPS_ROUTES: Routes = [
  {
    path: '',
    title: 'Backups · Entra Backup',
    loadComponent: () => import('./backups-page').then((m) => m.BackupsPage),
  },
  {
    path: ':runId',
    title: 'Backup run · Entra Backup',
    loadComponent: () => import('./run-detail-page').then((m) => m.RunDetailPage),
  },
];
