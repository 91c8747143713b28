import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type {
  BreakGlassAccount,
  BreakGlassAccountList,
  CreatedBreakGlassAccount,
  EmergencyContacts,
  UpdateEmergencyContactsRequest,
} from '@entra-backup/common';
import { toDataURL } from 'qrcode';
import { Clock } from '../../core/clock';
import type { BreakGlassAccountEntity } from '../../persistence/entities';
import {
  BreakGlassAccountRepository,
  type ContactOwnerKind,
  EmergencyContactRepository,
  PartnerRepository,
} from '../../persistence/repositories';
import { AuditAction } from '../audit/audit-action';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { PayloadCodec } from '../backup-storage/codec/payload-codec';
import type { NotificationTarget } from '../notifications/notification.service';
import { TenantsService } from '../tenants/tenants.service';
import { EmergencyException } from './emergency.exception';
import { PasswordHasher } from './password-hasher';
import { Totp } from './totp';
import { totpSecretContext } from './totp-context';

/** The issuer authenticator apps show beside the account. */
const TOTP_ISSUER = 'Entra Backup';

type ContactsUpdate = { readonly emails: string[]; readonly webhookUrl: string | null };

/**
 * Setting up emergency access ahead of time: a tenant's break-glass accounts (password hashed with
 * scrypt, TOTP secret sealed with the data key and shown once), and the contacts of the tenant and
 * of its partner who are told of every emergency sign-in.
 */
@Injectable()
export class EmergencyService {
  constructor(
    private readonly accounts: BreakGlassAccountRepository,
    private readonly contacts: EmergencyContactRepository,
    private readonly partners: PartnerRepository,
    private readonly tenants: TenantsService,
    private readonly hasher: PasswordHasher,
    private readonly totp: Totp,
    private readonly codec: PayloadCodec,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** @throws TenantException TENANT_NOT_FOUND */
  async listAccounts(tenantId: string): Promise<BreakGlassAccountList> {
    const tenant = await this.tenants.get(tenantId);
    const now = this.clock.now();
    return { items: (await this.accounts.listByTenant(tenant.tenantId)).map((a) => toAccount(a, now)) };
  }

  /**
   * Creates an account; its TOTP secret is in this answer and never again.
   * @throws TenantException TENANT_NOT_FOUND
   * @throws EmergencyException BREAK_GLASS_USERNAME_TAKEN
   */
  async createAccount(
    tenantId: string,
    request: { readonly username: string; readonly password: string },
    by: AuditContext,
  ): Promise<CreatedBreakGlassAccount> {
    const tenant = await this.tenants.get(tenantId);
    const username = request.username.toLowerCase();
    if ((await this.accounts.findByUsername(tenant.tenantId, username)) !== null)
      throw EmergencyException.usernameTaken(username);
    const id = randomUUID();
    const secret = this.totp.newSecret();
    const entity = await this.accounts.insert({
      id,
      tenantId: tenant.tenantId,
      username,
      passwordHash: await this.hasher.hash(request.password),
      totpSecretSealed: this.codec.sealText(secret, totpSecretContext(id)).toString('base64'),
      createdAt: this.clock.now(),
      createdBy: by.actor,
    });
    await this.audit.record({
      actor: by,
      action: AuditAction.BREAK_GLASS_ACCOUNT_CREATED,
      tenantId: tenant.tenantId,
      details: { accountId: id, username },
    });
    const otpauthUri = this.totp.uri(secret, TOTP_ISSUER, `${username} (${tenant.displayName})`);
    return {
      account: toAccount(entity, this.clock.now()),
      totp: { secret, otpauthUri, qrCodeDataUrl: await toDataURL(otpauthUri, { margin: 2, width: 240 }) },
    };
  }

  /** @throws EmergencyException BREAK_GLASS_ACCOUNT_NOT_FOUND */
  async deleteAccount(tenantId: string, accountId: string, by: AuditContext): Promise<void> {
    const tenant = tenantId.toLowerCase();
    const account = await this.accounts.findById(tenant, accountId);
    if (account === null || !(await this.accounts.delete(tenant, accountId)))
      throw EmergencyException.accountNotFound(accountId);
    await this.audit.record({
      actor: by,
      action: AuditAction.BREAK_GLASS_ACCOUNT_DELETED,
      tenantId: tenant,
      details: { accountId, username: account.username },
    });
  }

  /** @throws TenantException TENANT_NOT_FOUND */
  async tenantContacts(tenantId: string): Promise<EmergencyContacts> {
    const tenant = await this.tenants.get(tenantId);
    return this.contactsOf('tenant', tenant.tenantId);
  }

  /** @throws TenantException TENANT_NOT_FOUND */
  async updateTenantContacts(
    tenantId: string,
    request: UpdateEmergencyContactsRequest,
    by: AuditContext,
  ): Promise<EmergencyContacts> {
    const tenant = await this.tenants.get(tenantId);
    return this.saveContacts('tenant', tenant.tenantId, request as ContactsUpdate, by);
  }

  /** @throws EmergencyException EMERGENCY_PARTNER_NOT_FOUND */
  async partnerContacts(partnerId: string): Promise<EmergencyContacts> {
    await this.assertPartner(partnerId);
    return this.contactsOf('partner', partnerId);
  }

  /** @throws EmergencyException EMERGENCY_PARTNER_NOT_FOUND */
  async updatePartnerContacts(
    partnerId: string,
    request: UpdateEmergencyContactsRequest,
    by: AuditContext,
  ): Promise<EmergencyContacts> {
    await this.assertPartner(partnerId);
    return this.saveContacts('partner', partnerId, request as ContactsUpdate, by);
  }

  /** Whom to tell of an emergency sign-in to the tenant: its contacts and its partner's. */
  async notificationTargets(tenantId: string, partnerId: string | null): Promise<NotificationTarget[]> {
    const targets: NotificationTarget[] = [];
    const add = (contacts: EmergencyContacts, partner: string | null) => {
      for (const email of contacts.emails)
        targets.push({ channel: 'email', recipient: email, partnerId: partner });
      if (contacts.webhookUrl !== null)
        targets.push({ channel: 'webhook', recipient: contacts.webhookUrl, partnerId: partner });
    };
    add(await this.contactsOf('tenant', tenantId), null);
    if (partnerId !== null) add(await this.contactsOf('partner', partnerId), partnerId);
    return targets;
  }

  private async contactsOf(kind: ContactOwnerKind, ownerId: string): Promise<EmergencyContacts> {
    const stored = await this.contacts.find(kind, ownerId);
    return {
      emails: stored?.emails ?? [],
      webhookUrl: stored?.webhookUrl ?? null,
      updatedAt: stored?.updatedAt.toISOString() ?? null,
      updatedBy: stored?.updatedBy ?? null,
    };
  }

  private async saveContacts(
    kind: ContactOwnerKind,
    ownerId: string,
    update: ContactsUpdate,
    by: AuditContext,
  ): Promise<EmergencyContacts> {
    await this.contacts.save(kind, ownerId, {
      emails: update.emails,
      webhookUrl: update.webhookUrl,
      updatedAt: this.clock.now(),
      updatedBy: by.actor,
    });
    await this.audit.record({
      actor: by,
      action: AuditAction.EMERGENCY_CONTACTS_UPDATED,
      tenantId: kind === 'tenant' ? ownerId : null,
      partnerId: kind === 'partner' ? ownerId : null,
      // A webhook URL may carry a secret in its path: only its host goes into the trail.
      details: { emails: update.emails, webhookHost: hostOf(update.webhookUrl) },
    });
    return this.contactsOf(kind, ownerId);
  }

  private async assertPartner(partnerId: string): Promise<void> {
    if ((await this.partners.findById(partnerId)) === null)
      throw EmergencyException.partnerNotFound(partnerId);
  }
}

/** The account as the API shows it; a lock that has run out is not shown. */
export function toAccount(entity: BreakGlassAccountEntity, now: Date): BreakGlassAccount {
  return {
    accountId: entity.id,
    tenantId: entity.tenantId,
    username: entity.username,
    createdAt: entity.createdAt.toISOString(),
    createdBy: entity.createdBy,
    lastUsedAt: entity.lastUsedAt?.toISOString() ?? null,
    lockedUntil:
      entity.lockedUntil !== null && entity.lockedUntil.getTime() > now.getTime()
        ? entity.lockedUntil.toISOString()
        : null,
  };
}

function hostOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
