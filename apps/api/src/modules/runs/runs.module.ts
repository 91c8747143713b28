import { Module } from '@nestjs/common';
import { BackupModule } from '../backup/backup.module';
import { ConsentGrantsModule } from '../consent/consent-grants.module';
import { RunsController } from './runs.controller';
import { RunsService } from './runs.service';

/** Backup runs over REST: manual trigger, history, details and live progress (server only). */
@Module({
  imports: [BackupModule, ConsentGrantsModule],
  controllers: [RunsController],
  providers: [RunsService],
  exports: [RunsService],
})
export class RunsModule {}
