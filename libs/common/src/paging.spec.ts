import { z } from 'zod';
import { cursorPage, cursorPagedQuery, nextCursorOf, withNextCursor } from './paging';

const querySchema = cursorPagedQuery(
  z
    .object({
      search: z.string().optional(),
      page: z.coerce.number().int().positive().default(1),
      pageSize: z.coerce.number().int().min(1).max(100).default(20),
    })
    .strict(),
);

function messagesOf(result: ReturnType<typeof querySchema.safeParse>): string[] {
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe(cursorPagedQuery.name, () => {
  it('keeps pages working without a cursor', () => {
    expect(querySchema.parse({ page: '3', pageSize: '10' })).toEqual({ page: 3, pageSize: 10 });
    expect(querySchema.parse({})).toEqual({ page: 1, pageSize: 20 });
  });

  it('walks a list page by page through nextCursor, keeping the page size', () => {
    const first = querySchema.parse({ search: 'ana', pageSize: '2' });
    const seen: number[] = [first.page];
    let cursor = nextCursorOf(first, { total: 5, page: first.page, pageSize: first.pageSize });
    while (cursor !== null) {
      const query = querySchema.parse({ search: 'ana', cursor });
      expect(query.pageSize).toBe(2);
      seen.push(query.page);
      cursor = nextCursorOf(query, { total: 5, page: query.page, pageSize: query.pageSize });
    }

    expect(seen).toEqual([1, 2, 3]);
  });

  it('answers a null cursor on the last page', () => {
    expect(nextCursorOf({}, { total: 20, page: 1, pageSize: 20 })).toBeNull();
    expect(nextCursorOf({}, { total: 0, page: 1, pageSize: 20 })).toBeNull();
    expect(withNextCursor({}, { total: 21, page: 1, pageSize: 20 }).nextCursor).toEqual(expect.any(String));
  });

  it('gives out opaque cursors of URL-safe characters', () => {
    const cursor = nextCursorOf({ search: 'a/b+c?' }, { total: 100, page: 1, pageSize: 20 });

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each(['garbage', '!!!', 'eyJ4IjoxfQ', '', 'W10'])('refuses %p as a cursor', (cursor) => {
    expect(messagesOf(querySchema.safeParse({ cursor }))).toEqual([
      'cursor: cursor is not a cursor this list gave out',
    ]);
  });

  it('refuses a cursor sent with other filters than those it was given out for', () => {
    const cursor = nextCursorOf(querySchema.parse({ search: 'ana' }), { total: 50, page: 1, pageSize: 20 })!;

    expect(querySchema.parse({ search: 'ana', cursor }).page).toBe(2);
    expect(messagesOf(querySchema.safeParse({ search: 'bob', cursor }))).toEqual([
      'cursor: cursor belongs to a query with other filters; start again without a cursor',
    ]);
    expect(messagesOf(querySchema.safeParse({ cursor }))).toHaveLength(1);
  });

  it('refuses an over-long cursor and unknown parameters', () => {
    expect(querySchema.safeParse({ cursor: 'a'.repeat(600) }).success).toBe(false);
    expect(querySchema.safeParse({ offset: '10' }).success).toBe(false);
  });
});

describe(cursorPage.name, () => {
  it('adds a nullable nextCursor to a page schema', () => {
    const schema = cursorPage(z.object({ items: z.array(z.string()) }));

    expect(schema.parse({ items: [], nextCursor: null })).toEqual({ items: [], nextCursor: null });
    expect(schema.safeParse({ items: [] }).success).toBe(false);
  });
});
