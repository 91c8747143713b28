import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Notification, NotificationPage, NotificationQuery } from '@entra-backup/common';
import { Clock } from '../../core/clock';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../core/http/keyset-cursor';
import { type NotificationRecord, NotificationRepository } from '../../persistence/repositories';
import { NotificationException } from './notification.exception';
import { Mailer, WebhookClient } from './notification-channels';

/** Whom to tell: an address or a webhook, and the partner whose contact it is (if any). */
export interface NotificationTarget {
  readonly channel: 'email' | 'webhook';
  readonly recipient: string;
  readonly partnerId?: string | null;
}

export interface NotificationMessage {
  /** What it is about, e.g. `emergency.sign-in`. */
  readonly kind: string;
  readonly tenantId: string | null;
  readonly partnerId?: string | null;
  readonly subject: string;
  /** Plain text for mail and the portal. */
  readonly body: string;
  /** The JSON document webhooks receive (`kind`, `subject` and `tenantId` are added). */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface Notified {
  readonly ids: readonly string[];
  /** Settles when every delivery was tried; never rejects. */
  readonly delivered: Promise<void>;
}

const ERROR_LENGTH = 500;

/**
 * Tells people of something: every message is first recorded in the outbox (one row per
 * recipient, or one `none` row when nobody is to be told), then delivered in the background by
 * mail (when a mail server is configured) and by webhook, each row getting its outcome. Callers do
 * not wait for deliveries; the portal shows the outbox to the tenant's admins.
 */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);

  constructor(
    private readonly outbox: NotificationRepository,
    private readonly mailer: Mailer,
    private readonly webhooks: WebhookClient,
    private readonly clock: Clock,
  ) {}

  async notify(message: NotificationMessage, targets: readonly NotificationTarget[]): Promise<Notified> {
    const now = this.clock.now();
    const row = (target: NotificationTarget | undefined): NotificationRecord => ({
      id: randomUUID(),
      tenantId: message.tenantId,
      partnerId: target?.partnerId ?? message.partnerId ?? null,
      kind: message.kind,
      subject: message.subject.slice(0, 256),
      body: message.body,
      channel: target?.channel ?? 'none',
      recipient: target?.recipient ?? null,
      status: 'recorded',
      error:
        target === undefined
          ? 'No contact is configured: recorded only'
          : target.channel === 'email' && !this.mailer.configured
            ? 'No mail server is configured (SMTP_URL): recorded only'
            : null,
      createdAt: now,
      sentAt: null,
    });
    const rows = targets.length === 0 ? [row(undefined)] : targets.map(row);
    await this.outbox.insertMany(rows);
    const deliveries = rows
      .map((r, i) => ({ row: r, target: targets[i] }))
      .filter(
        (d): d is { row: NotificationRecord; target: NotificationTarget } =>
          d.target !== undefined && (d.target.channel === 'webhook' || this.mailer.configured),
      );
    const delivered = Promise.all(deliveries.map((d) => this.deliver(message, d.row, d.target))).then(
      () => undefined,
    );
    return { ids: rows.map((r) => r.id), delivered };
  }

  /**
   * A tenant's notifications, newest first.
   * @throws NotificationException NOTIFICATION_INVALID_CURSOR
   */
  async page(
    tenantId: string,
    query: NotificationQuery & { readonly limit: number },
  ): Promise<NotificationPage> {
    const after = query.cursor === undefined ? undefined : decodeKeysetCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) throw NotificationException.invalidCursor();
    const rows = await this.outbox.page(tenantId.toLowerCase(), after, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toNotification),
      nextCursor:
        rows.length > query.limit && last !== undefined
          ? encodeKeysetCursor({ occurredAt: last.createdAt.toISOString(), id: last.id })
          : null,
    };
  }

  private async deliver(message: NotificationMessage, row: NotificationRecord, target: NotificationTarget) {
    let outcome: { status: 'sent' | 'failed'; error: string | null };
    try {
      if (target.channel === 'email') {
        await this.mailer.send({ to: target.recipient, subject: message.subject, text: message.body });
      } else {
        await this.webhooks.post(target.recipient, {
          kind: message.kind,
          subject: message.subject,
          tenantId: message.tenantId,
          ...message.data,
        });
      }
      outcome = { status: 'sent', error: null };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      outcome = { status: 'failed', error: reason.slice(0, ERROR_LENGTH) };
      this.logger.warn(`Notification ${row.id} (${target.channel}) was not delivered: ${reason}`);
    }
    try {
      await this.outbox.markDelivered(row.id, { ...outcome, at: this.clock.now() });
    } catch (error) {
      this.logger.warn(
        `Could not record the delivery of notification ${row.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

export function toNotification(row: NotificationRecord): Notification {
  return {
    id: row.id,
    tenantId: row.tenantId,
    partnerId: row.partnerId,
    kind: row.kind,
    subject: row.subject,
    body: row.body,
    channel: row.channel as Notification['channel'],
    recipient: row.recipient,
    status: row.status as Notification['status'],
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}
