import { randomUUID } from 'node:crypto';
import {
  type AddStaffRequest,
  addStaffRequestSchema,
  type CreatePartnerRequest,
  createPartnerRequestSchema,
  GUID_PATTERN,
  type PartnerResponse,
  type PartnerRole,
  type StaffList,
  type StaffMember,
} from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { Clock } from '../../core/clock';
import { PartnerEntity, PartnerMemberEntity } from '../../persistence/entities';
import { PartnerRepository, type PartnerSummaryRecord } from '../../persistence/repositories';
import { type Actor, AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { toPartnerResponse, toStaffMember } from './partner.mapper';
import { PartnerException } from './partners.exception';

/** A partner as the operator's list shows it. */
export interface PartnerSummary extends PartnerResponse {
  readonly staff: number;
  readonly tenants: number;
}

/**
 * Partners and their staff: the installation operator creates a partner with its first Owner
 * (CLI); its Owners then manage the staff (API). A partner always keeps at least one Owner.
 */
@Injectable()
export class PartnersService {
  constructor(
    private readonly partners: PartnerRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * @throws PartnerException PARTNER_INVALID_REQUEST for a blank name or a malformed sign-in name,
   *   PARTNER_EXISTS for a name in use
   */
  async create(request: CreatePartnerRequest, actor: Actor): Promise<PartnerResponse> {
    const { name, ownerUpn } = parse(createPartnerRequestSchema, request);
    const now = this.clock.now();
    const partner = Object.assign(new PartnerEntity(), {
      id: randomUUID(),
      name,
      createdAt: now,
      createdBy: actor,
    });
    const owner = Object.assign(new PartnerMemberEntity(), {
      partnerId: partner.id,
      upn: ownerUpn,
      role: 'owner',
      homeTenantId: null,
      objectId: null,
      addedAt: now,
      addedBy: actor,
    });
    if ((await this.partners.insertWithOwner(partner, owner)) === null)
      throw PartnerException.alreadyExists(name);
    await this.audit.record({
      actor,
      action: AuditAction.PARTNER_CREATED,
      tenantId: null,
      details: { partnerIds: [partner.id], partnerId: partner.id, name, owner: ownerUpn },
    });
    return toPartnerResponse(partner);
  }

  async list(): Promise<PartnerSummary[]> {
    return (await this.partners.listWithCounts()).map((p: PartnerSummaryRecord) => ({
      partnerId: p.id,
      name: p.name,
      createdAt: p.createdAt.toISOString(),
      staff: p.staff,
      tenants: p.tenants,
    }));
  }

  /** @throws PartnerException PARTNER_NOT_FOUND */
  async get(partnerId: string): Promise<PartnerEntity> {
    const partner = GUID_PATTERN.test(partnerId)
      ? await this.partners.findById(partnerId.toLowerCase())
      : null;
    if (partner === null) throw PartnerException.notFound(partnerId);
    return partner;
  }

  /**
   * A partner by id or by exact name (the command line names partners either way).
   * @throws PartnerException PARTNER_NOT_FOUND
   */
  async resolve(idOrName: string): Promise<PartnerEntity> {
    const byId = GUID_PATTERN.test(idOrName) ? await this.partners.findById(idOrName.toLowerCase()) : null;
    const partner = byId ?? (await this.partners.findByName(idOrName.trim()));
    if (partner === null) throw PartnerException.notFound(idOrName);
    return partner;
  }

  /** @throws PartnerException PARTNER_NOT_FOUND */
  async listStaff(partnerId: string): Promise<StaffList> {
    const partner = await this.get(partnerId);
    return { items: (await this.partners.listMembers(partner.id)).map(toStaffMember) };
  }

  /**
   * Adds a person by sign-in name; their own tenant is bound at their first sign-in.
   * @throws PartnerException PARTNER_NOT_FOUND, PARTNER_INVALID_REQUEST, STAFF_EXISTS
   */
  async addStaff(partnerId: string, request: AddStaffRequest, actor: Actor): Promise<StaffMember> {
    const partner = await this.get(partnerId);
    const { upn, role } = parse(addStaffRequestSchema, request);
    const member = Object.assign(new PartnerMemberEntity(), {
      partnerId: partner.id,
      upn,
      role,
      homeTenantId: null,
      objectId: null,
      addedAt: this.clock.now(),
      addedBy: actor,
    });
    if (!(await this.partners.insertMember(member))) throw PartnerException.staffExists(upn);
    await this.audit.record({
      actor,
      action: AuditAction.PARTNER_STAFF_ADDED,
      tenantId: null,
      details: { partnerIds: [partner.id], partnerId: partner.id, upn, role },
    });
    return toStaffMember(member);
  }

  /** @throws PartnerException PARTNER_NOT_FOUND, STAFF_NOT_FOUND, STAFF_LAST_OWNER */
  async changeRole(partnerId: string, upn: string, role: PartnerRole, actor: Actor): Promise<StaffMember> {
    const partner = await this.get(partnerId);
    const name = upn.trim().toLowerCase();
    const before = await this.partners.findMember(partner.id, name);
    if (before === null) throw PartnerException.staffNotFound(name);
    if (before.role === role) return toStaffMember(before);
    this.settle(await this.partners.changeMemberRole(partner.id, name, role), name);
    await this.audit.record({
      actor,
      action: AuditAction.PARTNER_STAFF_CHANGED,
      tenantId: null,
      details: {
        partnerIds: [partner.id],
        partnerId: partner.id,
        upn: name,
        role,
        previousRole: before.role,
      },
    });
    return toStaffMember(Object.assign(new PartnerMemberEntity(), before, { role }));
  }

  /** @throws PartnerException PARTNER_NOT_FOUND, STAFF_NOT_FOUND, STAFF_LAST_OWNER */
  async removeStaff(partnerId: string, upn: string, actor: Actor): Promise<void> {
    const partner = await this.get(partnerId);
    const name = upn.trim().toLowerCase();
    const before = await this.partners.findMember(partner.id, name);
    if (before === null) throw PartnerException.staffNotFound(name);
    this.settle(await this.partners.removeMember(partner.id, name), name);
    await this.audit.record({
      actor,
      action: AuditAction.PARTNER_STAFF_REMOVED,
      tenantId: null,
      details: { partnerIds: [partner.id], partnerId: partner.id, upn: name, role: before.role },
    });
  }

  private settle(outcome: 'changed' | 'not-found' | 'last-owner', upn: string): void {
    if (outcome === 'not-found') throw PartnerException.staffNotFound(upn);
    if (outcome === 'last-owner') throw PartnerException.lastOwner(upn);
  }
}

/** Validates with a shared schema, answering the first problem as PARTNER_INVALID_REQUEST. */
function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw PartnerException.invalidRequest(`${where}${issue?.message ?? 'invalid request'}`);
  }
  return result.data;
}
