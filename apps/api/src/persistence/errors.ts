import { QueryFailedError } from 'typeorm';

/**
 * True when a write failed on a primary-key or unique constraint. The drivers report it
 * differently: better-sqlite3 sets `code` to `SQLITE_CONSTRAINT_PRIMARYKEY` / `_UNIQUE`,
 * node-postgres sets the SQLSTATE `23505` (unique_violation).
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  const code =
    typeof driverError === 'object' && driverError !== null
      ? (driverError as { code?: unknown }).code
      : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
