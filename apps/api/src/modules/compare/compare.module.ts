import { Module } from '@nestjs/common';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import { BackupModule } from '../backup/backup.module';
import { SettingsModule } from '../settings/settings.module';
import { TenantsModule } from '../tenants/tenants.module';
import { CompareService } from './compare.service';

/** Comparing snapshots, or a snapshot with the live tenant, for the API and the CLI. */
@Module({
  imports: [BackupStorageModule, BackupModule, SettingsModule, TenantsModule],
  providers: [CompareService],
  exports: [CompareService],
})
export class CompareModule {}
