import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  type createOnboardingLinkRequestSchema,
  type OnboardingAccepted,
  type OnboardingInvitation,
  type OnboardingLink,
  type OnboardingLinkList,
  onboardingPortalPath,
} from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../core/clock';
import { OnboardingLinkEntity } from '../../persistence/entities';
import { OnboardingLinkRepository, type OnboardingLinkWithPartner } from '../../persistence/repositories';
import { type Actor, AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ConsentGrantsService } from '../consent/consent-grants.service';
import { ConsentService } from '../consent/consent.service';
import { TenantException, TenantExceptionCode } from '../tenants/tenants.exception';
import { TenantsService } from '../tenants/tenants.service';
import { onboardingLinkStatus, toOnboardingLink } from './partner.mapper';
import { PartnerException } from './partners.exception';
import { PartnersService } from './partners.service';

export type CreateOnboardingLinkInput = z.output<typeof createOnboardingLinkRequestSchema>;

/** A token is 32 random bytes, base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const HOUR_MS = 3_600_000;

function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Onboarding a customer: a partner creates a single-use, expiring link bound to itself (the
 * token is shown once; only its hash is kept); the customer's Global Administrator opens it,
 * signs in and accepts, which registers their tenant if new, links it to the partner (a tenant
 * has at most one) and uses the link up in one transaction, then sends them on to admin consent.
 */
@Injectable()
export class OnboardingService {
  constructor(
    private readonly config: AppConfig,
    private readonly partners: PartnersService,
    private readonly links: OnboardingLinkRepository,
    private readonly tenants: TenantsService,
    private readonly grants: ConsentGrantsService,
    private readonly consent: ConsentService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * A new link; the answer is the only place its URL (and token) ever appears.
   * @throws PartnerException PARTNER_NOT_FOUND
   */
  async create(partnerId: string, request: CreateOnboardingLinkInput, actor: Actor): Promise<OnboardingLink> {
    const partner = await this.partners.get(partnerId);
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const link = Object.assign(new OnboardingLinkEntity(), {
      id: randomUUID(),
      partnerId: partner.id,
      tokenHash: tokenHash(token),
      customerName: request.customerName,
      createdAt: now,
      createdBy: actor,
      expiresAt: new Date(now.getTime() + request.expiresInHours * HOUR_MS),
      usedAt: null,
      usedBy: null,
      usedByTenantId: null,
      revokedAt: null,
      revokedBy: null,
    });
    await this.links.insert(link);
    await this.audit.record({
      actor,
      action: AuditAction.ONBOARDING_LINK_CREATED,
      tenantId: null,
      details: {
        partnerIds: [partner.id],
        partnerId: partner.id,
        linkId: link.id,
        customerName: link.customerName,
        expiresAt: link.expiresAt.toISOString(),
      },
    });
    return toOnboardingLink(link, now, `${this.config.auth.publicUrl}${onboardingPortalPath(token)}`);
  }

  /** The partner's links, newest first, without their URLs. @throws PartnerException PARTNER_NOT_FOUND */
  async list(partnerId: string): Promise<OnboardingLinkList> {
    const partner = await this.partners.get(partnerId);
    const now = this.clock.now();
    return { items: (await this.links.listByPartner(partner.id)).map((link) => toOnboardingLink(link, now)) };
  }

  /**
   * Revokes an open (or expired) link; revoking it again changes nothing.
   * @throws PartnerException PARTNER_NOT_FOUND, ONBOARDING_LINK_NOT_FOUND, ONBOARDING_LINK_USED
   */
  async revoke(partnerId: string, linkId: string, actor: Actor): Promise<void> {
    const partner = await this.partners.get(partnerId);
    const link = await this.links.findOfPartner(partner.id, linkId);
    if (link === null) throw PartnerException.linkNotFound();
    if (link.usedAt !== null) throw PartnerException.linkUsed();
    if (link.revokedAt !== null) return;
    if (!(await this.links.revoke(partner.id, link.id, this.clock.now(), actor))) {
      // Accepted (or revoked) in the meantime.
      const current = await this.links.findOfPartner(partner.id, linkId);
      if (current?.usedAt != null) throw PartnerException.linkUsed();
      return;
    }
    await this.audit.record({
      actor,
      action: AuditAction.ONBOARDING_LINK_REVOKED,
      tenantId: null,
      details: {
        partnerIds: [partner.id],
        partnerId: partner.id,
        linkId: link.id,
        customerName: link.customerName,
      },
    });
  }

  /** What the customer is asked to accept (no secrets). @throws PartnerException ONBOARDING_LINK_NOT_FOUND */
  async invitation(token: string): Promise<OnboardingInvitation> {
    const { link, partnerName } = await this.find(token);
    return {
      partnerName,
      customerName: link.customerName,
      expiresAt: link.expiresAt.toISOString(),
      status: onboardingLinkStatus(link, this.clock.now()),
    };
  }

  /**
   * The customer's Global Administrator accepts: their tenant is registered if new and linked to
   * the partner while the link is used up, atomically (of concurrent accepts one wins). Admin
   * consent follows at `consentUrl` unless it is granted already.
   * @throws PartnerException ONBOARDING_TENANT_ADMIN_REQUIRED (not a tenant admin signed in to
   *   their tenant), ONBOARDING_LINK_NOT_FOUND, ONBOARDING_LINK_EXPIRED / _USED / _REVOKED,
   *   TENANT_ALREADY_MANAGED
   */
  async accept(token: string, principal: Principal, sessionId: string): Promise<OnboardingAccepted> {
    const user = principal.user;
    if (principal.kind !== 'person' || user === undefined || user.roles.length === 0) {
      throw PartnerException.tenantAdminRequired();
    }
    const { link, partnerName } = await this.find(token);
    this.assertOpen(link);
    const tenantId = user.tenantId.toLowerCase();
    await this.register(tenantId, user.upn, principal.actor);
    const outcome = await this.links.accept({
      linkId: link.id,
      partnerId: link.partnerId,
      tenantId,
      usedBy: principal.actor,
      at: this.clock.now(),
    });
    if (outcome === 'tenant-managed') throw PartnerException.alreadyManaged(tenantId);
    if (outcome === 'tenant-missing') throw TenantException.notFound(tenantId);
    if (outcome === 'link-closed') {
      const current = await this.find(token);
      this.assertOpen(current.link);
      // Still open by the clock here, but not at the statement's instant: it just expired.
      throw PartnerException.linkExpired(current.link.expiresAt);
    }
    await this.audit.record({
      actor: principal.actor,
      action: AuditAction.ONBOARDING_ACCEPTED,
      tenantId,
      details: {
        partnerIds: [link.partnerId],
        partnerId: link.partnerId,
        partnerName,
        linkId: link.id,
        customerName: link.customerName,
      },
    });
    const consentUrl = (await this.grants.isGranted(tenantId))
      ? null
      : (await this.consent.start(tenantId, sessionId, user)).redirectUrl;
    return { tenantId, partnerId: link.partnerId, partnerName, consentUrl };
  }

  private async find(token: string): Promise<OnboardingLinkWithPartner> {
    const found = TOKEN_PATTERN.test(token) ? await this.links.findByTokenHash(tokenHash(token)) : null;
    if (found === null) throw PartnerException.linkNotFound();
    return found;
  }

  private assertOpen(link: OnboardingLinkEntity): void {
    switch (onboardingLinkStatus(link, this.clock.now())) {
      case 'used':
        throw PartnerException.linkUsed();
      case 'revoked':
        throw PartnerException.linkRevoked();
      case 'expired':
        throw PartnerException.linkExpired(link.expiresAt);
      case 'open':
        return;
    }
  }

  /**
   * Registers the tenant of an admin who has not signed in since it was removed (sign-in
   * registers it otherwise), under their sign-in domain until consent lets the app read the
   * organization's name.
   */
  private async register(tenantId: string, upn: string, actor: Actor): Promise<void> {
    try {
      await this.tenants.get(tenantId);
      return;
    } catch (error) {
      if (!(error instanceof TenantException && error.code === TenantExceptionCode.TENANT_NOT_FOUND))
        throw error;
    }
    const domain = upn.includes('@') ? upn.split('@').pop() : undefined;
    try {
      await this.tenants.create({ tenantId, displayName: domain ?? tenantId }, actor);
    } catch (error) {
      if (!(error instanceof TenantException && error.code === TenantExceptionCode.TENANT_EXISTS))
        throw error;
    }
  }
}
