import { Module } from '@nestjs/common';
import { BackupSqlRepository } from '../../persistence/repositories/backup-sql.repository';
import { BrowseIndexRepository } from '../../persistence/repositories/browse-index.repository';
import { AuditModule } from '../audit/audit.module';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import { BrowseIndexService } from './browse-index.service';
import { BrowseController } from './browse.controller';
import { BrowseService } from './browse.service';

/** Snapshots as tables and object pages over REST, served from the browse index (server only). */
@Module({
  imports: [AuditModule, BackupStorageModule],
  controllers: [BrowseController],
  providers: [BackupSqlRepository, BrowseIndexRepository, BrowseIndexService, BrowseService],
  exports: [BrowseIndexService],
})
export class BrowseModule {}
