export * from './domain-error-status';
export * from './domain.exception';
export * from './error-code';
export * from './global-exception.filter';
export * from './validation-message';
export * from './error-body.dto';
export * from './common-http.exception';
