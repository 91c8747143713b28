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
}
