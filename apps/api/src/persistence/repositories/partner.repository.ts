import { Injectable } from '@nestjs/common';
import { DatabaseGate, type GatedManager } from '../database-gate';
import { PartnerEntity, PartnerMemberEntity, TenantEntity } from '../entities';
import { isUniqueViolation } from '../errors';

/** A person's membership of a partner's staff, with the partner's name. */
export interface MembershipRecord {
  readonly partnerId: string;
  readonly partnerName: string;
  readonly upn: string;
  readonly role: string;
  readonly homeTenantId: string | null;
}

/** A partner with the size of its staff and of its customer base. */
export interface PartnerSummaryRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly staff: number;
  readonly tenants: number;
}

/** What became of a staff change that must leave the partner at least one Owner. */
export type StaffChangeOutcome = 'changed' | 'not-found' | 'last-owner';

const OWNER = 'owner';

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

  findByName(name: string): Promise<PartnerEntity | null> {
    return this.gate.run((db) => db.getRepository(PartnerEntity).findOneBy({ name }));
  }

  /**
   * Creates a partner with its first Owner, both or neither; null when a partner of that name
   * exists already.
   */
  async insertWithOwner(partner: PartnerEntity, owner: PartnerMemberEntity): Promise<PartnerEntity | null> {
    try {
      await this.gate.transaction(async (db) => {
        await db.getRepository(PartnerEntity).insert(partner);
        await db.getRepository(PartnerMemberEntity).insert(owner);
      });
      return partner;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Every partner by name, with how many staff and customer tenants it has. */
  listWithCounts(): Promise<PartnerSummaryRecord[]> {
    return this.gate.run(async (db) => {
      const partners = await db.getRepository(PartnerEntity).find({ order: { name: 'ASC' } });
      const countsBy = async (query: Promise<Array<{ partnerId: string; n: unknown }>>) =>
        new Map((await query).map((r) => [r.partnerId, Number(r.n)]));
      const staff = await countsBy(
        db
          .getRepository(PartnerMemberEntity)
          .createQueryBuilder('m')
          .select('m.partner_id', 'partnerId')
          .addSelect('COUNT(*)', 'n')
          .groupBy('m.partner_id')
          .getRawMany(),
      );
      const tenants = await countsBy(
        db
          .getRepository(TenantEntity)
          .createQueryBuilder('t')
          .select('t.partner_id', 'partnerId')
          .addSelect('COUNT(*)', 'n')
          .where('t.partner_id IS NOT NULL')
          .groupBy('t.partner_id')
          .getRawMany(),
      );
      return partners.map((p) => ({
        id: p.id,
        name: p.name,
        createdAt: p.createdAt,
        createdBy: p.createdBy,
        staff: staff.get(p.id) ?? 0,
        tenants: tenants.get(p.id) ?? 0,
      }));
    });
  }

  /** A partner's staff by sign-in name. */
  listMembers(partnerId: string): Promise<PartnerMemberEntity[]> {
    return this.gate.run((db) =>
      db.getRepository(PartnerMemberEntity).find({ where: { partnerId }, order: { upn: 'ASC' } }),
    );
  }

  findMember(partnerId: string, upn: string): Promise<PartnerMemberEntity | null> {
    return this.gate.run((db) =>
      db.getRepository(PartnerMemberEntity).findOneBy({ partnerId, upn: upn.toLowerCase() }),
    );
  }

  /** Adds one of the partner's staff; false when that sign-in name is on the staff already. */
  async insertMember(member: PartnerMemberEntity): Promise<boolean> {
    try {
      await this.gate.run((db) => db.getRepository(PartnerMemberEntity).insert(member));
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Gives a staff member another role, unless that would leave the partner without an Owner. */
  changeMemberRole(partnerId: string, upn: string, role: string): Promise<StaffChangeOutcome> {
    return this.keepingAnOwner(partnerId, upn, role, async (db, member) => {
      await db.getRepository(PartnerMemberEntity).update({ partnerId, upn: member.upn }, { role });
    });
  }

  /** Removes a staff member, unless they are the partner's last Owner. */
  removeMember(partnerId: string, upn: string): Promise<StaffChangeOutcome> {
    return this.keepingAnOwner(partnerId, upn, undefined, async (db, member) => {
      await db.getRepository(PartnerMemberEntity).delete({ partnerId, upn: member.upn });
    });
  }

  /**
   * Runs a staff change in one transaction that first locks the partner (PostgreSQL; SQLite's
   * `BEGIN IMMEDIATE` serialises writers anyway), so two Owners demoting each other at the same
   * moment cannot both succeed and leave nobody to manage the staff.
   */
  private async keepingAnOwner(
    partnerId: string,
    upn: string,
    newRole: string | undefined,
    change: (db: GatedManager, member: PartnerMemberEntity) => Promise<void>,
  ): Promise<StaffChangeOutcome> {
    return this.gate.transaction(async (db) => {
      if (this.gate.engine === 'postgres') {
        await db
          .getRepository(PartnerEntity)
          .createQueryBuilder('p')
          .setLock('pessimistic_write')
          .where('p.id = :partnerId', { partnerId })
          .getOne();
      }
      const members = db.getRepository(PartnerMemberEntity);
      const member = await members.findOneBy({ partnerId, upn: upn.toLowerCase() });
      if (member === null) return 'not-found';
      if (member.role === OWNER && newRole !== OWNER) {
        const owners = await members.countBy({ partnerId, role: OWNER });
        if (owners <= 1) return 'last-owner';
      }
      await change(db, member);
      return 'changed';
    });
  }
}
