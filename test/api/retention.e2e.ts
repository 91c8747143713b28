import {
  CSRF_HEADER,
  DEFAULT_RETENTION_POLICY,
  auditPageSchema,
  errorBodySchema,
  pruneRunSchema,
  retentionPreviewSchema,
  retentionSettingsSchema,
} from '@entra-backup/common';
import { type EmulatorTestApp, type SignedIn, signIn, startAppWithEmulator } from './support/emulator-app';

jest.setTimeout(90_000);

/** The retention routes: defaults, validation, saving with audit, calculate effect, legal hold, prune. */
describe('Retention (e2e)', () => {
  let env: EmulatorTestApp;
  let admin: SignedIn;

  const url = () => `/api/tenants/${env.tenantId}/retention`;

  beforeAll(async () => {
    env = await startAppWithEmulator();
    admin = await signIn(env, env.admin);
  });

  afterAll(async () => {
    await env.close();
  });

  it('answers the default policy until one is saved', async () => {
    const body = retentionSettingsSchema.parse((await admin.agent.get(url()).expect(200)).body);
    expect(body).toMatchObject({ policy: DEFAULT_RETENTION_POLICY, isDefault: true, legalHold: false });
  });

  it('refuses an invalid policy with 400 and a message naming the field', async () => {
    const response = await admin.agent
      .put(url())
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ policy: { ...DEFAULT_RETENTION_POLICY, keepAllDays: 0 } })
      .expect(400);
    const error = errorBodySchema.parse(response.body);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('keepAllDays');
    await admin.agent
      .post(`${url()}/preview`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ policy: { ...DEFAULT_RETENTION_POLICY, monthlyMonths: -1 } })
      .expect(400);
  });

  it('saves a policy and a legal hold, audits both, and a prune under the hold does nothing', async () => {
    const policy = { ...DEFAULT_RETENTION_POLICY, monthlyMonths: 24 };
    const preview = retentionPreviewSchema.parse(
      (
        await admin.agent
          .post(`${url()}/preview`)
          .set(CSRF_HEADER, admin.csrfToken)
          .send({ policy })
          .expect(200)
      ).body,
    );
    expect(preview).toMatchObject({ policy, snapshotsKept: 0, snapshotsPruned: [] });

    const saved = await admin.agent
      .put(url())
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ policy, legalHold: true, legalHoldReason: 'Case 42' })
      .expect(200);
    expect(retentionSettingsSchema.parse(saved.body)).toMatchObject({
      policy,
      isDefault: false,
      legalHold: true,
      legalHoldReason: 'Case 42',
    });

    const run = pruneRunSchema.parse(
      (await admin.agent.post(`${url()}/prune`).set(CSRF_HEADER, admin.csrfToken).expect(200)).body,
    );
    expect(run).toMatchObject({ status: 'held', trigger: 'api' });

    const audit = auditPageSchema.parse(
      (
        await admin.agent
          .get(`/api/tenants/${env.tenantId}/audit`)
          .query({ action: 'retention.*' })
          .expect(200)
      ).body,
    );
    expect(audit.items.map((e) => e.action).sort()).toEqual([
      'retention.legal-hold-placed',
      'retention.prune',
      'retention.updated',
    ]);
  });
});
