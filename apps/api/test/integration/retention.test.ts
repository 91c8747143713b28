import { DEFAULT_RETENTION_POLICY, type PruneFigures, type PruneRunResponse } from '@entra-backup/common';
import { DataSource } from 'typeorm';
import { BackupService } from '../../src/modules/backup';
import { BackupReaderService, BackupWriterService } from '../../src/modules/backup-storage';
import { canonicalJson } from '../../src/modules/backup-storage/codec/canonical-json';
import { requiredAppRoles } from '../../src/modules/exporters';
import { RestoreService } from '../../src/modules/restore/restore.service';
import { RetentionModule } from '../../src/modules/retention/retention.module';
import { RetentionService } from '../../src/modules/retention/retention.service';
import { BackupBlobEntity } from '../../src/persistence/entities';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';
import { testDatabases } from '../support/test-database';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const DAYS = 400;
/** Day 1, 02:00 UTC; day 400 is 7 Dec 2026. */
const FIRST_DAY = Date.parse('2025-11-03T02:00:00.000Z');
/** Days with a real backup of the emulated tenant (users); the others get a cheap incremental snapshot. */
const REAL_DAYS = new Set([1, 60, 99, 100, 101, 200, 300, 396, 397, 398, 399, 400]);
const USER_DELETED_ON_DAY = 100;
const KILLS = 10;

const dayTime = (day: number) => FIRST_DAY + (day - 1) * DAY;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A small deterministic generator, so a failing sequence of kill points replays with PRUNE_KILL_SEED. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

/**
 * The default policy worked out by hand for one snapshot a day (independently of the code under
 * test): the last 30 days; the Sunday of each ISO week younger than 12 weeks; the last day of each
 * month since the same day 12 months ago; and the newest.
 */
function expectedKeptDays(now: number): string[] {
  const twelveMonthsAgo = Date.UTC(2025, 11, 7, 3);
  const kept: string[] = [];
  for (let day = 1; day <= DAYS; day++) {
    const at = dayTime(day);
    const date = new Date(at);
    const age = now - at;
    const sunday = date.getUTCDay() === 0;
    const monthEnd = new Date(at + DAY).getUTCDate() === 1;
    if (age < 30 * DAY || (sunday && age < 84 * DAY) || (monthEnd && at >= twelveMonthsAgo) || day === DAYS)
      kept.push(isoDay(at));
  }
  return kept;
}

const churn = (day: number) => ({ id: 'churn-user', displayName: `Churn ${day}`, day });

function sumFigures(runs: readonly PruneRunResponse[]): PruneFigures {
  const total: PruneFigures = { snapshots: 0, objectVersions: 0, logEntries: 0, blobs: 0, bytes: 0 };
  for (const run of runs) {
    for (const key of Object.keys(total) as Array<keyof PruneFigures>) total[key] += run.freed[key];
  }
  return total;
}

describe.each(testDatabases())(
  'Retention over 400 days of snapshots on the emulator clock (%s)',
  (engine) => {
    let h: BackupEngineHarness;
    let tenant: string;
    let sut: RetentionService;
    let reader: BackupReaderService;
    let database: DataSource;
    let deletedUser: string;
    let other: string;
    const snapshotOfDay = new Map<string, string>();

    beforeAll(async () => {
      h = await startBackupEngineHarness({
        usersPerTenant: 10,
        engine,
        virtualAppClock: true,
        imports: [RetentionModule],
      });
      tenant = h.tenants[0]!;
      h.consent(tenant, requiredAppRoles());
      sut = h.app.get(RetentionService);
      reader = h.app.get(BackupReaderService);
      database = h.app.get(DataSource);
      const writer = h.app.get(BackupWriterService);
      const backups = h.app.get(BackupService);

      for (let day = 1; day <= DAYS; day++) {
        h.clock.set(dayTime(day));
        if (day === USER_DELETED_ON_DAY) {
          const users = await h.truth(tenant, 'users');
          deletedUser = String(users.find((u) => u['onPremisesSyncEnabled'] !== true)!['id']);
          await h.change(tenant, { action: 'delete', collection: 'users', id: deletedUser });
        }
        if (REAL_DAYS.has(day)) {
          const summary = await backups.runBackup(tenant, {
            types: ['users'],
            trigger: 'cli',
            actor: 'cli:test',
            full: true,
          });
          expect(summary.status).toBe('completed');
          snapshotOfDay.set(isoDay(dayTime(day)), summary.snapshotId!);
          continue;
        }
        // A cheap snapshot through the storage layer: one object that changes every day (a version
        // and a blob per day for retention to free), one that flips between two contents every day
        // (versions to free whose blobs kept snapshots still use), and one audit entry a day.
        const snapshot = await writer.beginSnapshot(tenant, {
          mode: 'incremental',
          types: ['users', 'auditLogs'],
        });
        await snapshot.put('users', 'users', churn(day));
        await snapshot.put('users', 'users', { id: 'flip-user', displayName: `Flip ${day % 2}` });
        await snapshot.appendLogs('auditLogs', 'directoryAudits', [
          { id: `audit-${day}`, activityDateTime: new Date(dayTime(day)).toISOString(), day },
        ]);
        await snapshot.completeType('users');
        await snapshot.completeType('auditLogs');
        const committed = await snapshot.commit();
        snapshotOfDay.set(isoDay(dayTime(day)), committed.snapshotId!);
      }
      // The other tenant holds a payload equal to one of this tenant's expiring versions: blobs
      // are shared across tenants, so that blob must stay.
      other = h.tenants[1]!;
      const shared = await writer.beginSnapshot(other, { mode: 'full', types: ['users'] });
      await shared.put('users', 'users', churn(5));
      await shared.completeType('users');
      await shared.commit();
      h.clock.set(dayTime(DAYS) + 3_600_000);
    });

    afterAll(async () => {
      await h?.close();
    });

    async function visibleDays(): Promise<string[]> {
      const ids = new Map([...snapshotOfDay].map(([day, id]) => [id, day]));
      const days: string[] = [];
      for (let offset = 0; ; offset += 200) {
        const page = await reader.listSnapshots(tenant, { limit: 200, offset });
        days.push(...page.items.map((s) => ids.get(s.id) ?? `unknown ${s.id}`));
        if (page.items.length < 200) return days.reverse();
      }
    }

    /** What each of the given snapshots holds (object types only: log retention legitimately trims logs). */
    async function contents(days: readonly string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      for (const day of days) {
        const lines: string[] = [];
        for await (const o of reader.objectsAt(tenant, snapshotOfDay.get(day)!, 'users'))
          lines.push(`${o.collection}/${o.id}:${canonicalJson(o.object)}`);
        out.set(day, lines.join('\n'));
      }
      return out;
    }

    async function storedBytes(): Promise<number> {
      return Number((await database.getRepository(BackupBlobEntity).sum('storedSize')) ?? 0);
    }

    it('keeps exactly what the default policy says, frees what the preview said, and survives 10 kills', async () => {
      const now = h.clock.now();
      const expected = expectedKeptDays(now);
      expect(expected).toHaveLength(48);
      expect(await visibleDays()).toHaveLength(DAYS);
      const keptBefore = await contents(expected);

      const preview = await sut.preview(tenant);
      expect(preview.policy).toEqual(DEFAULT_RETENTION_POLICY);
      expect(preview.snapshotsKept).toBe(48);
      expect(preview.snapshotsPruned.map((s) => isoDay(Date.parse(s.createdAt)))).toEqual(
        (await visibleDays()).filter((day) => !expected.includes(day)),
      );
      expect(preview.freed.snapshots).toBe(DAYS - 48);
      // Log entries older than a year (7 Dec 2025, 03:00): days 2 to 35 (day 1 had a real backup, no entry).
      expect(preview.freed.logEntries).toBe(34);
      expect(preview.freed.objectVersions).toBeGreaterThan(300);
      expect(preview.freed.bytes).toBeGreaterThan(0);
      const bytesBefore = await storedBytes();

      const seed = Number(process.env['PRUNE_KILL_SEED'] ?? Date.now() % 1_000_000);
      process.stdout.write(`retention kill test (${engine}): PRUNE_KILL_SEED=${seed}\n`);
      const random = randomSource(seed);
      const runs: PruneRunResponse[] = [];
      for (let attempt = 0; attempt < KILLS; attempt++) {
        const killAt = 1 + Math.floor(random() * 8);
        let steps = 0;
        const run = await sut.prune(tenant, {
          trigger: 'cli',
          by: 'cli:test',
          batchRows: 40,
          checkpoint: (step) => {
            steps += 1;
            if (steps === killAt) throw new Error(`killed at step ${steps} (${step})`);
          },
        });
        runs.push(run);
        const context = { seed, attempt, killAt, status: run.status, reason: run.reason };
        expect({ ...context, ok: run.status === 'failed' || run.status === 'completed' }).toEqual({
          ...context,
          ok: true,
        });
        const report = await reader.verify(tenant);
        expect({ ...context, damaged: report.damaged }).toEqual({ ...context, damaged: [] });
        expect({ ...context, kept: await contents(expected) }).toEqual({ ...context, kept: keptBefore });
      }
      const last = await sut.prune(tenant, { trigger: 'cli', by: 'cli:test' });
      expect(last.status).toBe('completed');
      runs.push(last);

      expect(await visibleDays()).toEqual(expected);
      expect(await contents(expected)).toEqual(keptBefore);
      expect(sumFigures(runs)).toEqual(preview.freed);
      expect(bytesBefore - (await storedBytes())).toBe(preview.freed.bytes);
      expect((await reader.verify(tenant)).ok).toBe(true);
      const otherReport = await reader.verify(other);
      expect(otherReport.damaged).toEqual([]);
      expect(otherReport.versionsChecked).toBe(1);
      // Nothing is left to prune.
      expect((await sut.preview(tenant)).freed).toEqual({
        snapshots: 0,
        objectVersions: 0,
        logEntries: 0,
        blobs: 0,
        bytes: 0,
      });
    });

    it('keeps a user deleted on day 100 restorable from the monthly snapshot that holds them', async () => {
      const latest = await reader.getSnapshot(tenant, 'latest');
      expect(await reader.getObjectAt(tenant, latest.id, 'users', 'users', deletedUser)).toBeNull();
      // 31 Jan 2026 (day 90) is the newest monthly snapshot from before the deletion.
      const monthly = snapshotOfDay.get('2026-01-31')!;
      const held = (await reader.getObjectAt(tenant, monthly, 'users', 'users', deletedUser)) as {
        id: string;
      };
      expect(held.id).toBe(deletedUser);

      const plan = await h.app
        .get(RestoreService)
        .createPlan(
          tenant,
          { snapshotId: monthly, types: ['users'], ids: [deletedUser] },
          { actor: 'cli:test' },
        );
      const actions = await h.app
        .get(RestoreService)
        .listPlanActions(tenant, plan.planId, { page: 1, pageSize: 50 });
      expect(
        actions.items.some((a) => a.id === deletedUser && ['restoreDeleted', 'recreate'].includes(a.action)),
      ).toBe(true);

      // A year later the policy lets the January snapshot go, but the unfinished restore plan pins it.
      h.clock.set(dayTime(DAYS) + 400 * DAY);
      const pinned = await sut.prune(tenant, { trigger: 'cli', by: 'cli:test' });
      expect(pinned.status).toBe('completed');
      expect(await reader.getObjectAt(tenant, monthly, 'users', 'users', deletedUser)).toMatchObject({
        id: deletedUser,
      });
    });
  },
);
