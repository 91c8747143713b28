export * from './backup.exception';
export * from './backup.module';
export * from './backup.service';
export * from './backup.types';
export * from './reconciliation-policy.service';
export * from './backup-run-events';
