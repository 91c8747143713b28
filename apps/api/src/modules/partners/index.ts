export * from './partners.exception';
export * from './partners.module';
export * from './partners.service';
