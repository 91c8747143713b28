import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConsentGrantsModule } from '../consent/consent-grants.module';
import { TenantsModule } from '../tenants/tenants.module';
import { SettingsController } from './settings.controller';
import { SettingsService } from './settings.service';

@Module({
  imports: [TenantsModule, AuditModule, ConsentGrantsModule],
  controllers: [SettingsController],
  providers: [SettingsService],
  exports: [SettingsService],
})
export class SettingsModule {}
