import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Notification, NotificationPage, NotificationQuery } from '@entra-backup/common';
import { DIGEST_KIND } from '@entra-backup/common';
import { Clock } from '../../core/clock';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../core/http/keyset-cursor';
import {
  AlertConfigRepository,
  type NotificationAttemptRecord,
  type NotificationRecord,
  NotificationRepository,
} from '../../persistence/repositories';
import { PayloadCodec } from '../backup-storage/codec/payload-codec';
import { NotificationException } from './notification.exception';
import { Mailer, WebhookClient } from './notification-channels';
import { signedWebhookHeaders, webhookSecretContext } from './webhook-signature';

/** Whom to tell: an address or a webhook, and the partner whose contact it is (if any). */
export interface NotificationTarget {
  readonly channel: 'email' | 'webhook';
  readonly recipient: string;
  readonly partnerId?: string | null;
  /** A notification recipient: its webhook secret signs the document. */
  readonly recipientId?: string | null;
}

export interface NotificationMessage {
  /** What it is about, e.g. `emergency.sign-in`, `backup.failed`. */
  readonly kind: string;
  readonly tenantId: string | null;
  readonly partnerId?: string | null;
  readonly subject: string;
  /** Plain text for mail and the portal. */
  readonly body: string;
  /** The JSON document webhooks receive (`kind`, `subject`, `tenantId` and `occurredAt` are added). */
  readonly data: Readonly<Record<string, unknown>>;
  /** Keep it for the tenant's daily digest instead of sending it now. */
  readonly hold?: boolean;
}

export interface Notified {
  readonly ids: readonly string[];
  /** Settles when every delivery had its first attempt; never rejects. */
  readonly delivered: Promise<void>;
}

/** How deliveries are retried: exponential backoff from `baseDelayMs`, at most `maxAttempts`. */
export interface DeliveryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** How long a claimed attempt keeps others off the row (a process killed mid-attempt). */
  readonly claimMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  claimMs: 5 * 60_000,
};

/** The wait before attempt `attempt + 1` after `attempt` failed: 30 s, 1 min, 2 min, ... capped. */
export function retryDelayMs(policy: DeliveryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

const ERROR_LENGTH = 500;
const DUE_BATCH = 100;

/**
 * Tells people of something. Every message is first recorded in the outbox (one row per
 * recipient, or one `none` row when nobody is to be told); deliveries by mail (when a mail server
 * is configured) and by webhook (signed with the recipient's secret) are tried at once, then
 * retried with exponential backoff by `deliverDue()`, each attempt logged. The outbox is durable:
 * a restart continues with the rows still pending. Callers do not wait for deliveries.
 */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);
  private readonly policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY;

  constructor(
    private readonly outbox: NotificationRepository,
    private readonly recipients: AlertConfigRepository,
    private readonly codec: PayloadCodec,
    private readonly mailer: Mailer,
    private readonly webhooks: WebhookClient,
    private readonly clock: Clock,
  ) {}

  async notify(message: NotificationMessage, targets: readonly NotificationTarget[]): Promise<Notified> {
    const now = this.clock.now();
    const rows =
      targets.length === 0
        ? [this.row(message, undefined, now)]
        : targets.map((t) => this.row(message, t, now));
    await this.outbox.insertMany(rows);
    return {
      ids: rows.map((r) => r.id),
      delivered: this.attemptAll(rows.filter((r) => r.status === 'pending')),
    };
  }

  /** Tries every delivery whose (next) attempt is due; the server calls it every minute. */
  async deliverDue(): Promise<number> {
    const due = await this.outbox.findDue(this.clock.now(), DUE_BATCH);
    await this.attemptAll(due);
    return due.length;
  }

  /** Tenants with alerts held for their digest. */
  tenantsWithHeldAlerts(): Promise<string[]> {
    return this.outbox.tenantsWithHeld();
  }

  /**
   * Sends a tenant's held alerts as one digest per recipient, marking them `digested`.
   * @returns the number of alerts the digests carried
   */
  async releaseDigest(tenantId: string, tenantName: string): Promise<number> {
    const held = await this.outbox.findHeld(tenantId);
    if (held.length === 0) return 0;
    const now = this.clock.now();
    const groups = new Map<string, NotificationRecord[]>();
    for (const row of held) {
      const key = JSON.stringify([row.channel, row.recipient, row.recipientId, row.partnerId]);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const digests: NotificationRecord[] = [];
    for (const rows of groups.values()) {
      const first = rows[0]!;
      const message: NotificationMessage = {
        kind: DIGEST_KIND,
        tenantId,
        partnerId: first.partnerId,
        subject: `${rows.length} alert${rows.length === 1 ? '' : 's'} for ${tenantName}`,
        body: rows.map((r) => `• ${r.subject}\n\n${r.body}`).join('\n\n---\n\n'),
        data: {
          alerts: rows.map((r) =>
            r.payload === null ? { kind: r.kind, subject: r.subject } : parse(r.payload),
          ),
        },
      };
      digests.push(
        this.row(
          message,
          first.channel === 'none' || first.recipient === null
            ? undefined
            : {
                channel: first.channel as 'email' | 'webhook',
                recipient: first.recipient,
                partnerId: first.partnerId,
                recipientId: first.recipientId,
              },
          now,
        ),
      );
    }
    await this.outbox.digest(
      digests,
      held.map((r) => r.id),
      now,
    );
    await this.attemptAll(digests.filter((r) => r.status === 'pending'));
    return held.length;
  }

  /**
   * A tenant's notifications, newest first, each with its attempts.
   * @throws NotificationException NOTIFICATION_INVALID_CURSOR
   */
  page(tenantId: string, query: NotificationQuery & { readonly limit: number }): Promise<NotificationPage> {
    return this.pageOf((after, limit) => this.outbox.page(tenantId.toLowerCase(), after, limit), query);
  }

  /**
   * What was sent to a partner's recipients, newest first.
   * @throws NotificationException NOTIFICATION_INVALID_CURSOR
   */
  pageForPartner(
    partnerId: string,
    query: NotificationQuery & { readonly limit: number },
  ): Promise<NotificationPage> {
    return this.pageOf(
      (after, limit) => this.outbox.pageForPartner(partnerId.toLowerCase(), after, limit),
      query,
    );
  }

  private async pageOf(
    read: (
      after: { occurredAt: string; id: string } | undefined,
      limit: number,
    ) => Promise<NotificationRecord[]>,
    query: NotificationQuery & { readonly limit: number },
  ): Promise<NotificationPage> {
    const after = query.cursor === undefined ? undefined : decodeKeysetCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) throw NotificationException.invalidCursor();
    const rows = await read(after, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const attempts = await this.outbox.attemptsOf(items.map((r) => r.id));
    const last = items[items.length - 1];
    return {
      items: items.map((r) => toNotification(r, attempts.get(r.id) ?? [])),
      nextCursor:
        rows.length > query.limit && last !== undefined
          ? encodeKeysetCursor({ occurredAt: last.createdAt.toISOString(), id: last.id })
          : null,
    };
  }

  private row(
    message: NotificationMessage,
    target: NotificationTarget | undefined,
    now: Date,
  ): NotificationRecord {
    const id = randomUUID();
    const unsendable =
      target === undefined
        ? 'No contact is configured: recorded only'
        : target.channel === 'email' && !this.mailer.configured
          ? 'No mail server is configured (SMTP_URL): recorded only'
          : null;
    const status = unsendable !== null ? 'recorded' : message.hold === true ? 'held' : 'pending';
    return {
      id,
      tenantId: message.tenantId,
      partnerId: target?.partnerId ?? message.partnerId ?? null,
      kind: message.kind,
      subject: message.subject.slice(0, 256),
      body: message.body,
      channel: target?.channel ?? 'none',
      recipient: target?.recipient ?? null,
      status,
      error: unsendable,
      createdAt: now,
      sentAt: null,
      recipientId: target?.recipientId ?? null,
      payload: JSON.stringify({
        kind: message.kind,
        subject: message.subject,
        tenantId: message.tenantId,
        occurredAt: now.toISOString(),
        ...message.data,
      }),
      attempts: 0,
      nextAttemptAt: status === 'pending' ? now : null,
    };
  }

  private async attemptAll(rows: readonly NotificationRecord[]): Promise<void> {
    await Promise.all(rows.map((row) => this.attempt(row)));
  }

  /** One attempt of one delivery; never throws. */
  private async attempt(row: NotificationRecord): Promise<void> {
    try {
      const now = this.clock.now();
      if (!(await this.outbox.claim(row, new Date(now.getTime() + this.policy.claimMs)))) return;
      const attempt = row.attempts + 1;
      let failure: string | null = null;
      try {
        await this.send(row);
      } catch (error) {
        failure = (error instanceof Error ? error.message : String(error)).slice(0, ERROR_LENGTH);
        this.logger.warn(`Notification ${row.id} (${row.channel}) attempt ${attempt} failed: ${failure}`);
      }
      const at = this.clock.now();
      const last = attempt >= this.policy.maxAttempts;
      await this.outbox.recordAttempt(
        row.id,
        {
          attempt,
          at,
          outcome: failure === null ? 'sent' : 'failed',
          detail: failure,
          status: failure === null ? 'sent' : last ? 'failed' : 'pending',
          nextAttemptAt:
            failure === null || last ? null : new Date(at.getTime() + retryDelayMs(this.policy, attempt)),
        },
        failure,
      );
    } catch (error) {
      this.logger.warn(
        `Could not record the delivery of notification ${row.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async send(row: NotificationRecord): Promise<void> {
    if (row.recipient === null) throw new Error('The notification has no recipient');
    if (row.channel === 'email') {
      await this.mailer.send({ to: row.recipient, subject: row.subject, text: row.body });
      return;
    }
    const body =
      row.payload ?? JSON.stringify({ kind: row.kind, subject: row.subject, tenantId: row.tenantId });
    const headers = signedWebhookHeaders({
      secret: await this.secretOf(row.recipientId),
      deliveryId: row.id,
      body,
      now: this.clock.now(),
    });
    await this.webhooks.post({ url: row.recipient, body, headers });
  }

  private async secretOf(recipientId: string | null): Promise<string | null> {
    if (recipientId === null) return null;
    const recipient = await this.recipients.findRecipientById(recipientId);
    if (recipient === null) throw new Error('The recipient was removed');
    if (recipient.secretSealed === null) return null;
    return this.codec.openText(
      Buffer.from(recipient.secretSealed, 'base64'),
      webhookSecretContext(recipient.id),
    );
  }
}

function parse(payload: string): unknown {
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return null;
  }
}

export function toNotification(
  row: NotificationRecord,
  attempts: readonly NotificationAttemptRecord[] = [],
): Notification {
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
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      at: a.at.toISOString(),
      outcome: a.outcome === 'sent' ? 'sent' : 'failed',
      detail: a.detail,
    })),
  };
}
