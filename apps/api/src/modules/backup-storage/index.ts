export * from './backup-lease.service';
export * from './backup-reader.service';
export * from './backup-storage.exception';
export * from './backup-storage.module';
export * from './backup-writer.service';
export * from './codec/payload-codec';
export * from './crypto/key-provider';
export * from './snapshot-writer';
export type {
  BackupMode,
  RunRecord,
  RunStatus,
  SnapshotRecord,
  SnapshotStatus,
  TypeResultRecord,
  TypeStatus,
} from '../../persistence/repositories/backup-snapshot.repository';
