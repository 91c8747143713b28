export * from './columns';
export * from './data-source-options';
export * from './database-gate';
export * from './entities';
export * from './errors';
export * from './migrations';
export * from './persistence.module';
export * from './repositories';
