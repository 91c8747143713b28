import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ZodValidationPipe } from 'nestjs-zod';
import { ClockModule } from './clock';
import { GlobalExceptionFilter } from './errors';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging';

/** Cross-cutting HTTP concerns of the API: logging, errors, validation, health, clock. */
@Module({
  imports: [ClockModule, LoggingModule, HealthModule],
  providers: [
    { provide: APP_FILTER, useClass: GlobalExceptionFilter },
    { provide: APP_PIPE, useClass: ZodValidationPipe },
  ],
})
export class CoreModule {}
