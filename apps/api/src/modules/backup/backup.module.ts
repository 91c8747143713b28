import { Module } from '@nestjs/common';
import { ClockModule } from '../../core/clock/clock.module';
import { BackupRunReportRepository } from '../../persistence/repositories/backup-run-report.repository';
import { AuditModule } from '../audit/audit.module';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import { ExportersModule } from '../exporters/exporters.module';
import { GraphModule } from '../graph/graph.module';
import { SettingsModule } from '../settings/settings.module';
import { BackupRunEvents } from './backup-run-events';
import { BackupService } from './backup.service';

/** Backup runs for the API (REST trigger, scheduler) and the CLI. */
@Module({
  imports: [ClockModule, AuditModule, SettingsModule, BackupStorageModule, ExportersModule, GraphModule],
  providers: [BackupRunReportRepository, BackupRunEvents, BackupService],
  exports: [BackupService, BackupRunEvents],
})
export class BackupModule {}
