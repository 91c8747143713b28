import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import { OnboardingLinkEntity, PartnerEntity, TenantEntity } from '../entities';

/** An onboarding link with the name of its partner (what the customer is shown). */
export interface OnboardingLinkWithPartner {
  readonly link: OnboardingLinkEntity;
  readonly partnerName: string;
}

/** What became of accepting a link. */
export type OnboardingAcceptOutcome =
  /** The link is used up and the tenant linked to the link's partner (or already was). */
  | 'accepted'
  /** The link was used, revoked or had expired by the time of the statement (nothing changed). */
  | 'link-closed'
  /** Another partner manages the tenant (nothing changed, the link stays open). */
  | 'tenant-managed'
  /** No such tenant is registered (nothing changed). */
  | 'tenant-missing';

/** Thrown inside the accept transaction to roll back the link's consumption. */
class AcceptRolledBack extends Error {
  constructor(readonly outcome: OnboardingAcceptOutcome) {
    super(outcome);
  }
}

/** Partners' onboarding links, found by the hash of their token. */
@Injectable()
export class OnboardingLinkRepository {
  constructor(private readonly gate: DatabaseGate) {}

  async insert(link: OnboardingLinkEntity): Promise<void> {
    await this.gate.run((db) => db.getRepository(OnboardingLinkEntity).insert(link));
  }

  /** A partner's links, newest first. */
  listByPartner(partnerId: string): Promise<OnboardingLinkEntity[]> {
    return this.gate.run((db) =>
      db
        .getRepository(OnboardingLinkEntity)
        .find({ where: { partnerId }, order: { createdAt: 'DESC', id: 'DESC' } }),
    );
  }

  findOfPartner(partnerId: string, linkId: string): Promise<OnboardingLinkEntity | null> {
    return this.gate.run((db) => db.getRepository(OnboardingLinkEntity).findOneBy({ id: linkId, partnerId }));
  }

  findByTokenHash(tokenHash: string): Promise<OnboardingLinkWithPartner | null> {
    return this.gate.run(async (db) => {
      const link = await db.getRepository(OnboardingLinkEntity).findOneBy({ tokenHash });
      if (link === null) return null;
      const partner = await db.getRepository(PartnerEntity).findOneBy({ id: link.partnerId });
      return partner === null ? null : { link, partnerName: partner.name };
    });
  }

  /** Revokes an open link; false when it was used or revoked already. */
  async revoke(partnerId: string, linkId: string, at: Date, by: string): Promise<boolean> {
    const result = await this.gate.run((db) =>
      db
        .getRepository(OnboardingLinkEntity)
        .createQueryBuilder()
        .update()
        .set({ revokedAt: at, revokedBy: by })
        .where('id = :linkId AND partner_id = :partnerId AND used_at IS NULL AND revoked_at IS NULL', {
          linkId,
          partnerId,
        })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Uses the link up and links the tenant to the link's partner, both or neither, in one
   * transaction. The link is consumed by a conditional statement (open, unexpired at `at`), so of
   * concurrent accepts exactly one wins; a tenant another partner manages rolls the use back.
   */
  async accept(input: {
    readonly linkId: string;
    readonly partnerId: string;
    readonly tenantId: string;
    readonly usedBy: string;
    readonly at: Date;
  }): Promise<OnboardingAcceptOutcome> {
    try {
      return await this.gate.transaction(async (db) => {
        const consumed = await db
          .getRepository(OnboardingLinkEntity)
          .createQueryBuilder()
          .update()
          .set({ usedAt: input.at, usedBy: input.usedBy, usedByTenantId: input.tenantId })
          .where(
            'id = :linkId AND partner_id = :partnerId AND used_at IS NULL AND revoked_at IS NULL AND expires_at > :now',
            { linkId: input.linkId, partnerId: input.partnerId, now: input.at.toISOString() },
          )
          .execute();
        if ((consumed.affected ?? 0) === 0) return 'link-closed';
        const tenants = db.getRepository(TenantEntity);
        const linked = await tenants
          .createQueryBuilder()
          .update()
          .set({ partnerId: input.partnerId, partnerLinkedAt: input.at, updatedAt: input.at })
          .where('id = :tenantId AND partner_id IS NULL', { tenantId: input.tenantId })
          .execute();
        if ((linked.affected ?? 0) > 0) return 'accepted';
        const tenant = await tenants.findOneBy({ id: input.tenantId });
        if (tenant === null) throw new AcceptRolledBack('tenant-missing');
        if (tenant.partnerId !== input.partnerId) throw new AcceptRolledBack('tenant-managed');
        return 'accepted';
      });
    } catch (error) {
      if (error instanceof AcceptRolledBack) return error.outcome;
      throw error;
    }
  }
}
