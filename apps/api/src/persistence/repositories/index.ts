export * from './audit-trail.repository';
export * from './tenant-settings.repository';
export * from './tenant.repository';
