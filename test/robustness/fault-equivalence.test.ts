import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupLab, parseSummary } from './support/backup-lab';

jest.setTimeout(240_000);

/** Log types: their content depends on when they are read (a sliding retention window). */
const LOG_FILES = new Set(['signInLogs.jsonl', 'auditLogs.jsonl']);
const THIRTY_DAYS_MS = 30 * 24 * 3_600_000;

interface ExportedDir {
  readonly files: Map<string, string>;
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
  const dirs: string[] = [];

  beforeAll(async () => {
    lab = await BackupLab.start({ users: 1200 });
  });

  afterAll(async () => {
    await lab.dispose(...dirs);
  });

  async function backupAndExport(): Promise<{
    exported: ExportedDir;
    startedAt: number;
    finishedAt: number;
    summary: ReturnType<typeof parseSummary>;
  }> {
    const dataDir = await lab.newDataDir();
    const out = await mkdtemp(join(tmpdir(), 'entra-backup-export-'));
    dirs.push(dataDir, out);
    await lab.registerTenant('all', dataDir);
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

  it('exports exactly what a fault-free run exports, and never retries before Retry-After', async () => {
    const clean = await backupAndExport();
    // The fault-free run met only the emulator's real throttling (the reports limit), no faults.
    expect(lab.emulator.counters.snapshot().faultsInjected).toBe(0);

    lab.emulator.faults.configure({
      seed: 11,
      errorRate: 0.1,
      errorStatuses: [500, 503, 504],
      retryAfterSeconds: 1,
      storm: { requests: 12, retryAfterSeconds: 1 },
      expiredPageTokenNth: 1,
    });
    lab.emulator.counters.reset();
    const faulty = await backupAndExport();
    const counters = lab.emulator.counters.snapshot();

    // The faults really happened: injected 5xx, a 429 storm, an expired page token.
    expect(counters.faultsInjected).toBeGreaterThan(5);
    expect(counters.throttled).toBeGreaterThanOrEqual(12);
    expect(counters.statuses['400']).toBeGreaterThanOrEqual(1);
    expect(faulty.summary['retries']).toBeGreaterThan(Number(clean.summary['retries']) + 5);
    // No request went to a throttled (or 503) scope before its Retry-After had passed.
    expect(counters.earlyRetries).toBe(0);

    expect([...faulty.exported.files.keys()]).toEqual([...clean.exported.files.keys()]);
    expect(clean.exported.files.size).toBeGreaterThanOrEqual(14);
    for (const [name, cleanText] of clean.exported.files) {
      const faultyText = faulty.exported.files.get(name)!;
      if (LOG_FILES.has(name)) {
        // Both runs saw the same events in the window both could see.
        const from = faulty.startedAt - THIRTY_DAYS_MS + 3_600_000;
        const to = clean.startedAt;
        const expected = logWindow(cleanText, from, to);
        expect(expected.length).toBeGreaterThan(0);
        expect(logWindow(faultyText, from, to)).toEqual(expected);
      } else {
        expect({ name, text: faultyText }).toEqual({ name, text: cleanText });
      }
    }
  });
});
