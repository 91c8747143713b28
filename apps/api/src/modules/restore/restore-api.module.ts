import { AccessModule } from '../auth/access.module';
import { Module } from '@nestjs/common';
import { ConsentGrantsModule } from '../consent/consent-grants.module';
import { RestoreApiService } from './restore-api.service';
import { RestoreResumer } from './restore-resumer';
import { RestoreController } from './restore.controller';
import { RestoreModule } from './restore.module';

/** Restores over REST: plans, execution, history, live progress and passwords (server only). */
@Module({
  imports: [RestoreModule, ConsentGrantsModule, AccessModule],
  controllers: [RestoreController],
  providers: [RestoreApiService, RestoreResumer],
})
export class RestoreApiModule {}
