/**
 * Version history benchmark:
 * `node -r ./test/robustness/support/swc-register.cjs bench/history.bench.ts [--users 5000] [--versions 100] [--audits 200]`
 * (on PostgreSQL too when `TEST_DATABASE_URL` is set, e.g. `postgres://postgres@127.0.0.1:5432/test`;
 * `--engine sqlite|postgres` for one of them).
 *
 * Builds, directly through the snapshot writer as the storage integration tests do, a tenant of
 * `--users` users and as many groups, then `--versions - 1` incremental snapshots in each of which
 * one user's job title changes, one group gains or loses a member, and `--audits` directory audit
 * entries arrive (two of them naming the user). Then measures the server-side time of the history
 * endpoint's service call (`HistoryService.objectHistory`) for the user and the group, each with
 * `--versions` versions, and of the as-of view of the group: median and worst of 20 calls after
 * 3 warm-up calls. Target: ≤ 300 ms for an object with 100 versions. The as-of view of a user
 * (its groups, found by reading every group of two snapshots) is reported beside them.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ObjectTypeKey } from '@entra-backup/common';
import { Clock } from '../apps/api/src/core/clock/clock';
import {
  BackupReaderService,
  BackupWriterService,
  type GraphObject,
} from '../apps/api/src/modules/backup-storage';
import { PayloadCodec } from '../apps/api/src/modules/backup-storage/codec/payload-codec';
import { BlobCipher } from '../apps/api/src/modules/backup-storage/crypto/blob-cipher';
import { MasterKeyProvider } from '../apps/api/src/modules/backup-storage/crypto/master-key.provider';
import { HistoryService } from '../apps/api/src/modules/history/history.service';
import { DatabaseGate } from '../apps/api/src/persistence/database-gate';
import { BackupLeaseRepository } from '../apps/api/src/persistence/repositories/backup-lease.repository';
import { BackupObjectRepository } from '../apps/api/src/persistence/repositories/backup-object.repository';
import { BackupSnapshotRepository } from '../apps/api/src/persistence/repositories/backup-snapshot.repository';
import { BackupSqlRepository } from '../apps/api/src/persistence/repositories/backup-sql.repository';
import { ObjectHistoryRepository } from '../apps/api/src/persistence/repositories/object-history.repository';
import { TenantRepository } from '../apps/api/src/persistence/repositories/tenant.repository';
import { buildTenant } from '../apps/api/test/support/factories';
import { createTestDataSource, testDatabases, type TestEngine } from '../apps/api/test/support/test-database';

const TARGET_MS = 300;
const WARM_UP = 3;
const CALLS = 20;

class SteppingClock extends Clock {
  private at = Date.parse('2026-01-01T00:00:00.000Z');
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value === undefined || !Number.isFinite(value) ? fallback : value;
}

const id = (prefix: number, n: number) =>
  `00000000-0000-4000-${String(prefix).padStart(4, '0')}-${String(n).padStart(12, '0')}`;
const ref = (n: number) => ({ '@odata.type': '#microsoft.graph.user', id: id(8000, n) });

function user(n: number, version = 0): GraphObject {
  return {
    id: id(8000, n),
    displayName: `User ${n}`,
    userPrincipalName: `user${n}@contoso.onmicrosoft.com`,
    accountEnabled: true,
    department: `Department ${n % 40}`,
    jobTitle: `Title ${version}`,
    passwordProfile: { forceChangePasswordNextSignIn: false },
    businessPhones: [`+1 555 ${String(n).padStart(4, '0')}`],
    manager: n === 0 ? null : ref(0),
  };
}

function group(n: number, members: number[]): GraphObject {
  return {
    id: id(9000, n),
    displayName: `Group ${n}`,
    groupTypes: [],
    securityEnabled: true,
    members: members.map(ref),
    owners: [ref(0)],
  };
}

function auditEntry(seq: number, i: number, at: Date, target: string): GraphObject {
  return {
    id: `Directory_${seq}_${i}`,
    activityDateTime: new Date(at.getTime() - (i + 1) * 1000).toISOString(),
    activityDisplayName: 'Update user',
    category: 'UserManagement',
    result: 'success',
    operationType: 'Update',
    initiatedBy: { user: { id: id(8000, 0), userPrincipalName: 'user0@contoso.onmicrosoft.com' }, app: null },
    targetResources: [
      {
        id: target,
        type: 'User',
        displayName: null,
        userPrincipalName: null,
        modifiedProperties: [
          { displayName: 'JobTitle', oldValue: `["Title ${seq - 1}"]`, newValue: `["Title ${seq}"]` },
        ],
      },
    ],
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ medianMs: number; worstMs: number; result: T }> {
  let result!: T;
  for (let i = 0; i < WARM_UP; i++) result = await work();
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    result = await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    medianMs: round(times[Math.floor(times.length / 2)]!),
    worstMs: round(times[times.length - 1]!),
    result,
  };
}

async function run(engine: TestEngine, users: number, versions: number, audits: number) {
  const db = await createTestDataSource(engine);
  try {
    const clock = new SteppingClock();
    const sql = new BackupSqlRepository(new DatabaseGate(db.dataSource));
    const snapshots = new BackupSnapshotRepository(sql);
    const objects = new BackupObjectRepository(sql);
    const codec = new PayloadCodec(new BlobCipher(MasterKeyProvider.fromKey(randomBytes(32))));
    const writer = new BackupWriterService(snapshots, objects, new BackupLeaseRepository(sql), codec, clock, {
      batchObjects: 500,
      batchBytes: 4 * 1024 * 1024,
    });
    const sut = new HistoryService(
      new ObjectHistoryRepository(sql),
      codec,
      new BackupReaderService(snapshots, objects, codec, clock),
    );
    const tenant = buildTenant();
    await new TenantRepository(new DatabaseGate(db.dataSource)).insertIfAbsent(tenant);

    const buildStart = performance.now();
    const types: ObjectTypeKey[] = ['users', 'groups', 'auditLogs'];
    const subject = 7;
    let members = [1, 2, 3];
    {
      const first = await writer.beginSnapshot(tenant.id, { mode: 'full', types });
      for (let n = 0; n < users; n++) await first.put('users', 'users', user(n));
      for (let n = 0; n < users; n++)
        await first.put('groups', 'groups', group(n, [n % users, (n * 7) % users]));
      await first.put('groups', 'groups', group(subject, members));
      await first.completeType('users');
      await first.completeType('groups');
      await first.completeType('auditLogs');
      await first.commit();
    }
    for (let seq = 2; seq <= versions; seq++) {
      clock.advance(12 * 3_600_000);
      const next = await writer.beginSnapshot(tenant.id, { mode: 'incremental', types });
      await next.put('users', 'users', user(subject, seq));
      members = seq % 2 === 0 ? [...members, 100 + seq] : members.filter((m) => m !== 100 + seq - 1);
      await next.put('groups', 'groups', group(subject, members));
      await next.completeType('users');
      await next.completeType('groups');
      await next.appendLogs(
        'auditLogs',
        'directoryAudits',
        Array.from({ length: audits }, (_, i) =>
          auditEntry(seq, i, clock.now(), i < 2 ? id(8000, subject) : id(8000, (seq * audits + i) % users)),
        ),
      );
      await next.completeType('auditLogs');
      await next.commit();
    }
    const buildMs = Math.round(performance.now() - buildStart);

    const userHistory = await timed(() => sut.objectHistory(tenant.id, 'users', 'users', id(8000, subject)));
    const groupHistory = await timed(() =>
      sut.objectHistory(tenant.id, 'groups', 'groups', id(9000, subject)),
    );
    const middle = new Date(
      Date.parse('2026-01-01T00:00:00.000Z') + (versions / 2) * 12 * 3_600_000,
    ).toISOString();
    const groupAsOf = await timed(() => sut.asOf(tenant.id, 'groups', 'groups', id(9000, subject), middle));
    const userAsOf = await timed(() => sut.asOf(tenant.id, 'users', 'users', id(8000, 102), middle));
    return {
      engine,
      buildMs,
      user: {
        versions: userHistory.result.versions,
        events: userHistory.result.events.length,
        auditEntriesAttached: userHistory.result.events.reduce((n, e) => n + e.audit.length, 0),
        medianMs: userHistory.medianMs,
        worstMs: userHistory.worstMs,
      },
      group: {
        versions: groupHistory.result.versions,
        relationshipChanges: groupHistory.result.events.reduce((n, e) => n + e.relationships.length, 0),
        medianMs: groupHistory.medianMs,
        worstMs: groupHistory.worstMs,
      },
      groupAsOf: { medianMs: groupAsOf.medianMs, worstMs: groupAsOf.worstMs },
      // Reverse lookups: every group, administrative unit and role assignment of two snapshots.
      userAsOf: {
        groups: users,
        medianMs: userAsOf.medianMs,
        worstMs: userAsOf.worstMs,
        memberOf: userAsOf.result.relations.find((r) => r.relation === 'memberOf')?.items.length ?? 0,
      },
      withinTarget: userHistory.worstMs <= TARGET_MS && groupHistory.worstMs <= TARGET_MS,
    };
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const users = arg('users', 5000);
  const versions = arg('versions', 100);
  const audits = arg('audits', 200);
  const results = [];
  const only = process.argv.indexOf('--engine');
  const engines = testDatabases().filter((e) => only === -1 || e === process.argv[only + 1]);
  for (const engine of engines) results.push(await run(engine, users, versions, audits));
  process.stdout.write(
    `${JSON.stringify({ users, versions, auditsPerSnapshot: audits, targetMs: TARGET_MS, results }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
