import { Module } from '@nestjs/common';
import { ClockModule } from '../../core/clock/clock.module';
import { BackupRunReportRepository } from '../../persistence/repositories/backup-run-report.repository';
import { AuditModule } from '../audit/audit.module';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import { BrowseModule } from '../browse/browse.module';
import { ExportersModule } from '../exporters/exporters.module';
import { GraphModule } from '../graph/graph.module';
import { SettingsModule } from '../settings/settings.module';
import { TenantReconciliationRepository } from '../../persistence/repositories/tenant-reconciliation.repository';
import { BackupRunEvents } from './backup-run-events';
import { BackupService } from './backup.service';
import { ReconciliationPolicyService } from './reconciliation-policy.service';

/** Backup runs for the API (REST trigger, scheduler) and the CLI. */
@Module({
  imports: [
    ClockModule,
    AuditModule,
    SettingsModule,
    BackupStorageModule,
    BrowseModule,
    ExportersModule,
    GraphModule,
  ],
  providers: [
    BackupRunReportRepository,
    TenantReconciliationRepository,
    BackupRunEvents,
    BackupService,
    ReconciliationPolicyService,
  ],
  exports: [BackupService, ReconciliationPolicyService, BackupRunEvents],
})
export class BackupModule {}
