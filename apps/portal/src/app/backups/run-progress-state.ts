import {
  type BackupProgressEvent,
  type BackupRunListItem,
  type BackupRunStatus,
  type BackupRunSummary,
  type ObjectTypeKey,
  collectionLabel,
  OBJECT_TYPE_KEYS,
  objectTypeLabel,
} from '@entra-backup/common';
import type { ProgressUpdate } from './backups.api';

export type TypeProgressStatus = 'waiting' | 'running' | 'succeeded' | 'skipped' | 'failed';

/**
 * One type's line. While the run goes, `read` is what Graph has sent so far (every collection; an
 * incremental run reads only changes): a progress figure, labelled as such. Once the run has
 * ended, `objects` is the snapshot's count, the figure the run's results show.
 */
export interface TypeProgress {
  readonly key: ObjectTypeKey;
  readonly label: string;
  readonly status: TypeProgressStatus;
  readonly read: number;
  /** The snapshot's objects of the primary collection, once the run has ended. */
  readonly objects?: number;
  /** The type's other collections in the snapshot, e.g. "20 role assignments". */
  readonly related?: string;
  /** The Graph collection being read while running, for people ("role assignments"). */
  readonly collection?: string;
  readonly reason?: string;
}

/** A run's progress as the portal draws it, folded from progress events or polled run details. */
export interface RunProgressState {
  readonly status: BackupRunStatus;
  readonly types: readonly TypeProgress[];
  readonly summary: BackupRunSummary | null;
  readonly reason: string | null;
}

export function initialProgress(types: readonly ObjectTypeKey[] = []): RunProgressState {
  return { status: 'running', types: ordered(types).map(waiting), summary: null, reason: null };
}

export function applyProgressUpdate(state: RunProgressState, update: ProgressUpdate): RunProgressState {
  return update.source === 'poll' ? fromRun(update.run) : applyProgressEvent(state, update.event);
}

export function applyProgressEvent(state: RunProgressState, event: BackupProgressEvent): RunProgressState {
  switch (event.kind) {
    case 'run-started': {
      const known = new Map(state.types.map((t) => [t.key, t]));
      return { ...state, types: ordered(event.types).map((key) => known.get(key) ?? waiting(key)) };
    }
    case 'type-started':
      return withType(state, event.type, (t) => ({ ...t, status: 'running' }));
    case 'type-progress':
      return withType(state, event.type, (t) => ({
        ...t,
        status: 'running',
        read: event.read,
        collection: collectionLabel(event.collection),
      }));
    case 'type-finished':
      return withType(state, event.type, (t) => ({
        ...t,
        status: event.status,
        read: event.read,
        collection: undefined,
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
      }));
    case 'run-finished':
      return fromSummary(state, event.summary);
    case 'run-failed':
      return {
        ...state,
        status: 'failed',
        reason: event.reason,
        types: state.types.map((t) =>
          t.status === 'running' || t.status === 'waiting' ? { ...t, status: 'failed' } : t,
        ),
      };
  }
}

/** The state a polled run shows: its summary once finished, its types waiting while it runs. */
export function fromRun(run: BackupRunListItem): RunProgressState {
  const base: RunProgressState = { ...initialProgress(run.types), status: run.status, reason: run.reason };
  if (run.summary !== null) return { ...fromSummary(base, run.summary), status: run.status };
  if (run.status === 'running') return base;
  return { ...base, types: base.types.map((t) => ({ ...t, status: 'failed' })) };
}

function fromSummary(state: RunProgressState, summary: BackupRunSummary): RunProgressState {
  const keys = ordered(Object.keys(summary.types) as ObjectTypeKey[]);
  return {
    status: summary.status,
    summary,
    reason: null,
    types: keys.map((key) => {
      const result = summary.types[key]!;
      const related = (result.related ?? [])
        .filter((c) => c.objects > 0)
        .map((c) => `${c.objects.toLocaleString('en-US')} ${collectionLabel(c.collection)}`)
        .join(', ');
      return {
        key,
        label: objectTypeLabel(key),
        status: result.status,
        read: state.types.find((t) => t.key === key)?.read ?? 0,
        objects: result.objects,
        ...(related !== '' ? { related } : {}),
        ...(result.reason !== undefined ? { reason: result.reason } : {}),
      };
    }),
  };
}

function withType(
  state: RunProgressState,
  key: ObjectTypeKey,
  change: (type: TypeProgress) => TypeProgress,
): RunProgressState {
  const present = state.types.some((t) => t.key === key);
  const types = present ? state.types : [...state.types, waiting(key)];
  return {
    ...state,
    types: ordered(types.map((t) => t.key)).map((k) => {
      const type = types.find((t) => t.key === k)!;
      return k === key ? change(type) : type;
    }),
  };
}

function waiting(key: ObjectTypeKey): TypeProgress {
  return { key, label: objectTypeLabel(key), status: 'waiting', read: 0 };
}

/** Types in the product's order (the order of the Settings page). */
function ordered(keys: readonly ObjectTypeKey[]): ObjectTypeKey[] {
  return OBJECT_TYPE_KEYS.filter((k) => keys.includes(k));
}
