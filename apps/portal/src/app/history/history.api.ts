import { httpResource } from '@angular/common/http';
import type { Signal } from '@angular/core';
import {
  type AsOfResponse,
  type HistoryEvent,
  type ObjectHistory,
  asOfResponseSchema,
  objectHistorySchema,
} from '@entra-backup/common';

/** Names one backed-up object: its type key, collection and id. */
export interface ObjectKey {
  readonly type: string;
  readonly collection: string;
  readonly objectId: string;
}

export function objectUrl(tenantId: string, key: ObjectKey): string {
  return `/api/tenants/${encodeURIComponent(tenantId)}/objects/${encodeURIComponent(key.type)}/${encodeURIComponent(
    key.collection,
  )}/${encodeURIComponent(key.objectId)}`;
}

/** The portal route of an object's page (built by the browse feature), as router commands. */
export function objectPageCommands(key: ObjectKey): string[] {
  return ['/objects', key.type, key.collection, key.objectId];
}

/** The object's timeline, newest first. */
export function historyResource(tenantId: Signal<string | undefined>, key: Signal<ObjectKey>) {
  return httpResource<ObjectHistory | undefined>(
    () => {
      const id = tenantId();
      return id === undefined ? undefined : `${objectUrl(id, key())}/history`;
    },
    { parse: (raw) => objectHistorySchema.parse(raw) },
  );
}

/** The object's relationships as of `date` and the changes until `until` (default: the newest snapshot). */
export function asOfResource(
  tenantId: Signal<string | undefined>,
  key: Signal<ObjectKey>,
  date: Signal<string | undefined>,
  until: Signal<string | undefined>,
) {
  return httpResource<AsOfResponse | undefined>(
    () => {
      const id = tenantId();
      const at = date();
      if (id === undefined || at === undefined) return undefined;
      const end = until();
      const params: Record<string, string> = { date: at };
      if (end !== undefined) params['until'] = end;
      return { url: `${objectUrl(id, key())}/as-of`, params };
    },
    { parse: (raw) => asOfResponseSchema.parse(raw) },
  );
}

/**
 * Query parameters of the restore wizard (`/restore/new`) for the version an event shows (for a
 * deletion: the version before it), optionally one property only.
 */
export function restoreQuery(
  event: HistoryEvent,
  key: ObjectKey,
  property?: string,
): Record<string, string> | null {
  if (event.restoreSnapshotSeq === null) return null;
  return {
    snapshot: String(event.restoreSnapshotSeq),
    types: key.type,
    ids: key.objectId,
    ...(property === undefined ? {} : { properties: property }),
  };
}

/** A JSON value as an admin reads it: text as is, lists joined, objects as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'not set';
  if (value === null) return 'empty';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ');
  }
  return JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ');
}

/** An audit `modifiedProperty` value (JSON text such as `["Sales"]`) shown without its wrapping. */
export function formatAuditValue(value: string | null): string {
  if (value === null || value === '') return 'empty';
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.length === 1) return formatValue(parsed[0]);
    return formatValue(parsed);
  } catch {
    return value;
  }
}
