import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { CoreModule } from './core/core.module';
import { ApiKeysModule } from './modules/api-keys/api-keys.module';
import { AuditApiModule } from './modules/audit/audit-api.module';
import { AuditModule } from './modules/audit/audit.module';
import { EmergencyModule } from './modules/emergency/emergency.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { AlertsLoopModule, AlertsModule } from './modules/alerts/alerts.module';
import { BackupModule } from './modules/backup/backup.module';
import { CompareApiModule } from './modules/compare/compare-api.module';
import { CompareModule } from './modules/compare/compare.module';
import { BrowseModule } from './modules/browse/browse.module';
import { AccessModule } from './modules/auth/access.module';
import { AuthModule } from './modules/auth/auth.module';
import { ConsentModule } from './modules/consent/consent.module';
import { RestoreApiModule } from './modules/restore/restore-api.module';
import { RestoreModule } from './modules/restore/restore.module';
import { RunsModule } from './modules/runs/runs.module';
import { HistoryModule } from './modules/history/history.module';
import { IdempotencyModule } from './modules/idempotency/idempotency.module';
import { SchedulerModule } from './modules/scheduler/scheduler.module';
import { ExportModule } from './modules/export/export.module';
import { ExportApiModule } from './modules/export/export-api.module';
import { PartnersApiModule } from './modules/partners/partners-api.module';
import { PartnersModule } from './modules/partners/partners.module';
import { SettingsModule } from './modules/settings/settings.module';
import { RetentionApiModule } from './modules/retention/retention-api.module';
import { RetentionModule } from './modules/retention/retention.module';
import { TenantsModule } from './modules/tenants/tenants.module';
import { PersistenceModule } from './persistence/persistence.module';

type ImportableModule = NonNullable<ModuleMetadata['imports']>[number];

/** The feature modules, shared by the HTTP server and the CLI. Append new modules here. */
export const DOMAIN_MODULES: ImportableModule[] = [
  AccessModule,
  AuditModule,
  TenantsModule,
  SettingsModule,
  ExportModule,
  BackupModule,
  RestoreModule,
  CompareModule,
  PartnersModule,
  RetentionModule,
  AlertsModule,
];

/** Modules of the HTTP server only (sign-in, access guard, consent, scheduler). Append here. */
export const HTTP_MODULES: ImportableModule[] = [
  AuthModule,
  ConsentModule,
  SchedulerModule,
  RunsModule,
  RestoreApiModule,
  CompareApiModule,
  HistoryModule,
  ExportApiModule,
  BrowseModule,
  PartnersApiModule,
  ApiKeysModule,
  IdempotencyModule,
  AuditApiModule,
  NotificationsModule,
  EmergencyModule,
  RetentionApiModule,
  AlertsLoopModule,
];

export const API_PREFIX = 'api';

/** Whether a built portal (with its `index.html`) exists where the configuration says. */
export function portalIsBuilt(config: AppConfig): boolean {
  return existsSync(join(config.portal.dir, 'index.html'));
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        CoreModule,
        PersistenceModule.forRoot(),
        ...DOMAIN_MODULES,
        ...HTTP_MODULES,
      ],
    };
  }
}
