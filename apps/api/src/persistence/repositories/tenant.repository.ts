import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { TenantEntity } from '../entities';
import { isUniqueViolation } from '../errors';

export interface NewTenant {
  readonly id: string;
  readonly displayName: string;
  readonly createdAt: Date;
}

@Injectable()
export class TenantRepository {
  private readonly tenants: Repository<TenantEntity>;

  constructor(dataSource: DataSource) {
    this.tenants = dataSource.getRepository(TenantEntity);
  }

  /** All tenants by display name (then id, so equal names list in a stable order). */
  listAll(): Promise<TenantEntity[]> {
    return this.tenants.find({ order: { displayName: 'ASC', id: 'ASC' } });
  }

  findById(id: string): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ id });
  }

  /** Inserts the tenant; returns null when a tenant with that id already exists. */
  async insertIfAbsent(tenant: NewTenant): Promise<TenantEntity | null> {
    const entity = this.tenants.create({
      id: tenant.id,
      displayName: tenant.displayName,
      createdAt: tenant.createdAt,
      updatedAt: tenant.createdAt,
    });
    try {
      await this.tenants.insert(entity);
      return entity;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Renames a tenant; false when there is no such tenant. */
  async updateDisplayName(id: string, displayName: string, updatedAt: Date): Promise<boolean> {
    const result = await this.tenants.update({ id }, { displayName, updatedAt });
    return (result.affected ?? 0) > 0;
  }
}
