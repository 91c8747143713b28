import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/core/clock/clock';
import {
  BackupReaderService,
  BackupWriterService,
  DEFAULT_WRITER_LIMITS,
} from '../../src/modules/backup-storage';
import { PayloadCodec } from '../../src/modules/backup-storage/codec/payload-codec';
import { BlobCipher } from '../../src/modules/backup-storage/crypto/blob-cipher';
import { MasterKeyProvider } from '../../src/modules/backup-storage/crypto/master-key.provider';
import { buildDataSourceOptions } from '../../src/persistence/data-source-options';
import { DatabaseGate } from '../../src/persistence/database-gate';
import { BackupRunEntity } from '../../src/persistence/entities';
import { BackupLeaseRepository } from '../../src/persistence/repositories/backup-lease.repository';
import { BackupObjectRepository } from '../../src/persistence/repositories/backup-object.repository';
import { BackupSnapshotRepository } from '../../src/persistence/repositories/backup-snapshot.repository';
import { BackupSqlRepository, toNumber } from '../../src/persistence/repositories/backup-sql.repository';
import { TenantRepository } from '../../src/persistence/repositories/tenant.repository';
import { buildTenant } from '../support/factories';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

const REPO_ROOT = resolve(__dirname, '../../../..');
const OBJECTS_PER_SNAPSHOT = 300;
const KILLS = 4;

/**
 * A separate Node process that backs up forever: every snapshot holds the same object ids, each
 * stamped with the snapshot's seq, so any visible snapshot can be checked for completeness. It
 * loads the TypeScript sources through @swc/core, as Jest does.
 */
const WORKER = `
const Module = require('node:module');
const fs = require('node:fs');
const root = process.env.REPO_ROOT;
const fromRoot = Module.createRequire(root + '/package.json');
const { transformSync } = fromRoot('@swc/core');
const aliases = {
  '@entra-backup/common': root + '/libs/common/src/index.ts',
  '@entra-backup/graph': root + '/libs/graph/src/index.ts',
};
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, aliases[request] ?? request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
fromRoot('reflect-metadata');
const src = (path) => require(root + '/apps/api/src/' + path);
const { DataSource } = fromRoot('typeorm');
const { buildDataSourceOptions } = src('persistence/data-source-options.ts');
const { DatabaseGate } = src('persistence/database-gate.ts');
const { BackupSqlRepository } = src('persistence/repositories/backup-sql.repository.ts');
const { BackupSnapshotRepository } = src('persistence/repositories/backup-snapshot.repository.ts');
const { BackupObjectRepository } = src('persistence/repositories/backup-object.repository.ts');
const { BackupLeaseRepository } = src('persistence/repositories/backup-lease.repository.ts');
const { BackupWriterService, DEFAULT_WRITER_LIMITS } = src('modules/backup-storage/index.ts');
const { PayloadCodec } = src('modules/backup-storage/codec/payload-codec.ts');
const { BlobCipher } = src('modules/backup-storage/crypto/blob-cipher.ts');
const { MasterKeyProvider } = src('modules/backup-storage/crypto/master-key.provider.ts');

(async () => {
  const dataSource = new DataSource(buildDataSourceOptions(JSON.parse(process.env.DB_CONFIG)));
  await dataSource.initialize();
  const sql = new BackupSqlRepository(new DatabaseGate(dataSource));
  const codec = new PayloadCodec(new BlobCipher(MasterKeyProvider.fromKey(Buffer.from(process.env.KEY_HEX, 'hex'))));
  const clock = { now: () => new Date() };
  const writer = new BackupWriterService(new BackupSnapshotRepository(sql), new BackupObjectRepository(sql),
    new BackupLeaseRepository(sql), codec, clock, { ...DEFAULT_WRITER_LIMITS, batchObjects: 50 });
  for (;;) {
    const snapshot = await writer.beginSnapshot(process.env.TENANT_ID, { mode: 'full', types: ['users', 'auditLogs'] });
    for (let i = 0; i < Number(process.env.OBJECTS); i += 1) {
      await snapshot.put('users', 'users', { id: 'user-' + i, rev: snapshot.seq, padding: 'x'.repeat(200) });
      if (i % 20 === 0) process.stdout.write('tick\\n');
    }
    await snapshot.appendLogs('auditLogs', 'directoryAudits', [{ id: 'audit-' + snapshot.seq, rev: snapshot.seq }]);
    await snapshot.completeType('users');
    await snapshot.completeType('auditLogs');
    await snapshot.commit();
    process.stdout.write('committed ' + snapshot.seq + '\\n');
  }
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\\n');
  process.exit(3);
});
`;

class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

describe.each(testDatabases())(
  'backup storage crash safety on %s (process killed at random points)',
  (engine) => {
    const key = randomBytes(32);
    let db: TestDataSource;
    let workDir: string;
    let tenantId: string;
    let child: ChildProcess | undefined;

    beforeEach(async () => {
      db = await createTestDataSource(engine);
      workDir = await mkdtemp(join(tmpdir(), 'entra-backup-crash-'));
      await writeFile(join(workDir, 'worker.js'), WORKER);
      tenantId = buildTenant().id;
      await new TenantRepository(new DatabaseGate(db.dataSource)).insertIfAbsent(
        buildTenant({ id: tenantId }),
      );
      await db.dataSource.destroy();
    });

    afterEach(async () => {
      child?.kill('SIGKILL');
      await db.destroy();
      await rm(workDir, { recursive: true, force: true });
    });

    /** Starts the worker and kills it without warning at a random point of its work. */
    async function runAndKill(): Promise<void> {
      const worker = spawn(process.execPath, [join(workDir, 'worker.js')], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          REPO_ROOT,
          DB_CONFIG: JSON.stringify(db.config),
          KEY_HEX: key.toString('hex'),
          TENANT_ID: tenantId,
          OBJECTS: String(OBJECTS_PER_SNAPSHOT),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = worker;
      let stderr = '';
      worker.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | number | null>((done) =>
        worker.on('exit', (code, signal) => done(signal ?? code)),
      );
      // The kill follows a random number of progress lines (about 16 per snapshot), so it lands
      // anywhere in a run: while staging, between types, or during the commit transaction.
      const ticksBeforeKill = randomInt(1, 80);
      await new Promise<void>((reached, failed) => {
        let ticks = 0;
        worker.stdout?.on('data', (chunk: Buffer) => {
          ticks += chunk.toString().split('tick').length - 1;
          if (ticks >= ticksBeforeKill) reached();
        });
        void exited.then((status) =>
          failed(new Error(`The worker exited (${String(status)}) early: ${stderr}`)),
        );
      });
      worker.kill('SIGKILL');
      const status = await exited;
      if (status !== 'SIGKILL')
        throw new Error(`The worker stopped on its own (${String(status)}): ${stderr}`);
    }

    it('never shows a snapshot that lacks data, and the next run succeeds', async () => {
      for (let kill = 0; kill < KILLS; kill += 1) await runAndKill();

      const dataSource = new DataSource(buildDataSourceOptions(db.config));
      await dataSource.initialize();
      try {
        const sql = new BackupSqlRepository(new DatabaseGate(dataSource));
        const codec = new PayloadCodec(new BlobCipher(MasterKeyProvider.fromKey(key)));
        const clock = new SystemClock();
        const snapshots = new BackupSnapshotRepository(sql);
        const objects = new BackupObjectRepository(sql);
        const writer = new BackupWriterService(
          snapshots,
          objects,
          new BackupLeaseRepository(sql),
          codec,
          clock,
          DEFAULT_WRITER_LIMITS,
        );
        const sut = new BackupReaderService(snapshots, objects, codec, clock);

        const recovered = await writer.recoverInterruptedRuns();

        expect(recovered.length).toBeLessThanOrEqual(KILLS);
        await expect(snapshots.findRunning()).resolves.toEqual([]);
        const visible = await sut.listSnapshots(tenantId, { limit: 200 });
        for (const snapshot of visible.items) {
          expect(snapshot.status).toBe('complete');
          const users = [];
          for await (const user of sut.objectsAt(tenantId, snapshot.id, 'users')) users.push(user.object);
          expect(users).toHaveLength(OBJECTS_PER_SNAPSHOT);
          expect(users.every((u) => (u as { rev: number }).rev === snapshot.seq)).toBe(true);
          const audits = [];
          for await (const entry of sut.logsAt(tenantId, snapshot.id, 'auditLogs')) audits.push(entry.id);
          expect(audits).toContain(`audit-${snapshot.seq}`);
        }
        await expect(sut.verify(tenantId)).resolves.toMatchObject({ ok: true });
        const runs = await sql.rows<{ status: string; n: unknown }>(
          `SELECT "status", COUNT(*) AS "n" FROM ${sql.table(BackupRunEntity)} GROUP BY "status" ORDER BY "status"`,
        );
        const byStatus = Object.fromEntries(runs.map((r) => [r.status, toNumber(r.n)]));
        // Kills hit runs in progress (one landing between two runs is possible and harmless);
        // every other run committed and is visible.
        expect(Object.keys(byStatus).filter((s) => s !== 'completed' && s !== 'interrupted')).toEqual([]);
        expect(byStatus['interrupted']).toBeGreaterThanOrEqual(1);
        expect(byStatus['completed'] ?? 0).toBe(visible.total);

        const next = await writer.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
        await next.put('users', 'users', { id: 'user-0', rev: next.seq });
        await next.completeType('users');
        await expect(next.commit()).resolves.toMatchObject({ status: 'completed' });
        await expect(sut.countsAt(tenantId, 'latest')).resolves.toMatchObject({ users: { users: 1 } });
      } finally {
        await dataSource.destroy();
      }
    }, 120_000);
  },
);
