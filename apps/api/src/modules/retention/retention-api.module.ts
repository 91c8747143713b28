import { Module } from '@nestjs/common';
import { RetentionController } from './retention.controller';
import { RetentionLoop } from './retention.loop';
import { RetentionModule } from './retention.module';

/** The retention routes and the daily prune schedule (server process only). */
@Module({
  imports: [RetentionModule],
  controllers: [RetentionController],
  providers: [RetentionLoop],
})
export class RetentionApiModule {}
