import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PartnersService } from './partners.service';

/** Partners and their staff, without HTTP: the CLI's `partner` commands and the API share it. */
@Module({
  imports: [AuditModule],
  providers: [PartnersService],
  exports: [PartnersService],
})
export class PartnersModule {}
