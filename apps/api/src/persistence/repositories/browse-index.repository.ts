import { Injectable } from '@nestjs/common';
import {
  BackupBlobEntity,
  BackupLogEntryEntity,
  BackupObjectVersionEntity,
  ObjectSummaryEntity,
  ObjectSummaryRefEntity,
} from '../entities';
import { BackupSqlRepository, type SqlExecutor, type SqlParam, toNumber } from './backup-sql.repository';

/** One browse-index row as written (see `ObjectSummaryEntity`). */
export interface SummaryRow {
  readonly hash: string;
  readonly typeKey: string;
  readonly collection: string;
  readonly specVersion: number;
  readonly name: string | null;
  readonly altId: string | null;
  readonly search: string;
  readonly sortKeys: readonly (string | null)[];
  readonly display: string;
  readonly refs: string | null;
}

export const SUMMARY_SORT_COLUMNS = 8;
/** Sort columns c0 to c5 have an index (see the browse-index migration); the others are sorted. */
const INDEXED_SORT_COLUMNS = 6;
/** A search's match count stops here: counting 100,000 matches would cost more than the page. */
export const SEARCH_COUNT_LIMIT = 10_000;
/** Above this many matches a search walks the sort column's index (matches are dense enough). */
const DENSE_SEARCH = 1_000;
/** 500 rows of 5 columns, as the other backup statements. */
const REF_BATCH_ROWS = 500;
/** 100 rows of 17 columns: far below both engines' bound-parameter limits. */
const SUMMARY_BATCH_ROWS = 100;

export interface BrowseFilter {
  /** Column index (0-7) and the sort key it must equal. */
  readonly column: number;
  readonly value: string;
}

export interface BrowseQuery {
  readonly tenantId: string;
  readonly seq: number;
  readonly typeKey: string;
  readonly collection: string;
  /** Lower-cased substring of a searchable value or the id. */
  readonly search?: string;
  readonly filters: readonly BrowseFilter[];
  /** Inclusive lower and exclusive upper bound on one column (log time ranges). */
  readonly range?: { readonly column: number; readonly from?: string; readonly to?: string };
  readonly sort: { readonly column: number; readonly descending: boolean };
  readonly limit: number;
  readonly offset: number;
  /** Log entries instead of object versions. */
  readonly log: boolean;
}

export interface BrowseRow {
  readonly objectId: string;
  readonly name: string | null;
  readonly display: string;
}

export interface NamedObject {
  readonly typeKey: string;
  readonly collection: string;
  readonly objectId: string;
  readonly name: string | null;
  readonly altId: string | null;
}

export interface Referrer extends NamedObject {
  readonly refs: string;
}

export interface UnindexedPayload {
  readonly typeKey: string;
  readonly collection: string;
  readonly hash: string;
  readonly payload: Buffer;
}

export interface IndexCursor {
  readonly tenantId: string;
  readonly typeKey: string;
  readonly collection: string;
  readonly objectId: string;
  readonly validFromSeq: number;
}

/** Writes rows of the browse index; a row of the same payload and collection is replaced. */
export async function insertSummaries(
  tx: SqlExecutor,
  tables: { readonly summary: string; readonly ref: string },
  rows: readonly SummaryRow[],
): Promise<void> {
  const table = tables.summary;
  const refs = rows.flatMap((r) =>
    (r.refs ?? '')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const at = line.indexOf(':');
        return [r.hash, r.typeKey, r.collection, line.slice(0, at), line.slice(at + 1)] as SqlParam[];
      }),
  );
  for (let start = 0; start < refs.length; start += REF_BATCH_ROWS) {
    const chunk = refs.slice(start, start + REF_BATCH_ROWS);
    await tx.run(
      `INSERT INTO ${tables.ref} ("hash", "type_key", "collection", "relation", "target")
       VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
      chunk.flat(),
    );
  }
  for (let start = 0; start < rows.length; start += SUMMARY_BATCH_ROWS) {
    const chunk = rows.slice(start, start + SUMMARY_BATCH_ROWS);
    const row = `(${Array.from({ length: 9 + SUMMARY_SORT_COLUMNS }, () => '?').join(', ')})`;
    await tx.run(
      `INSERT INTO ${table} ("hash", "type_key", "collection", "spec_version", "name", "alt_id", "search",
         "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "display", "refs")
       VALUES ${chunk.map(() => row).join(', ')}
       ON CONFLICT ("hash", "type_key", "collection") DO UPDATE SET
         "spec_version" = excluded."spec_version", "name" = excluded."name", "alt_id" = excluded."alt_id",
         "search" = excluded."search", "c0" = excluded."c0", "c1" = excluded."c1", "c2" = excluded."c2",
         "c3" = excluded."c3", "c4" = excluded."c4", "c5" = excluded."c5", "c6" = excluded."c6",
         "c7" = excluded."c7", "display" = excluded."display", "refs" = excluded."refs"`,
      chunk.flatMap((r): SqlParam[] => [
        r.hash,
        r.typeKey,
        r.collection,
        r.specVersion,
        r.name,
        r.altId,
        r.search,
        ...Array.from({ length: SUMMARY_SORT_COLUMNS }, (_, i) => r.sortKeys[i] ?? null),
        r.display,
        r.refs,
      ]),
    );
  }
}

/**
 * The browse index: paged, searched, filtered and sorted listings of a collection as of a
 * snapshot, and name lookups for relationships, without opening a payload.
 */
@Injectable()
export class BrowseIndexRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  private get t() {
    return {
      summary: this.sql.table(ObjectSummaryEntity),
      ref: this.sql.table(ObjectSummaryRefEntity),
      version: this.sql.table(BackupObjectVersionEntity),
      log: this.sql.table(BackupLogEntryEntity),
      blob: this.sql.table(BackupBlobEntity),
    };
  }

  /** Rebuilds rows (the start-up backfill): references of an older spec go with them. */
  save(rows: readonly SummaryRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    const t = this.t;
    return this.sql.transaction(async (tx) => {
      for (let start = 0; start < rows.length; start += REF_BATCH_ROWS) {
        const chunk = rows.slice(start, start + REF_BATCH_ROWS);
        await tx.run(
          `DELETE FROM ${t.ref} WHERE "hash" IN (${chunk.map(() => '?').join(', ')})`,
          chunk.map((r) => r.hash),
        );
      }
      await insertSummaries(tx, t, rows);
    });
  }

  /**
   * One page of the rows matching `query`, and how many match (for a search, counted up to
   * `SEARCH_COUNT_LIMIT`: `exact` is then false).
   *
   * Plans, measured on a 100,000-user snapshot (see bench/explore.bench.ts): the summary rows are
   * read first (`CROSS JOIN` keeps that order on SQLite) along the sort column's index (columns
   * c0-c5; a page by another column sorts the visible rows, keeping only the page's), each one
   * checked for visibility through a covering index of `object_version` / `log_entry`, so a page
   * stops after `offset + limit` visible rows instead of sorting the collection. A search reads
   * the search index instead when it matches few rows (those are then sorted), and walks the sort
   * column's index when it matches many (they are dense, so a page fills quickly).
   */
  async page(query: BrowseQuery): Promise<{ rows: BrowseRow[]; total: number; exact: boolean }> {
    const searching = query.search !== undefined && query.search !== '';
    if (searching) {
      const few = await this.fewMatches(query);
      if (few !== undefined) return few;
    }
    const { total, exact } = searching
      ? await this.countSearch(query)
      : { total: await this.count(query), exact: true };
    const index =
      searching && query.sort.column < INDEXED_SORT_COLUMNS
        ? `idx_object_summary_c${query.sort.column}`
        : undefined;
    const { from, params } = this.matching(query, index);
    const sort = `s."c${query.sort.column}"`;
    const direction = query.sort.descending ? 'DESC' : 'ASC';
    const rows =
      total === 0
        ? []
        : await this.sql.rows<{ object_id: string; name: string | null; display: string }>(
            `SELECT v."${query.log ? 'entry_id' : 'object_id'}" AS "object_id", s."name", s."display" ${from}
             ORDER BY ${sort} ${direction}, s."hash" ${direction}
             LIMIT ? OFFSET ?`,
            [...params, query.limit, query.offset],
          );
    return {
      rows: rows.map((r) => ({ objectId: r.object_id, name: r.name, display: r.display })),
      total,
      exact,
    };
  }

  /**
   * A search matching at most `DENSE_SEARCH` rows: one pass over the search index yields them all
   * with their sort keys; they are ordered here and only the page's display columns are read.
   * Undefined when the search matches more (the caller walks the sort column's index instead).
   */
  private async fewMatches(
    query: BrowseQuery,
  ): Promise<{ rows: BrowseRow[]; total: number; exact: boolean } | undefined> {
    const { from, params } = this.matching(query, 'idx_object_summary_search');
    const matches = await this.sql.rows<{ object_id: string; hash: string; sort_key: string | null }>(
      `SELECT v."${query.log ? 'entry_id' : 'object_id'}" AS "object_id", s."hash", s."c${query.sort.column}" AS "sort_key"
       ${from} LIMIT ?`,
      [...params, DENSE_SEARCH + 1],
    );
    if (matches.length > DENSE_SEARCH) return undefined;
    // Sort keys are lower-cased text, ISO dates or padded numbers: JavaScript's code-unit order
    // equals the engines' byte order for them (and for the U+FFFF of missing values).
    const sign = query.sort.descending ? -1 : 1;
    const key = (m: { sort_key: string | null; hash: string }) => m.sort_key ?? '\uffff';
    matches.sort((a, b) =>
      key(a) === key(b) ? sign * compare(a.hash, b.hash) : sign * compare(key(a), key(b)),
    );
    const page = matches.slice(query.offset, query.offset + query.limit);
    const shown = new Map<string, { name: string | null; display: string }>();
    if (page.length > 0) {
      const rows = await this.sql.rows<{ hash: string; name: string | null; display: string }>(
        `SELECT "hash", "name", "display" FROM ${this.t.summary}
         WHERE "type_key" = ? AND "collection" = ? AND "hash" IN (${page.map(() => '?').join(', ')})`,
        [query.typeKey, query.collection, ...page.map((m) => m.hash)],
      );
      for (const row of rows) shown.set(row.hash, row);
    }
    return {
      rows: page.map((m) => ({
        objectId: m.object_id,
        name: shown.get(m.hash)?.name ?? null,
        display: shown.get(m.hash)?.display ?? '{}',
      })),
      total: matches.length,
      exact: true,
    };
  }

  /** Without a search: visible versions alone when nothing filters, else through the summary. */
  private async count(query: BrowseQuery): Promise<number> {
    const t = this.t;
    if (query.filters.length === 0 && query.range === undefined) {
      const rows = query.log
        ? await this.sql.rows<{ n: unknown }>(
            `SELECT COUNT(*) AS "n" FROM ${t.log} v
             WHERE v."tenant_id" = ? AND v."type_key" = ? AND v."collection" = ? AND v."first_seen_seq" <= ?`,
            [query.tenantId, query.typeKey, query.collection, query.seq],
          )
        : await this.sql.rows<{ n: unknown }>(
            `SELECT COUNT(*) AS "n" FROM ${t.version} v
             WHERE v."tenant_id" = ? AND v."type_key" = ? AND v."collection" = ?
               AND v."valid_from_seq" <= ? AND (v."valid_to_seq" IS NULL OR v."valid_to_seq" > ?)`,
            [query.tenantId, query.typeKey, query.collection, query.seq, query.seq],
          );
      return toNumber(rows[0]?.n);
    }
    const { from, params } = this.matching(query, undefined);
    const rows = await this.sql.rows<{ n: unknown }>(`SELECT COUNT(*) AS "n" ${from}`, params);
    return toNumber(rows[0]?.n);
  }

  private async countSearch(query: BrowseQuery): Promise<{ total: number; exact: boolean }> {
    const { from, params } = this.matching(query, 'idx_object_summary_search');
    const rows = await this.sql.rows<{ n: unknown }>(
      `SELECT COUNT(*) AS "n" FROM (SELECT 1 AS "one" ${from} LIMIT ?) "matches"`,
      [...params, SEARCH_COUNT_LIMIT + 1],
    );
    const n = toNumber(rows[0]?.n);
    return n > SEARCH_COUNT_LIMIT ? { total: SEARCH_COUNT_LIMIT, exact: false } : { total: n, exact: true };
  }

  /** The FROM and WHERE of a query; `index` pins the summary index on SQLite (`INDEXED BY`). */
  private matching(query: BrowseQuery, index: string | undefined): { from: string; params: SqlParam[] } {
    const t = this.t;
    const indexed = index !== undefined && this.sql.engine === 'sqlite' ? ` INDEXED BY "${index}"` : '';
    const params: SqlParam[] = [query.typeKey, query.collection, query.tenantId];
    let from: string;
    if (query.log) {
      from = `FROM ${t.summary} s${indexed} CROSS JOIN ${t.log} v
              WHERE s."type_key" = ? AND s."collection" = ?
                AND v."tenant_id" = ? AND v."type_key" = s."type_key" AND v."collection" = s."collection"
                AND v."content_hash" = s."hash" AND v."first_seen_seq" <= ?`;
      params.push(query.seq);
    } else {
      from = `FROM ${t.summary} s${indexed} CROSS JOIN ${t.version} v
              WHERE s."type_key" = ? AND s."collection" = ?
                AND v."tenant_id" = ? AND v."type_key" = s."type_key" AND v."collection" = s."collection"
                AND v."content_hash" = s."hash"
                AND v."valid_from_seq" <= ? AND (v."valid_to_seq" IS NULL OR v."valid_to_seq" > ?)`;
      params.push(query.seq, query.seq);
    }
    if (query.search !== undefined && query.search !== '') {
      from += ` AND s."search" LIKE ? ESCAPE '\\'`;
      params.push(`%${escapeLike(query.search)}%`);
    }
    for (const filter of query.filters) {
      from += ` AND s."c${filter.column}" = ?`;
      params.push(filter.value);
    }
    if (query.range?.from !== undefined) {
      from += ` AND s."c${query.range.column}" >= ?`;
      params.push(query.range.from);
    }
    if (query.range?.to !== undefined) {
      from += ` AND s."c${query.range.column}" < ?`;
      params.push(query.range.to);
    }
    return { from, params };
  }

  /** Names of objects of one collection as of a snapshot, by object id or by their alt id. */
  async named(
    tenantId: string,
    seq: number,
    target: { readonly typeKey: string; readonly collection: string },
    ids: readonly string[],
    by: 'id' | 'altId',
  ): Promise<NamedObject[]> {
    const t = this.t;
    const out: NamedObject[] = [];
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      // The alt-id index holds only rows that have one.
      const column = by === 'id' ? 'v."object_id"' : 's."alt_id" IS NOT NULL AND s."alt_id"';
      const rows = await this.sql.rows<NamedRow>(
        `SELECT v."type_key", v."collection", v."object_id", s."name", s."alt_id"
         FROM ${t.version} v JOIN ${t.summary} s
           ON s."hash" = v."content_hash" AND s."type_key" = v."type_key" AND s."collection" = v."collection"
         WHERE v."tenant_id" = ? AND v."type_key" = ? AND v."collection" = ?
           AND v."valid_from_seq" <= ? AND (v."valid_to_seq" IS NULL OR v."valid_to_seq" > ?)
           AND ${column} IN (${chunk.map(() => '?').join(', ')})`,
        [tenantId, target.typeKey, target.collection, seq, seq, ...chunk],
      );
      out.push(...rows.map(toNamed));
    }
    return out;
  }

  /** Objects of a collection visible in a snapshot whose relation names `id` (through the reference index). */
  async referrers(
    tenantId: string,
    seq: number,
    source: { readonly typeKey: string; readonly collection: string; readonly relation: string },
    id: string,
  ): Promise<Referrer[]> {
    const t = this.t;
    const rows = await this.sql.rows<NamedRow & { refs: string | null }>(
      `SELECT v."type_key", v."collection", v."object_id", s."name", s."alt_id", s."refs"
       FROM ${t.ref} r
       CROSS JOIN ${t.version} v
       CROSS JOIN ${t.summary} s
       WHERE r."target" = ? AND r."type_key" = ? AND r."collection" = ? AND r."relation" = ?
         AND v."tenant_id" = ? AND v."type_key" = r."type_key" AND v."collection" = r."collection"
         AND v."content_hash" = r."hash"
         AND v."valid_from_seq" <= ? AND (v."valid_to_seq" IS NULL OR v."valid_to_seq" > ?)
         AND s."hash" = r."hash" AND s."type_key" = r."type_key" AND s."collection" = r."collection"`,
      [id, source.typeKey, source.collection, source.relation, tenantId, seq, seq],
    );
    return rows.map((r) => ({ ...toNamed(r), refs: r.refs ?? '' }));
  }

  /**
   * The next payloads referenced by object versions that have no index row of the current spec
   * version, in key order after `after` (bounded: `limit` rows per call). Rows with a current
   * index row are skipped in the database (an anti-join on the summary's primary key) and their
   * payloads are never read, so an up-to-date index costs one pass over `object_version`'s keys.
   */
  async unindexedVersions(
    specVersion: number,
    after: IndexCursor | undefined,
    limit: number,
  ): Promise<{ items: UnindexedPayload[]; next: IndexCursor | undefined }> {
    const t = this.t;
    const params: SqlParam[] = [specVersion];
    let filter = '';
    if (after !== undefined) {
      filter = `AND (v."tenant_id", v."type_key", v."collection", v."object_id", v."valid_from_seq") > (?, ?, ?, ?, ?)`;
      params.push(after.tenantId, after.typeKey, after.collection, after.objectId, after.validFromSeq);
    }
    params.push(limit);
    const rows = await this.sql.rows<{
      tenant_id: string;
      type_key: string;
      collection: string;
      object_id: string;
      valid_from_seq: unknown;
      content_hash: string;
      payload: Buffer;
    }>(
      `SELECT v."tenant_id", v."type_key", v."collection", v."object_id", v."valid_from_seq", v."content_hash",
              b."payload"
       FROM ${t.version} v JOIN ${t.blob} b ON b."hash" = v."content_hash"
       WHERE NOT EXISTS (SELECT 1 FROM ${t.summary} s
                         WHERE s."hash" = v."content_hash" AND s."type_key" = v."type_key"
                           AND s."collection" = v."collection" AND s."spec_version" = ?)
         ${filter}
       ORDER BY v."tenant_id", v."type_key", v."collection", v."object_id", v."valid_from_seq" LIMIT ?`,
      params,
    );
    const last = rows[rows.length - 1];
    return {
      items: rows.map(toUnindexed),
      next:
        last === undefined || rows.length < limit
          ? undefined
          : {
              tenantId: last.tenant_id,
              typeKey: last.type_key,
              collection: last.collection,
              objectId: last.object_id,
              validFromSeq: toNumber(last.valid_from_seq),
            },
    };
  }

  /** The same for log entries, by (tenant, type, entry id). */
  async unindexedLogs(
    specVersion: number,
    after: { readonly tenantId: string; readonly typeKey: string; readonly entryId: string } | undefined,
    limit: number,
  ): Promise<{
    items: UnindexedPayload[];
    next: { tenantId: string; typeKey: string; entryId: string } | undefined;
  }> {
    const t = this.t;
    const params: SqlParam[] = [specVersion];
    let filter = '';
    if (after !== undefined) {
      filter = `AND (l."tenant_id", l."type_key", l."entry_id") > (?, ?, ?)`;
      params.push(after.tenantId, after.typeKey, after.entryId);
    }
    params.push(limit);
    const rows = await this.sql.rows<{
      tenant_id: string;
      type_key: string;
      collection: string;
      entry_id: string;
      content_hash: string;
      payload: Buffer;
    }>(
      `SELECT l."tenant_id", l."type_key", l."collection", l."entry_id", l."content_hash", b."payload"
       FROM ${t.log} l JOIN ${t.blob} b ON b."hash" = l."content_hash"
       WHERE NOT EXISTS (SELECT 1 FROM ${t.summary} s
                         WHERE s."hash" = l."content_hash" AND s."type_key" = l."type_key"
                           AND s."collection" = l."collection" AND s."spec_version" = ?)
         ${filter}
       ORDER BY l."tenant_id", l."type_key", l."entry_id" LIMIT ?`,
      params,
    );
    const last = rows[rows.length - 1];
    return {
      items: rows.map(toUnindexed),
      next:
        last === undefined || rows.length < limit
          ? undefined
          : { tenantId: last.tenant_id, typeKey: last.type_key, entryId: last.entry_id },
    };
  }
}

function toUnindexed(row: {
  type_key: string;
  collection: string;
  content_hash: string;
  payload: Buffer;
}): UnindexedPayload {
  return {
    typeKey: row.type_key,
    collection: row.collection,
    hash: row.content_hash,
    payload: Buffer.from(row.payload),
  };
}

interface NamedRow {
  type_key: string;
  collection: string;
  object_id: string;
  name: string | null;
  alt_id: string | null;
}

function toNamed(row: NamedRow): NamedObject {
  return {
    typeKey: row.type_key,
    collection: row.collection,
    objectId: row.object_id,
    name: row.name,
    altId: row.alt_id,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `%`, `_` and the escape character itself match literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
