import { Module } from '@nestjs/common';
import { BackupModule } from '../backup/backup.module';
import { ConsentGrantsModule } from '../consent/consent-grants.module';
import { ReconciliationController } from './reconciliation.controller';
import { RunsController } from './runs.controller';
import { RunsService } from './runs.service';

/**
 * Backup runs over REST: manual trigger, history, details and live progress, and the tenant's
 * reconciliation interval (server only).
 */
@Module({
  imports: [BackupModule, ConsentGrantsModule],
  controllers: [RunsController, ReconciliationController],
  providers: [RunsService],
  exports: [RunsService],
})
export class RunsModule {}
