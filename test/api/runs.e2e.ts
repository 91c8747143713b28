import {
  backupHistorySchema,
  type BackupProgressEvent,
  backupProgressEventSchema,
  backupRunListItemSchema,
  backupRunPageSchema,
  CSRF_HEADER,
  errorBodySchema,
} from '@entra-backup/common';
import {
  type EmulatorTestApp,
  pickAccount,
  type SignedIn,
  signIn,
  startAppWithEmulator,
} from './support/emulator-app';
import { cookieOf, readEventStream } from './support/event-stream';

jest.setTimeout(90_000);

describe('Backup runs over REST (e2e)', () => {
  let env: EmulatorTestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    env = await startAppWithEmulator();
    admin = await signIn(env, env.admin);
  });

  afterAll(async () => {
    await env.close();
  });

  const backups = () => `/api/tenants/${env.tenantId}/backups`;

  async function grantConsent(session: SignedIn): Promise<void> {
    const start = await session.agent
      .post(`/api/tenants/${env.tenantId}/consent/start`)
      .set(CSRF_HEADER, session.csrfToken)
      .expect(200);
    const callback = new URL(
      await pickAccount(env, String(start.body.redirectUrl), env.tenantId, env.admin, {
        emulator_decision: 'accept',
      }),
    );
    await session.agent.get(`${callback.pathname}${callback.search}`).expect(302);
  }

  async function waitForEnd(runId: string) {
    for (let attempt = 0; attempt < 300; attempt++) {
      const res = await admin.agent.get(`${backups()}/${runId}`).expect(200);
      const run = backupRunListItemSchema.parse(res.body);
      if (run.status !== 'running') return run;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${runId} did not end`);
  }

  async function readEvents(
    path: string,
    cookie: string,
  ): Promise<{ status: number; type: string; events: BackupProgressEvent[] }> {
    const { status, type, data } = await readEventStream(env, path, cookie);
    return { status, type, events: data.map((event) => backupProgressEventSchema.parse(event)) };
  }

  it('refuses a trigger before admin consent with CONSENT_REQUIRED', async () => {
    const res = await admin.agent.post(backups()).set(CSRF_HEADER, admin.csrfToken).send({}).expect(409);
    expect(errorBodySchema.parse(res.body)).toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect(res.body.message).toMatch(/Grant admin consent/);
  });

  it('refuses a trigger without the CSRF header', async () => {
    const res = await admin.agent.post(backups()).send({}).expect(403);
    expect(res.body.code).toBe('CSRF_TOKEN_INVALID');
  });

  it('answers 400 with a clear message when no type is enabled', async () => {
    await grantConsent(admin);
    const res = await admin.agent.post(backups()).set(CSRF_HEADER, admin.csrfToken).expect(400);
    expect(res.body).toMatchObject({ code: 'BACKUP_NO_TYPES' });
    expect(res.body.message).toMatch(/no object type enabled/);
  });

  it('rejects unknown types in the body', async () => {
    const res = await admin.agent
      .post(backups())
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ types: ['printers'] })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('starts exactly one of two concurrent triggers; lists and details the completed run', async () => {
    await admin.agent
      .put(`/api/tenants/${env.tenantId}/settings`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ enabledTypes: { users: true, groups: true } })
      .expect(200);

    const answers = await Promise.all([
      admin.agent.post(backups()).set(CSRF_HEADER, admin.csrfToken).send({}),
      admin.agent.post(backups()).set(CSRF_HEADER, admin.csrfToken).send({}),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    const accepted = answers.find((a) => a.status === 202)!;
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.body).toMatchObject({
      code: 'BACKUP_ALREADY_RUNNING',
      message: 'A backup is already running for this tenant; try again when it has finished',
    });
    const runId = String(accepted.body.runId);

    const run = await waitForEnd(runId);
    expect(run).toMatchObject({ runId, tenantId: env.tenantId, status: 'completed', trigger: 'manual' });
    expect(run.actor).toBe(`user:${env.admin.upn}`);
    expect(run.summary?.types.users).toMatchObject({ status: 'succeeded' });
    expect(run.summary?.types.users?.objects).toBeGreaterThan(0);
    expect(run.summary?.types.groups).toMatchObject({ status: 'succeeded' });

    const second = await admin.agent
      .post(backups())
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ types: ['users'] })
      .expect(202);
    await waitForEnd(String(second.body.runId));

    const page = backupRunPageSchema.parse(
      (await admin.agent.get(backups()).query({ page: 1, pageSize: 1 }).expect(200)).body,
    );
    expect(page).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(page.items.map((i) => i.runId)).toEqual([second.body.runId]);
    const older = backupRunPageSchema.parse(
      (await admin.agent.get(backups()).query({ page: 2, pageSize: 1 }).expect(200)).body,
    );
    expect(older.items.map((i) => i.runId)).toEqual([runId]);

    const bad = await admin.agent.get(backups()).query({ pageSize: 1000 }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('streams the progress of a run as server-sent events until it ends', async () => {
    const start = await admin.agent
      .post(backups())
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ full: true })
      .expect(202);
    const runId = String(start.body.runId);
    const live = await readEvents(`${backups()}/${runId}/events`, cookieOf(admin));
    expect(live.status).toBe(200);
    expect(live.type).toMatch(/^text\/event-stream/);
    const kinds = live.events.map((e) => e.kind);
    expect(kinds[0]).toBe('run-started');
    expect(kinds).toContain('type-finished');
    expect(kinds.at(-1)).toBe('run-finished');
    expect(live.events.every((e) => e.runId === runId)).toBe(true);

    // A finished run sends its summary and closes.
    const after = await readEvents(`${backups()}/${runId}/events`, cookieOf(admin));
    expect(after.events).toHaveLength(1);
    expect(after.events[0]).toMatchObject({ kind: 'run-finished', summary: { runId, status: 'completed' } });
  });

  it('answers the backup history: a point per snapshot with objects per type, duration, requests and storage growth', async () => {
    const runs = backupRunPageSchema.parse(
      (await admin.agent.get(backups()).query({ pageSize: 100 }).expect(200)).body,
    );
    const visible = runs.items.filter((run) => run.summary?.snapshotId).reverse();
    expect(visible.length).toBeGreaterThanOrEqual(3);

    const res = await admin.agent.get(`${backups()}/history`).query({ days: 7 }).expect(200);
    const history = backupHistorySchema.parse(res.body);

    expect(history.days).toBe(7);
    expect(history.points.map((p) => p.runId)).toEqual(visible.map((run) => run.runId));
    for (const [index, point] of history.points.entries()) {
      const summary = visible[index]!.summary!;
      expect(point).toMatchObject({
        snapshotId: summary.snapshotId,
        counts: summary.counts,
        durationMs: summary.durationMs,
        requests: summary.requests,
        bytesStored: summary.bytesStored,
      });
    }
    expect(history.points[0]!.counts.users).toBeGreaterThan(0);
    const seqs = history.points.map((p) => p.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const totals = history.points.map((p) => p.totalBytesStored);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(totals.at(-1)).toBe(runs.items.reduce((sum, run) => sum + (run.summary?.bytesStored ?? 0), 0));

    const bad = await admin.agent.get(`${backups()}/history`).query({ days: 0 }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const other = await signIn(env, env.otherAdmin, { tenantId: env.otherTenantId });
    expect((await other.agent.get(`${backups()}/history`).expect(403)).body.code).toBe('TENANT_FORBIDDEN');
  });

  it('answers 404 for an unknown run, on the detail and the event stream', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const detail = await admin.agent.get(`${backups()}/${unknown}`).expect(404);
    expect(detail.body.code).toBe('BACKUP_RUN_NOT_FOUND');
    const stream = await readEvents(`${backups()}/${unknown}/events`, cookieOf(admin));
    expect(stream.status).toBe(404);
  });

  it("refuses another tenant's admin and ordinary users", async () => {
    const runs = backupRunPageSchema.parse((await admin.agent.get(backups()).expect(200)).body);
    const runId = runs.items[0]!.runId;
    const other = await signIn(env, env.otherAdmin, { tenantId: env.otherTenantId });
    expect((await other.agent.get(backups()).expect(403)).body.code).toBe('TENANT_FORBIDDEN');
    expect((await other.agent.get(`${backups()}/${runId}`).expect(403)).body.code).toBe('TENANT_FORBIDDEN');
    await other.agent.post(backups()).set(CSRF_HEADER, other.csrfToken).send({}).expect(403);
    // Its own tenant does not know the run either.
    await other.agent.get(`/api/tenants/${env.otherTenantId}/backups/${runId}`).expect(404);

    const member = await signIn(env, env.member);
    expect((await member.agent.get(backups()).expect(403)).body.code).toBe('NO_ACCESS');
  });

  it('documents the run endpoints in OpenAPI with the shared schemas', async () => {
    const res = await admin.agent.get('/api/docs-json').expect(200);
    const paths = res.body.paths as Record<
      string,
      Record<string, { responses: Record<string, { content?: object }> }>
    >;
    expect(Object.keys(paths['/api/tenants/{tenantId}/backups'] ?? {})).toEqual(
      expect.arrayContaining(['get', 'post']),
    );
    expect(Object.keys(paths['/api/tenants/{tenantId}/backups/{runId}'] ?? {})).toEqual(['get']);
    expect(Object.keys(paths['/api/tenants/{tenantId}/backups/history'] ?? {})).toEqual(['get']);
    const events = paths['/api/tenants/{tenantId}/backups/{runId}/events']?.['get'];
    expect(Object.keys(events?.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
    expect(Object.keys(paths['/api/tenants/{tenantId}/backups']?.['post']?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '403', '409']),
    );
    const schemas = res.body.components.schemas as Record<string, unknown>;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'BackupRunPageDto',
        'BackupRunDto',
        'StartBackupDto',
        'StartBackupResponseDto',
        'BackupHistoryDto',
      ]),
    );
  });
});
