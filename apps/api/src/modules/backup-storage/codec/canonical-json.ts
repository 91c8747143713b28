import { createHash } from 'node:crypto';

/**
 * Canonical JSON: the one byte form of a value that content hashing and de-duplication rely on.
 * Two objects that Graph returns with the same data but a different property order (which Graph
 * does not guarantee) must hash the same, so keys are sorted recursively (by UTF-16 code units,
 * like `Array.prototype.sort`), `undefined` properties are dropped, dates become ISO strings and
 * anything JSON cannot represent faithfully (non-finite numbers, bigint, functions, cycles) is
 * rejected rather than silently altered.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, '$', new Set<object>());
}

/** The canonical UTF-8 bytes of a value. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}

/** SHA-256 of the given bytes as lower-case hex: the content address of a stored payload. */
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class CanonicalJsonError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Cannot serialize the value at ${path}: ${reason}`);
    this.name = CanonicalJsonError.name;
  }
}

function serialize(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${value} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return serializeObject(value, path, ancestors);
    case 'undefined':
      throw new CanonicalJsonError(path, 'undefined is not a JSON value');
    default:
      throw new CanonicalJsonError(path, `a ${typeof value} is not a JSON value`);
  }
}

function serializeObject(value: object, path: string, ancestors: Set<object>): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new CanonicalJsonError(path, 'invalid date');
    return JSON.stringify(value.toISOString());
  }
  if (ancestors.has(value)) throw new CanonicalJsonError(path, 'circular reference');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      // Like JSON.stringify, an undefined array slot becomes null so positions are preserved.
      const items = value.map((item: unknown, index) =>
        item === undefined ? 'null' : serialize(item, `${path}[${index}]`, ancestors),
      );
      return `[${items.join(',')}]`;
    }
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) {
      throw new CanonicalJsonError(path, 'binary data is not a JSON value');
    }
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      members.push(`${JSON.stringify(key)}:${serialize(member, `${path}.${key}`, ancestors)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}
