import type { Routes } from '@angular/router';

export const AUDIT_ROUTES: Routes = [
  {
    path: '',
    title: 'Audit log · Entra Backup',
    loadComponent: () => import('./audit-log-page').then((m) => m.AuditLogPage),
  },
];
