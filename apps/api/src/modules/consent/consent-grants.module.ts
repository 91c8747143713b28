import { Module } from '@nestjs/common';
import { BackupSqlRepository } from '../../persistence/repositories/backup-sql.repository';
import { ConsentGrantRepository } from '../../persistence/repositories/consent-grant.repository';
import { ConsentGrantsService } from './consent-grants.service';

/** Read and record a tenant's verified admin consent (used by Auth, Consent and Settings). */
@Module({
  providers: [BackupSqlRepository, ConsentGrantRepository, ConsentGrantsService],
  exports: [ConsentGrantsService],
})
export class ConsentGrantsModule {}
