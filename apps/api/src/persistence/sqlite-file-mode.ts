import { chmodSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The database holds the tenants' directory data: readable by the service's user only. */
const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

/**
 * Makes the SQLite database, its WAL and shared-memory files, and the data directory holding
 * them private to the service's user, like the key files beside them. Called as soon as the
 * database is open and before WAL mode is switched on: SQLite creates the `-wal` and `-shm`
 * files with the permissions of the database file (https://www.sqlite.org/tempfiles.html and
 * `robust_open` in os_unix.c), so tightening the database first makes them private from birth;
 * files of an older installation are tightened too. Elsewhere than POSIX file modes mean
 * nothing and this does nothing.
 */
export function restrictSqliteFiles(databasePath: string): void {
  if (process.platform === 'win32') return;
  tighten(dirname(databasePath), PRIVATE_DIR);
  for (const path of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) {
    tighten(path, PRIVATE_FILE);
  }
}

function tighten(path: string, mode: number): void {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((current & ~mode) !== 0) chmodSync(path, current & mode);
}
