import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupLab, parseSummary } from './support/backup-lab';
import { ChaosSeed } from './support/chaos-seed';
import { EmulatorControl } from './support/emulator-control';

jest.setTimeout(240_000);

/** Log types: their content depends on when they are read (a sliding retention window). */
const LOG_FILES = new Set(['signInLogs.jsonl', 'auditLogs.jsonl']);
const THIRTY_DAYS_MS = 30 * 24 * 3_600_000;

interface ExportedDir {
  readonly files: Map<string, string>;
}

interface BackupExport {
  readonly exported: ExportedDir;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly summary: ReturnType<typeof parseSummary>;
}

/** The exported files; the manifest (which names its snapshot) must report a complete export. */
async function readExport(dir: string): Promise<ExportedDir> {
  const files = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(join(dir, name), 'utf8'));
  const manifest = JSON.parse(files.get('manifest.json') ?? 'null') as { missingTypes?: unknown } | null;
  expect(manifest?.missingTypes).toEqual([]);
  files.delete('manifest.json');
  return { files };
}

/** Log entries inside [from, to], minus the audits the backups themselves caused (BitLocker key reads). */
function logWindow(text: string, from: number, to: number): string[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .filter((line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      const at = Date.parse(String(entry['createdDateTime'] ?? entry['activityDateTime']));
      return at >= from && at <= to && entry['activityDisplayName'] !== 'Read BitLocker key';
    });
}

describe('Backup under Graph faults', () => {
  let lab: BackupLab;
  let control: EmulatorControl;
  const dirs: string[] = [];

  beforeAll(async () => {
    lab = await BackupLab.start({ users: 1200 });
    control = new EmulatorControl(lab.emulator);
  });

  afterAll(async () => {
    await control.close();
    await lab.dispose(...dirs);
  });

  async function newDataDir(): Promise<string> {
    const dataDir = await lab.newDataDir();
    dirs.push(dataDir);
    await lab.registerTenant('all', dataDir);
    return dataDir;
  }

  /** A backup (incremental once a snapshot exists) into `dataDir`, exported with its secrets. */
  async function backupAndExport(dataDir: string): Promise<BackupExport> {
    const out = await mkdtemp(join(tmpdir(), 'entra-backup-export-'));
    dirs.push(out);
    const startedAt = lab.emulator.clock.now();
    const backup = await lab.run(['backup', lab.tenantId, '--json'], dataDir);
    const finishedAt = lab.emulator.clock.now();
    expect({
      code: backup.code,
      stderr: backup.stderr.split('\n').filter((l) => l.startsWith('error') || l.includes('failed')),
    }).toEqual({ code: 0, stderr: [] });
    const exported = await lab.run(['export', lab.tenantId, '--out', out, '--include-secrets'], dataDir);
    expect(exported.code).toBe(0);
    return { exported: await readExport(out), startedAt, finishedAt, summary: parseSummary(backup.stdout) };
  }

  /** The faulty run's export equals the clean one's; log files within the window both could see. */
  function expectSameExport(context: string, clean: BackupExport, faulty: BackupExport): void {
    expect({ context, files: [...faulty.exported.files.keys()] }).toEqual({
      context,
      files: [...clean.exported.files.keys()],
    });
    expect(clean.exported.files.size).toBeGreaterThanOrEqual(14);
    for (const [name, cleanText] of clean.exported.files) {
      const faultyText = faulty.exported.files.get(name)!;
      if (LOG_FILES.has(name)) {
        // Both runs saw the same events in the window both could see.
        const from = faulty.startedAt - THIRTY_DAYS_MS + 3_600_000;
        const to = clean.startedAt;
        const expected = logWindow(cleanText, from, to);
        expect(expected.length).toBeGreaterThan(0);
        expect({ context, name, entries: logWindow(faultyText, from, to) }).toEqual({
          context,
          name,
          entries: expected,
        });
      } else {
        expect({ context, name, text: faultyText }).toEqual({ context, name, text: cleanText });
      }
    }
  }

  it('exports exactly what a fault-free run exports, full and incremental, and never retries before Retry-After', async () => {
    const chaos = ChaosSeed.fromEnvironment('test/robustness/fault-equivalence.test.ts');
    const cleanDir = await newDataDir();
    const faultyDir = await newDataDir();

    const clean = await backupAndExport(cleanDir);
    // The fault-free run met only the emulator's real throttling (the reports limit), no faults.
    expect(lab.emulator.counters.snapshot().faultsInjected).toBe(0);

    lab.emulator.faults.configure({
      seed: chaos.int('full run: fault seed', 1, 1_000_000),
      errorRate: 0.1,
      errorStatuses: [500, 503, 504],
      retryAfterSeconds: 1,
      storm: { requests: 12, retryAfterSeconds: 1 },
      expiredPageTokenNth: 1,
    });
    lab.emulator.counters.reset();
    const faulty = await backupAndExport(faultyDir);
    const counters = lab.emulator.counters.snapshot();
    lab.emulator.faults.configure({});

    // The faults really happened: injected 5xx, a 429 storm, an expired page token.
    const context = `${chaos.context} (full runs)`;
    expect({ context, faults: counters.faultsInjected > 5 }).toEqual({ context, faults: true });
    expect(counters.throttled).toBeGreaterThanOrEqual(12);
    expect(counters.statuses['400']).toBeGreaterThanOrEqual(1);
    expect(faulty.summary['retries']).toBeGreaterThan(Number(clean.summary['retries']) + 5);
    // No request went to a throttled (or 503) scope before its Retry-After had passed.
    expect({ context, earlyRetries: counters.earlyRetries }).toEqual({ context, earlyRetries: 0 });
    expectSameExport(context, clean, faulty);

    // The tenant changes; both back up incrementally, the second under other faults.
    const users = await control.truth(lab.tenantId, 'users');
    const groups = await control.truth(lab.tenantId, 'groups');
    const group = groups.find((g) => (g['members'] as unknown[] | undefined)?.length)!;
    await control.change(lab.tenantId, {
      action: 'update',
      collection: 'users',
      id: users[chaos.int('incremental: user updated', 0, 99)]!['id'],
      patch: { jobTitle: 'Changed between the runs' },
    });
    await control.change(lab.tenantId, {
      action: 'delete',
      collection: 'users',
      id: users[chaos.int('incremental: user deleted', 100, 199)]!['id'],
    });
    await control.change(lab.tenantId, {
      action: 'removeMember',
      id: group['id'],
      memberId: (group['members'] as Array<{ id: string }>)[0]!.id,
    });
    await control.change(lab.tenantId, { action: 'changePercent', collection: 'users', percent: 2 });

    const cleanIncremental = await backupAndExport(cleanDir);
    expect(cleanIncremental.summary['mode']).toBe('incremental');
    lab.emulator.faults.configure({
      seed: chaos.int('incremental run: fault seed', 1, 1_000_000),
      errorRate: 0.2,
      errorStatuses: [500, 503, 504],
      retryAfterSeconds: 1,
      storm: { requests: 6, retryAfterSeconds: 1 },
    });
    lab.emulator.counters.reset();
    const faultyIncremental = await backupAndExport(faultyDir);
    const incrementalCounters = lab.emulator.counters.snapshot();
    lab.emulator.faults.configure({});

    const incrementalContext = `${chaos.context} (incremental runs)`;
    expect(faultyIncremental.summary['mode']).toBe('incremental');
    expect({ context: incrementalContext, faults: incrementalCounters.faultsInjected > 0 }).toEqual({
      context: incrementalContext,
      faults: true,
    });
    expect(incrementalCounters.throttled).toBeGreaterThanOrEqual(6);
    expect({ context: incrementalContext, earlyRetries: incrementalCounters.earlyRetries }).toEqual({
      context: incrementalContext,
      earlyRetries: 0,
    });
    expectSameExport(incrementalContext, cleanIncremental, faultyIncremental);
  });
});
