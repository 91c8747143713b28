export * from './correlation-id.middleware';
