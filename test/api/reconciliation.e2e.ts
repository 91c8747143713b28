import { CSRF_HEADER, errorBodySchema, reconciliationPolicySchema } from '@entra-backup/common';
import { type EmulatorTestApp, type SignedIn, signIn, startAppWithEmulator } from './support/emulator-app';

// The test boots the application (Nest + migrations); leave room on a busy CI machine.
jest.setTimeout(60_000);

describe('The reconciliation interval (e2e)', () => {
  let env: EmulatorTestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    env = await startAppWithEmulator();
    admin = await signIn(env, env.admin);
  });

  afterAll(async () => {
    await env.close();
  });

  const path = () => `/api/tenants/${env.tenantId}/settings/reconciliation`;
  const put = (body: unknown) =>
    admin.agent
      .put(path())
      .set(CSRF_HEADER, admin.csrfToken)
      .send(body as object);

  it('is weekly by default, changes per tenant, and rejects what is not 1 to 90 whole days', async () => {
    const initial = await admin.agent.get(path()).expect(200);
    expect(reconciliationPolicySchema.parse(initial.body)).toEqual({
      tenantId: env.tenantId,
      everyDays: 7,
      isDefault: true,
      updatedAt: null,
    });

    const changed = await put({ everyDays: 3 }).expect(200);
    expect(changed.body).toMatchObject({ everyDays: 3, isDefault: false, updatedAt: expect.any(String) });
    await expect(admin.agent.get(path())).resolves.toMatchObject({ body: changed.body });

    for (const body of [
      { everyDays: 0 },
      { everyDays: 91 },
      { everyDays: 1.5 },
      { everyDays: 3, other: 1 },
      {},
    ]) {
      const refused = await put(body).expect(400);
      expect(errorBodySchema.parse(refused.body)).toMatchObject({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    await expect(admin.agent.get(path())).resolves.toMatchObject({ body: { everyDays: 3 } });
  });
});
