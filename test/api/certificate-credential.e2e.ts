import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupRunListItemSchema, CSRF_HEADER } from '@entra-backup/common';
import { GraphClientFactory } from '@entra-backup/graph';
import { type RunningEmulator, startEmulator } from '@entra-backup/graph-emulator';
import { createClientCertificate } from '../../libs/graph/test/support/test-pki';
import { requiredAppRoles } from '../../apps/api/src/modules/consent/consent-permissions';
import {
  type EmulatorTestApp,
  grantConsent,
  type SignedIn,
  signIn,
  startAppWithEmulator,
  TEST_CLIENT_ID,
  TEST_PUBLIC_URL,
} from './support/emulator-app';

jest.setTimeout(90_000);

/**
 * The product configured with AZURE_CLIENT_CERTIFICATE_PATH instead of a client secret, against an
 * emulator whose app registration has a certificate and no secret at all: sign-in (authorization
 * code redeemed with a client assertion), consent, app-only Graph calls and a backup must all work.
 */
describe('Certificate credential (e2e)', () => {
  let workDir: string;
  let emulator: RunningEmulator;
  let env: EmulatorTestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'entra-backup-cert-e2e-'));
    const certificate = createClientCertificate();
    const certificatePath = join(workDir, 'app.pem');
    await writeFile(certificatePath, `${certificate.privateKeyPem}\n${certificate.certificatePem}`, {
      mode: 0o600,
    });
    emulator = await startEmulator({
      port: 0,
      dataDir: join(workDir, 'emulator'),
      tenants: 2,
      usersPerTenant: 40,
      seed: 11,
      apps: [
        {
          clientId: TEST_CLIENT_ID,
          certificatePem: certificate.certificatePem,
          displayName: 'Entra Backup (e2e, certificate)',
          redirectUris: [`${TEST_PUBLIC_URL}/api/auth/callback`, `${TEST_PUBLIC_URL}/api/consent/callback`],
          requiredAppRoles: requiredAppRoles(),
        },
      ],
    });
    env = await startAppWithEmulator(
      { AZURE_CLIENT_SECRET: undefined, AZURE_CLIENT_CERTIFICATE_PATH: certificatePath },
      { emulator },
    );
  });

  afterAll(async () => {
    await env?.close();
    await emulator?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('signs in: the authorization code is redeemed with the certificate', async () => {
    admin = await signIn(env, env.admin);

    const session = await admin.agent.get('/api/auth/session').expect(200);
    expect(session.body).toMatchObject({ authenticated: true });
  });

  it('calls Graph app-only through the product client factory', async () => {
    await grantConsent(env, admin);
    const factory = env.app.get(GraphClientFactory);

    await expect(factory.getGrantedAppRoles(env.tenantId)).resolves.toEqual(
      expect.arrayContaining(['User.Read.All']),
    );
    const page = await factory.forTenant(env.tenantId).get<{ value: unknown[] }>('/users', {
      query: { $top: '5' },
    });
    expect(page.value.length).toBeGreaterThan(0);
  });

  it('runs a backup', async () => {
    const backups = `/api/tenants/${env.tenantId}/backups`;
    await admin.agent
      .put(`/api/tenants/${env.tenantId}/settings`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ enabledTypes: { users: true, groups: true } })
      .expect(200);

    const started = await admin.agent.post(backups).set(CSRF_HEADER, admin.csrfToken).send({}).expect(202);
    const runId = String(started.body.runId);
    let run = backupRunListItemSchema.parse((await admin.agent.get(`${backups}/${runId}`).expect(200)).body);
    for (let attempt = 0; run.status === 'running' && attempt < 300; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = backupRunListItemSchema.parse((await admin.agent.get(`${backups}/${runId}`).expect(200)).body);
    }

    expect(run).toMatchObject({ runId, status: 'completed' });
    expect(run.summary?.types.users).toMatchObject({ status: 'succeeded' });
    expect(run.summary?.types.users?.objects).toBeGreaterThan(0);
  });
});
