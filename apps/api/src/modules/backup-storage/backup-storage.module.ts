import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ClockModule } from '../../core/clock/clock.module';
import { BackupLeaseRepository } from '../../persistence/repositories/backup-lease.repository';
import { BackupObjectRepository } from '../../persistence/repositories/backup-object.repository';
import { BackupSnapshotRepository } from '../../persistence/repositories/backup-snapshot.repository';
import { BackupSqlRepository } from '../../persistence/repositories/backup-sql.repository';
import { BackupLeaseService } from './backup-lease.service';
import { BackupReaderService } from './backup-reader.service';
import { BackupWriterService } from './backup-writer.service';
import { PayloadCodec } from './codec/payload-codec';
import { BlobCipher } from './crypto/blob-cipher';
import { KeyProvider } from './crypto/key-provider';
import { type MasterKeySource, MasterKeyProvider } from './crypto/master-key.provider';

/**
 * Where the master key comes from: ENTRA_BACKUP_MASTER_KEY when the configuration carries it,
 * otherwise the key file in the data directory.
 */
export function masterKeySourceOf(config: AppConfig): MasterKeySource {
  const { storage } = config;
  return {
    dataDir: storage.dataDir,
    ...(storage.masterKey === undefined ? {} : { masterKeyBase64: storage.masterKey }),
  };
}

/**
 * Versioned, encrypted backup storage: the snapshot writer for the backup engine, the reader
 * for export, diff and verify, and the per-tenant run lease. Needs the persistence layer
 * (DataSource) and `AppConfig`; works in the API and in the CLI's standalone context alike.
 */
@Module({
  imports: [ClockModule],
  providers: [
    BackupSqlRepository,
    BackupSnapshotRepository,
    BackupObjectRepository,
    BackupLeaseRepository,
    {
      provide: KeyProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => MasterKeyProvider.load(masterKeySourceOf(config)),
    },
    BlobCipher,
    PayloadCodec,
    BackupWriterService,
    BackupReaderService,
    BackupLeaseService,
  ],
  exports: [BackupWriterService, BackupReaderService, BackupLeaseService, KeyProvider, PayloadCodec],
})
export class BackupStorageModule {}
