import { Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BackupSqlRepository } from '../../persistence/repositories/backup-sql.repository';
import { ConsentStateRepository } from '../../persistence/repositories/consent-state.repository';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { TenantsModule } from '../tenants/tenants.module';
import { ConsentController } from './consent.controller';
import { ConsentGrantsModule } from './consent-grants.module';
import { ConsentService } from './consent.service';

const SWEEP_INTERVAL_MS = 3600_000;

/** Admin consent: start, callback, status. */
@Module({
  imports: [AuthModule, AuditModule, ConsentGrantsModule, TenantsModule],
  controllers: [ConsentController],
  providers: [BackupSqlRepository, ConsentStateRepository, ConsentService],
  exports: [ConsentService],
})
export class ConsentModule implements OnModuleInit, OnModuleDestroy {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly consent: ConsentService) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      this.consent.sweep().catch(() => undefined);
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }
}
