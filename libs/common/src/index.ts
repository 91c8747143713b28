export * from './object-types';
export * from './tenant.schemas';
