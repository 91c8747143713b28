export * from './app-config';
export * from './client-certificate';
export * from './config.module';
export * from './environment.schema';
export * from './package-root';
export * from './data-dir';
