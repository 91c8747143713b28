import type { Routes } from '@angular/router';
import { activeTenantSettingsGuard } from '../core/session/session-guards';
import { SettingsPage } from './settings-page';

export const SETTINGS_ROUTES: Routes = [
  {
    path: '',
    title: 'Settings · Entra Backup',
    canActivate: [activeTenantSettingsGuard],
    component: SettingsPage,
  },
  { path: ':tenantId', title: 'Settings · Entra Backup', component: SettingsPage },
];
