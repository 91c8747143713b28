import type { Routes } from '@angular/router';

export const COMPARE_ROUTES: Routes = [
  {
    path: '',
    title: 'Compare · Entra Backup',
    loadComponent: () => import('./compare-page').then((m) => m.ComparePage),
  },
];
