export * from './export-files';
export * from './export-layout';
export * from './export-layouts';
export * from './export.exception';
export * from './export.module';
export * from './export.service';
export * from './snapshots.service';
