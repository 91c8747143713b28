import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  API_KEY_PATTERN,
  apiKeyPageSchema,
  backupRunListItemSchema,
  createdApiKeySchema,
  CSRF_HEADER,
  errorBodySchema,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_REPLAYED_HEADER,
  startBackupResponseSchema,
} from '@entra-backup/common';
import type { RunningEmulator } from '@entra-backup/graph-emulator';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  type EmulatorTestApp,
  grantConsent,
  type SignedIn,
  signIn,
  startAppWithEmulator,
  startTestEmulator,
} from './support/emulator-app';

jest.setTimeout(120_000);

const PARTNER_ID = '5d1c6c8e-3f7a-4a7e-b1d9-0e2f4a6b8c10';

describe('API keys, rate limits, idempotency and the versioned API (e2e)', () => {
  let emulatorDir: string;
  let emulator: RunningEmulator;
  let env: EmulatorTestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    emulatorDir = await mkdtemp(join(tmpdir(), 'entra-backup-keys-'));
    emulator = await startTestEmulator(emulatorDir);
    env = await startAppWithEmulator({}, { emulator });
    admin = await signIn(env, env.admin);
  });

  afterAll(async () => {
    await env.close();
    await emulator.stop();
    await rm(emulatorDir, { recursive: true, force: true });
  });

  const keysPath = (tenantId = env.tenantId) => `/api/tenants/${tenantId}/api-keys`;

  async function createKey(
    session: SignedIn,
    body: Record<string, unknown>,
    path = keysPath(),
  ): Promise<{ keyId: string; key: string; prefix: string }> {
    const res = await session.agent.post(path).set(CSRF_HEADER, session.csrfToken).send(body).expect(201);
    return createdApiKeySchema.parse(res.body);
  }

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  async function codeOf(res: request.Response): Promise<string> {
    return errorBodySchema.parse(res.body).code;
  }

  it('creates a key shown once, which reads its tenant and nothing else', async () => {
    const created = await createKey(admin, { name: 'Reporting', scopes: ['read'] });
    expect(created.key).toMatch(API_KEY_PATTERN);
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
    expect(created).toMatchObject({
      name: 'Reporting',
      scopes: ['read'],
      ownerKind: 'tenant',
      status: 'active',
    });

    const tenant = await request(env.http)
      .get(`/api/tenants/${env.tenantId}`)
      .set(bearer(created.key))
      .expect(200);
    expect(tenant.body.tenantId).toBe(env.tenantId);
    const other = await request(env.http)
      .get(`/api/tenants/${env.otherTenantId}`)
      .set(bearer(created.key))
      .expect(403);
    expect(await codeOf(other)).toBe('TENANT_FORBIDDEN');

    // The list shows the key's use, never its secret (nor its hash).
    const list = await admin.agent.get(keysPath()).expect(200);
    const page = apiKeyPageSchema.parse(list.body);
    const listed = page.items.find((k) => k.keyId === created.keyId);
    expect(listed).toMatchObject({
      prefix: created.prefix,
      status: 'active',
      lastUsedAt: expect.any(String),
    });
    expect(listed?.lastUsedAddress).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(created.key.slice(12));
    const stored = (await env.app
      .get(DataSource)
      .query(`SELECT "secret_hash" FROM "api_key" WHERE "id" = ?`, [created.keyId])) as Array<{
      secret_hash: string;
    }>;
    expect(stored[0]?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(list.body)).not.toContain(stored[0]!.secret_hash);
  });

  it('refuses what the key was not given: a read key cannot start a backup or manage keys', async () => {
    const { key } = await createKey(admin, { name: 'Read only', scopes: ['read'] });

    const backup = await request(env.http)
      .post(`/api/tenants/${env.tenantId}/backups`)
      .set(bearer(key))
      .send({})
      .expect(403);
    expect(await codeOf(backup)).toBe('PERMISSION_DENIED');
    const keys = await request(env.http).get(keysPath()).set(bearer(key)).expect(403);
    expect(await codeOf(keys)).toBe('PERMISSION_DENIED');
    const create = await request(env.http)
      .post(keysPath())
      .set(bearer(key))
      .send({ name: 'Escalation', scopes: ['admin'] })
      .expect(403);
    expect(await codeOf(create)).toBe('PERMISSION_DENIED');
  });

  it('refuses a revoked key on its very next request', async () => {
    const { key, keyId } = await createKey(admin, { name: 'To revoke', scopes: ['read'] });
    await request(env.http).get(`/api/tenants/${env.tenantId}`).set(bearer(key)).expect(200);

    const revoked = await admin.agent
      .delete(`${keysPath()}/${keyId}`)
      .set(CSRF_HEADER, admin.csrfToken)
      .expect(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });

    const res = await request(env.http).get(`/api/tenants/${env.tenantId}`).set(bearer(key)).expect(401);
    expect(await codeOf(res)).toBe('API_KEY_INVALID');
    expect(res.body.message).toContain('revoked');
  });

  it('refuses an expired key, and an expiry in the past at creation', async () => {
    const past = await admin.agent
      .post(keysPath())
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ name: 'Old', scopes: ['read'], expiresAt: '2020-01-01T00:00:00Z' })
      .expect(400);
    expect(await codeOf(past)).toBe('API_KEY_INVALID_REQUEST');

    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const { key, keyId } = await createKey(admin, { name: 'Short-lived', scopes: ['read'], expiresAt });
    await request(env.http).get(`/api/tenants/${env.tenantId}`).set(bearer(key)).expect(200);
    // The hour passes.
    await env.app
      .get(DataSource)
      .query(`UPDATE "api_key" SET "expires_at" = ? WHERE "id" = ?`, [
        new Date(Date.now() - 1000).toISOString(),
        keyId,
      ]);

    const res = await request(env.http).get(`/api/tenants/${env.tenantId}`).set(bearer(key)).expect(401);
    expect(await codeOf(res)).toBe('API_KEY_INVALID');
    expect(res.body.message).toContain('expired');
    const list = apiKeyPageSchema.parse(
      (await admin.agent.get(keysPath()).query({ status: 'expired' })).body,
    );
    expect(list.items.map((k) => k.keyId)).toEqual([keyId]);
  });

  it('rotates a key: the new secret works, the old one is refused (or after its grace period)', async () => {
    const old = await createKey(admin, { name: 'Rotating', scopes: ['read'] });
    const rotated = createdApiKeySchema.parse(
      (
        await admin.agent
          .post(`${keysPath()}/${old.keyId}/rotate`)
          .set(CSRF_HEADER, admin.csrfToken)
          .expect(201)
      ).body,
    );
    expect(rotated).toMatchObject({ name: 'Rotating', scopes: ['read'], status: 'active' });
    expect(rotated.key).not.toBe(old.key);

    await request(env.http).get(`/api/tenants/${env.tenantId}`).set(bearer(rotated.key)).expect(200);
    const refused = await request(env.http)
      .get(`/api/tenants/${env.tenantId}`)
      .set(bearer(old.key))
      .expect(401);
    expect(await codeOf(refused)).toBe('API_KEY_INVALID');

    const graceful = await createKey(admin, { name: 'Graceful', scopes: ['read'] });
    const next = createdApiKeySchema.parse(
      (
        await admin.agent
          .post(`${keysPath()}/${graceful.keyId}/rotate`)
          .set(CSRF_HEADER, admin.csrfToken)
          .send({ graceMinutes: 10 })
          .expect(201)
      ).body,
    );
    await request(env.http).get(`/api/tenants/${env.tenantId}`).set(bearer(graceful.key)).expect(200);
    await request(env.http).get(`/api/tenants/${env.tenantId}`).set(bearer(next.key)).expect(200);
    const listed = apiKeyPageSchema
      .parse((await admin.agent.get(keysPath()).expect(200)).body)
      .items.find((k) => k.keyId === graceful.keyId);
    expect(listed).toMatchObject({
      replacedBy: next.prefix,
      status: 'active',
      expiresAt: expect.any(String),
    });
    const again = await admin.agent
      .post(`${keysPath()}/${graceful.keyId}/rotate`)
      .set(CSRF_HEADER, admin.csrfToken)
      .expect(409);
    expect(await codeOf(again)).toBe('API_KEY_NOT_ACTIVE');
  });

  it("lets a partner's Admin make a key limited to one of the partner's tenants", async () => {
    const db = env.app.get(DataSource);
    const now = new Date().toISOString();
    await db.query(`INSERT INTO "partner" ("id", "name", "created_at", "created_by") VALUES (?, ?, ?, ?)`, [
      PARTNER_ID,
      'Contoso MSP',
      now,
      'cli:operator',
    ]);
    await db.query(
      `INSERT INTO "partner_member" ("partner_id", "upn", "role", "home_tenant_id", "object_id", "added_at", "added_by") VALUES (?, ?, ?, NULL, NULL, ?, ?)`,
      [PARTNER_ID, env.otherAdmin.upn.toLowerCase(), 'admin', now, 'cli:operator'],
    );
    await db.query(`UPDATE "tenant" SET "partner_id" = ?, "partner_linked_at" = ? WHERE "id" = ?`, [
      PARTNER_ID,
      now,
      env.tenantId,
    ]);
    const staff = await signIn(env, env.otherAdmin, { tenantId: env.otherTenantId });
    const partnerKeys = `/api/partners/${PARTNER_ID}/api-keys`;

    const foreign = await staff.agent
      .post(partnerKeys)
      .set(CSRF_HEADER, staff.csrfToken)
      .send({ name: 'Wrong tenant', scopes: ['read'], tenantIds: [env.otherTenantId] })
      .expect(400);
    expect(await codeOf(foreign)).toBe('API_KEY_INVALID_REQUEST');
    const created = await createKey(
      staff,
      { name: 'Customer A only', scopes: ['read'], tenantIds: [env.tenantId] },
      partnerKeys,
    );
    expect(created).toMatchObject({ ownerKind: 'partner', ownerId: PARTNER_ID, tenantIds: [env.tenantId] });

    await request(env.http).get(`/api/v1/tenants/${env.tenantId}`).set(bearer(created.key)).expect(200);
    await request(env.http).get(`/api/v1/tenants/${env.otherTenantId}`).set(bearer(created.key)).expect(403);
    const visible = await request(env.http).get('/api/v1/tenants').set(bearer(created.key)).expect(200);
    expect(visible.body.items.map((t: { tenantId: string }) => t.tenantId)).toEqual([env.tenantId]);
    // The tenant's own admin cannot manage the partner's keys.
    const denied = await admin.agent.get(partnerKeys).expect(403);
    expect(await codeOf(denied)).toBe('TENANT_FORBIDDEN');
  });

  it('serves every route under /api/v1 as well', async () => {
    const { key } = await createKey(admin, { name: 'Versioned', scopes: ['read'] });

    await request(env.http).get(`/api/v1/tenants/${env.tenantId}/settings`).set(bearer(key)).expect(200);
    const session = await admin.agent.get('/api/v1/auth/session').expect(200);
    expect(session.body.authenticated).toBe(true);
    const missing = await request(env.http).get('/api/v1/no-such-route').set(bearer(key)).expect(404);
    expect(await codeOf(missing)).toBe('NOT_FOUND');
  });

  describe('Idempotency-Key', () => {
    let key: string;
    const backups = () => `/api/v1/tenants/${env.tenantId}/backups`;

    beforeAll(async () => {
      await grantConsent(env, admin);
      await admin.agent
        .put(`/api/tenants/${env.tenantId}/settings`)
        .set(CSRF_HEADER, admin.csrfToken)
        .send({ enabledTypes: { users: true } })
        .expect(200);
      ({ key } = await createKey(admin, { name: 'Automation', scopes: ['read', 'backup'] }));
    });

    async function waitForEnd(runId: string): Promise<void> {
      for (let attempt = 0; attempt < 600; attempt++) {
        const res = await request(env.http).get(`${backups()}/${runId}`).set(bearer(key)).expect(200);
        if (backupRunListItemSchema.parse(res.body).status !== 'running') return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`run ${runId} did not end`);
    }

    async function runCount(): Promise<number> {
      const res = await request(env.http).get(backups()).set(bearer(key)).expect(200);
      return Number(res.body.total);
    }

    it('answers a repeated trigger with the first answer, and runs one backup', async () => {
      const idempotencyKey = randomUUID();
      const first = await request(env.http)
        .post(backups())
        .set({ ...bearer(key), [IDEMPOTENCY_KEY_HEADER]: idempotencyKey })
        .send({})
        .expect(202);
      const { runId } = startBackupResponseSchema.parse(first.body);
      const repeat = await request(env.http)
        .post(backups())
        .set({ ...bearer(key), [IDEMPOTENCY_KEY_HEADER]: idempotencyKey })
        .send({})
        .expect(202);

      expect(repeat.body).toEqual(first.body);
      expect(repeat.headers[IDEMPOTENCY_REPLAYED_HEADER.toLowerCase()]).toBe('true');
      await waitForEnd(runId);
      const afterEnd = await request(env.http)
        .post(backups())
        .set({ ...bearer(key), [IDEMPOTENCY_KEY_HEADER]: idempotencyKey })
        .send({})
        .expect(202);
      expect(afterEnd.body.runId).toBe(runId);
      expect(await runCount()).toBe(1);

      const otherBody = await request(env.http)
        .post(backups())
        .set({ ...bearer(key), [IDEMPOTENCY_KEY_HEADER]: idempotencyKey })
        .send({ types: ['users'] })
        .expect(422);
      expect(await codeOf(otherBody)).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await runCount()).toBe(1);
    });

    it('runs concurrent duplicates once', async () => {
      const idempotencyKey = randomUUID();
      const send = () =>
        request(env.http)
          .post(backups())
          .set({ ...bearer(key), [IDEMPOTENCY_KEY_HEADER]: idempotencyKey })
          .send({});

      const answers = await Promise.all([send(), send(), send()]);

      const started = answers.filter((a) => a.status === 202).map((a) => String(a.body.runId));
      expect(started.length).toBeGreaterThan(0);
      expect(new Set(started).size).toBe(1);
      for (const answer of answers.filter((a) => a.status !== 202)) {
        expect(answer.status).toBe(409);
        expect(await codeOf(answer)).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
      }
      await waitForEnd(started[0]!);
      expect(await runCount()).toBe(2);
    });

    it('frees the key when the request failed, and refuses a malformed key', async () => {
      const idempotencyKey = randomUUID();
      const invalid = await request(env.http)
        .post(backups())
        .set({ ...bearer(key), [IDEMPOTENCY_KEY_HEADER]: idempotencyKey })
        .send({ types: ['no-such-type'] })
        .expect(400);
      expect(await codeOf(invalid)).toBe('VALIDATION_FAILED');
      const retried = await request(env.http)
        .post(backups())
        .set({ ...bearer(key), [IDEMPOTENCY_KEY_HEADER]: idempotencyKey })
        .send({})
        .expect(202);
      await waitForEnd(String(retried.body.runId));
      expect(await runCount()).toBe(3);
      const malformed = await request(env.http)
        .post(backups())
        .set({ ...bearer(key), [IDEMPOTENCY_KEY_HEADER]: 'x'.repeat(300) })
        .send({})
        .expect(400);
      expect(await codeOf(malformed)).toBe('IDEMPOTENCY_KEY_INVALID');
    });

    it('pages through the runs by cursor, and refuses a cursor it did not give out', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await request(env.http)
          .get(backups())
          .query(cursor === null ? { pageSize: 1 } : { cursor })
          .set(bearer(key))
          .expect(200);
        seen.push(...(res.body.items as Array<{ runId: string }>).map((r) => r.runId));
        cursor = res.body.nextCursor as string | null;
      } while (cursor !== null);
      expect(new Set(seen).size).toBe(3);
      const badCursor = await request(env.http).get(backups()).query({ cursor: 'not-ours' }).set(bearer(key));
      expect(badCursor.status).toBe(400);
      expect(await codeOf(badCursor)).toBe('VALIDATION_FAILED');
    });
  });

  it('documents the bearer scheme and the permission of every operation', async () => {
    const res = await request(env.http).get('/api/docs-json').expect(200);
    const document = res.body as {
      components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };

    expect(document.components.securitySchemes['apiKey']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes['session']).toMatchObject({ type: 'apiKey' });
    let operations = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        operations += 1;
        const permission = operation['x-required-permission'];
        expect({ path, method, permission }).toEqual({ path, method, permission: expect.any(String) });
        if (permission !== 'public' && permission !== 'session') {
          expect(operation['description']).toContain(`**Requires permission:** \`${String(permission)}\``);
          expect(operation['security']).toEqual([{ apiKey: [] }, { session: [] }]);
        }
      }
    }
    expect(operations).toBeGreaterThan(30);
    const trigger = document.paths['/api/tenants/{tenantId}/backups']?.['post'] as {
      parameters: Array<{ name: string; in: string }>;
      responses: Record<string, unknown>;
    };
    expect(trigger.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
    expect(Object.keys(trigger.responses)).toEqual(expect.arrayContaining(['202', '409', '422', '429']));
    const schemas = (res.body as { components: { schemas: Record<string, { example?: unknown }> } })
      .components.schemas;
    for (const name of ['CreatedApiKeyDto', 'CreateTenantApiKeyDto', 'StartBackupResponseDto', 'TenantDto']) {
      expect({ name, example: typeof schemas[name]?.example }).toEqual({ name, example: 'object' });
    }
    const v1 = await request(env.http).get('/api/v1/docs-json').expect(200);
    expect(v1.body.info.description).toContain('/api/v1');
  });

  describe('rate limits', () => {
    let limited: EmulatorTestApp;
    let limitedAdmin: SignedIn;

    beforeAll(async () => {
      limited = await startAppWithEmulator(
        { ENTRA_BACKUP_API_RATE_LIMIT: '3', ENTRA_BACKUP_API_RATE_BURST: '0' },
        { emulator },
      );
      limitedAdmin = await signIn(limited, limited.admin);
    });

    afterAll(async () => {
      await limited.close();
    });

    it('answers 429 with Retry-After beyond a key’s limit, while another key carries on', async () => {
      const create = async (name: string) =>
        createdApiKeySchema.parse(
          (
            await limitedAdmin.agent
              .post(`/api/tenants/${limited.tenantId}/api-keys`)
              .set(CSRF_HEADER, limitedAdmin.csrfToken)
              .send({ name, scopes: ['read'] })
              .expect(201)
          ).body,
        ).key;
      const busy = await create('Busy');
      const calm = await create('Calm');
      const read = (key: string) =>
        request(limited.http).get(`/api/v1/tenants/${limited.tenantId}`).set(bearer(key));

      for (let i = 0; i < 3; i++) {
        const ok = await read(busy).expect(200);
        expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
      }
      const refused = await read(busy).expect(429);
      expect(await codeOf(refused)).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);

      await read(calm).expect(200);
      // People in the portal are not limited by the keys' limits.
      for (let i = 0; i < 5; i++)
        await limitedAdmin.agent.get(`/api/tenants/${limited.tenantId}`).expect(200);
    });
  });
});
