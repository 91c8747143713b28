import { CSRF_HEADER, OBJECT_TYPE_KEYS, errorBodySchema } from '@entra-backup/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '@entra-backup/graph-emulator';
import request from 'supertest';
import type { App } from 'supertest/types';
import {
  type EmulatorTestApp,
  grantConsent,
  type SignedIn,
  signIn,
  startAppWithEmulator,
  startTestEmulator,
} from './support/emulator-app';

// Every test boots the application (Nest + migrations); leave room on a busy CI machine.
jest.setTimeout(60_000);

/** A tenant other than the signed-in admin's. */
const OTHER_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('API (e2e)', () => {
  let emulatorDir: string;
  let emulator: RunningEmulator;
  let env: EmulatorTestApp;
  let http: App;
  let admin: SignedIn;
  /** The signed-in admin's tenant, registered at sign-in. */
  let TENANT: string;

  beforeAll(async () => {
    emulatorDir = await mkdtemp(join(tmpdir(), 'entra-backup-e2e-emulator-'));
    emulator = await startTestEmulator(emulatorDir);
  });

  afterAll(async () => {
    await emulator.stop();
    await rm(emulatorDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    emulator.reset();
    env = await startAppWithEmulator({}, { emulator });
    http = env.http;
    admin = await signIn(env, env.admin);
    TENANT = env.tenantId;
  });

  afterEach(async () => {
    await env.close();
  });

  /** The signed-in admin's agent; state-changing calls carry the CSRF header. */
  const as = {
    get: (path: string) => admin.agent.get(path),
    post: (path: string) => admin.agent.post(path).set(CSRF_HEADER, admin.csrfToken),
    put: (path: string) => admin.agent.put(path).set(CSRF_HEADER, admin.csrfToken),
    delete: (path: string) => admin.agent.delete(path).set(CSRF_HEADER, admin.csrfToken),
  };

  function expectErrorBody(body: unknown, statusCode: number, code: string) {
    const parsed = errorBodySchema.parse(body);
    expect(parsed).toMatchObject({ statusCode, code });
    expect(parsed.message.length).toBeGreaterThan(0);
    expect(parsed.correlationId.length).toBeGreaterThan(0);
    return parsed;
  }

  describe('health', () => {
    it('answers 200 with the database up', async () => {
      const res = await request(http).get('/api/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    });
  });

  describe('correlation id', () => {
    it('echoes a sane caller id in the header and error body', async () => {
      const res = await request(http).get('/api/nope').set('x-correlation-id', 'req-123.abc').expect(404);
      expect(res.headers['x-correlation-id']).toBe('req-123.abc');
      expectErrorBody(res.body, 404, 'NOT_FOUND');
      expect(res.body.correlationId).toBe('req-123.abc');
    });

    it('replaces an unsafe id with a generated one', async () => {
      const res = await request(http)
        .get('/api/health')
        .set('x-correlation-id', 'bad id\twith spaces')
        .expect(200);
      expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('tenants', () => {
    it("lists and gets the signed-in admin's tenant, registered at sign-in", async () => {
      const list = await as.get('/api/tenants').expect(200);
      expect(list.body.items).toHaveLength(1);
      const tenant = list.body.items[0] as { tenantId: string; createdAt: string };
      expect(tenant.tenantId).toBe(TENANT);
      expect(new Date(tenant.createdAt).toISOString()).toBe(tenant.createdAt);

      await expect(as.get(`/api/tenants/${TENANT.toUpperCase()}`)).resolves.toMatchObject({
        status: 200,
        body: tenant,
      });
    });

    it('answers 409 TENANT_EXISTS for the own, already registered tenant', async () => {
      const res = await as.post('/api/tenants').send({ tenantId: TENANT, displayName: 'Again' }).expect(409);
      expectErrorBody(res.body, 409, 'TENANT_EXISTS');
      expect(res.body.message).toContain(TENANT);
    });

    it('answers 403 TENANT_FORBIDDEN for another tenant', async () => {
      const get = await as.get(`/api/tenants/${OTHER_TENANT}`).expect(403);
      expectErrorBody(get.body, 403, 'TENANT_FORBIDDEN');
      const post = await as
        .post('/api/tenants')
        .send({ tenantId: OTHER_TENANT, displayName: 'Contoso' })
        .expect(403);
      expectErrorBody(post.body, 403, 'TENANT_FORBIDDEN');
    });

    it.each([
      ['a non-GUID id', { tenantId: 'contoso', displayName: 'Contoso' }, ['tenantId must be a GUID']],
      ['an empty name', { tenantId: TENANT, displayName: '   ' }, ['displayName must not be empty']],
      ['missing fields', {}, ['tenantId', 'displayName']],
      ['an unknown field', { tenantId: TENANT, displayName: 'C', extra: 1 }, ['unknown key: extra']],
      ['a wrong type', { tenantId: TENANT, displayName: 42 }, ['displayName']],
      ['an array body', [1, 2], ['body']],
    ])('rejects %s with 400 VALIDATION_FAILED naming the field', async (_case, body, mentions) => {
      const res = await as
        .post('/api/tenants')
        .send(body as object)
        .expect(400);
      const error = expectErrorBody(res.body, 400, 'VALIDATION_FAILED');
      for (const mention of mentions) expect(error.message).toContain(mention);
    });

    it('rejects malformed JSON with 400 MALFORMED_JSON', async () => {
      const res = await as
        .post('/api/tenants')
        .set('content-type', 'application/json')
        .set('x-correlation-id', 'json-1')
        .send('{"tenantId": ')
        .expect(400);
      expectErrorBody(res.body, 400, 'MALFORMED_JSON');
      expect(res.body.correlationId).toBe('json-1');
    });

    it('rejects a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const res = await as
        .post('/api/tenants')
        .set('content-type', 'text/plain')
        .send('tenantId=x')
        .expect(415);
      expect(expectErrorBody(res.body, 415, 'UNSUPPORTED_MEDIA_TYPE').message).toMatch(/must be JSON/);
    });

    it('rejects an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await as
        .post('/api/tenants')
        .send({ tenantId: TENANT, displayName: 'x'.repeat(2 * 1024 * 1024) })
        .expect(413);
      expectErrorBody(res.body, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('rejects a bad GUID in the path with 400', async () => {
      const res = await as.get('/api/tenants/not-a-guid').expect(400);
      expect(expectErrorBody(res.body, 400, 'VALIDATION_FAILED').message).toContain(
        'tenantId must be a GUID',
      );
    });
  });

  describe('settings', () => {
    it('starts with all 14 types off', async () => {
      const res = await as.get(`/api/tenants/${TENANT}/settings`).expect(200);
      expect(Object.keys(res.body.enabledTypes as object)).toEqual([...OBJECT_TYPE_KEYS]);
      expect(Object.values(res.body.enabledTypes as object).every((v) => v === false)).toBe(true);
    });

    it('applies a partial update and keeps the other types', async () => {
      await grantConsent(env, admin);
      await as
        .put(`/api/tenants/${TENANT}/settings`)
        .send({ enabledTypes: { users: true, groups: true } })
        .expect(200);
      const res = await as
        .put(`/api/tenants/${TENANT}/settings`)
        .send({ enabledTypes: { groups: false, devices: true } })
        .expect(200);

      expect(res.body.enabledTypes).toMatchObject({
        users: true,
        groups: false,
        devices: true,
        signInLogs: false,
      });
      const read = await as.get(`/api/tenants/${TENANT}/settings`).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it('names every unknown key with 400 VALIDATION_FAILED', async () => {
      const res = await as
        .put(`/api/tenants/${TENANT}/settings`)
        .send({ enabledTypes: { users: true, bogus: true, nope: false } })
        .expect(400);
      expect(expectErrorBody(res.body, 400, 'VALIDATION_FAILED').message).toBe(
        'enabledTypes has unknown keys: bogus, nope',
      );
    });

    it.each([
      ['a non-boolean value', { enabledTypes: { users: 'yes' } }, 'enabledTypes.users'],
      ['a missing enabledTypes', {}, 'enabledTypes'],
      ['an unknown top-level key', { enabledTypes: {}, other: 1 }, 'other'],
    ])('rejects %s with 400', async (_case, body, mention) => {
      const res = await as.put(`/api/tenants/${TENANT}/settings`).send(body).expect(400);
      expect(expectErrorBody(res.body, 400, 'VALIDATION_FAILED').message).toContain(mention);
    });

    it('answers 403 for another tenant and 400 for a bad id', async () => {
      const get = await as.get(`/api/tenants/${OTHER_TENANT}/settings`).expect(403);
      expectErrorBody(get.body, 403, 'TENANT_FORBIDDEN');
      const put = await as
        .put(`/api/tenants/${OTHER_TENANT}/settings`)
        .send({ enabledTypes: { users: true } })
        .expect(403);
      expectErrorBody(put.body, 403, 'TENANT_FORBIDDEN');
      const bad = await as.put('/api/tenants/xyz/settings').send({ enabledTypes: {} }).expect(400);
      expectErrorBody(bad.body, 400, 'VALIDATION_FAILED');
      const badGet = await as.get('/api/tenants/xyz/settings').expect(400);
      expectErrorBody(badGet.body, 400, 'VALIDATION_FAILED');
    });

    it('rejects malformed JSON with 400', async () => {
      const res = await as
        .put(`/api/tenants/${TENANT}/settings`)
        .set('content-type', 'application/json')
        .send('{enabledTypes: true}')
        .expect(400);
      expectErrorBody(res.body, 400, 'MALFORMED_JSON');
    });
  });

  describe('unknown routes', () => {
    it.each([
      ['GET', '/api/nope'],
      ['POST', '/api/tenants/x/y/z'],
      ['DELETE', `/api/tenants/${OTHER_TENANT}`],
      ['GET', '/'],
    ])('%s %s answers 404 NOT_FOUND with the error body', async (method, path) => {
      const res = await as[method.toLowerCase() as 'get' | 'post' | 'delete'](path).expect(404);
      expectErrorBody(res.body, 404, 'NOT_FOUND');
    });
  });

  describe('OpenAPI', () => {
    it('serves the document listing every endpoint', async () => {
      const res = await request(http).get('/api/docs-json').expect(200);
      const paths = res.body.paths as Record<string, Record<string, unknown>>;
      expect(Object.keys(paths['/api/tenants'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
      expect(Object.keys(paths['/api/tenants/{tenantId}'] ?? {})).toEqual(['get']);
      expect(Object.keys(paths['/api/tenants/{tenantId}/settings'] ?? {})).toEqual(
        expect.arrayContaining(['get', 'put']),
      );
      expect(Object.keys(paths['/api/health'] ?? {})).toEqual(['get']);
      const schemas = res.body.components.schemas as Record<string, unknown>;
      expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['CreateTenantDto', 'ErrorBodyDto']));
    });

    it('serves Swagger UI', async () => {
      const res = await request(http).get('/api/docs').expect(200);
      expect(res.text).toContain('swagger-ui');
    });
  });
});
