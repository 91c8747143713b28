import { Module } from '@nestjs/common';
import { BackupPruneRepository } from '../../persistence/repositories/backup-prune.repository';
import { BackupSqlRepository } from '../../persistence/repositories/backup-sql.repository';
import { RetentionPolicyRepository } from '../../persistence/repositories/retention-policy.repository';
import { AuditModule } from '../audit/audit.module';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import { TenantsModule } from '../tenants/tenants.module';
import { PruneEvents } from './prune-events';
import { RetentionService } from './retention.service';

/** Retention policies, legal holds, "calculate effect" and pruning (server and CLI). */
@Module({
  imports: [TenantsModule, AuditModule, BackupStorageModule],
  providers: [
    BackupSqlRepository,
    BackupPruneRepository,
    RetentionPolicyRepository,
    PruneEvents,
    RetentionService,
  ],
  exports: [RetentionService, PruneEvents],
})
export class RetentionModule {}
