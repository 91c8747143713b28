import { MASKED_SECRET } from '@entra-backup/common';
import { canonicalJson } from '../backup-storage/codec/canonical-json';

/** A property difference before reference names are known. */
export type RawPropertyDiff =
  | { readonly kind: 'value'; readonly path: string; readonly old?: unknown; readonly new?: unknown }
  | {
      readonly kind: 'references';
      readonly path: string;
      readonly added: readonly RawReference[];
      readonly removed: readonly RawReference[];
    };

export interface RawReference {
  readonly id: string;
  /** `user`, `group`, ... from `@odata.type`, or null. */
  readonly kind: string | null;
}

/** Nested objects deeper than this are shown as one value (old → new) instead of property by property. */
const MAX_DEPTH = 6;

/**
 * The differences between two versions of a stored object, property by property: nested objects
 * are walked (`conditions.users.includeUsers`), relationship lists stored as directory-object
 * references (`members`, `owners`, a user's `manager`) become the references added and removed,
 * lists of objects with ids are compared item by item (`assignments[<id>]`), anything else is one
 * old → new value. Secret fields of the type are masked wherever they appear.
 */
export function diffProperties(
  before: unknown,
  after: unknown,
  secretFields: readonly string[] = [],
): RawPropertyDiff[] {
  const out: RawPropertyDiff[] = [];
  const secrets = new Set(secretFields);
  walk('', asRecord(before), asRecord(after), 0, secrets, out);
  return out;
}

function walk(
  path: string,
  a: unknown,
  b: unknown,
  depth: number,
  secrets: ReadonlySet<string>,
  out: RawPropertyDiff[],
): void {
  if (same(a, b)) return;
  const name = path.slice(path.lastIndexOf('.') + 1);
  if (secrets.has(name)) {
    out.push(
      value(path, a === undefined ? undefined : MASKED_SECRET, b === undefined ? undefined : MASKED_SECRET),
    );
    return;
  }
  if (
    (isReference(a) || isReference(b)) &&
    (isReference(a) || a === undefined || a === null) &&
    (isReference(b) || b === undefined || b === null)
  ) {
    const removed = isReference(a) ? [toRawReference(a)] : [];
    const added = isReference(b) ? [toRawReference(b)] : [];
    out.push({ kind: 'references', path, added, removed });
    return;
  }
  if (isReferenceList(a) && isReferenceList(b)) {
    const before = new Map((a ?? []).map((r) => [r['id'] as string, r]));
    const after = new Map((b ?? []).map((r) => [r['id'] as string, r]));
    const added = [...after].filter(([id]) => !before.has(id)).map(([, r]) => toRawReference(r));
    const removed = [...before].filter(([id]) => !after.has(id)).map(([, r]) => toRawReference(r));
    // Only the order differs, or an empty list appeared: nothing to name.
    if (added.length === 0 && removed.length === 0) return;
    out.push({ kind: 'references', path, added, removed });
    return;
  }
  if (depth < MAX_DEPTH && isPlainRecord(a) && isPlainRecord(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      walk(path === '' ? key : `${path}.${key}`, a[key], b[key], depth + 1, secrets, out);
    }
    return;
  }
  if (depth < MAX_DEPTH && isIdList(a) && isIdList(b)) {
    const before = new Map((a ?? []).map((r) => [r['id'] as string, r]));
    const after = new Map((b ?? []).map((r) => [r['id'] as string, r]));
    for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      walk(`${path}[${id}]`, before.get(id), after.get(id), depth + 1, secrets, out);
    }
    return;
  }
  out.push(value(path, mask(a, secrets), mask(b, secrets)));
}

function value(path: string, old: unknown, next: unknown): RawPropertyDiff {
  return {
    kind: 'value',
    path,
    ...(old === undefined ? {} : { old }),
    ...(next === undefined ? {} : { new: next }),
  };
}

function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}

/** A copy with every secret field replaced by the mask, at any depth. */
export function mask(value: unknown, secrets: ReadonlySet<string>): unknown {
  if (secrets.size === 0 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => mask(item, secrets));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, secrets.has(key) ? MASKED_SECRET : mask(item, secrets)]),
  );
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainRecord(value) ? value : {};
}

/** `{ '@odata.type', id }` and nothing else: how the backup stores a relationship (`ChildSpec.reference`). */
function isReference(value: unknown): value is Record<string, unknown> {
  if (!isPlainRecord(value) || typeof value['id'] !== 'string') return false;
  return Object.keys(value).every((key) => key === 'id' || key === '@odata.type');
}

function isReferenceList(value: unknown): value is Record<string, unknown>[] | undefined {
  if (value === undefined) return true;
  return Array.isArray(value) && value.every(isReference);
}

function isIdList(value: unknown): value is Record<string, unknown>[] | undefined {
  if (value === undefined) return true;
  return Array.isArray(value) && value.every((item) => isPlainRecord(item) && typeof item['id'] === 'string');
}

function toRawReference(reference: Record<string, unknown>): RawReference {
  const odataType = reference['@odata.type'];
  return {
    id: reference['id'] as string,
    kind: typeof odataType === 'string' ? odataType.replace(/^#microsoft\.graph\./, '') : null,
  };
}

/** The name people know an object by, from the properties Graph objects name themselves with. */
export function displayNameOf(object: unknown, fallback: string): string {
  const record = asRecord(object);
  for (const key of ['displayName', 'userPrincipalName', 'name', 'appDisplayName', 'principalDisplayName']) {
    const found = record[key];
    if (typeof found === 'string' && found.trim() !== '') return found;
  }
  return fallback;
}
