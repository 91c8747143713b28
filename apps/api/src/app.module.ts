import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
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

/** Angular build output names files `<name>-<HASH>.<ext>`; such a file never changes. */
const HASHED_ASSET = /-[A-Z0-9]{8,}\.(?:js|mjs|css|woff2?|ttf|svg|png|jpg|webp|ico)$/;

/**
 * index.html must be revalidated on every load so a new release is picked up at once, while
 * content-hashed bundles can be cached for good.
 */
function setPortalCacheHeaders(res: ServerResponse, path: string): void {
  if (HASHED_ASSET.test(basename(path))) {
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  } else {
    res.setHeader('Cache-Control', 'no-cache');
  }
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
        ...(portalIsBuilt(config)
          ? [
              // The portal is a single-page app: unknown non-API paths get index.html so deep links
              // work, while everything under /api stays with the API (and its JSON 404s).
              ServeStaticModule.forRoot({
                rootPath: config.portal.dir,
                exclude: [`/${API_PREFIX}`, `/${API_PREFIX}/{*path}`],
                serveStaticOptions: {
                  index: 'index.html',
                  fallthrough: true,
                  setHeaders: setPortalCacheHeaders,
                },
              }),
            ]
          : []),
      ],
    };
  }
}
