export * from './settings.exception';
export * from './settings.module';
export * from './settings.service';
