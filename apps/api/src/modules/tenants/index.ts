export * from './tenants.exception';
export * from './tenants.module';
export * from './tenants.service';
