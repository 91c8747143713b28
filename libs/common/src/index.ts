export * from './object-types';
export * from './tenant.schemas';
export * from './portal.schemas';
export * from './backup.schemas';
export * from './restore.schemas';
export * from './browse.schemas';
