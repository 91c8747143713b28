import type { PartnerTenantQuery } from '@entra-backup/common';
import { PartnerException } from './partners.exception';

export type DashboardSort = NonNullable<PartnerTenantQuery['sort']>;

/**
 * Where a row stands in a sort: the sort's own value, then the lower-cased name, then the tenant
 * id, so the order is total and pages neither skip nor repeat a tenant.
 */
export interface SortPosition {
  /** `name`: unused (''); `lastBackup`: ISO time of the last good backup ('' = never); `storage`: bytes. */
  readonly value: string | number;
  readonly name: string;
  readonly tenantId: string;
}

/** Orders positions for a sort: names A to Z, never-backed-up then oldest first, largest first. */
export function comparePositions(sort: DashboardSort, a: SortPosition, b: SortPosition): number {
  if (sort === 'storage') {
    const diff = Number(b.value) - Number(a.value);
    if (diff !== 0) return diff;
  } else if (sort === 'lastBackup') {
    const diff = compareText(String(a.value), String(b.value));
    if (diff !== 0) return diff;
  }
  return compareText(a.name, b.name) || compareText(a.tenantId, b.tenantId);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface CursorBody {
  readonly v: 1;
  readonly s: DashboardSort;
  readonly p: readonly [string | number, string, string];
}

/** An opaque cursor: the position of the last row of a page under its sort. */
export function encodeCursor(sort: DashboardSort, position: SortPosition): string {
  const body: CursorBody = { v: 1, s: sort, p: [position.value, position.name, position.tenantId] };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** @throws PartnerException PARTNER_CURSOR_INVALID for a cursor not issued here or of another sort */
export function decodeCursor(sort: DashboardSort, cursor: string): SortPosition {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw PartnerException.cursorInvalid();
  }
  if (!isCursorBody(body) || body.s !== sort) throw PartnerException.cursorInvalid();
  const [value, name, tenantId] = body.p;
  if ((sort === 'storage') !== (typeof value === 'number')) throw PartnerException.cursorInvalid();
  return { value, name, tenantId };
}

function isCursorBody(value: unknown): value is CursorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  const p = body['p'];
  return (
    body['v'] === 1 &&
    typeof body['s'] === 'string' &&
    Array.isArray(p) &&
    p.length === 3 &&
    (typeof p[0] === 'string' || typeof p[0] === 'number') &&
    typeof p[1] === 'string' &&
    typeof p[2] === 'string'
  );
}
