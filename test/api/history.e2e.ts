import {
  asOfResponseSchema,
  backupRunListItemSchema,
  CSRF_HEADER,
  errorBodySchema,
  objectHistorySchema,
} from '@entra-backup/common';
import {
  type EmulatorTestApp,
  grantConsent,
  type SignedIn,
  signIn,
  startAppWithEmulator,
} from './support/emulator-app';

jest.setTimeout(180_000);

/**
 * Version history and membership time travel over REST: back up the emulated tenant with its
 * directory audit log, change a user and a group's members through the emulator's admin API
 * (audited as Entra audits them), back up again, and read the history with "who changed it".
 */
describe('Object history over REST, end to end (e2e)', () => {
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
  const control = () => `${env.emulator.baseUrl}/_emulator/tenants/${env.tenantId}`;

  async function backUp(): Promise<void> {
    const started = await admin.agent
      .post(`${tenant()}/backups`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ types: ['users', 'groups', 'auditLogs'] })
      .expect(202);
    for (let attempt = 0; attempt < 600; attempt++) {
      const run = backupRunListItemSchema.parse(
        (await admin.agent.get(`${tenant()}/backups/${String(started.body.runId)}`).expect(200)).body,
      );
      if (run.status !== 'running') {
        expect(run.status).toBe('completed');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the backup did not end');
  }

  async function change(body: Record<string, unknown>): Promise<void> {
    const response = await env.emulatorFetch(`${control()}/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  async function truth<T>(collection: string): Promise<T[]> {
    const text = await (await env.emulatorFetch(`${control()}/truth/${collection}`)).text();
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as T);
  }

  it('shows a department change and a member added then removed, with the audit entries that made them', async () => {
    type User = {
      id: string;
      displayName: string;
      department?: string | null;
      onPremisesSyncEnabled?: boolean;
    };
    type Group = { id: string; displayName: string; groupTypes: string[]; members?: Array<{ id: string }> };
    await backUp();
    const users = (await truth<User>('users')).filter(
      (u) => u.onPremisesSyncEnabled !== true && u.id !== env.admin.id,
    );
    const moved = users[3]!;
    const joiner = users[5]!;
    const group = (await truth<Group>('groups')).find(
      (g) =>
        !g.groupTypes.includes('DynamicMembership') && !(g.members ?? []).some((m) => m.id === joiner.id),
    )!;
    const before = new Date();
    await change({
      action: 'update',
      collection: 'users',
      id: moved.id,
      patch: { department: 'Time Travel' },
    });
    await change({ action: 'addMember', collection: 'groups', id: group.id, memberId: joiner.id });
    await backUp();
    const between = new Date();
    await change({ action: 'removeMember', collection: 'groups', id: group.id, memberId: joiner.id });
    await backUp();

    const userHistory = objectHistorySchema.parse(
      (await admin.agent.get(`${tenant()}/objects/users/users/${moved.id}/history`).expect(200)).body,
    );
    expect(userHistory.auditLogsBackedUp).toBe(true);
    const changed = userHistory.events.find((e) => e.changes.some((c) => c.property === 'department'))!;
    expect(changed.kind).toBe('changed');
    expect(changed.changes).toContainEqual(
      expect.objectContaining({
        path: 'department',
        before: moved.department ?? undefined,
        after: 'Time Travel',
      }),
    );
    expect(changed.audit).toContainEqual(
      expect.objectContaining({
        activity: 'Update user',
        initiatedBy: { kind: 'user', name: expect.stringContaining('@') },
        targets: [
          expect.objectContaining({
            id: moved.id,
            modifiedProperties: expect.arrayContaining([
              {
                name: 'Department',
                oldValue: JSON.stringify(moved.department ? [moved.department] : []),
                newValue: '["Time Travel"]',
              },
            ]),
          }),
        ],
      }),
    );
    expect(Date.parse(changed.audit[0]!.activityDateTime)).toBeGreaterThanOrEqual(before.getTime() - 1000);

    const groupHistory = objectHistorySchema.parse(
      (await admin.agent.get(`${tenant()}/objects/groups/groups/${group.id}/history`).expect(200)).body,
    );
    const [removed, added] = groupHistory.events;
    expect(removed!.relationships).toEqual([
      {
        relation: 'members',
        action: 'removed',
        id: joiner.id,
        kind: 'user',
        displayName: joiner.displayName,
        type: 'users',
        collection: 'users',
      },
    ]);
    expect(removed!.audit.map((a) => a.activity)).toContain('Remove member from group');
    expect(added!.relationships).toEqual([
      {
        relation: 'members',
        action: 'added',
        id: joiner.id,
        kind: 'user',
        displayName: joiner.displayName,
        type: 'users',
        collection: 'users',
      },
    ]);
    expect(added!.audit).toContainEqual(
      expect.objectContaining({
        activity: 'Add member to group',
        targets: expect.arrayContaining([
          expect.objectContaining({ id: joiner.id }),
          expect.objectContaining({ id: group.id }),
        ]),
      }),
    );

    const asOf = asOfResponseSchema.parse(
      (
        await admin.agent
          .get(`${tenant()}/objects/groups/groups/${group.id}/as-of`)
          .query({ date: before.toISOString(), until: between.toISOString() })
          .expect(200)
      ).body,
    );
    expect(asOf.relations.find((r) => r.relation === 'members')?.items.map((i) => i.id)).not.toContain(
      joiner.id,
    );
    expect(asOf.changes).toContainEqual({
      relation: 'members',
      action: 'added',
      item: expect.objectContaining({ id: joiner.id, displayName: joiner.displayName }),
    });
    const joinerAsOf = asOfResponseSchema.parse(
      (
        await admin.agent
          .get(`${tenant()}/objects/users/users/${joiner.id}/as-of`)
          .query({ date: between.toISOString() })
          .expect(200)
      ).body,
    );
    expect(joinerAsOf.relations.find((r) => r.relation === 'memberOf')?.items.map((i) => i.id)).toContain(
      group.id,
    );
    expect(joinerAsOf.changes).toContainEqual({
      relation: 'memberOf',
      action: 'removed',
      item: expect.objectContaining({ id: group.id, displayName: group.displayName }),
    });
  });

  it('answers 400 for an unknown type or a bad date and 404 for an object never backed up', async () => {
    const unknown = await admin.agent.get(`${tenant()}/objects/printers/printers/x/history`).expect(400);
    expect(errorBodySchema.parse(unknown.body).code).toBe('HISTORY_INVALID_REQUEST');
    const never = await admin.agent
      .get(`${tenant()}/objects/users/users/00000000-0000-4000-8000-000000000999/history`)
      .expect(404);
    expect(errorBodySchema.parse(never.body).code).toBe('HISTORY_OBJECT_NOT_FOUND');
    const badDate = await admin.agent
      .get(`${tenant()}/objects/users/users/${env.admin.id}/as-of`)
      .query({ date: 'last tuesday' })
      .expect(400);
    expect(errorBodySchema.parse(badDate.body).code).toBe('VALIDATION_FAILED');
  });
});
