import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { BackupSqlRepository } from '../../persistence/repositories/backup-sql.repository';
import { ScheduleStateRepository } from '../../persistence/repositories/schedule-state.repository';
import { BackupModule } from '../backup/backup.module';
import { BackupService } from '../backup/backup.service';
import { TenantsModule } from '../tenants/tenants.module';
import { ScheduledBackups } from './scheduled-backups';
import { SchedulerController } from './scheduler.controller';
import { SchedulerLoop } from './scheduler.loop';
import { SchedulerService } from './scheduler.service';

/** Automatic backups every 12 hours per tenant (server process only). */
@Module({
  imports: [ScheduleModule.forRoot(), BackupModule, TenantsModule],
  controllers: [SchedulerController],
  providers: [
    BackupSqlRepository,
    ScheduleStateRepository,
    { provide: ScheduledBackups, useExisting: BackupService },
    SchedulerService,
    SchedulerLoop,
  ],
  exports: [SchedulerService],
})
export class SchedulerModule {}
