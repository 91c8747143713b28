import type { Routes } from '@angular/router';
import { SettingsPage } from './settings-page';

export const SETTINGS_ROUTES: Routes = [
  { path: '', title: 'Settings · Entra Backup', component: SettingsPage },
  { path: ':tenantId', title: 'Settings · Entra Backup', component: SettingsPage },
];
