import { Module } from '@nestjs/common';
import { CompareController } from './compare.controller';
import { CompareModule } from './compare.module';

/** Comparisons over REST: summary, objects per type, CSV and JSON downloads, live reads (server only). */
@Module({
  imports: [CompareModule],
  controllers: [CompareController],
})
export class CompareApiModule {}
