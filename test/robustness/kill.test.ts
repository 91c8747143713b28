import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { buildDataSourceOptions } from '../../apps/api/src/persistence/data-source-options';
import { BackupLab, collect, parseSummary } from './support/backup-lab';

jest.setTimeout(300_000);

/** Every type but the logs: the reports throttle (5 requests / 10 s) would only add waiting. */
const TYPES =
  'users,groups,builtInRoles,customRoles,appRegistrations,enterpriseApps,conditionalAccessPolicies,' +
  'devices,deviceConfigurations,deviceCompliancePolicies,adminUnits,bitlockerKeys';
const KILLS = 10;

/** A small deterministic generator, so a failing sequence of kill points can be replayed with KILL_SEED. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

interface SnapshotItem {
  readonly snapshotId: string;
  readonly status: string;
  readonly counts: Record<string, number>;
}

describe('Backup killed at random points', () => {
  let lab: BackupLab;
  let database: DataSource;

  beforeAll(async () => {
    // Added latency stretches a run over a few seconds, so kills land in every phase.
    lab = await BackupLab.start({ users: 600, faults: { latencyMs: 15, latencyJitterMs: 30 } });
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

  it('never shows a snapshot that claims data it lacks, and the next run succeeds', async () => {
    const seed = Number(process.env['KILL_SEED'] ?? Date.now() % 1_000_000);
    const random = randomSource(seed);
    const context = `KILL_SEED=${seed}`;

    // A first complete run gives the duration over which kill points are drawn.
    const first = await lab.spawnToEnd(['backup', lab.tenantId, '--json']);
    expect({ context, code: first.code, stderr: first.stderr.includes('error') ? first.stderr : '' }).toEqual(
      { context, code: 0, stderr: '' },
    );
    const firstSummary = parseSummary(first.stdout);
    // An incremental run takes a fraction of a full one: kill points are drawn over the duration
    // of the kind of run being killed, so both kinds are mostly killed while they work.
    const second = await lab.spawnToEnd(['backup', lab.tenantId, '--json']);
    expect({ context, code: second.code }).toEqual({ context, code: 0 });
    const secondSummary = parseSummary(second.stdout);
    const runMs = {
      full: Math.max(Number(firstSummary['durationMs']), 200),
      incremental: Math.max(Number(secondSummary['durationMs']), 200),
    };
    const completeCounts = (await visibleSnapshots())[0]!.counts;
    expect(completeCounts['users']).toBe(600);
    const legitimate = new Set<string>([firstSummary.snapshotId!, secondSummary.snapshotId!]);
    let killed = 0;
    let killedAfterCommit = 0;
    let killedWithLiveLease = 0;

    for (let attempt = 0; attempt < KILLS; attempt++) {
      const argv = ['backup', lab.tenantId, '--json', ...(attempt % 2 === 0 ? ['--full'] : [])];
      const child = lab.spawn(argv);
      const done = collect(child);
      // Draw the kill point from the moment the run has started (its first progress line).
      await new Promise<void>((resolve) => {
        const onData = (text: Buffer) => {
          if (text.toString().includes(' started')) {
            child.stderr?.off('data', onData);
            resolve();
          }
        };
        child.stderr?.on('data', onData);
        child.once('close', () => resolve());
      });
      const delay = Math.floor(random() * runMs[attempt % 2 === 0 ? 'full' : 'incremental'] * 1.1);
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const result = await done;
      clearTimeout(timer);

      const snapshots = await visibleSnapshots();
      if (result.code === 0) {
        legitimate.add(parseSummary(result.stdout).snapshotId!);
      } else {
        killed += 1;
        expect({ context, attempt, delay, code: result.code }).toEqual({
          context,
          attempt,
          delay,
          code: 128,
        });
        // A kill that lands after the commit but before the process printed its summary leaves that
        // run's snapshot: at most one new snapshot, and (checked below) it must hold the complete tenant.
        const committedBeforeKill = snapshots.filter((snapshot) => !legitimate.has(snapshot.snapshotId));
        expect({ context, attempt, delay, newSnapshots: committedBeforeKill.length <= 1 }).toEqual({
          context,
          attempt,
          delay,
          newSnapshots: true,
        });
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
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(KILLS / 2));
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
