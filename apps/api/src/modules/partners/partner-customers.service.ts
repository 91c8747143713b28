import type { PartnerLink } from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../core/clock';
import type { TenantEntity } from '../../persistence/entities';
import { PartnerRepository, TenantRepository } from '../../persistence/repositories';
import { type Actor, AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { TenantException } from '../tenants/tenants.exception';
import { PartnerException } from './partners.exception';
import { PartnersService } from './partners.service';

/**
 * Which partner manages a tenant, and its changes: a partner hands a tenant over to another
 * partner or releases it; the tenant's own admins see the link and can revoke it. Every change
 * is one conditional statement on the tenant (it must still be managed by the partner that acts)
 * and is audited on the tenant, naming every partner concerned.
 */
@Injectable()
export class PartnerCustomersService {
  constructor(
    private readonly partners: PartnersService,
    private readonly partnerRecords: PartnerRepository,
    private readonly tenants: TenantRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * @throws PartnerException PARTNER_NOT_FOUND (either partner), HAND_OVER_INVALID, TENANT_NOT_MANAGED
   * @throws TenantException TENANT_NOT_FOUND
   */
  async handOver(
    partnerId: string,
    tenantId: string,
    toPartnerId: string,
    actor: Actor,
  ): Promise<PartnerLink> {
    const from = await this.partners.get(partnerId);
    const to = await this.partners.get(toPartnerId);
    if (to.id === from.id)
      throw PartnerException.handOverInvalid('The tenant is managed by this partner already');
    const tenant = await this.managedTenant(from.id, tenantId);
    const at = this.clock.now();
    if (!(await this.tenants.moveToPartner(tenant.id, from.id, to.id, at)))
      throw PartnerException.notManaged(tenant.id);
    await this.audit.record({
      actor,
      action: AuditAction.TENANT_HANDED_OVER,
      tenantId: tenant.id,
      details: {
        partnerIds: [from.id, to.id],
        fromPartnerId: from.id,
        fromPartnerName: from.name,
        toPartnerId: to.id,
        toPartnerName: to.name,
      },
    });
    return { partner: { partnerId: to.id, name: to.name }, linkedAt: at.toISOString() };
  }

  /**
   * The partner stops managing the tenant (its backups and settings stay with the tenant).
   * @throws PartnerException PARTNER_NOT_FOUND, TENANT_NOT_MANAGED
   * @throws TenantException TENANT_NOT_FOUND
   */
  async release(partnerId: string, tenantId: string, actor: Actor): Promise<void> {
    const partner = await this.partners.get(partnerId);
    const tenant = await this.managedTenant(partner.id, tenantId);
    if (!(await this.tenants.moveToPartner(tenant.id, partner.id, null, this.clock.now())))
      throw PartnerException.notManaged(tenant.id);
    await this.audit.record({
      actor,
      action: AuditAction.TENANT_RELEASED,
      tenantId: tenant.id,
      details: { partnerIds: [partner.id], partnerId: partner.id, partnerName: partner.name },
    });
  }

  /** The tenant's partner, if any. @throws TenantException TENANT_NOT_FOUND */
  async link(tenantId: string): Promise<PartnerLink> {
    const tenant = await this.tenant(tenantId);
    const partner = tenant.partnerId === null ? null : await this.partnerRecords.findById(tenant.partnerId);
    if (partner === null) return { partner: null, linkedAt: null };
    return {
      partner: { partnerId: partner.id, name: partner.name },
      linkedAt: tenant.partnerLinkedAt?.toISOString() ?? null,
    };
  }

  /**
   * The tenant's own admins end the partner's management: its staff and keys lose the tenant at
   * their next request.
   * @throws PartnerException TENANT_NOT_MANAGED
   * @throws TenantException TENANT_NOT_FOUND
   */
  async revokeLink(tenantId: string, actor: Actor): Promise<void> {
    const tenant = await this.tenant(tenantId);
    const partnerId = tenant.partnerId;
    if (
      partnerId === null ||
      !(await this.tenants.moveToPartner(tenant.id, partnerId, null, this.clock.now()))
    )
      throw PartnerException.notManagedByAny(tenant.id);
    const partner = await this.partnerRecords.findById(partnerId);
    await this.audit.record({
      actor,
      action: AuditAction.PARTNER_LINK_REVOKED,
      tenantId: tenant.id,
      details: { partnerIds: [partnerId], partnerId, partnerName: partner?.name ?? null },
    });
  }

  private async tenant(tenantId: string): Promise<TenantEntity> {
    const id = tenantId.toLowerCase();
    const tenant = await this.tenants.findById(id);
    if (tenant === null) throw TenantException.notFound(id);
    return tenant;
  }

  private async managedTenant(partnerId: string, tenantId: string): Promise<TenantEntity> {
    const tenant = await this.tenant(tenantId);
    if (tenant.partnerId !== partnerId) throw PartnerException.notManaged(tenant.id);
    return tenant;
  }
}
