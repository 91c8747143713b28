import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { DatabaseGate } from './database-gate';
import {
  ApiKeyRepository,
  AuditTrailRepository,
  OnboardingLinkRepository,
  PartnerRepository,
  TenantRepository,
  TenantSettingsRepository,
} from './repositories';

/** Repository classes every module may use. Append new repositories here. */
export const REPOSITORIES = [
  TenantRepository,
  TenantSettingsRepository,
  AuditTrailRepository,
  PartnerRepository,
  ApiKeyRepository,
  OnboardingLinkRepository,
];

/**
 * What every module gets: the repositories above and the gate all repositories (including those
 * modules provide themselves) reach the database through.
 */
const PROVIDERS = [DatabaseGate, ...REPOSITORIES];

export interface PersistenceModuleOptions {
  /**
   * How often to retry the first connection. The server waits for a database that starts
   * slower than it does; the CLI fails at once.
   */
  readonly retryAttempts?: number;
}

@Global()
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceModuleOptions = {}): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            ...buildDataSourceOptions(config.database),
            retryAttempts: options.retryAttempts ?? 5,
            retryDelay: 2000,
          }),
        }),
      ],
      providers: PROVIDERS,
      exports: PROVIDERS,
    };
  }
}
