export * from './audit-trail.repository';
export * from './tenant-settings.repository';
export * from './tenant.repository';
export * from './partner.repository';
export * from './api-key.repository';
export * from './onboarding-link.repository';
