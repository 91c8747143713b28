import { Injectable } from '@nestjs/common';
import { ConsentStateEntity } from '../entities';
import { BackupSqlRepository } from './backup-sql.repository';

export interface ConsentStateRecord {
  readonly stateHash: string;
  readonly tenantId: string;
  readonly sessionHash: string;
  readonly requestedBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
}

/** Pending admin-consent requests, single-use. */
@Injectable()
export class ConsentStateRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  async insert(record: Omit<ConsentStateRecord, 'usedAt'>): Promise<void> {
    await this.sql.run(
      `INSERT INTO ${this.sql.table(ConsentStateEntity)}
       ("state_hash", "tenant_id", "session_hash", "requested_by", "created_at", "expires_at", "used_at")
       VALUES (?, ?, ?, ?, ?, ?, NULL)`,
      [
        record.stateHash,
        record.tenantId,
        record.sessionHash,
        record.requestedBy,
        record.createdAt.toISOString(),
        record.expiresAt.toISOString(),
      ],
    );
  }

  async find(stateHash: string): Promise<ConsentStateRecord | null> {
    const rows = await this.sql.rows<ConsentStateRow>(
      `SELECT * FROM ${this.sql.table(ConsentStateEntity)} WHERE "state_hash" = ?`,
      [stateHash],
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  /**
   * Marks an unused, unexpired state used. One conditional statement, so of two callbacks racing
   * with the same state exactly one gets true.
   */
  async consume(stateHash: string, now: Date): Promise<boolean> {
    const affected = await this.sql.run(
      `UPDATE ${this.sql.table(ConsentStateEntity)} SET "used_at" = ?
       WHERE "state_hash" = ? AND "used_at" IS NULL AND "expires_at" > ?`,
      [now.toISOString(), stateHash, now.toISOString()],
    );
    return affected === 1;
  }

  /** Forgets states that expired before `before` (used ones included). */
  deleteExpired(before: Date): Promise<number> {
    return this.sql.run(`DELETE FROM ${this.sql.table(ConsentStateEntity)} WHERE "expires_at" <= ?`, [
      before.toISOString(),
    ]);
  }
}

interface ConsentStateRow {
  state_hash: string;
  tenant_id: string;
  session_hash: string;
  requested_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

function toRecord(row: ConsentStateRow): ConsentStateRecord {
  return {
    stateHash: row.state_hash,
    tenantId: row.tenant_id,
    sessionHash: row.session_hash,
    requestedBy: row.requested_by,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    usedAt: row.used_at === null ? null : new Date(row.used_at),
  };
}
