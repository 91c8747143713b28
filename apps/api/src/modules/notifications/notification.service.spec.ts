import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type { NotificationRecord, NotificationRepository } from '../../persistence/repositories';
import { Mailer, type OutgoingMail, WebhookClient } from './notification-channels';
import { NotificationException } from './notification.exception';
import { type NotificationMessage, NotificationService } from './notification.service';

const NOW = new Date('2026-12-07T10:00:00.000Z');
const TENANT = '5b1d3c2a-8f6e-4d7c-9a0b-1c2d3e4f5a6b';

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
  readonly posted: Array<{ url: string; payload: unknown }> = [];
  failure: Error | undefined;

  async post(url: string, payload: unknown): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.posted.push({ url, payload });
  }
}

const MESSAGE: NotificationMessage = {
  kind: 'emergency.sign-in',
  tenantId: TENANT,
  partnerId: null,
  subject: 'Emergency sign-in to Contoso',
  body: 'The break-glass account signed in.',
  data: { username: 'break.glass' },
};

describe(NotificationService.name, () => {
  let outbox: jest.Mocked<NotificationRepository>;
  let inserted: NotificationRecord[];
  let webhooks: RecordingWebhooks;

  function build(mailer: Mailer): NotificationService {
    return new NotificationService(outbox, mailer, webhooks, new FixedClock(NOW));
  }

  beforeEach(() => {
    outbox = strictDouble<NotificationRepository>('NotificationRepository');
    inserted = [];
    outbox.insertMany.mockImplementation(async (rows) => {
      inserted.push(...rows);
    });
    outbox.markDelivered.mockResolvedValue();
    webhooks = new RecordingWebhooks();
  });

  it('records one row when nobody is to be told', async () => {
    const sut = build(new RecordingMailer(true));

    const notified = await sut.notify(MESSAGE, []);
    await notified.delivered;

    expect(inserted).toEqual([
      expect.objectContaining({
        kind: 'emergency.sign-in',
        tenantId: TENANT,
        channel: 'none',
        recipient: null,
        status: 'recorded',
        createdAt: NOW,
      }),
    ]);
    expect(outbox.markDelivered).not.toHaveBeenCalled();
  });

  it('records mail without sending it when no mail server is configured', async () => {
    const mailer = new RecordingMailer(false);
    const sut = build(mailer);

    const notified = await sut.notify(MESSAGE, [{ channel: 'email', recipient: 'soc@contoso.test' }]);
    await notified.delivered;

    expect(inserted[0]).toMatchObject({
      channel: 'email',
      status: 'recorded',
      error: expect.stringContaining('SMTP_URL'),
    });
    expect(mailer.sent).toEqual([]);
    expect(outbox.markDelivered).not.toHaveBeenCalled();
  });

  it('records every recipient before delivering, then marks each sent or failed', async () => {
    const mailer = new RecordingMailer(true);
    webhooks.failure = new Error('the webhook answered HTTP 500');
    const sut = build(mailer);

    const notified = await sut.notify(MESSAGE, [
      { channel: 'email', recipient: 'soc@contoso.test' },
      { channel: 'webhook', recipient: 'https://hooks.fabrikam.test/x', partnerId: 'p1' },
    ]);
    expect(inserted.map((r) => [r.channel, r.status, r.partnerId])).toEqual([
      ['email', 'recorded', null],
      ['webhook', 'recorded', 'p1'],
    ]);
    await notified.delivered;

    expect(mailer.sent).toEqual([
      {
        to: 'soc@contoso.test',
        subject: 'Emergency sign-in to Contoso',
        text: 'The break-glass account signed in.',
      },
    ]);
    expect(outbox.markDelivered).toHaveBeenCalledWith(inserted[0]!.id, {
      status: 'sent',
      error: null,
      at: NOW,
    });
    expect(outbox.markDelivered).toHaveBeenCalledWith(inserted[1]!.id, {
      status: 'failed',
      error: 'the webhook answered HTTP 500',
      at: NOW,
    });
  });

  it('posts the message with its data to webhooks', async () => {
    const sut = build(new RecordingMailer(false));

    await (
      await sut.notify(MESSAGE, [{ channel: 'webhook', recipient: 'https://hooks.contoso.test/a' }])
    ).delivered;

    expect(webhooks.posted).toEqual([
      {
        url: 'https://hooks.contoso.test/a',
        payload: {
          kind: 'emergency.sign-in',
          subject: 'Emergency sign-in to Contoso',
          tenantId: TENANT,
          username: 'break.glass',
        },
      },
    ]);
  });

  it('refuses a cursor it did not hand out', async () => {
    const sut = build(new RecordingMailer(false));

    await expect(sut.page(TENANT, { limit: 10, cursor: '%%%' })).rejects.toBeInstanceOf(
      NotificationException,
    );
  });
});
