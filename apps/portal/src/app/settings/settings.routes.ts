import type { Routes } from '@angular/router';
import { TENANT_API_KEYS_ROUTE } from '../api-keys/api-keys.routes';
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
  TENANT_API_KEYS_ROUTE,
];
