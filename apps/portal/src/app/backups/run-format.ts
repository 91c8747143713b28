import type { BackupRunListItem, BackupTypeResult, ObjectTypeKey } from '@entra-backup/common';
import { collectionLabel, OBJECT_TYPE_KEYS, objectTypeLabel } from '@entra-backup/common';

/** "1 h 2 min", "3 min 4 s", "5.2 s", or "—" while running. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${m} min`;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

export function runDurationMs(run: BackupRunListItem): number | null {
  if (run.summary !== null) return run.summary.durationMs;
  if (run.finishedAt === null) return null;
  return Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.startedAt));
}

export interface TypeRow {
  readonly key: ObjectTypeKey;
  readonly label: string;
  readonly result: BackupTypeResult | undefined;
}

/** The run's types in the product's order with their results (none for a run without summary). */
export function typeRows(run: BackupRunListItem): TypeRow[] {
  return OBJECT_TYPE_KEYS.filter((k) => run.types.includes(k) || run.summary?.types[k] !== undefined).map(
    (key) => ({
      key,
      label: objectTypeLabel(key),
      result: run.summary?.types[key],
    }),
  );
}

/** Types that failed or were skipped with their Graph code and request id, for the errors column. */
export function typeProblems(run: BackupRunListItem): TypeRow[] {
  return typeRows(run).filter((row) => row.result !== undefined && row.result.status !== 'succeeded');
}

export function triggerLabel(trigger: BackupRunListItem['trigger']): string {
  if (trigger === 'schedule') return 'Scheduled';
  if (trigger === 'cli') return 'Command line';
  if (trigger === 'restore') return 'Before a restore';
  if (trigger === 'compare') return 'Compare with live';
  return 'Manual';
}

/**
 * Who did something (an audit actor), for people: the signed-in user's sign-in name, the command
 * line's OS user, an API key by its prefix, or the scheduler.
 */
export function actorLabel(actor: string): string {
  if (actor.startsWith('user:')) return actor.slice('user:'.length);
  if (actor.startsWith('cli:')) return `${actor.slice('cli:'.length)} (command line)`;
  if (actor.startsWith('key:')) return `API key ${actor.slice('key:'.length)}`;
  return actor === 'schedule' ? 'the schedule' : actor;
}

/**
 * Append-only types: a run only adds entries to them. (The shared contract in `libs/common` does
 * not say which types are logs yet; the key type catches a misspelt key.)
 */
export const LOG_TYPES: ReadonlySet<ObjectTypeKey> = new Set<ObjectTypeKey>(['signInLogs', 'auditLogs']);

/** A run's figures summed over its types, for the one-line runs list. */
export interface RunTotals {
  /** Objects of the directory types' primary collections (log entries apart). */
  readonly objects: number;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** Log entries the run added. */
  readonly newLogEntries: number;
  readonly requests: number;
  readonly bytesStored: number;
}

/** Totals of a finished run; null while it runs or when it ended without a summary. */
export function runTotals(run: BackupRunListItem): RunTotals | null {
  const summary = run.summary;
  if (summary === null) return null;
  const entries = Object.entries(summary.types) as [ObjectTypeKey, BackupTypeResult | undefined][];
  const objects = entries.flatMap(([key, r]) => (r === undefined || LOG_TYPES.has(key) ? [] : [r]));
  const logs = entries.flatMap(([key, r]) => (r !== undefined && LOG_TYPES.has(key) ? [r] : []));
  const sum = (results: BackupTypeResult[], pick: (r: BackupTypeResult) => number) =>
    results.reduce((n, r) => n + pick(r), 0);
  return {
    objects: sum(objects, (r) => r.objects),
    added: sum(objects, (r) => r.added),
    changed: sum(objects, (r) => r.changed),
    removed: sum(objects, (r) => r.removed),
    newLogEntries: sum(logs, (r) => r.added),
    requests: summary.requests,
    bytesStored: summary.bytesStored,
  };
}

/** "Role assignments": a Graph collection name as a row label. */
export function collectionRowLabel(collection: string): string {
  const label = collectionLabel(collection);
  return label.charAt(0).toUpperCase() + label.slice(1);
}
