import {
  type OnboardingLink,
  type PartnerResponse,
  type PartnerRole,
  partnerRoleSchema,
  type StaffMember,
} from '@entra-backup/common';
import type { OnboardingLinkEntity, PartnerEntity, PartnerMemberEntity } from '../../persistence/entities';

export function toPartnerResponse(partner: PartnerEntity, role?: PartnerRole): PartnerResponse {
  return {
    partnerId: partner.id,
    name: partner.name,
    createdAt: partner.createdAt.toISOString(),
    ...(role === undefined ? {} : { role }),
  };
}

export function toStaffMember(member: PartnerMemberEntity): StaffMember {
  return {
    upn: member.upn,
    role: partnerRoleSchema.parse(member.role),
    homeTenantId: member.homeTenantId,
    addedAt: member.addedAt.toISOString(),
    addedBy: member.addedBy,
  };
}

/** Where a link stands at `now`: used and revoked are final; an open link expires. */
export function onboardingLinkStatus(link: OnboardingLinkEntity, now: Date): OnboardingLink['status'] {
  if (link.usedAt !== null) return 'used';
  if (link.revokedAt !== null) return 'revoked';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'open';
}

export function toOnboardingLink(link: OnboardingLinkEntity, now: Date, url?: string): OnboardingLink {
  return {
    linkId: link.id,
    customerName: link.customerName,
    createdAt: link.createdAt.toISOString(),
    createdBy: link.createdBy,
    expiresAt: link.expiresAt.toISOString(),
    status: onboardingLinkStatus(link, now),
    usedByTenantId: link.usedByTenantId,
    ...(url === undefined ? {} : { url }),
  };
}
