import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditModule } from './audit.module';

/** The audit log over HTTP: a tenant's and a partner's events, paged and as downloads. */
@Module({ imports: [AuditModule], controllers: [AuditController] })
export class AuditApiModule {}
