import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConsentGrantsModule } from '../consent/consent-grants.module';
import { CompareApiService } from './compare-api.service';
import { CompareController } from './compare.controller';
import { CompareModule } from './compare.module';

/** Comparisons over REST: summary, objects per type, CSV and JSON downloads, live reads (server only). */
@Module({
  imports: [CompareModule, ConsentGrantsModule, AuditModule],
  controllers: [CompareController],
  providers: [CompareApiService],
})
export class CompareApiModule {}
