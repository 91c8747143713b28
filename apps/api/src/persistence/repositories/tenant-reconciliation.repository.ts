import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import { TenantReconciliationEntity } from '../entities';

export interface ReconciliationRow {
  readonly everyDays: number;
  readonly updatedAt: Date;
}

/** The per-tenant interval of full reconciliations. */
@Injectable()
export class TenantReconciliationRepository {
  constructor(private readonly gate: DatabaseGate) {}

  /** The tenant's interval, or null when it keeps the default. */
  async find(tenantId: string): Promise<ReconciliationRow | null> {
    const row = await this.gate.run((db) =>
      db.getRepository(TenantReconciliationEntity).findOne({ where: { tenantId } }),
    );
    return row === null ? null : { everyDays: row.everyDays, updatedAt: row.updatedAt };
  }

  async save(tenantId: string, everyDays: number, at: Date): Promise<void> {
    await this.gate.run((db) =>
      db
        .getRepository(TenantReconciliationEntity)
        .upsert({ tenantId, everyDays, updatedAt: at }, ['tenantId']),
    );
  }
}
