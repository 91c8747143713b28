import { z } from 'zod';

/*
 * Cursor paging, shared by every list of the API. A list answers `nextCursor` (null on the last
 * page); passing it back as `cursor` returns the next page with the same filters and page size.
 * Pages (`page`, `pageSize`) keep working for the portal, and a cursor simply resolves to the
 * page it stands for, so the lists' services only ever see pages.
 *
 * The cursor is opaque: clients must not build or read it, so its content can change (for
 * instance to a keyset position) without changing the contract. It is bound to the query's
 * filters; a cursor sent with other filters is refused (400) rather than silently paging a
 * different list.
 */

/** Longest cursor accepted (a cursor of ours is far shorter). */
export const MAX_CURSOR_LENGTH = 512;

/** The `cursor` query parameter. */
export const cursorParamSchema = z
  .string()
  .max(MAX_CURSOR_LENGTH, { message: 'cursor is not a cursor this list gave out' })
  .optional()
  .describe('The `nextCursor` of the previous page; it carries the page size and is bound to the filters');

/** What a cursor stands for. */
interface CursorPosition {
  /** Page number (from 1). */
  readonly page: number;
  readonly pageSize: number;
  /** Fingerprint of the filters of the query the cursor belongs to. */
  readonly filters: string;
}

const CURSOR_VERSION = 1;

/** The fields of a list query that are not paging: they must stay the same from page to page. */
function filterFingerprint(query: object): string {
  const filters = Object.entries(query)
    .filter(([key, value]) => key !== 'page' && key !== 'pageSize' && key !== 'cursor' && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return fnv1a(JSON.stringify(filters));
}

/** FNV-1a (32 bits) as 8 hex digits: enough to tell one query's filters from another's. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function encodeCursor(position: CursorPosition): string {
  const json = JSON.stringify([CURSOR_VERSION, position.page, position.pageSize, position.filters]);
  return btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeCursor(cursor: string): CursorPosition | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const value: unknown = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')));
    if (!Array.isArray(value) || value.length !== 4 || value[0] !== CURSOR_VERSION) return undefined;
    const [, page, pageSize, filters] = value as [number, unknown, unknown, unknown];
    if (!Number.isSafeInteger(page) || (page as number) < 1) return undefined;
    if (!Number.isSafeInteger(pageSize) || (pageSize as number) < 1) return undefined;
    if (typeof filters !== 'string') return undefined;
    return { page: page as number, pageSize: pageSize as number, filters };
  } catch {
    return undefined;
  }
}

type PagedShape = { page: z.ZodType<number, unknown>; pageSize: z.ZodType<number, unknown> };

/**
 * A paged list query that also takes `cursor`: the cursor resolves to its page and page size
 * (a cursor this list did not give out, or given with other filters, fails validation with a
 * 400 naming `cursor`). The output has no `cursor`, only `page` and `pageSize`.
 */
export function cursorPagedQuery<Shape extends z.ZodRawShape & PagedShape>(schema: z.ZodObject<Shape>) {
  return schema.extend({ cursor: cursorParamSchema }).transform((query, ctx) => {
    const { cursor, ...rest } = query as typeof query & { cursor?: string };
    const resolved = rest as Omit<typeof query, 'cursor'> & { page: number; pageSize: number };
    if (cursor === undefined) return resolved;
    const position = decodeCursor(cursor);
    if (position === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: 'cursor is not a cursor this list gave out',
      });
      return z.NEVER;
    }
    if (position.filters !== filterFingerprint(resolved)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: 'cursor belongs to a query with other filters; start again without a cursor',
      });
      return z.NEVER;
    }
    return { ...resolved, page: position.page, pageSize: position.pageSize };
  });
}

/** What a page answer says about where it is. */
export interface PagePosition {
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/**
 * The cursor of the page after `result` for the (parsed) `query`, or null when `result` is the
 * last page.
 */
export function nextCursorOf(query: object, result: PagePosition): string | null {
  if (result.page * result.pageSize >= result.total) return null;
  return encodeCursor({
    page: result.page + 1,
    pageSize: result.pageSize,
    filters: filterFingerprint(query),
  });
}

/** A page answer of the API: the list's own page plus `nextCursor`. */
export function cursorPage<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  return schema.extend({
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `cursor` to get the next page (same filters and page size); null on the last page'),
  });
}

/** `result` with its `nextCursor` for `query`. */
export function withNextCursor<T extends PagePosition>(
  query: object,
  result: T,
): T & { nextCursor: string | null } {
  return { ...result, nextCursor: nextCursorOf(query, result) };
}
