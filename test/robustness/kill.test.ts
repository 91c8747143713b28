import type { ChildProcess } from 'node:child_process';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { buildDataSourceOptions } from '../../apps/api/src/persistence/data-source-options';
import { BackupLab, collect, parseSummary } from './support/backup-lab';
import { ChaosSeed } from './support/chaos-seed';

jest.setTimeout(300_000);

/** Every type but the logs: the reports throttle (5 requests / 10 s) would only add waiting. */
const TYPES =
  'users,groups,builtInRoles,customRoles,appRegistrations,enterpriseApps,conditionalAccessPolicies,' +
  'devices,deviceConfigurations,deviceCompliancePolicies,adminUnits,bitlockerKeys';
const KILLS = 10;
/** Added latency stretches a run over a few seconds, so kills land in every phase. */
const LATENCY = { latencyMs: 15, latencyJitterMs: 30 };

/**
 * Lines every run prints whatever its timing: a type started, a type finished (progress lines in
 * between are time-based and vary). A run commits only after its last type finished.
 */
const MILESTONE = /^[A-Za-z]+: (started|succeeded|failed|skipped)\b/gm;
const STARTS = TYPES.split(',').length;
const MILESTONES = 2 * STARTS;

const milestonesIn = (text: string): number => text.match(MILESTONE)?.length ?? 0;

interface SnapshotItem {
  readonly snapshotId: string;
  readonly status: string;
  readonly counts: Record<string, number>;
}

describe('Backup killed at random points', () => {
  let lab: BackupLab;
  let database: DataSource;

  beforeAll(async () => {
    lab = await BackupLab.start({ users: 600, faults: LATENCY });
    await lab.registerTenant(TYPES);
    const config = loadAppConfig({ ENTRA_BACKUP_DATA_DIR: lab.dataDir });
    database = new DataSource(buildDataSourceOptions(config.database));
    await database.initialize();
  });

  afterAll(async () => {
    await database.destroy();
    await lab.dispose();
  });

  async function visibleSnapshots(): Promise<SnapshotItem[]> {
    const listed = await lab.run(['snapshots', lab.tenantId, '--json', '--limit', '200']);
    expect(listed.code).toBe(0);
    return (JSON.parse(listed.stdout) as { items: SnapshotItem[] }).items;
  }

  /** Whether the tenant's lease is still live and held by the given (killed) process. */
  async function leaseHeldBy(pid: number | undefined): Promise<boolean> {
    const rows = (await database.query(
      `SELECT "holder_id", "expires_at" FROM "backup_lease" WHERE "tenant_id" = ?`,
      [lab.tenantId],
    )) as Array<{ holder_id: string; expires_at: string }>;
    const lease = rows[0];
    return (
      lease !== undefined &&
      lease.holder_id.split(':').at(-2) === String(pid) &&
      lease.expires_at > new Date().toISOString()
    );
  }

  /**
   * Kills the run once it printed its `milestone`-th milestone line, after `delayMs`. Kill points
   * follow the run's progress, not a guess of its duration: a kill before the last milestone
   * always lands while a type is still being read (incremental runs are short, so time-based
   * points drawn from an earlier run's duration often landed after the run had ended).
   */
  function killAtMilestone(child: ChildProcess, milestone: number, delayMs: number): () => void {
    let seen = '';
    let timer: NodeJS.Timeout | undefined;
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (timer !== undefined || milestonesIn(seen) < milestone) return;
      timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    };
    child.stderr?.on('data', onData);
    return () => {
      child.stderr?.off('data', onData);
      clearTimeout(timer);
    };
  }

  it('never shows a snapshot that claims data it lacks, and the next run succeeds', async () => {
    const chaos = ChaosSeed.fromEnvironment('test/robustness/kill.test.ts');
    const context = chaos.context;
    lab.emulator.faults.configure({ ...LATENCY, seed: chaos.int('latency seed', 1, 1_000_000) });

    // A first complete run: the complete tenant every visible snapshot must hold.
    const first = await lab.spawnToEnd(['backup', lab.tenantId, '--json']);
    expect({ context, code: first.code, stderr: first.stderr.includes('error') ? first.stderr : '' }).toEqual(
      { context, code: 0, stderr: '' },
    );
    const firstSummary = parseSummary(first.stdout);
    expect(milestonesIn(first.stderr)).toBe(MILESTONES);
    const completeCounts = (await visibleSnapshots())[0]!.counts;
    expect(completeCounts['users']).toBe(600);
    const legitimate = new Set<string>([firstSummary.snapshotId!]);
    let killed = 0;
    let killedMidRun = 0;
    let killedAfterCommit = 0;
    let killedWithLiveLease = 0;

    for (let attempt = 0; attempt < KILLS; attempt++) {
      // Full and incremental runs alternate; both are killed at any of their milestones. At the last
      // one the run is committing (a kill may land before, during or after the commit).
      const mode = attempt % 2 === 0 ? 'full' : 'incremental';
      const argv = ['backup', lab.tenantId, '--json', ...(mode === 'full' ? ['--full'] : [])];
      // Types start one after another while the run reads; they end together, after the run's
      // consequence phase, just before the commit. So most kills follow a type's start (mid-run),
      // and every fifth follows the last milestone (around the commit).
      const milestone =
        attempt % 5 === 4
          ? MILESTONES
          : chaos.int(`attempt ${attempt} (${mode}): kill after milestone`, 1, STARTS);
      const delay = chaos.int(
        `attempt ${attempt} (${mode}): then after ms`,
        0,
        milestone === MILESTONES ? 40 : 5,
      );
      const child = lab.spawn(argv);
      const done = collect(child);
      const stop = killAtMilestone(child, milestone, delay);
      const result = await done;
      stop();
      // A run that had not printed its last milestone cannot have committed: it must have been killed.
      const midRun = milestonesIn(result.stderr) < MILESTONES;
      if (midRun) killedMidRun += 1;

      const snapshots = await visibleSnapshots();
      if (result.code === 0) {
        expect({ context, attempt, milestone, delay, midRun }).toEqual({
          context,
          attempt,
          milestone,
          delay,
          midRun: false,
        });
        legitimate.add(parseSummary(result.stdout).snapshotId!);
      } else {
        killed += 1;
        expect({ context, attempt, milestone, delay, code: result.code }).toEqual({
          context,
          attempt,
          milestone,
          delay,
          code: 128,
        });
        // A kill that lands after the commit but before the process printed its summary leaves that
        // run's snapshot: at most one new snapshot, and (checked below) it must hold the complete tenant.
        const committedBeforeKill = snapshots.filter((snapshot) => !legitimate.has(snapshot.snapshotId));
        expect({ context, attempt, milestone, delay, newSnapshots: committedBeforeKill.length }).toEqual({
          context,
          attempt,
          milestone,
          delay,
          newSnapshots: midRun ? 0 : expect.any(Number),
        });
        expect(committedBeforeKill.length).toBeLessThanOrEqual(1);
        for (const snapshot of committedBeforeKill) legitimate.add(snapshot.snapshotId);
        killedAfterCommit += committedBeforeKill.length;
      }

      // No snapshot but those of runs that committed; each holds the complete tenant.
      for (const snapshot of snapshots) {
        expect({
          context,
          attempt,
          delay,
          id: snapshot.snapshotId,
          known: legitimate.has(snapshot.snapshotId),
        }).toEqual({
          context,
          attempt,
          delay,
          id: snapshot.snapshotId,
          known: true,
        });
        expect({ context, status: snapshot.status, counts: snapshot.counts }).toEqual({
          context,
          status: 'complete',
          counts: completeCounts,
        });
      }
      const verified = await lab.run(['verify', lab.tenantId]);
      expect({ context, attempt, code: verified.code, stderr: verified.stderr }).toEqual({
        context,
        attempt,
        code: 0,
        stderr: '',
      });

      // The dead run's lease still stands, but its holder was a process of this host that no longer
      // exists: the next run takes it over at once instead of waiting out the TTL.
      if (result.code !== 0 && (await leaseHeldBy(child.pid))) killedWithLiveLease += 1;
    }
    // Kills after a type's start land while the run works (8 of 10 attempts).
    expect({ context, killedMidRun: killedMidRun >= Math.ceil(KILLS / 2) }).toEqual({
      context,
      killedMidRun: true,
    });
    expect(killedWithLiveLease).toBeGreaterThanOrEqual(1);

    const next = await lab.spawnToEnd(['backup', lab.tenantId, '--json']);
    expect({ context, code: next.code }).toEqual({ context, code: 0 });
    const summary = parseSummary(next.stdout);
    expect(summary.status).toBe('completed');
    expect((await visibleSnapshots())[0]).toMatchObject({
      snapshotId: summary.snapshotId,
      status: 'complete',
      counts: completeCounts,
    });
    // Every run killed before its commit was found at a later start-up and marked interrupted (one
    // killed after its commit ended complete); none is left running.
    const runs = (await database.query(
      `SELECT "status", COUNT(*) AS "n" FROM "backup_run" GROUP BY "status"`,
    )) as Array<{ status: string; n: number }>;
    const byStatus = Object.fromEntries(runs.map((r) => [r.status, Number(r.n)]));
    expect(byStatus['running']).toBeUndefined();
    expect(byStatus['interrupted'] ?? 0).toBeGreaterThanOrEqual(killed - killedAfterCommit);
  });
});
