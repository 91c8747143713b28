import type { Routes } from '@angular/router';

/** Under `/objects/:type/:collection/:objectId`: its version history and membership time travel. */
export const HISTORY_ROUTES: Routes = [
  {
    path: 'history',
    title: 'Version history · Entra Backup',
    loadComponent: () => import('./history-page').then((m) => m.HistoryPage),
  },
  {
    path: 'as-of',
    title: 'As of a date · Entra Backup',
    loadComponent: () => import('./as-of-page').then((m) => m.AsOfPage),
  },
];
