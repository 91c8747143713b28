import type { Routes } from '@angular/router';
import { PARTNER_API_KEYS_ROUTE } from '../api-keys/api-keys.routes';
import { onlyPartnerGuard, partnerMemberGuard } from '../core/session/session-guards';
import { OnboardingLinksPage } from './onboarding-links-page';
import { PartnerChooserPage } from './partner-chooser-page';
import { PartnerDashboardPage } from './partner-dashboard-page';
import { PartnerNotificationsPage } from './partner-notifications-page';
import { StaffPage } from './staff-page';

/**
 * The partner portal (`/partner`). `:partnerId` has no component of its own, so its pages
 * inherit the parameter (bound to their `partnerId` input); each shows the partner's tabs.
 */
export const PARTNER_ROUTES: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Partner portal · Entra Backup',
    canActivate: [onlyPartnerGuard],
    component: PartnerChooserPage,
  },
  { ...PARTNER_API_KEYS_ROUTE, canActivate: [partnerMemberGuard] },
  {
    path: ':partnerId',
    canActivate: [partnerMemberGuard],
    children: [
      { path: '', title: 'Customers · Entra Backup', component: PartnerDashboardPage },
      { path: 'onboarding', title: 'Onboarding · Entra Backup', component: OnboardingLinksPage },
      { path: 'staff', title: 'Staff · Entra Backup', component: StaffPage },
      {
        path: 'notifications',
        title: 'Notifications · Entra Backup',
        component: PartnerNotificationsPage,
      },
    ],
  },
];
