import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';
import { buildLoggerParams } from './logger-options';

@Module({
  imports: [LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: buildLoggerParams })],
})
export class LoggingModule {}
