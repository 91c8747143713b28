import { CSRF_HEADER, errorBodySchema } from '@entra-backup/common';
import { type EmulatorTestApp, type SignedIn, signIn, startAppWithEmulator } from './support/emulator-app';

jest.setTimeout(90_000);

const PLAN = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const RESTORE = '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d';

/**
 * The REST surface of restores up to the engine: access, the browser's own-tenant rule, consent,
 * validation and the OpenAPI document. Everything here is refused before a plan is computed, so
 * it holds whatever the engine does; restores that run are covered with the engine.
 */
describe('Restores over REST (e2e)', () => {
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

  function expectError(body: unknown, statusCode: number, code: string) {
    const parsed = errorBodySchema.parse(body);
    expect(parsed).toMatchObject({ statusCode, code });
    return parsed;
  }

  it('refuses to restore into another tenant from a browser session, pointing to the CLI', async () => {
    const res = await post(`${tenant()}/restore-plans`)
      .send({ snapshotId: 'latest', targetTenantId: env.otherTenantId })
      .expect(403);

    const error = expectError(res.body, 403, 'TENANT_FORBIDDEN');
    expect(error.message).toContain('entra-backup restore --to-tenant');
  });

  it('asks for admin consent before computing a plan', async () => {
    const res = await post(`${tenant()}/restore-plans`).send({ snapshotId: 'latest' }).expect(409);

    expectError(res.body, 409, 'CONSENT_REQUIRED');
  });

  it('asks for admin consent before executing a plan', async () => {
    const res = await post(`${tenant()}/restores`).send({ planId: PLAN }).expect(409);

    expectError(res.body, 409, 'CONSENT_REQUIRED');
  });

  it.each([
    ['no snapshot', {}],
    ['an unknown type', { snapshotId: 'latest', types: ['printers'] }],
    [
      'properties without exactly one id',
      { snapshotId: 'latest', ids: ['a', 'b'], properties: ['jobTitle'] },
    ],
    ['an unknown field', { snapshotId: 'latest', dryRun: true }],
    ['a target that is not a tenant id', { snapshotId: 'latest', targetTenantId: 'fabrikam' }],
  ])('answers 400 for a plan request with %s', async (_case, body) => {
    const res = await post(`${tenant()}/restore-plans`).send(body).expect(400);

    expectError(res.body, 400, 'VALIDATION_FAILED');
  });

  it.each([
    ['GET', '/restore-plans/not-a-plan'],
    ['GET', '/restore-plans/not-a-plan/actions'],
    ['GET', `/restore-plans/${PLAN}/actions?pageSize=1000`],
    ['GET', '/restores/not-a-restore'],
    ['GET', '/restores?page=0'],
    ['GET', '/restores/not-a-restore/actions'],
    ['GET', '/restores/not-a-restore/events'],
    ['POST', '/restores/not-a-restore/credentials'],
  ])('answers 400 for %s %s', async (method, path) => {
    const res = await (
      method === 'GET' ? admin.agent.get(`${tenant()}${path}`) : post(`${tenant()}${path}`)
    ).expect(400);

    expectError(res.body, 400, 'VALIDATION_FAILED');
  });

  it('answers 400 for an execute request without a plan', async () => {
    const res = await post(`${tenant()}/restores`).send({}).expect(400);

    expectError(res.body, 400, 'VALIDATION_FAILED');
  });

  it.each([
    ['/restore-plans', { snapshotId: 'latest' }],
    ['/restores', { planId: PLAN }],
    [`/restores/${RESTORE}/credentials`, {}],
  ])('needs the CSRF header to POST %s', async (path, body) => {
    const res = await admin.agent.post(`${tenant()}${path}`).send(body).expect(403);

    expectError(res.body, 403, 'CSRF_TOKEN_INVALID');
  });

  it("refuses another tenant's routes and ordinary users", async () => {
    const other = `/api/tenants/${env.otherTenantId}`;
    expectError((await admin.agent.get(`${other}/restores`).expect(403)).body, 403, 'TENANT_FORBIDDEN');
    expectError(
      (await post(`${other}/restore-plans`).send({ snapshotId: 'latest' }).expect(403)).body,
      403,
      'TENANT_FORBIDDEN',
    );

    const member = await signIn(env, env.member);
    expectError((await member.agent.get(`${tenant()}/restores`).expect(403)).body, 403, 'NO_ACCESS');
  });

  it('documents the restore endpoints in OpenAPI with the shared schemas', async () => {
    const res = await admin.agent.get('/api/docs-json').expect(200);
    const paths = res.body.paths as Record<
      string,
      Record<string, { responses: Record<string, { content?: object }> }>
    >;
    const methods = (path: string) => Object.keys(paths[`/api/tenants/{tenantId}${path}`] ?? {});
    expect(methods('/restore-plans')).toEqual(['post']);
    expect(methods('/restore-plans/{planId}')).toEqual(['get']);
    expect(methods('/restore-plans/{planId}/actions')).toEqual(['get']);
    expect(methods('/restores').sort()).toEqual(['get', 'post']);
    expect(methods('/restores/{restoreId}')).toEqual(['get']);
    expect(methods('/restores/{restoreId}/actions')).toEqual(['get']);
    expect(methods('/restores/{restoreId}/events')).toEqual(['get']);
    expect(methods('/restores/{restoreId}/credentials')).toEqual(['post']);

    const op = (path: string, method: string) => paths[`/api/tenants/{tenantId}${path}`]?.[method];
    expect(Object.keys(op('/restore-plans', 'post')?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '403', '404', '409']),
    );
    expect(Object.keys(op('/restores', 'post')?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '403', '404', '409']),
    );
    expect(Object.keys(op('/restores/{restoreId}/credentials', 'post')?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '403', '404', '410']),
    );
    expect(Object.keys(op('/restores/{restoreId}/events', 'get')?.responses['200']?.content ?? {})).toEqual([
      'text/event-stream',
    ]);
    const schemas = res.body.components.schemas as Record<string, unknown>;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'CreateRestorePlanDto',
        'RestorePlanSummaryDto',
        'RestoreActionPageDto',
        'ExecuteRestoreDto',
        'ExecuteRestoreResponseDto',
        'RestoreRunDto',
        'RestoreRunPageDto',
        'RestoreCredentialListDto',
      ]),
    );
  });
});
