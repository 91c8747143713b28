import { WebhookSink } from '../../apps/api/test/support/alert-sinks';
import {
  alertSettingsSchema,
  auditPageSchema,
  createdNotificationRecipientSchema,
  CSRF_HEADER,
  errorBodySchema,
  notificationPageSchema,
  notificationRecipientListSchema,
  testNotificationResultSchema,
} from '@entra-backup/common';
import { verifyWebhookSignature } from '../../apps/api/src/modules/notifications/webhook-signature';
import { type EmulatorTestApp, type SignedIn, signIn, startAppWithEmulator } from './support/emulator-app';

jest.setTimeout(120_000);

/**
 * Notification recipients and alert settings through the REST API: a webhook's secret is shown
 * once and signs what the webhook receives, the delivery log shows each attempt, and bad input is
 * answered with the error body.
 */
describe('Notifications API (e2e)', () => {
  let env: EmulatorTestApp;
  let admin: SignedIn;
  const hooks = new WebhookSink();
  let hookUrl: string;

  const tenant = () => `/api/tenants/${env.tenantId}`;
  const post = (path: string, body: unknown) =>
    admin.agent
      .post(path)
      .set(CSRF_HEADER, admin.csrfToken)
      .send(body as object);

  beforeAll(async () => {
    hookUrl = await hooks.start();
    env = await startAppWithEmulator();
    admin = await signIn(env, env.admin);
  });

  afterAll(async () => {
    await env?.close();
    await hooks.stop();
  });

  it('adds a webhook with a secret shown once, signs a test post with it and logs the delivery', async () => {
    const created = createdNotificationRecipientSchema.parse(
      (
        await post(`${tenant()}/notification-recipients`, { channel: 'webhook', address: hookUrl }).expect(
          201,
        )
      ).body,
    );
    expect(created.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const listed = (await admin.agent.get(`${tenant()}/notification-recipients`).expect(200)).body as unknown;
    expect(notificationRecipientListSchema.parse(listed).items).toEqual([
      expect.objectContaining({ id: created.id, channel: 'webhook', address: hookUrl }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.secret!);

    const test = testNotificationResultSchema.parse(
      (await post(`${tenant()}/notification-recipients/${created.id}/test`, {}).expect(200)).body,
    );

    const [received] = hooks.received;
    expect(JSON.parse(received!.body)).toMatchObject({ kind: 'notifications.test', tenantId: env.tenantId });
    expect(received!.headers['x-entrabackup-delivery']).toBe(test.notificationId);
    expect(
      verifyWebhookSignature({
        secret: created.secret!,
        body: received!.body,
        signature: received!.headers['x-entrabackup-signature'] as string,
        timestamp: received!.headers['x-entrabackup-timestamp'] as string,
        nowSeconds: Math.floor(Date.now() / 1000),
      }),
    ).toBe(true);
    const log = notificationPageSchema.parse(
      (await admin.agent.get(`${tenant()}/notifications`).expect(200)).body,
    );
    expect(log.items.find((n) => n.id === test.notificationId)).toMatchObject({
      status: 'sent',
      attempts: 1,
      attemptLog: [expect.objectContaining({ attempt: 1, outcome: 'sent' })],
    });

    // The audit trail names the webhook's host, never its path (which may carry a token).
    const audit = auditPageSchema.parse(
      (
        await admin.agent
          .get(`${tenant()}/audit`)
          .query({ action: 'notifications.recipient-added' })
          .expect(200)
      ).body,
    );
    expect(JSON.stringify(audit.items)).toContain(new URL(hookUrl).host);
    expect(JSON.stringify(audit.items)).not.toContain('/hooks/entra-backup');

    await admin.agent
      .delete(`${tenant()}/notification-recipients/${created.id}`)
      .set(CSRF_HEADER, admin.csrfToken)
      .expect(204);
    const gone = await admin.agent
      .delete(`${tenant()}/notification-recipients/${created.id}`)
      .set(CSRF_HEADER, admin.csrfToken)
      .expect(404);
    expect(errorBodySchema.parse(gone.body).code).toBe('NOTIFICATION_RECIPIENT_NOT_FOUND');
  });

  it('refuses an address that is not one, with the error body', async () => {
    const refused = await post(`${tenant()}/notification-recipients`, {
      channel: 'email',
      address: 'not-an-address',
    }).expect(400);

    expect(errorBodySchema.parse(refused.body)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(refused.body)).toContain('Enter a mail address');
  });

  it('keeps the thresholds and the digest choice, refusing a threshold below 1', async () => {
    expect(
      alertSettingsSchema.parse((await admin.agent.get(`${tenant()}/alert-settings`).expect(200)).body),
    ).toEqual({
      massDeletionThreshold: 20,
      bitlockerReadThreshold: 10,
      dailyDigest: false,
    });
    const next = { massDeletionThreshold: 5, bitlockerReadThreshold: 3, dailyDigest: true };

    await admin.agent
      .put(`${tenant()}/alert-settings`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send(next)
      .expect(200);
    const refused = await admin.agent
      .put(`${tenant()}/alert-settings`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ ...next, massDeletionThreshold: 0 })
      .expect(400);

    expect(errorBodySchema.parse(refused.body).code).toBe('VALIDATION_FAILED');
    expect((await admin.agent.get(`${tenant()}/alert-settings`).expect(200)).body).toEqual(next);
  });
});
