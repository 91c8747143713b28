import { Injectable } from '@nestjs/common';
import { AuthSessionEntity } from '../entities';
import { BackupSqlRepository } from './backup-sql.repository';

/** Portal sessions by the hash of their id. Every method is one statement. */
@Injectable()
export class AuthSessionRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  /** The session's JSON, or null when there is none or it expired. */
  async findLive(sidHash: string, now: Date): Promise<string | null> {
    const rows = await this.sql.rows<{ data: string }>(
      `SELECT "data" FROM ${this.sql.table(AuthSessionEntity)} WHERE "sid_hash" = ? AND "expires_at" > ?`,
      [sidHash, now.toISOString()],
    );
    return rows[0]?.data ?? null;
  }

  async save(sidHash: string, data: string, expiresAt: Date): Promise<void> {
    await this.sql.run(
      `INSERT INTO ${this.sql.table(AuthSessionEntity)} ("sid_hash", "data", "expires_at") VALUES (?, ?, ?)
       ON CONFLICT ("sid_hash") DO UPDATE SET "data" = excluded."data", "expires_at" = excluded."expires_at"`,
      [sidHash, data, expiresAt.toISOString()],
    );
  }

  async extend(sidHash: string, expiresAt: Date): Promise<void> {
    await this.sql.run(
      `UPDATE ${this.sql.table(AuthSessionEntity)} SET "expires_at" = ? WHERE "sid_hash" = ?`,
      [expiresAt.toISOString(), sidHash],
    );
  }

  async delete(sidHash: string): Promise<void> {
    await this.sql.run(`DELETE FROM ${this.sql.table(AuthSessionEntity)} WHERE "sid_hash" = ?`, [sidHash]);
  }

  /** Removes expired sessions; returns how many. */
  deleteExpired(now: Date): Promise<number> {
    return this.sql.run(`DELETE FROM ${this.sql.table(AuthSessionEntity)} WHERE "expires_at" <= ?`, [
      now.toISOString(),
    ]);
  }
}
