import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TenantRepository } from '../../persistence/repositories';
import { AuditModule } from '../audit/audit.module';
import { BackupModule } from '../backup/backup.module';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import { ConsentGrantsModule } from '../consent/consent-grants.module';
import { GraphModule } from '../graph/graph.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RestoreModule } from '../restore/restore.module';
import { RetentionModule } from '../retention/retention.module';
import { SettingsModule } from '../settings/settings.module';
import { AlertSettingsService } from './alert-settings.service';
import { AlertsController } from './alerts.controller';
import { AlertsLoop } from './alerts.loop';
import { AlertsService } from './alerts.service';

/**
 * Alerts of backups, restores, consent and the tenant's identity (from each backup's diff), sent
 * through the notifications module.
 */
@Module({
  imports: [
    AuditModule,
    BackupModule,
    BackupStorageModule,
    ConsentGrantsModule,
    GraphModule,
    NotificationsModule,
    RestoreModule,
    RetentionModule,
    SettingsModule,
  ],
  controllers: [AlertsController],
  providers: [TenantRepository, AlertsService, AlertSettingsService],
  exports: [AlertsService],
})
export class AlertsModule {}

/** The server's periodic alert checks and retries (every minute); the CLI imports `AlertsModule` only. */
@Module({
  imports: [ScheduleModule.forRoot(), AlertsModule],
  providers: [AlertsLoop],
})
export class AlertsLoopModule {}
