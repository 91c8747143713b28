import { Module } from '@nestjs/common';
import { ClockModule } from '../../core/clock/clock.module';
import { RestoreRepository } from '../../persistence/repositories/restore.repository';
import { AuditModule } from '../audit/audit.module';
import { BackupModule } from '../backup/backup.module';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import { GraphModule } from '../graph/graph.module';
import { TenantsModule } from '../tenants/tenants.module';
import { RESTORE_WAIT, RestoreService, sleep } from './restore.service';

/** Restore plans and runs for the API and the CLI. */
@Module({
  imports: [ClockModule, AuditModule, BackupModule, BackupStorageModule, GraphModule, TenantsModule],
  providers: [RestoreRepository, RestoreService, { provide: RESTORE_WAIT, useValue: sleep }],
  exports: [RestoreService],
})
export class RestoreModule {}
