import { Module } from '@nestjs/common';
import { RestoreService } from './restore.service';

/** The restore engine: plans, execution, history and progress (API and CLI). */
@Module({
  providers: [RestoreService],
  exports: [RestoreService],
})
export class RestoreModule {}
