import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { ObjectTypeKey } from '@entra-backup/common';
import {
  Clock as GraphClock,
  DefaultGraphClientFactory,
  type GraphClient,
  GraphClientFactory,
} from '@entra-backup/graph';
import {
  type EmulatorClock,
  type RegisteredApp,
  type RunningEmulator,
  startEmulator,
} from '@entra-backup/graph-emulator';
import { Agent } from 'undici';
import { AppConfig, loadAppConfig } from '../../src/config/app-config';
import { AppConfigModule } from '../../src/config/config.module';
import { Clock } from '../../src/core/clock/clock';
import { BackupModule } from '../../src/modules/backup';
import { CompareModule } from '../../src/modules/compare/compare.module';
import { BackupReaderService } from '../../src/modules/backup-storage';
import {
  DEFAULT_ENGINE_OPTIONS,
  DESCRIPTORS,
  ExportEngine,
  requiredAppRoles,
} from '../../src/modules/exporters';
import { RestoreModule } from '../../src/modules/restore/restore.module';
import { RESTORE_WAIT } from '../../src/modules/restore/restore.service';
import { PersistenceModule } from '../../src/persistence/persistence.module';
import { TenantRepository } from '../../src/persistence/repositories/tenant.repository';
import { buildTenant } from './factories';
import { createTestDatabaseLocation, type TestEngine } from './test-database';

/** Virtual time shared by emulator and Graph client: throttling waits advance it instead of sleeping. */
export class SharedVirtualClock extends GraphClock implements EmulatorClock {
  private current = Date.parse('2026-11-20T12:00:00Z');
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    this.current += Math.max(0, ms);
    return Promise.resolve();
  }
}

/** The application's `Clock` reading the shared virtual clock. */
class VirtualAppClock extends Clock {
  constructor(private readonly virtual: SharedVirtualClock) {
    super();
  }
  now(): Date {
    return new Date(this.virtual.now());
  }
}

/** Lets a test swap the Graph client factory (new credentials or granted roles) under a running app. */
export class SwitchableGraphClientFactory extends GraphClientFactory {
  constructor(public inner: GraphClientFactory) {
    super();
  }
  forTenant(tenantId: string): GraphClient {
    return this.inner.forTenant(tenantId);
  }
  getGrantedAppRoles(tenantId: string): Promise<string[]> {
    return this.inner.getGrantedAppRoles(tenantId);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export const CONTRACT_APP: RegisteredApp = {
  clientId: '5b1e7c42-0000-4000-8000-00000000e401',
  clientSecret: 'backup-engine-contract~Secret.Value-7f3a',
  displayName: 'Entra Backup (engine contract)',
  redirectUris: ['http://localhost:3000/api/consent/callback'],
  requiredAppRoles: requiredAppRoles(),
};

export interface BackupEngineHarness {
  readonly emulator: RunningEmulator;
  readonly clock: SharedVirtualClock;
  readonly app: INestApplicationContext;
  readonly graph: SwitchableGraphClientFactory;
  readonly dataDir: string;
  /** Tenant ids of the emulator, registered in the product's database. */
  readonly tenants: readonly string[];
  consent(tenantId: string, roles: readonly string[]): void;
  /** A fresh Graph client factory (no cached token), e.g. after the granted roles changed. */
  renewGraphClient(): Promise<void>;
  truth(tenantId: string, collection: string): Promise<Array<Record<string, unknown>>>;
  change(tenantId: string, change: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Every object of a type's collection in a snapshot, by id (log types: their entries). */
  stored(
    tenantId: string,
    snapshotId: string,
    type: ObjectTypeKey,
    collection: string,
  ): Promise<Map<string, Record<string, unknown>>>;
  close(): Promise<void>;
}

/** The emulator in-process (HTTPS, own CA) and the backup module on SQLite, wired as in production. */
export async function startBackupEngineHarness(options: {
  readonly usersPerTenant: number;
  readonly pageSizeLimit?: number;
  /** Default SQLite in the data directory. */
  readonly engine?: TestEngine;
  /** The application's clock follows the shared virtual clock too (default: system time). */
  readonly virtualAppClock?: boolean;
  /** The application's clock, when a test moves it itself (wins over `virtualAppClock`). */
  readonly appClock?: Clock;
  /** More modules to load beside backup, restore and compare. */
  readonly imports?: NonNullable<Parameters<typeof Test.createTestingModule>[0]['imports']>;
  /** Environment variables for the configuration (e.g. SMTP_URL). */
  readonly env?: Readonly<Record<string, string>>;
}): Promise<BackupEngineHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'backup-engine-'));
  const clock = new SharedVirtualClock();
  const emulator = await startEmulator({
    port: 0,
    dataDir: join(dataDir, 'emulator'),
    seed: 11,
    tenants: 2,
    usersPerTenant: options.usersPerTenant,
    nonPremiumTenants: [1],
    apps: [CONTRACT_APP],
    clock,
  });
  const agent = new Agent({ connect: { ca: emulator.caCertPem } });
  const newFactory = () =>
    new DefaultGraphClientFactory({
      clientId: CONTRACT_APP.clientId,
      credential: { kind: 'secret', clientSecret: CONTRACT_APP.clientSecret! },
      graphBaseUrl: emulator.graphBaseUrl,
      loginBaseUrl: emulator.loginBaseUrl,
      caCertificates: [emulator.caCertPem],
      clock,
    });
  const graph = new SwitchableGraphClientFactory(newFactory());
  const base = loadAppConfig({ ...options.env, ENTRA_BACKUP_DATA_DIR: join(dataDir, 'data') });
  const database = options.engine === 'postgres' ? await createTestDatabaseLocation('postgres') : undefined;
  const config = database
    ? new AppConfig(
        base.nodeEnv,
        base.http,
        base.storage,
        database.config,
        base.logging,
        base.portal,
        base.graph,
        base.auth,
        base.rateLimit,
        base.notifications,
      )
    : base;
  const builder = Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(config),
      PersistenceModule.forRoot({ retryAttempts: 0 }),
      BackupModule,
      RestoreModule,
      CompareModule,
      ...(options.imports ?? []),
    ],
  })
    .overrideProvider(RESTORE_WAIT)
    .useValue((ms: number) => clock.sleep(ms))
    .overrideProvider(GraphClientFactory)
    .useValue(graph)
    .overrideProvider(ExportEngine)
    .useFactory({
      factory: (c: Clock) =>
        new ExportEngine(DESCRIPTORS, c, {
          ...DEFAULT_ENGINE_OPTIONS,
          ...(options.pageSizeLimit === undefined ? {} : { pageSizeLimit: options.pageSizeLimit }),
        }),
      inject: [Clock],
    });
  if (options.appClock !== undefined) builder.overrideProvider(Clock).useValue(options.appClock);
  else if (options.virtualAppClock === true)
    builder.overrideProvider(Clock).useValue(new VirtualAppClock(clock));
  const moduleRef = await builder.compile();
  const app = await moduleRef.init();
  const tenants = emulator.world.listTenants().map((t) => t.tenantId);
  for (const tenantId of tenants)
    await app.get(TenantRepository).insertIfAbsent(buildTenant({ id: tenantId }));

  const control = async (path: string, init?: { method: string; body: unknown }): Promise<Response> => {
    const response = await fetch(`${emulator.baseUrl}/_emulator/tenants/${path}`, {
      method: init?.method ?? 'GET',
      ...(init ? { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } } : {}),
      // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
      dispatcher: agent,
    });
    if (!response.ok)
      throw new Error(`Emulator control ${path}: HTTP ${response.status} ${await response.text()}`);
    return response;
  };

  return {
    emulator,
    clock,
    app,
    graph,
    dataDir,
    tenants,
    consent: (tenantId, roles) =>
      emulator.world.applyAdminConsent(
        tenantId,
        { appId: CONTRACT_APP.clientId, displayName: CONTRACT_APP.displayName },
        [...roles],
      ),
    async renewGraphClient() {
      const old = graph.inner;
      graph.inner = newFactory();
      await old.close();
    },
    async truth(tenantId, collection) {
      const text = await (await control(`${tenantId}/truth/${collection}`)).text();
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    async change(tenantId, change) {
      return (await (
        await control(`${tenantId}/changes`, { method: 'POST', body: change })
      ).json()) as Record<string, unknown>;
    },
    async stored(tenantId, snapshotId, type, collection) {
      const reader = app.get(BackupReaderService);
      const out = new Map<string, Record<string, unknown>>();
      const log = DESCRIPTORS[type].collections.find((c) => c.name === collection)?.log !== undefined;
      const source = log
        ? reader.logsAt(tenantId, snapshotId, type)
        : reader.objectsAt(tenantId, snapshotId, type, collection);
      for await (const entry of source) out.set(entry.id, entry.object as Record<string, unknown>);
      return out;
    },
    async close() {
      await app.close();
      await graph.close();
      await agent.close();
      await emulator.stop();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
