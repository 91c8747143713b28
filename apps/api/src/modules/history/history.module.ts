import { Module } from '@nestjs/common';
import { BackupSqlRepository } from '../../persistence/repositories/backup-sql.repository';
import { ObjectHistoryRepository } from '../../persistence/repositories/object-history.repository';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';

/** Version history, "who changed it" and membership time travel over REST (server only). */
@Module({
  imports: [BackupStorageModule],
  controllers: [HistoryController],
  providers: [BackupSqlRepository, ObjectHistoryRepository, HistoryService],
  exports: [HistoryService],
})
export class HistoryModule {}
