import type { BackupProgressEvent, BackupRunSummary, ObjectTypeKey } from '@entra-backup/common';
import { BackupService } from '../../src/modules/backup';
import {
  type BackupEngineHarness,
  CONTRACT_APP,
  startBackupEngineHarness,
} from '../support/backup-engine-harness';
import { testDatabases } from '../support/test-database';

const LOG_TYPES: ObjectTypeKey[] = ['signInLogs', 'auditLogs'];
const NEW_SIGN_INS = 40;
const NEW_AUDITS = 12;

describe.each(testDatabases())('figures of a backup run of the log types on %s', (engine) => {
  jest.setTimeout(120_000);
  let h: BackupEngineHarness;
  let tenantId: string;
  let first: BackupRunSummary;
  let incremental: BackupRunSummary;
  /** Entries the incremental run read from Graph, per type. */
  const read: Partial<Record<ObjectTypeKey, number>> = {};

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 12, pageSizeLimit: 10, engine });
    tenantId = h.tenants[0]!;
    h.consent(tenantId, CONTRACT_APP.requiredAppRoles);
    const backup = (onProgress?: (event: BackupProgressEvent) => void) =>
      h.app.get(BackupService).runBackup(tenantId, {
        types: LOG_TYPES,
        trigger: 'cli',
        actor: 'cli:test',
        ...(onProgress ? { onProgress } : {}),
      });
    first = await backup();
    h.clock.advance(5 * 60_000);
    await h.change(tenantId, { action: 'generateSignIns', count: NEW_SIGN_INS });
    await h.change(tenantId, { action: 'generateAudits', count: NEW_AUDITS });
    h.clock.advance(5 * 60_000);
    incremental = await backup((event) => {
      if (event.kind === 'type-finished') read[event.type] = event.read;
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('adds every entry of the first run', () => {
    expect(first.status).toBe('completed');
    for (const type of LOG_TYPES) {
      const result = first.types[type]!;
      expect(result.objects).toBeGreaterThan(0);
      expect(result).toMatchObject({ status: 'succeeded', added: result.objects, changed: 0, removed: 0 });
    }
  });

  it('adds only the new entries in an incremental run, not those its overlap read again', () => {
    expect(incremental).toMatchObject({ mode: 'incremental', status: 'completed' });
    // The run re-read entries stored before (at least the one at the watermark).
    expect(read.signInLogs).toBeGreaterThan(NEW_SIGN_INS);
    expect(read.auditLogs).toBeGreaterThan(NEW_AUDITS);
    expect(incremental.types.signInLogs).toMatchObject({
      status: 'succeeded',
      objects: first.types.signInLogs!.objects + NEW_SIGN_INS,
      added: NEW_SIGN_INS,
      changed: 0,
      removed: 0,
    });
    expect(incremental.types.auditLogs).toMatchObject({
      status: 'succeeded',
      objects: first.types.auditLogs!.objects + NEW_AUDITS,
      added: NEW_AUDITS,
      changed: 0,
      removed: 0,
    });
  });

  it('keeps the objects of a log type equal to the snapshot counts', async () => {
    expect(incremental.counts).toEqual({
      signInLogs: incremental.types.signInLogs!.objects,
      auditLogs: incremental.types.auditLogs!.objects,
    });
    const run = await h.app.get(BackupService).getRun(incremental.runId);
    expect(run.summary?.types).toEqual(incremental.types);
  });
});
