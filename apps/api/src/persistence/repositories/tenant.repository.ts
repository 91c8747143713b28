import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import { TenantEntity } from '../entities';
import { isUniqueViolation } from '../errors';

export interface NewTenant {
  readonly id: string;
  readonly displayName: string;
  readonly createdAt: Date;
}

@Injectable()
export class TenantRepository {
  constructor(private readonly gate: DatabaseGate) {}

  /** All tenants by display name (then id, so equal names list in a stable order). */
  listAll(): Promise<TenantEntity[]> {
    return this.gate.run((db) =>
      db.getRepository(TenantEntity).find({ order: { displayName: 'ASC', id: 'ASC' } }),
    );
  }

  findById(id: string): Promise<TenantEntity | null> {
    return this.gate.run((db) => db.getRepository(TenantEntity).findOneBy({ id }));
  }

  /** Inserts the tenant; returns null when a tenant with that id already exists. */
  async insertIfAbsent(tenant: NewTenant): Promise<TenantEntity | null> {
    const entity = Object.assign(new TenantEntity(), {
      id: tenant.id,
      displayName: tenant.displayName,
      createdAt: tenant.createdAt,
      updatedAt: tenant.createdAt,
      partnerId: null,
      partnerLinkedAt: null,
    });
    try {
      await this.gate.run((db) => db.getRepository(TenantEntity).insert(entity));
      return entity;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Renames a tenant; false when there is no such tenant. */
  async updateDisplayName(id: string, displayName: string, updatedAt: Date): Promise<boolean> {
    const result = await this.gate.run((db) =>
      db.getRepository(TenantEntity).update({ id }, { displayName, updatedAt }),
    );
    return (result.affected ?? 0) > 0;
  }

  /** The customer tenants of a partner, by display name. */
  listByPartner(partnerId: string): Promise<TenantEntity[]> {
    return this.gate.run((db) =>
      db.getRepository(TenantEntity).find({ where: { partnerId }, order: { displayName: 'ASC', id: 'ASC' } }),
    );
  }

  /**
   * Moves a tenant from the partner that manages it to another partner (hand over) or to none
   * (release, or the tenant's admins revoking the link), in one conditional statement: false when
   * the tenant is not (or no longer) managed by `fromPartnerId`.
   */
  async moveToPartner(
    tenantId: string,
    fromPartnerId: string,
    toPartnerId: string | null,
    at: Date,
  ): Promise<boolean> {
    const result = await this.gate.run((db) =>
      db
        .getRepository(TenantEntity)
        .update(
          { id: tenantId, partnerId: fromPartnerId },
          { partnerId: toPartnerId, partnerLinkedAt: toPartnerId === null ? null : at, updatedAt: at },
        ),
    );
    return (result.affected ?? 0) > 0;
  }
}
