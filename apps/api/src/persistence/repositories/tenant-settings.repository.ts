import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import { TenantEntity, TenantSettingEntity } from '../entities';

export interface TenantSettingRow {
  readonly objectType: string;
  readonly enabled: boolean;
  readonly updatedAt: Date;
}

@Injectable()
export class TenantSettingsRepository {
  constructor(private readonly gate: DatabaseGate) {}

  /** The stored rows of one tenant; types without a row are off. */
  async findByTenant(tenantId: string): Promise<TenantSettingRow[]> {
    const rows = await this.gate.run((db) =>
      db.getRepository(TenantSettingEntity).find({ where: { tenantId }, order: { objectType: 'ASC' } }),
    );
    return rows.map(({ objectType, enabled, updatedAt }) => ({ objectType, enabled, updatedAt }));
  }

  /**
   * Writes the given per-type switches (other types keep their value) and bumps the tenant's
   * `updated_at`, atomically.
   */
  async saveEnabledTypes(
    tenantId: string,
    changes: Readonly<Record<string, boolean>>,
    at: Date,
  ): Promise<void> {
    const rows = Object.entries(changes).map(([objectType, enabled]) => ({
      tenantId,
      objectType,
      enabled,
      updatedAt: at,
    }));
    if (rows.length === 0) return;
    await this.gate.transaction(async (manager) => {
      await manager.getRepository(TenantSettingEntity).upsert(rows, ['tenantId', 'objectType']);
      await manager.getRepository(TenantEntity).update({ id: tenantId }, { updatedAt: at });
    });
  }
}
