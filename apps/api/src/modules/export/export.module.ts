import { Module } from '@nestjs/common';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import { TenantsModule } from '../tenants/tenants.module';
import { ExportFiles } from './export-files';
import { ExportLayouts } from './export-layouts';
import { ExportService } from './export.service';
import { ExportZips } from './export-zip';
import { SnapshotsService } from './snapshots.service';

/** Reading backups out: JSON-lines export of any snapshot, snapshot listings, diff and verify. */
@Module({
  imports: [BackupStorageModule, TenantsModule],
  providers: [ExportFiles, ExportLayouts, ExportZips, ExportService, SnapshotsService],
  exports: [ExportService, SnapshotsService],
})
export class ExportModule {}
