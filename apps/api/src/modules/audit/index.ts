export * from './audit-action';
export * from './audit-context';
export * from './audit.exception';
export * from './audit.module';
export * from './audit.service';
