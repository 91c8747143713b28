import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../src/config/app-config';
import { SERVICE_STOPPING_REASON } from '../../src/core/lifecycle/in-flight-runs';
import { BackupService } from '../../src/modules/backup';
import { requiredAppRoles } from '../../src/modules/exporters';
import { RestoreService } from '../../src/modules/restore/restore.service';
import { buildDataSourceOptions } from '../../src/persistence/data-source-options';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';

/*
 * Closing the application (SIGTERM in the server) while a backup or a restore runs: the run is
 * aborted and, before the database closes, recorded as not completed (its snapshot discarded) with
 * the tenant's lease released. The database is opened again afterwards to read what was recorded,
 * so SQLite only (the PostgreSQL test schema goes with the harness).
 */
jest.setTimeout(120_000);

/** Settles with the run's result, or the message it failed with. */
function outcomeOf(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => 'completed',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

/** The harness's database, opened again after its application closed. */
async function reopen(h: BackupEngineHarness): Promise<DataSource> {
  const dataSource = new DataSource(
    buildDataSourceOptions(loadAppConfig({ ENTRA_BACKUP_DATA_DIR: join(h.dataDir, 'data') }).database),
  );
  return dataSource.initialize();
}

describe(`${BackupService.name} when the application closes`, () => {
  let h: BackupEngineHarness;
  let reopened: DataSource | undefined;

  beforeAll(async () => {
    // Small pages: the run is still reading when the close arrives, never already committing.
    h = await startBackupEngineHarness({ usersPerTenant: 60, pageSizeLimit: 5 });
    h.consent(h.tenants[0]!, requiredAppRoles());
  });

  afterAll(async () => {
    await reopened?.destroy();
    await h?.close();
  });

  it('aborts a running backup and records it interrupted, with nothing visible and the lease released', async () => {
    const tenantId = h.tenants[0]!;
    let closing: Promise<void> | undefined;
    const run = h.app.get(BackupService).runBackup(tenantId, {
      types: ['users'],
      full: true,
      trigger: 'manual',
      actor: 'api',
      onProgress: (event) => {
        if (event.kind === 'type-progress') closing ??= h.app.close();
      },
    });

    await expect(outcomeOf(run)).resolves.toBe(SERVICE_STOPPING_REASON);
    expect(closing).toBeDefined();
    await closing;

    reopened = await reopen(h);
    const runs = await reopened.query<Array<{ id: string; status: string; reason: string }>>(
      `SELECT "id", "status", "reason" FROM "backup_run" WHERE "tenant_id" = ?`,
      [tenantId],
    );
    expect(runs).toEqual([
      {
        id: expect.any(String),
        status: 'interrupted',
        reason: `The backup stopped: ${SERVICE_STOPPING_REASON}`,
      },
    ]);
    const runId = runs[0]!.id;
    await expect(
      reopened.query(`SELECT "status" FROM "snapshot" WHERE "run_id" = ?`, [runId]),
    ).resolves.toEqual([{ status: 'interrupted' }]);
    await expect(
      reopened.query(`SELECT "status", "reason", "summary" FROM "backup_run_report" WHERE "run_id" = ?`, [
        runId,
      ]),
    ).resolves.toEqual([{ status: 'interrupted', reason: SERVICE_STOPPING_REASON, summary: null }]);
    await expect(
      reopened.query(`SELECT "tenant_id" FROM "backup_lease" WHERE "tenant_id" = ?`, [tenantId]),
    ).resolves.toEqual([]);
  });
});

describe(`${RestoreService.name} when the application closes`, () => {
  let h: BackupEngineHarness;
  let reopened: DataSource | undefined;

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 60, pageSizeLimit: 5 });
    h.consent(h.tenants[0]!, requiredAppRoles());
  });

  afterAll(async () => {
    await reopened?.destroy();
    await h?.close();
  });

  it('aborts a running restore and records it interrupted, to be resumed at the next start', async () => {
    const tenantId = h.tenants[0]!;
    const backup = await h.app
      .get(BackupService)
      .runBackup(tenantId, { types: ['users'], trigger: 'cli', actor: 'cli:test' });
    const user = (await h.truth(tenantId, 'users'))[2]!;
    await h.graph.forTenant(tenantId).patch(`/users/${String(user['id'])}`, { jobTitle: 'Changed' });
    const restores = h.app.get(RestoreService);
    const plan = await restores.createPlan(
      tenantId,
      { snapshotId: backup.snapshotId!, types: ['users'] },
      { actor: 'cli:test' },
    );
    let closing: Promise<void> | undefined;
    const run = restores.executePlan(tenantId, plan.planId, {
      actor: 'cli:test',
      onProgress: (event) => {
        if (event.kind === 'restore-started') closing ??= h.app.close();
      },
    });

    await expect(outcomeOf(run)).resolves.toBe(SERVICE_STOPPING_REASON);
    await closing;

    reopened = await reopen(h);
    await expect(
      reopened.query(`SELECT "status", "reason" FROM "restore_run" WHERE "plan_id" = ?`, [plan.planId]),
    ).resolves.toEqual([
      { status: 'interrupted', reason: `The restore stopped: ${SERVICE_STOPPING_REASON}` },
    ]);
    // The plan's read of the target completed; the backup the restore takes before its first
    // write stopped with it.
    await expect(
      reopened.query(
        `SELECT "status" FROM "backup_run_report" WHERE "trigger" = 'restore' ORDER BY "started_at"`,
      ),
    ).resolves.toEqual([{ status: 'completed' }, { status: 'interrupted' }]);
    await expect(
      reopened.query(`SELECT "tenant_id" FROM "backup_lease" WHERE "tenant_id" = ?`, [tenantId]),
    ).resolves.toEqual([]);
  });
});
