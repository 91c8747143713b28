import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import { PartnerEntity, PartnerMemberEntity } from '../entities';

/** A person's membership of a partner's staff, with the partner's name. */
export interface MembershipRecord {
  readonly partnerId: string;
  readonly partnerName: string;
  readonly upn: string;
  readonly role: string;
  readonly homeTenantId: string | null;
}

/** Partners and their staff. */
@Injectable()
export class PartnerRepository {
  constructor(private readonly gate: DatabaseGate) {}

  findById(id: string): Promise<PartnerEntity | null> {
    return this.gate.run((db) => db.getRepository(PartnerEntity).findOneBy({ id }));
  }

  /** Every staff membership of a sign-in name (lower-case), over all partners. */
  membershipsOf(upn: string): Promise<MembershipRecord[]> {
    return this.gate.run(async (db) => {
      const rows = await db
        .getRepository(PartnerMemberEntity)
        .createQueryBuilder('m')
        .innerJoin(PartnerEntity, 'p', 'p.id = m.partner_id')
        .select([
          'm.partner_id AS "partnerId"',
          'p.name AS "partnerName"',
          'm.upn AS "upn"',
          'm.role AS "role"',
          'm.home_tenant_id AS "homeTenantId"',
        ])
        .where('m.upn = :upn', { upn: upn.toLowerCase() })
        .orderBy('p.name', 'ASC')
        .getRawMany<MembershipRecord>();
      return rows;
    });
  }

  /** Binds a membership to the person's own tenant and object id on their first sign-in. */
  async bindMemberHome(
    partnerId: string,
    upn: string,
    homeTenantId: string,
    objectId: string,
  ): Promise<void> {
    await this.gate.run((db) =>
      db
        .getRepository(PartnerMemberEntity)
        .createQueryBuilder()
        .update()
        .set({ homeTenantId, objectId })
        .where('partner_id = :partnerId AND upn = :upn AND home_tenant_id IS NULL', {
          partnerId,
          upn: upn.toLowerCase(),
        })
        .execute(),
    );
  }
}
