import { Injectable } from '@nestjs/common';
import { ConsentGrantEntity } from '../entities';
import { BackupSqlRepository } from './backup-sql.repository';

export interface ConsentGrantRecord {
  readonly tenantId: string;
  /** Application permissions in the tenant's app token, sorted. */
  readonly grantedRoles: readonly string[];
  readonly grantedBy: string;
  readonly grantedAt: Date;
  readonly verifiedAt: Date;
}

/** The verified admin consent per tenant. */
@Injectable()
export class ConsentGrantRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  async find(tenantId: string): Promise<ConsentGrantRecord | null> {
    const rows = await this.sql.rows<ConsentGrantRow>(
      `SELECT * FROM ${this.sql.table(ConsentGrantEntity)} WHERE "tenant_id" = ?`,
      [tenantId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      tenantId: row.tenant_id,
      grantedRoles: parseRoles(row.granted_roles),
      grantedBy: row.granted_by,
      grantedAt: new Date(row.granted_at),
      verifiedAt: new Date(row.verified_at),
    };
  }

  async save(record: ConsentGrantRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO ${this.sql.table(ConsentGrantEntity)}
       ("tenant_id", "granted_roles", "granted_by", "granted_at", "verified_at") VALUES (?, ?, ?, ?, ?)
       ON CONFLICT ("tenant_id") DO UPDATE SET "granted_roles" = excluded."granted_roles",
         "granted_by" = excluded."granted_by", "granted_at" = excluded."granted_at",
         "verified_at" = excluded."verified_at"`,
      [
        record.tenantId,
        JSON.stringify([...record.grantedRoles].sort()),
        record.grantedBy,
        record.grantedAt.toISOString(),
        record.verifiedAt.toISOString(),
      ],
    );
  }
}

interface ConsentGrantRow {
  tenant_id: string;
  granted_roles: string;
  granted_by: string;
  granted_at: string;
  verified_at: string;
}

function parseRoles(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : [];
}
