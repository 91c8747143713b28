import type { Routes } from '@angular/router';

export const EXPORT_ROUTES: Routes = [
  {
    path: '',
    title: 'Export · Entra Backup',
    loadComponent: () => import('./export-page').then((m) => m.ExportPage),
  },
];
