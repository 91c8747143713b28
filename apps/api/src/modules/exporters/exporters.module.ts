import { Module } from '@nestjs/common';
import { Clock } from '../../core/clock/clock';
import { ClockModule } from '../../core/clock/clock.module';
import { DEFAULT_ENGINE_OPTIONS, ExportEngine } from './engine';
import { DESCRIPTORS } from './registry';

/** The export engine over the registry of the 14 descriptors. */
@Module({
  imports: [ClockModule],
  providers: [
    {
      provide: ExportEngine,
      inject: [Clock],
      useFactory: (clock: Clock) => new ExportEngine(DESCRIPTORS, clock, DEFAULT_ENGINE_OPTIONS),
    },
  ],
  exports: [ExportEngine],
})
export class ExportersModule {}
