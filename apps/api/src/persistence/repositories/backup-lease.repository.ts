import { Injectable } from '@nestjs/common';
import { BackupLeaseEntity } from '../entities';
import { BackupSqlRepository, isForeignKeyViolation } from './backup-sql.repository';

export interface LeaseRecord {
  readonly tenantId: string;
  readonly holderId: string;
  readonly acquiredAt: Date;
  readonly expiresAt: Date;
}

export class LeaseTenantMissingError extends Error {
  constructor(readonly tenantId: string) {
    super(`Tenant ${tenantId} does not exist`);
    this.name = LeaseTenantMissingError.name;
  }
}

/**
 * The per-tenant run lease. Every change is a single conditional statement, so it is atomic
 * across processes on both engines: the row lock of an UPSERT (PostgreSQL) or SQLite's write lock
 * decides between two processes racing for the same tenant. Timestamps are fixed-width ISO
 * strings, which compare chronologically as text.
 */
@Injectable()
export class BackupLeaseRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  /**
   * Takes the lease when it is free, expired, or already ours (then it is extended). Returns the
   * lease now in force: ours if acquired, otherwise the other holder's.
   */
  async tryAcquire(input: {
    readonly tenantId: string;
    readonly holderId: string;
    readonly now: Date;
    readonly expiresAt: Date;
  }): Promise<{ readonly acquired: boolean; readonly lease: LeaseRecord }> {
    const table = this.sql.table(BackupLeaseEntity);
    const now = input.now.toISOString();
    let taken: LeaseRow[];
    try {
      taken = await this.sql.rows<LeaseRow>(
        `INSERT INTO ${table} AS l ("tenant_id", "holder_id", "acquired_at", "expires_at") VALUES (?, ?, ?, ?)
         ON CONFLICT ("tenant_id") DO UPDATE SET
           "holder_id" = excluded."holder_id",
           "acquired_at" = CASE WHEN l."holder_id" = excluded."holder_id" THEN l."acquired_at" ELSE excluded."acquired_at" END,
           "expires_at" = excluded."expires_at"
         WHERE l."expires_at" <= ? OR l."holder_id" = ?
         RETURNING "tenant_id", "holder_id", "acquired_at", "expires_at"`,
        [input.tenantId, input.holderId, now, input.expiresAt.toISOString(), now, input.holderId],
      );
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new LeaseTenantMissingError(input.tenantId);
      throw error;
    }
    if (taken[0] !== undefined) return { acquired: true, lease: toLease(taken[0]) };
    const current = await this.find(input.tenantId);
    if (current === null) {
      // Released between our statement and this read: try once more rather than report a phantom holder.
      return this.tryAcquire(input);
    }
    return { acquired: false, lease: current };
  }

  /** Extends our unexpired lease; false when it expired or someone else holds it now. */
  async renew(input: {
    readonly tenantId: string;
    readonly holderId: string;
    readonly now: Date;
    readonly expiresAt: Date;
  }): Promise<boolean> {
    const affected = await this.sql.run(
      `UPDATE ${this.sql.table(BackupLeaseEntity)} SET "expires_at" = ?
       WHERE "tenant_id" = ? AND "holder_id" = ? AND "expires_at" > ?`,
      [input.expiresAt.toISOString(), input.tenantId, input.holderId, input.now.toISOString()],
    );
    return affected === 1;
  }

  /**
   * Takes the lease from `fromHolderId` (a holder known to be dead) whatever its expiry. The
   * condition on the holder makes it one atomic compare-and-set: of several processes taking over
   * the same dead holder, only the first succeeds; the others find a new holder and get false.
   */
  async takeOver(input: {
    readonly tenantId: string;
    readonly fromHolderId: string;
    readonly holderId: string;
    readonly now: Date;
    readonly expiresAt: Date;
  }): Promise<boolean> {
    const affected = await this.sql.run(
      `UPDATE ${this.sql.table(BackupLeaseEntity)} SET "holder_id" = ?, "acquired_at" = ?, "expires_at" = ?
       WHERE "tenant_id" = ? AND "holder_id" = ?`,
      [
        input.holderId,
        input.now.toISOString(),
        input.expiresAt.toISOString(),
        input.tenantId,
        input.fromHolderId,
      ],
    );
    return affected === 1;
  }

  /** Gives the lease up if we hold it. */
  async release(tenantId: string, holderId: string): Promise<void> {
    await this.sql.run(
      `DELETE FROM ${this.sql.table(BackupLeaseEntity)} WHERE "tenant_id" = ? AND "holder_id" = ?`,
      [tenantId, holderId],
    );
  }

  async find(tenantId: string): Promise<LeaseRecord | null> {
    const rows = await this.sql.rows<LeaseRow>(
      `SELECT "tenant_id", "holder_id", "acquired_at", "expires_at" FROM ${this.sql.table(BackupLeaseEntity)}
       WHERE "tenant_id" = ?`,
      [tenantId],
    );
    return rows[0] === undefined ? null : toLease(rows[0]);
  }

  /** Tenants whose lease has not expired at `now`. */
  async liveTenantIds(now: Date): Promise<Set<string>> {
    const rows = await this.sql.rows<{ tenant_id: string }>(
      `SELECT "tenant_id" FROM ${this.sql.table(BackupLeaseEntity)} WHERE "expires_at" > ?`,
      [now.toISOString()],
    );
    return new Set(rows.map((r) => r.tenant_id));
  }
}

interface LeaseRow {
  tenant_id: string;
  holder_id: string;
  acquired_at: string;
  expires_at: string;
}

function toLease(row: LeaseRow): LeaseRecord {
  return {
    tenantId: row.tenant_id,
    holderId: row.holder_id,
    acquiredAt: new Date(row.acquired_at),
    expiresAt: new Date(row.expires_at),
  };
}
