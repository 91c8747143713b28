import { GUID_PATTERN } from '@entra-backup/common';
import { InvalidArgumentError } from 'commander';

/**
 * Commander argument parser: a snapshot id (GUID, lower-cased), `latest`, or the sequence number
 * `snapshots` lists (`12` or `#12`).
 */
export function parseSnapshotArgument(value: string): string {
  const trimmed = value.trim();
  if (trimmed === 'latest') return trimmed;
  if (/^#?\d{1,9}$/.test(trimmed)) return trimmed.replace(/^#/, '');
  if (!GUID_PATTERN.test(trimmed)) {
    throw new InvalidArgumentError(
      `snapshot must be a snapshot id (GUID), a sequence number as \`snapshots\` lists it, or "latest", got '${value}'`,
    );
  }
  return trimmed.toLowerCase();
}

/** Commander option parser: a positive integer no larger than `max`. */
export function positiveIntegerArgument(name: string, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from 1 to ${max}, got '${value}'`);
    }
    return n;
  };
}

/** `1.2 MB`, `512 B`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A command that ran but did not succeed (a partial backup, damaged storage): its details are
 * already printed, and this one line is the error message with exit code 1.
 */
export class CommandFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailedError';
  }
}
