import type { Routes } from '@angular/router';

/** `/restore/new`: the wizard. */
export const RESTORE_WIZARD_ROUTES: Routes = [
  {
    path: 'new',
    title: 'Restore · Entra Backup',
    loadComponent: () => import('./restore-wizard-page').then((m) => m.RestoreWizardPage),
  },
  { path: '', pathMatch: 'full', redirectTo: 'new' },
];

/** `/restores`: the restore history and one restore. */
export const RESTORES_ROUTES: Routes = [
  {
    path: '',
    title: 'Restores · Entra Backup',
    loadComponent: () => import('./restores-page').then((m) => m.RestoresPage),
  },
  {
    path: ':restoreId',
    title: 'Restore · Entra Backup',
    loadComponent: () => import('./restore-detail-page').then((m) => m.RestoreDetailPage),
  },
];
