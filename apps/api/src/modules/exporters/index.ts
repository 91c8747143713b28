export * from './descriptor';
export * from './engine';
export * from './exporters.module';
export * from './permissions';
export * from './registry';
export * from './restore-spec';
