import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type {
  AlertConfigRepository,
  AttemptOutcome,
  NotificationAttemptRecord,
  NotificationRecipientRecord,
  NotificationRecord,
  NotificationRepository,
} from '../../persistence/repositories';
import type { PayloadCodec } from '../backup-storage/codec/payload-codec';
import { Mailer, type OutgoingMail, WebhookClient, type WebhookRequest } from './notification-channels';
import { NotificationException } from './notification.exception';
import {
  DEFAULT_DELIVERY_POLICY,
  type NotificationMessage,
  NotificationService,
} from './notification.service';
import { verifyWebhookSignature, webhookSecretContext } from './webhook-signature';

const NOW = new Date('2026-12-07T10:00:00.000Z');
const TENANT = '5b1d3c2a-8f6e-4d7c-9a0b-1c2d3e4f5a6b';
const SECRET = 'whsec_0123456789abcdef';

class RecordingMailer extends Mailer {
  readonly sent: OutgoingMail[] = [];
  failure: Error | undefined;

  constructor(readonly configured: boolean) {
    super();
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.sent.push(mail);
  }

  close(): void {}
}

class RecordingWebhooks extends WebhookClient {
  readonly posted: WebhookRequest[] = [];
  /** Answers to give, one per call; after them, success. */
  failures: Error[] = [];

  async post(request: WebhookRequest): Promise<void> {
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    this.posted.push(request);
  }
}

/** The outbox in memory, with the repository's claim semantics. */
class MemoryOutbox {
  readonly rows = new Map<string, NotificationRecord>();
  readonly attempts: NotificationAttemptRecord[] = [];

  async insertMany(rows: readonly NotificationRecord[]) {
    for (const row of rows) this.rows.set(row.id, { ...row });
  }
  async findDue(now: Date) {
    return [...this.rows.values()]
      .filter((r) => r.status === 'pending' && r.nextAttemptAt !== null && r.nextAttemptAt <= now)
      .map((r) => ({ ...r }));
  }
  async claim(row: NotificationRecord, holdUntil: Date) {
    const stored = this.rows.get(row.id)!;
    if (stored.status !== 'pending' || stored.attempts !== row.attempts) return false;
    Object.assign(stored, { attempts: row.attempts + 1, nextAttemptAt: holdUntil });
    return true;
  }
  async recordAttempt(id: string, o: AttemptOutcome, error: string | null) {
    this.attempts.push({
      notificationId: id,
      attempt: o.attempt,
      at: o.at,
      outcome: o.outcome,
      detail: o.detail,
    });
    Object.assign(this.rows.get(id)!, {
      status: o.status,
      error,
      nextAttemptAt: o.nextAttemptAt,
      sentAt: o.status === 'sent' ? o.at : null,
    });
  }
  async findHeld(tenantId: string) {
    return [...this.rows.values()].filter((r) => r.tenantId === tenantId && r.status === 'held');
  }
  async digest(rows: readonly NotificationRecord[], heldIds: readonly string[]) {
    await this.insertMany(rows);
    for (const id of heldIds) this.rows.get(id)!.status = 'digested';
  }
  async page() {
    return [];
  }
  only(): NotificationRecord {
    expect(this.rows.size).toBe(1);
    return [...this.rows.values()][0]!;
  }
}

const MESSAGE: NotificationMessage = {
  kind: 'backup.failed',
  tenantId: TENANT,
  partnerId: null,
  subject: 'Backup failed',
  body: 'The app is not consented to in this tenant.',
  data: { runId: 'r1' },
};

const WEBHOOK = {
  channel: 'webhook' as const,
  recipient: 'https://hooks.contoso.test/a',
  recipientId: 'rcp-1',
};

describe(NotificationService.name, () => {
  let outbox: MemoryOutbox;
  let recipients: jest.Mocked<AlertConfigRepository>;
  let codec: jest.Mocked<PayloadCodec>;
  let webhooks: RecordingWebhooks;
  let clock: FixedClock;

  function build(mailer: Mailer = new RecordingMailer(true)): NotificationService {
    return new NotificationService(
      outbox as unknown as NotificationRepository,
      recipients,
      codec,
      mailer,
      webhooks,
      clock,
    );
  }

  beforeEach(() => {
    outbox = new MemoryOutbox();
    recipients = strictDouble<AlertConfigRepository>('AlertConfigRepository');
    recipients.findRecipientById.mockImplementation(async (id) =>
      id === 'rcp-1'
        ? ({ id, secretSealed: Buffer.from('sealed').toString('base64') } as NotificationRecipientRecord)
        : null,
    );
    codec = strictDouble<PayloadCodec>('PayloadCodec');
    codec.openText.mockImplementation((sealed, context) => {
      expect(context).toBe(webhookSecretContext('rcp-1'));
      expect(sealed.toString()).toBe('sealed');
      return SECRET;
    });
    webhooks = new RecordingWebhooks();
    clock = new FixedClock(NOW);
  });

  it('records one row when nobody is to be told', async () => {
    const sut = build();

    await (
      await sut.notify(MESSAGE, [])
    ).delivered;

    expect(outbox.only()).toMatchObject({
      channel: 'none',
      recipient: null,
      status: 'recorded',
      createdAt: NOW,
    });
  });

  it('records mail without sending it when no mail server is configured', async () => {
    const mailer = new RecordingMailer(false);
    const sut = build(mailer);

    await (
      await sut.notify(MESSAGE, [{ channel: 'email', recipient: 'soc@contoso.test' }])
    ).delivered;

    expect(outbox.only()).toMatchObject({ status: 'recorded', error: expect.stringContaining('SMTP_URL') });
    expect(mailer.sent).toEqual([]);
  });

  it('mails the message and posts the signed document to the webhook on the first attempt', async () => {
    const mailer = new RecordingMailer(true);
    const sut = build(mailer);

    await (
      await sut.notify(MESSAGE, [{ channel: 'email', recipient: 'soc@contoso.test' }, WEBHOOK])
    ).delivered;

    expect(mailer.sent).toEqual([
      {
        to: 'soc@contoso.test',
        subject: 'Backup failed',
        text: 'The app is not consented to in this tenant.',
      },
    ]);
    const [post] = webhooks.posted;
    expect(JSON.parse(post!.body)).toEqual({
      kind: 'backup.failed',
      subject: 'Backup failed',
      tenantId: TENANT,
      occurredAt: NOW.toISOString(),
      runId: 'r1',
    });
    const valid = (secret: string, body = post!.body) =>
      verifyWebhookSignature({
        secret,
        body,
        signature: post!.headers['x-entrabackup-signature'],
        timestamp: post!.headers['x-entrabackup-timestamp'],
        nowSeconds: NOW.getTime() / 1000,
      });
    expect(valid(SECRET)).toBe(true);
    expect(valid('whsec_other')).toBe(false);
    expect(valid(SECRET, post!.body.replace('r1', 'r2'))).toBe(false);
    expect([...outbox.rows.values()].map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['email', 'sent', 1],
      ['webhook', 'sent', 1],
    ]);
  });

  it('retries a failed webhook with exponential backoff, logging every attempt, until it is accepted', async () => {
    webhooks.failures = [
      new Error('the webhook answered HTTP 500'),
      new Error('the webhook answered HTTP 500'),
    ];
    const sut = build();

    await (
      await sut.notify(MESSAGE, [WEBHOOK])
    ).delivered;
    expect(outbox.only()).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: new Date(NOW.getTime() + 30_000),
    });

    clock.set(new Date(NOW.getTime() + 29_000));
    await expect(sut.deliverDue()).resolves.toBe(0);

    clock.set(new Date(NOW.getTime() + 30_000));
    await expect(sut.deliverDue()).resolves.toBe(1);
    expect(outbox.only()).toMatchObject({ attempts: 2, nextAttemptAt: new Date(NOW.getTime() + 90_000) });

    clock.set(new Date(NOW.getTime() + 90_000));
    await sut.deliverDue();

    expect(outbox.only()).toMatchObject({ status: 'sent', attempts: 3, nextAttemptAt: null });
    expect(outbox.attempts.map((a) => [a.attempt, a.outcome, a.detail])).toEqual([
      [1, 'failed', 'the webhook answered HTTP 500'],
      [2, 'failed', 'the webhook answered HTTP 500'],
      [3, 'sent', null],
    ]);
    // Every attempt posts the same document under the same delivery id.
    expect(webhooks.posted).toHaveLength(1);
    expect(webhooks.posted[0]!.headers['x-entrabackup-delivery']).toBe(outbox.only().id);
  });

  it('gives up after the last attempt', async () => {
    webhooks.failures = Array.from({ length: 20 }, () => new Error('the webhook answered HTTP 503'));
    const sut = build();
    await (
      await sut.notify(MESSAGE, [WEBHOOK])
    ).delivered;

    for (let i = 0; i < 20 && outbox.only().status === 'pending'; i++) {
      clock.set(outbox.only().nextAttemptAt!);
      await sut.deliverDue();
    }

    expect(outbox.only()).toMatchObject({
      status: 'failed',
      attempts: DEFAULT_DELIVERY_POLICY.maxAttempts,
      nextAttemptAt: null,
    });
    expect(webhooks.failures).toHaveLength(20 - DEFAULT_DELIVERY_POLICY.maxAttempts);
  });

  it('does not send what another process claimed first', async () => {
    webhooks.failures = [new Error('HTTP 500')];
    const sut = build();
    await (
      await sut.notify(MESSAGE, [WEBHOOK])
    ).delivered;
    clock.set(new Date(NOW.getTime() + 60_000));
    const due = await outbox.findDue(clock.now());
    await outbox.claim(due[0]!, new Date(NOW.getTime() + 10 * 60_000));

    await sut.deliverDue();

    expect(webhooks.posted).toEqual([]);
  });

  it('holds alerts for the digest, then sends one message per recipient with all of them', async () => {
    const mailer = new RecordingMailer(true);
    const sut = build(mailer);
    const soc = { channel: 'email' as const, recipient: 'soc@contoso.test' };
    await (
      await sut.notify({ ...MESSAGE, hold: true }, [soc, WEBHOOK])
    ).delivered;
    await (
      await sut.notify({ ...MESSAGE, subject: 'Backup partly failed', hold: true }, [soc])
    ).delivered;
    expect(mailer.sent).toEqual([]);

    await expect(sut.releaseDigest(TENANT, 'Contoso')).resolves.toBe(3);

    expect(mailer.sent).toEqual([
      expect.objectContaining({
        to: 'soc@contoso.test',
        subject: '2 alerts for Contoso',
        text: expect.stringMatching(/Backup failed[\s\S]*Backup partly failed/),
      }),
    ]);
    expect(JSON.parse(webhooks.posted[0]!.body)).toMatchObject({
      kind: 'alerts.digest',
      alerts: [expect.objectContaining({ kind: 'backup.failed' })],
    });
    expect([...outbox.rows.values()].filter((r) => r.status === 'digested')).toHaveLength(3);
    await expect(sut.releaseDigest(TENANT, 'Contoso')).resolves.toBe(0);
  });

  it('refuses a cursor it did not hand out', async () => {
    const sut = build();

    await expect(sut.page(TENANT, { limit: 10, cursor: '%%%' })).rejects.toBeInstanceOf(
      NotificationException,
    );
  });
});
