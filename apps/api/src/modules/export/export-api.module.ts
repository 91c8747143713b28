import { AccessModule } from '../auth/access.module';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ExportController } from './export.controller';
import { ExportModule } from './export.module';
import { SnapshotDownloadService } from './snapshot-download.service';

/** Snapshot downloads over HTTP (server only): the export format as a streamed zip. */
@Module({
  imports: [ExportModule, AuditModule, AccessModule],
  controllers: [ExportController],
  providers: [SnapshotDownloadService],
})
export class ExportApiModule {}
