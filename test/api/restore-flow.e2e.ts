import {
  backupRunListItemSchema,
  CSRF_HEADER,
  errorBodySchema,
  restoreActionPageSchema,
  restorePlanSummarySchema,
  restoreProgressEventSchema,
  restoreRunPageSchema,
  restoreRunSchema,
  restoreUndoSchema,
} from '@entra-backup/common';
import {
  type EmulatorTestApp,
  grantConsent,
  type SignedIn,
  signIn,
  startAppWithEmulator,
} from './support/emulator-app';
import { cookieOf, readEventStream } from './support/event-stream';

jest.setTimeout(120_000);

/**
 * A restore driven through the REST API as the portal and API clients drive it: back up, lose a
 * user for good, compute a plan, page its actions, execute it, follow its progress, read its
 * result and hand out the re-created user's temporary password exactly once.
 */
describe('A restore over REST, end to end (e2e)', () => {
  let env: EmulatorTestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    env = await startAppWithEmulator();
    admin = await signIn(env, env.admin);
    await grantConsent(env, admin);
  });

  afterAll(async () => {
    await env.close();
  });

  const tenant = () => `/api/tenants/${env.tenantId}`;
  const post = (path: string) => admin.agent.post(path).set(CSRF_HEADER, admin.csrfToken);

  async function backUp(): Promise<string> {
    const started = await post(`${tenant()}/backups`)
      .send({ types: ['users', 'groups'] })
      .expect(202);
    for (let attempt = 0; attempt < 300; attempt++) {
      const run = backupRunListItemSchema.parse(
        (await admin.agent.get(`${tenant()}/backups/${String(started.body.runId)}`).expect(200)).body,
      );
      if (run.status !== 'running') {
        expect(run.status).toBe('completed');
        return run.summary!.snapshotId!;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the backup did not end');
  }

  async function waitForRestore(restoreId: string) {
    for (let attempt = 0; attempt < 300; attempt++) {
      const run = restoreRunSchema.parse(
        (await admin.agent.get(`${tenant()}/restores/${restoreId}`).expect(200)).body,
      );
      if (run.status !== 'running') return run;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the restore did not end');
  }

  it('plans, executes and reports a restore, and hands the temporary password out once', async () => {
    const snapshotId = await backUp();
    const control = `${env.emulator.baseUrl}/_emulator/tenants/${env.tenantId}`;
    const users = (await (await env.emulatorFetch(`${control}/truth/users`)).text())
      .split('\n')
      .filter((line) => line !== '')
      .map(
        (line) =>
          JSON.parse(line) as { id: string; userPrincipalName: string; onPremisesSyncEnabled?: boolean },
      );
    const lost = users.filter((u) => u.onPremisesSyncEnabled !== true && u.id !== env.admin.id)[12]!;
    const gone = await env.emulatorFetch(`${control}/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'hardDelete', collection: 'users', id: lost.id }),
    });
    expect(gone.status).toBe(200);
    const changedUser = users.filter((u) => u.onPremisesSyncEnabled !== true && u.id !== env.admin.id)[13]!;
    const changed = await env.emulatorFetch(`${control}/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        action: 'update',
        collection: 'users',
        id: changedUser.id,
        patch: { department: 'Changed after the backup' },
      }),
    });
    expect(changed.status).toBe(200);

    const planned = await post(`${tenant()}/restore-plans`)
      .send({ snapshotId, types: ['users', 'groups'] })
      .expect(201);
    const plan = restorePlanSummarySchema.parse(planned.body);
    expect(plan).toMatchObject({ status: 'ready', missingPermissions: [], snapshotId });
    expect(plan.byAction.recreate).toBe(1);

    const actions = restoreActionPageSchema.parse(
      (await admin.agent.get(`${tenant()}/restore-plans/${plan.planId}/actions?pageSize=500`).expect(200))
        .body,
    );
    expect(actions.total).toBe(plan.planned);
    expect(actions.items).toContainEqual(
      expect.objectContaining({ action: 'recreate', type: 'users', id: lost.id, state: 'pending' }),
    );
    // An update shows each property's value in the tenant now → in the snapshot.
    const update = actions.items.find((a) => a.action === 'update' && a.id === changedUser.id);
    expect(update?.properties).toEqual(['department']);
    expect(update?.changes).toEqual([
      {
        property: 'department',
        from: 'Changed after the backup',
        to: (changedUser as unknown as { department?: string }).department ?? null,
      },
    ]);

    const started = await post(`${tenant()}/restores`).send({ planId: plan.planId }).expect(202);
    const restoreId = String(started.body.restoreId);
    // The same plan cannot run twice.
    const again = await post(`${tenant()}/restores`).send({ planId: plan.planId }).expect(409);
    expect(errorBodySchema.parse(again.body).code).toBe('RESTORE_PLAN_USED');

    const stream = await readEventStream(env, `${tenant()}/restores/${restoreId}/events`, cookieOf(admin));
    expect(stream.status).toBe(200);
    const events = stream.data.map((event) => restoreProgressEventSchema.parse(event));
    expect(events.at(-1)).toMatchObject({ kind: 'restore-finished', restoreId });

    const run = await waitForRestore(restoreId);
    expect(run).toMatchObject({
      status: 'completed',
      planId: plan.planId,
      // The re-created user's directory extension value is written by an update of its own, once
      // the extension's application has it: the changed user's update and that one.
      counts: { recreated: 1, updated: 2, failed: 0 },
    });
    expect(run.preRestoreSnapshotId).not.toBeNull();
    const newId = run.idMap[lost.id]!;
    expect(newId).toMatch(/^[0-9a-f-]{36}$/);
    const listed = restoreRunPageSchema.parse(
      (await admin.agent.get(`${tenant()}/restores`).expect(200)).body,
    );
    expect(listed.items.map((r) => r.restoreId)).toContain(restoreId);

    const handedOut = await post(`${tenant()}/restores/${restoreId}/credentials`).expect(200);
    expect(handedOut.headers['cache-control']).toContain('no-store');
    expect(handedOut.body.items).toEqual([
      {
        id: lost.id,
        newId,
        userPrincipalName: lost.userPrincipalName,
        temporaryPassword: expect.any(String),
      },
    ]);
    const twice = await post(`${tenant()}/restores/${restoreId}/credentials`).expect(410);
    expect(errorBodySchema.parse(twice.body).code).toBe('RESTORE_CREDENTIALS_GONE');

    // The user is back under its new id, with its sign-in name.
    const back = await env.emulatorFetch(`${control}/truth/users`);
    expect(await back.text()).toContain(`"id":"${newId}"`);

    // Undo: the pre-restore backup for the same types; the re-created user is removed again.
    const undo = restoreUndoSchema.parse(
      (await admin.agent.get(`${tenant()}/restores/${restoreId}/undo`).expect(200)).body,
    );
    expect(undo).toEqual({
      restoreId,
      preRestoreSnapshotId: run.preRestoreSnapshotId,
      request: {
        snapshotId: run.preRestoreSnapshotId,
        types: ['users', 'groups'],
        relationships: true,
        removeNew: true,
      },
    });
    const undoPlan = restorePlanSummarySchema.parse(
      (await post(`${tenant()}/restore-plans`).send(undo.request).expect(201)).body,
    );
    const undoActions = restoreActionPageSchema.parse(
      (await admin.agent.get(`${tenant()}/restore-plans/${undoPlan.planId}/actions?pageSize=500`).expect(200))
        .body,
    );
    expect(undoActions.items.filter((a) => a.action === 'remove')).toEqual([
      expect.objectContaining({ type: 'users', id: newId }),
    ]);
  });
});
