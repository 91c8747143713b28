import { isObjectTypeKey } from '@entra-backup/common';
import {
  BROWSE_MAX_COLUMNS,
  BROWSE_SPEC_VERSION,
  type BrowseColumn,
  type BrowseSpec,
  type BrowseValue,
  columnValue,
  namedSpec,
  relationIds,
  valueAt,
} from './browse-spec';
import { DESCRIPTORS } from './registry';

/**
 * One row of the browse index: the non-secret display columns of one stored payload, extracted
 * when the payload is stored, so listing, search and sort run in the database while payloads
 * stay encrypted.
 */
export interface ObjectSummary {
  readonly hash: string;
  readonly typeKey: string;
  readonly collection: string;
  readonly specVersion: number;
  /** What names the object in lists and links. */
  readonly name: string | null;
  /** The second identifier others name it by (appId, deviceId). */
  readonly altId: string | null;
  /** Lower-cased searchable values and the id, one per line, for substring search. */
  readonly search: string;
  /** Sort keys of the spec's columns, in column order (text lower-cased, numbers zero-padded). */
  readonly sortKeys: readonly (string | null)[];
  /** Display values by column key, as JSON. */
  readonly display: string;
  /** `\n<relation>:<id>\n...`: the ids each relation holds, for reverse lookups without decrypting. */
  readonly refs: string | null;
}

const TEXT_KEY_LENGTH = 200;
const SEARCH_LENGTH = 1000;
/**
 * The sort key of a missing value: above every text (U+FFFF, bytes EF BF BF), so missing values
 * come last in ascending order and first in descending order, on both engines, and a sort column's
 * index serves the order as it is (an `IS NULL` term in ORDER BY would defeat it).
 */
export const MISSING_SORT_KEY = '\uffff';
const DEFAULT_SPEC = namedSpec();

/** The browse spec of a collection; collections without one are browsed by name. */
export function browseSpecOf(typeKey: string, collection: string): BrowseSpec {
  if (!isObjectTypeKey(typeKey)) return DEFAULT_SPEC;
  const spec = DESCRIPTORS[typeKey].collections.find((c) => c.name === collection);
  return spec?.browse ?? DEFAULT_SPEC;
}

/** The sort key of a value: equal ordering on SQLite and PostgreSQL as plain strings. */
export function sortKeyOf(column: Pick<BrowseColumn, 'kind'>, value: BrowseValue): string | null {
  if (value === null) return null;
  switch (column.kind) {
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return null;
      // Non-negative counts in practice; offset keeps negatives ordered before them.
      return String(Math.round(n) + 1e12).padStart(16, '0');
    }
    case 'boolean':
      return value === true || value === 'true' ? 'true' : 'false';
    case 'date':
      return String(value);
    default:
      return String(value).toLowerCase().slice(0, TEXT_KEY_LENGTH);
  }
}

export function summarizeObject(
  hash: string,
  typeKey: string,
  collection: string,
  object: unknown,
): ObjectSummary {
  const record = (
    typeof object === 'object' && object !== null && !Array.isArray(object) ? object : {}
  ) as Record<string, unknown>;
  const spec = browseSpecOf(typeKey, collection);
  const columns = spec.columns.slice(0, BROWSE_MAX_COLUMNS);
  const display: Record<string, BrowseValue> = {};
  const sortKeys: (string | null)[] = [];
  for (const column of columns) {
    const value = columnValue(column, record);
    display[column.key] = value;
    sortKeys.push(sortKeyOf(column, value) ?? MISSING_SORT_KEY);
  }
  const first = columns[0] === undefined ? null : display[columns[0].key];
  const id = typeof record['id'] === 'string' ? record['id'] : '';
  const searchValues = [id, ...spec.search.map((path) => valueAt(record, path))]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .map((v) => v.toLowerCase());
  const altRaw = spec.altId === undefined ? undefined : valueAt(record, spec.altId);
  const refs = (spec.relations ?? []).flatMap((relation) =>
    relationIds(relation, record).map((target) => `${relation.key}:${target}`),
  );
  return {
    hash,
    typeKey,
    collection,
    specVersion: BROWSE_SPEC_VERSION,
    name: first === null || first === undefined ? null : String(first),
    altId: typeof altRaw === 'string' && altRaw !== '' ? altRaw : null,
    search: [...new Set(searchValues)].join('\n').slice(0, SEARCH_LENGTH),
    sortKeys,
    display: JSON.stringify(display),
    refs: refs.length === 0 ? null : `\n${refs.join('\n')}\n`,
  };
}
