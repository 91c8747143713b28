import type { Routes } from '@angular/router';

export const EXPLORE_ROUTES: Routes = [
  {
    path: '',
    title: 'Explore · Entra Backup',
    loadComponent: () => import('./explore-page').then((m) => m.ExplorePage),
  },
];

/** `/objects/:type/:collection/:objectId` itself; its `history` and `as-of` children live beside it. */
export const OBJECT_ROUTES: Routes = [
  {
    path: '',
    title: 'Object · Entra Backup',
    loadComponent: () => import('./object-page').then((m) => m.ObjectPage),
  },
];
