import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ApiKeySecrets, RandomApiKeySecrets } from './api-key-secrets';
import { PartnerApiKeysController, TenantApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';

/** API keys of tenants and partners: create (secret shown once), list, rotate, revoke. */
@Module({
  imports: [AuditModule],
  controllers: [TenantApiKeysController, PartnerApiKeysController],
  providers: [ApiKeysService, { provide: ApiKeySecrets, useClass: RandomApiKeySecrets }],
})
export class ApiKeysModule {}
