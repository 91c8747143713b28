import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConsentGrantsModule } from '../consent/consent-grants.module';
import { GraphModule } from '../graph/graph.module';
import { TenantsModule } from '../tenants/tenants.module';
import { SettingsController } from './settings.controller';
import { SettingsService } from './settings.service';

@Module({
  imports: [TenantsModule, AuditModule, ConsentGrantsModule, GraphModule],
  controllers: [SettingsController],
  providers: [SettingsService],
  exports: [SettingsService],
})
export class SettingsModule {}
