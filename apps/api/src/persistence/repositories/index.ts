export * from './audit-trail.repository';
export * from './tenant-settings.repository';
export * from './tenant.repository';
export * from './partner.repository';
export * from './api-key.repository';
export * from './break-glass-account.repository';
export * from './emergency-contact.repository';
export * from './notification.repository';
