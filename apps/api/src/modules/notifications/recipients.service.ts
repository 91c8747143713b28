import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type CreatedNotificationRecipient,
  type CreateNotificationRecipientRequest,
  type NotificationRecipient,
  type NotificationRecipientList,
  TEST_KIND,
  type TestNotificationResult,
} from '@entra-backup/common';
import { Clock } from '../../core/clock';
import {
  AlertConfigRepository,
  type NotificationRecipientRecord,
  PartnerRepository,
  type RecipientOwnerKind,
  TenantRepository,
} from '../../persistence/repositories';
import { AuditAction } from '../audit/audit-action';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { PayloadCodec } from '../backup-storage/codec/payload-codec';
import { TenantException } from '../tenants/tenants.exception';
import { NotificationException } from './notification.exception';
import { type NotificationTarget, NotificationService } from './notification.service';
import { newWebhookSecret, webhookSecretContext } from './webhook-signature';

/** The tenant or partner that owns recipients. */
export interface RecipientOwner {
  readonly kind: RecipientOwnerKind;
  readonly id: string;
}

/**
 * Who is told of alerts: mail addresses and webhooks of a tenant, and of a partner (who hears of
 * all its customers' alerts). A webhook gets a signing secret, sealed with the data key at rest
 * and shown once, when it is added.
 */
@Injectable()
export class RecipientsService {
  constructor(
    private readonly config: AlertConfigRepository,
    private readonly tenants: TenantRepository,
    private readonly partners: PartnerRepository,
    private readonly codec: PayloadCodec,
    private readonly notifications: NotificationService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** @throws TenantException TENANT_NOT_FOUND, NotificationException NOTIFICATION_PARTNER_NOT_FOUND */
  async list(owner: RecipientOwner): Promise<NotificationRecipientList> {
    const id = await this.ownerId(owner);
    return { items: (await this.config.listRecipients(owner.kind, id)).map(toRecipient) };
  }

  /** @throws TenantException TENANT_NOT_FOUND, NotificationException NOTIFICATION_PARTNER_NOT_FOUND */
  async add(
    owner: RecipientOwner,
    request: CreateNotificationRecipientRequest,
    by: AuditContext,
  ): Promise<CreatedNotificationRecipient> {
    const ownerId = await this.ownerId(owner);
    const id = randomUUID();
    const secret = request.channel === 'webhook' ? newWebhookSecret() : null;
    const record: NotificationRecipientRecord = {
      id,
      ownerKind: owner.kind,
      ownerId,
      channel: request.channel,
      address: request.address,
      secretSealed:
        secret === null ? null : this.codec.sealText(secret, webhookSecretContext(id)).toString('base64'),
      createdAt: this.clock.now(),
      createdBy: by.actor,
    };
    await this.config.insertRecipient(record);
    await this.audit.record({
      actor: by,
      action: AuditAction.NOTIFICATION_RECIPIENT_ADDED,
      tenantId: owner.kind === 'tenant' ? ownerId : null,
      partnerId: owner.kind === 'partner' ? ownerId : null,
      // A webhook URL may carry a secret in its path: only its host goes into the trail.
      details: { recipientId: id, channel: request.channel, address: auditedAddress(record) },
    });
    return { ...toRecipient(record), secret };
  }

  /** @throws NotificationException NOTIFICATION_RECIPIENT_NOT_FOUND */
  async remove(owner: RecipientOwner, recipientId: string, by: AuditContext): Promise<void> {
    const ownerId = await this.ownerId(owner);
    const record = await this.config.findRecipient(owner.kind, ownerId, recipientId.toLowerCase());
    if (record === null || !(await this.config.deleteRecipient(owner.kind, ownerId, record.id)))
      throw NotificationException.recipientNotFound(recipientId);
    await this.audit.record({
      actor: by,
      action: AuditAction.NOTIFICATION_RECIPIENT_REMOVED,
      tenantId: owner.kind === 'tenant' ? ownerId : null,
      partnerId: owner.kind === 'partner' ? ownerId : null,
      details: { recipientId: record.id, channel: record.channel, address: auditedAddress(record) },
    });
  }

  /**
   * Sends a test message to one recipient now (retried like any other); its outcome shows in
   * the delivery log.
   * @throws NotificationException NOTIFICATION_RECIPIENT_NOT_FOUND
   */
  async sendTest(
    owner: RecipientOwner,
    recipientId: string,
    by: AuditContext,
  ): Promise<TestNotificationResult> {
    const ownerId = await this.ownerId(owner);
    const record = await this.config.findRecipient(owner.kind, ownerId, recipientId.toLowerCase());
    if (record === null) throw NotificationException.recipientNotFound(recipientId);
    const notified = await this.notifications.notify(
      {
        kind: TEST_KIND,
        tenantId: owner.kind === 'tenant' ? ownerId : null,
        partnerId: owner.kind === 'partner' ? ownerId : null,
        subject: 'Entra Backup test notification',
        body: `This is a test notification, sent on request by ${by.actor}. Alerts will reach you here.`,
        data: { test: true },
      },
      [targetOf(record, owner.kind === 'partner' ? ownerId : null)],
    );
    await notified.delivered;
    return { notificationId: notified.ids[0]! };
  }

  /** Whom to tell of a tenant's alerts: its recipients and those of its partner. */
  async targetsFor(tenantId: string): Promise<NotificationTarget[]> {
    const tenant = await this.tenants.findById(tenantId.toLowerCase());
    if (tenant === null) return [];
    const own = await this.config.listRecipients('tenant', tenant.id);
    const partner =
      tenant.partnerId === null ? [] : await this.config.listRecipients('partner', tenant.partnerId);
    return [...own.map((r) => targetOf(r, null)), ...partner.map((r) => targetOf(r, tenant.partnerId))];
  }

  private async ownerId(owner: RecipientOwner): Promise<string> {
    const id = owner.id.toLowerCase();
    if (owner.kind === 'tenant') {
      if ((await this.tenants.findById(id)) === null) throw TenantException.notFound(id);
    } else if ((await this.partners.findById(id)) === null) {
      throw NotificationException.partnerNotFound(id);
    }
    return id;
  }
}

function targetOf(record: NotificationRecipientRecord, partnerId: string | null): NotificationTarget {
  return {
    channel: record.channel === 'webhook' ? 'webhook' : 'email',
    recipient: record.address,
    partnerId,
    recipientId: record.id,
  };
}

function toRecipient(record: NotificationRecipientRecord): NotificationRecipient {
  return {
    id: record.id,
    channel: record.channel === 'webhook' ? 'webhook' : 'email',
    address: record.address,
    createdAt: record.createdAt.toISOString(),
    createdBy: record.createdBy,
  };
}

function auditedAddress(record: NotificationRecipientRecord): string | null {
  if (record.channel !== 'webhook') return record.address;
  try {
    return new URL(record.address).host;
  } catch {
    return null;
  }
}
