import { CSRF_HEADER } from '@entra-backup/common';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { BackupService } from '../../apps/api/src/modules/backup/backup.service';
import { SchedulerService } from '../../apps/api/src/modules/scheduler/scheduler.service';
import { type EmulatorTestApp, grantConsent, signIn, startAppWithEmulator } from './support/emulator-app';

jest.setTimeout(120_000);

describe('Scheduler and manual triggers with the real backup service (e2e)', () => {
  let env: EmulatorTestApp;

  beforeEach(async () => {
    env = await startAppWithEmulator();
  });

  afterEach(async () => {
    await env.close();
  });

  it('starts exactly one run when the scheduler and two manual triggers race, then completes it', async () => {
    const admin = await signIn(env, env.admin);
    await grantConsent(env, admin);
    await admin.agent
      .put(`/api/tenants/${env.tenantId}/settings`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ enabledTypes: { users: true, groups: true } })
      .expect(200);
    const scheduler = env.app.get(SchedulerService);
    const backups = env.app.get(BackupService);
    const schedule = await admin.agent.get(`/api/tenants/${env.tenantId}/schedule`).expect(200);
    expect(schedule.body).toMatchObject({ active: true, intervalHours: 12 });
    // Make the first scheduled run due now.
    await env.app
      .get(DataSource)
      .query(`UPDATE "backup_schedule" SET "next_run_at" = ? WHERE "tenant_id" = ?`, [
        new Date(Date.now() - 1000).toISOString(),
        env.tenantId,
      ]);

    const results = await Promise.allSettled([
      scheduler.tick(),
      backups.startBackup(env.tenantId, { trigger: 'manual', actor: `user:${env.admin.upn}` }),
      backups.startBackup(env.tenantId, { trigger: 'manual', actor: `user:${env.admin.upn}` }),
    ]);

    const [tick, ...manual] = results;
    const runIds = [
      ...(tick.status === 'fulfilled' ? tick.value.started.map((s) => s.runId) : []),
      ...manual.flatMap((r) => (r.status === 'fulfilled' ? [(r.value as { runId: string }).runId] : [])),
    ];
    expect(runIds).toHaveLength(1);
    for (const refused of manual.filter((r) => r.status === 'rejected')) {
      expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'BACKUP_ALREADY_RUNNING' });
    }

    const last = await lastValueFrom(backups.progress(runIds[0]!));
    expect(last.kind).toBe('run-finished');
    const runs = await backups.listRuns(env.tenantId);
    expect(runs.total).toBe(1);
    // Whoever started it, that first (full) run is the tenant's first full backup.
    const after = await admin.agent.get(`/api/tenants/${env.tenantId}/schedule`).expect(200);
    expect(after.body).toMatchObject({ firstFullBackupDueBy: null, lastFullBackupAt: expect.any(String) });
  });
});
