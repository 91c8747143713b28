/**
 * Opaque cursors for keyset pages ordered by a timestamp and an id: the last item's values,
 * base64url-encoded JSON. Clients pass `nextCursor` back unchanged; anything else is refused.
 */
export interface Keyset {
  /** ISO 8601 UTC, as stored. */
  readonly occurredAt: string;
  readonly id: string;
}

export function encodeKeysetCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.occurredAt, keyset.id]), 'utf8').toString('base64url');
}

/** The keyset of a cursor, or undefined when it is not one `encodeKeysetCursor` made. */
export function decodeKeysetCursor(cursor: string): Keyset | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [occurredAt, id] = value as unknown[];
    if (typeof occurredAt !== 'string' || typeof id !== 'string') return undefined;
    if (Number.isNaN(Date.parse(occurredAt)) || id.length === 0 || id.length > 64) return undefined;
    return { occurredAt, id };
  } catch {
    return undefined;
  }
}
