import {
  backupRunListItemSchema,
  compareObjectPageSchema,
  compareSummarySchema,
  CSRF_HEADER,
  errorBodySchema,
  startLiveCompareResponseSchema,
} from '@entra-backup/common';
import { BackupLeaseService } from '../../apps/api/src/modules/backup-storage/backup-lease.service';
import {
  type EmulatorTestApp,
  grantConsent,
  type SignedIn,
  signIn,
  startAppWithEmulator,
} from './support/emulator-app';

jest.setTimeout(120_000);

interface TruthObject {
  id: string;
  displayName: string;
  department?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  groupTypes?: string[];
}

/**
 * Compare over REST as the portal drives it: back up, change the emulated tenant (a user's
 * department, a group's members), then compare the snapshot with the live tenant; the changes
 * appear by name with old → new values, in the summary, the per-type page and the downloads.
 */
describe('Compare over REST, end to end (e2e)', () => {
  let env: EmulatorTestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    env = await startAppWithEmulator();
    admin = await signIn(env, env.admin);
  });

  afterAll(async () => {
    await env.close();
  });

  const tenant = () => `/api/tenants/${env.tenantId}`;
  const post = (path: string) => admin.agent.post(path).set(CSRF_HEADER, admin.csrfToken);
  const control = () => `${env.emulator.baseUrl}/_emulator/tenants/${env.tenantId}`;

  async function waitForRun(runId: string) {
    for (let attempt = 0; attempt < 300; attempt++) {
      const run = backupRunListItemSchema.parse(
        (await admin.agent.get(`${tenant()}/backups/${runId}`).expect(200)).body,
      );
      if (run.status !== 'running') return run;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the run did not end');
  }

  async function truth(collection: string): Promise<TruthObject[]> {
    return (await (await env.emulatorFetch(`${control()}/truth/${collection}`)).text())
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as TruthObject);
  }

  async function change(body: Record<string, unknown>): Promise<void> {
    const answer = await env.emulatorFetch(`${control()}/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(200);
  }

  it('refuses to read the live tenant before admin consent', async () => {
    const refused = await post(`${tenant()}/compare/live`)
      .send({ types: ['users'] })
      .expect(409);
    expect(errorBodySchema.parse(refused.body)).toMatchObject({
      code: 'CONSENT_REQUIRED',
      message: expect.stringContaining('Grant admin consent'),
    });
  });

  it('shows a changed user and a new member by name, old → new, against the live tenant', async () => {
    await grantConsent(env, admin);
    const started = await post(`${tenant()}/backups`)
      .send({ types: ['users', 'groups'] })
      .expect(202);
    const backup = await waitForRun(String(started.body.runId));
    expect(backup.status).toBe('completed');
    const snapshotId = backup.summary!.snapshotId!;

    const users = (await truth('users')).filter(
      (u) => u.onPremisesSyncEnabled !== true && u.id !== env.admin.id,
    );
    const changed = users[3]!;
    const joining = users[4]!;
    const group = (await truth('groups')).find(
      (g) => g.onPremisesSyncEnabled !== true && !(g.groupTypes ?? []).includes('DynamicMembership'),
    )!;
    await change({
      action: 'update',
      collection: 'users',
      id: changed.id,
      patch: { department: 'Compare & Co' },
    });
    await change({ action: 'addMember', collection: 'groups', id: group.id, memberId: joining.id });

    // Snapshot to itself: nothing differs.
    const same = compareSummarySchema.parse(
      (await admin.agent.get(`${tenant()}/compare`).query({ from: snapshotId, to: 'latest' }).expect(200))
        .body,
    );
    expect(same.types).toEqual([]);

    const summary = compareSummarySchema.parse(
      (
        await admin.agent
          .get(`${tenant()}/compare`)
          .query({ from: snapshotId, to: 'live', types: 'users,groups' })
          .expect(200)
      ).body,
    );
    expect(summary.from).toMatchObject({ snapshotId, live: false });
    expect(summary.to).toMatchObject({ live: true });
    expect(summary.to.seq).toBeGreaterThan(summary.from.seq);
    expect(summary.types.find((t) => t.type === 'users')?.primary).toEqual({
      added: 0,
      changed: 1,
      removed: 0,
    });
    expect(summary.types.find((t) => t.type === 'groups')?.primary.changed).toBeGreaterThanOrEqual(1);

    const liveRun = await admin.agent.get(`${tenant()}/backups`).expect(200);
    expect(liveRun.body.items[0]).toMatchObject({ trigger: 'compare', types: ['users', 'groups'] });

    const page = compareObjectPageSchema.parse(
      (
        await admin.agent
          .get(`${tenant()}/compare/objects`)
          .query({ from: snapshotId, to: summary.to.snapshotId, type: 'users' })
          .expect(200)
      ).body,
    );
    expect(page.items).toEqual([
      {
        collection: 'users',
        primary: true,
        id: changed.id,
        name: changed.displayName,
        change: 'changed',
        properties: [{ kind: 'value', path: 'department', old: changed.department, new: 'Compare & Co' }],
      },
    ]);

    const groups = compareObjectPageSchema.parse(
      (
        await admin.agent
          .get(`${tenant()}/compare/objects`)
          .query({ from: snapshotId, to: summary.to.snapshotId, type: 'groups', pageSize: 200 })
          .expect(200)
      ).body,
    );
    const changedGroup = groups.items.find((g) => g.id === group.id);
    expect(changedGroup).toMatchObject({ name: group.displayName, change: 'changed' });
    expect(changedGroup?.properties).toContainEqual({
      kind: 'references',
      path: 'members',
      added: [{ id: joining.id, name: joining.displayName, kind: 'user' }],
      removed: [],
    });

    const csv = await admin.agent
      .get(`${tenant()}/compare/compare.csv`)
      .query({ from: snapshotId, to: summary.to.snapshotId })
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="compare-${summary.from.seq}-live.csv"`,
    );
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('type,collection,id,name,change,property,old,new');
    expect(lines).toContain(
      `users,users,${changed.id},${changed.displayName},changed,department,${changed.department ?? ''},Compare & Co`,
    );
    expect(lines).toContain(
      `groups,groups,${group.id},${group.displayName},changed,members,,${joining.displayName} (${joining.id})`,
    );

    const json = await admin.agent
      .get(`${tenant()}/compare/compare.json`)
      .query({ from: snapshotId, to: summary.to.snapshotId, types: 'users' })
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      })
      .expect(200);
    const parsed = JSON.parse(json.body as string) as {
      totals: unknown;
      objects: { type: string; id: string }[];
    };
    expect(parsed.totals).toEqual({ added: 0, changed: 1, removed: 0 });
    expect(parsed.objects).toEqual([
      expect.objectContaining({ type: 'users', id: changed.id, name: changed.displayName }),
    ]);
  });

  it('reads the live tenant in the background and compares with its snapshot', async () => {
    // Not while a backup of the tenant runs (here: another process holding the tenant's lease).
    const leases = env.app.get(BackupLeaseService);
    const lease = (await leases.tryAcquire(env.tenantId, { ttlMs: 60_000 }))!;
    const busy = await post(`${tenant()}/compare/live`).send({ from: 'latest' }).expect(409);
    expect(errorBodySchema.parse(busy.body)).toMatchObject({
      code: 'BACKUP_ALREADY_RUNNING',
      message: expect.stringContaining('compare with the live tenant when it has finished'),
    });
    await leases.release(lease);

    const started = startLiveCompareResponseSchema.parse(
      (
        await post(`${tenant()}/compare/live`)
          .send({ types: ['users'] })
          .expect(202)
      ).body,
    );
    const run = await waitForRun(started.runId);
    expect(run).toMatchObject({ status: 'completed', trigger: 'compare', types: ['users'] });
    const summary = compareSummarySchema.parse(
      (
        await admin.agent
          .get(`${tenant()}/compare`)
          .query({ from: '1', to: run.summary!.snapshotId! })
          .expect(200)
      ).body,
    );
    // The live read covered users only: the comparison keeps to them.
    expect(summary.to).toMatchObject({ live: true });
    expect(summary.types.map((t) => t.type)).toEqual(['users']);
  });

  it('documents its endpoints in the OpenAPI document', async () => {
    const docs = await admin.agent.get('/api/docs-json').expect(200);
    const paths = docs.body.paths as Record<string, Record<string, unknown>>;
    const base = '/api/tenants/{tenantId}/compare';
    expect(Object.keys(paths[base] ?? {})).toEqual(['get']);
    expect(Object.keys(paths[`${base}/objects`] ?? {})).toEqual(['get']);
    expect(Object.keys(paths[`${base}/compare.csv`] ?? {})).toEqual(['get']);
    expect(Object.keys(paths[`${base}/compare.json`] ?? {})).toEqual(['get']);
    expect(Object.keys(paths[`${base}/live`] ?? {})).toEqual(['post']);
  });

  it('answers 404 for an unknown snapshot and 400 for a bad query', async () => {
    const missing = await admin.agent
      .get(`${tenant()}/compare`)
      .query({ from: '999', to: 'latest' })
      .expect(404);
    expect(errorBodySchema.parse(missing.body).code).toBe('SNAPSHOT_NOT_FOUND');
    const bad = await admin.agent
      .get(`${tenant()}/compare`)
      .query({ from: '1', to: 'latest', types: 'nope' })
      .expect(400);
    expect(errorBodySchema.parse(bad.body).code).toBe('VALIDATION_FAILED');
  });
});
