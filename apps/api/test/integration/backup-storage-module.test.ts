import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, type INestApplicationContext, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type EnvironmentRecord, loadAppConfig } from '../../src/config/app-config';
import { AppConfigModule } from '../../src/config/config.module';
import {
  BackupLeaseService,
  BackupReaderService,
  BackupStorageModule,
  BackupWriterService,
  KeyProvider,
} from '../../src/modules/backup-storage';
import { EncryptionKey } from '../../src/modules/backup-storage/crypto/encryption-key';
import { buildDataSourceOptions } from '../../src/persistence/data-source-options';
import { DatabaseGate } from '../../src/persistence/database-gate';
import { TenantRepository } from '../../src/persistence/repositories/tenant.repository';
import { buildTenant } from '../support/factories';
import {
  createTestDatabaseLocation,
  type TestDatabaseLocation,
  testDatabases,
} from '../support/test-database';

/** What `PersistenceModule` provides globally besides the connection: the database gate. */
@Global()
@Module({ providers: [DatabaseGate], exports: [DatabaseGate] })
class DatabaseGateModule {}

describe.each(testDatabases())(`${BackupStorageModule.name} on %s`, (engine) => {
  let location: TestDatabaseLocation;
  let dataDir: string;
  let app: INestApplicationContext | undefined;

  beforeEach(async () => {
    location = await createTestDatabaseLocation(engine);
    dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-data-'));
  });

  async function start(env: EnvironmentRecord = {}): Promise<INestApplicationContext> {
    const config = loadAppConfig({ ...env, ENTRA_BACKUP_DATA_DIR: dataDir });
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(config),
        TypeOrmModule.forRoot(buildDataSourceOptions(location.config)),
        DatabaseGateModule,
        BackupStorageModule,
      ],
      providers: [TenantRepository],
    }).compile();
    app = await moduleRef.init();
    return app;
  }

  /** Writes one group through the lease and the writer, and reads it back through the reader. */
  async function roundTrip(context: INestApplicationContext): Promise<unknown> {
    const tenantId = buildTenant().id;
    await context.get(TenantRepository).insertIfAbsent(buildTenant({ id: tenantId }));
    const writer = context.get(BackupWriterService);
    const result = await context.get(BackupLeaseService).withLease(tenantId, async () => {
      const snapshot = await writer.beginSnapshot(tenantId, { mode: 'full', types: ['groups'] });
      await snapshot.put('groups', 'groups', { id: 'g1', displayName: 'Sales' });
      await snapshot.completeType('groups');
      return snapshot.commit();
    });
    return context
      .get(BackupReaderService)
      .getObjectAt(tenantId, result.snapshotId!, 'groups', 'groups', 'g1');
  }

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await location.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('wires writer, reader and lease from the application context, with a 0600 key file created in the data dir', async () => {
    const context = await start();

    await expect(roundTrip(context)).resolves.toEqual({ id: 'g1', displayName: 'Sales' });
    const keyFile = await stat(join(dataDir, 'master.key'));
    expect(keyFile.mode & 0o777).toBe(0o600);
    const stored = Buffer.from(await readFile(join(dataDir, 'master.key'), 'utf8'), 'base64');
    expect(context.get(KeyProvider).currentKey().id).toBe(new EncryptionKey(stored).id);
  });

  it('encrypts with ENTRA_BACKUP_MASTER_KEY when it is set, and creates no key file', async () => {
    const material = randomBytes(32);
    const context = await start({ ENTRA_BACKUP_MASTER_KEY: material.toString('base64') });

    expect(context.get(KeyProvider).currentKey().id).toBe(new EncryptionKey(material).id);
    await expect(roundTrip(context)).resolves.toEqual({ id: 'g1', displayName: 'Sales' });
    await expect(readdir(dataDir)).resolves.not.toContain('master.key');
  });
});
