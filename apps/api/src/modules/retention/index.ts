export * from './prune-events';
export * from './retention-policy';
export * from './retention.module';
export * from './retention.service';
