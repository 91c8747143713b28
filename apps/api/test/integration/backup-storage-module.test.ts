import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, type INestApplicationContext, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { loadAppConfig } from '../../src/config/app-config';
import { AppConfigModule } from '../../src/config/config.module';
import {
  BackupLeaseService,
  BackupReaderService,
  BackupStorageModule,
  BackupWriterService,
} from '../../src/modules/backup-storage';
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
  let app: INestApplicationContext;

  beforeEach(async () => {
    location = await createTestDatabaseLocation(engine);
    dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-data-'));
    const config = loadAppConfig({ ENTRA_BACKUP_DATA_DIR: dataDir });
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
  });

  afterEach(async () => {
    await app.close();
    await location.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('wires writer, reader and lease from the application context, with a key file created in the data dir', async () => {
    const tenantId = buildTenant().id;
    await app.get(TenantRepository).insertIfAbsent(buildTenant({ id: tenantId }));
    const lease = app.get(BackupLeaseService);
    const writer = app.get(BackupWriterService);
    const sut = app.get(BackupReaderService);

    const result = await lease.withLease(tenantId, async () => {
      const snapshot = await writer.beginSnapshot(tenantId, { mode: 'full', types: ['groups'] });
      await snapshot.put('groups', 'groups', { id: 'g1', displayName: 'Sales' });
      await snapshot.completeType('groups');
      return snapshot.commit();
    });

    await expect(sut.getObjectAt(tenantId, result.snapshotId!, 'groups', 'groups', 'g1')).resolves.toEqual({
      id: 'g1',
      displayName: 'Sales',
    });
    const keyFile = await stat(join(dataDir, 'master.key'));
    expect(keyFile.mode & 0o777).toBe(0o600);
  });
});
