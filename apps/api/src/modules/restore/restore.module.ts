import { Module } from '@nestjs/common';
import { ClockModule } from '../../core/clock/clock.module';
import { RestoreRepository } from '../../persistence/repositories/restore.repository';
import { AuditModule } from '../audit/audit.module';
import { BackupModule } from '../backup/backup.module';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import { GraphModule } from '../graph/graph.module';
import { TenantsModule } from '../tenants/tenants.module';
import { SystemClock } from '@entra-backup/graph';
import { RestoreRunEvents } from './restore-run-events';
import { RESTORE_WAIT, RestoreService, type RestoreWait } from './restore.service';

/** Restore plans and runs for the API and the CLI. */
@Module({
  imports: [ClockModule, AuditModule, BackupModule, BackupStorageModule, GraphModule, TenantsModule],
  providers: [
    RestoreRepository,
    RestoreRunEvents,
    RestoreService,
    {
      provide: RESTORE_WAIT,
      useFactory: (): RestoreWait => {
        const clock = new SystemClock();
        return (ms, signal) => clock.sleep(ms, signal);
      },
    },
  ],
  exports: [RestoreService, RestoreRunEvents],
})
export class RestoreModule {}
