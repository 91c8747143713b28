import { createHash } from 'node:crypto';

/**
 * Canonical JSON: the one byte form of a value that content hashing and de-duplication rely on.
 * Two objects that Graph returns with the same data but a different property order (which Graph
 * does not guarantee) must hash the same, so keys are sorted recursively (by UTF-16 code units,
 * like `Array.prototype.sort`; integer-like keys first, see `CanonicalWriter`), `undefined`
 * properties are dropped, dates become ISO strings and
 * anything JSON cannot represent faithfully (non-finite numbers, bigint, functions, cycles) is
 * rejected rather than silently altered.
 */
export function canonicalJson(value: unknown): string {
  return new CanonicalWriter().write(value);
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

/**
 * Builds a plain copy of the value with keys inserted in sorted order, validating as it goes,
 * then lets the native `JSON.stringify` write it (several times faster than concatenating the
 * text in JavaScript). One caveat follows from the language, not from this code: an object's
 * integer-like keys ("0", "10") are always enumerated first, in numeric order, so they precede
 * the other keys; the result is still one fixed form for equal data. The path to the current
 * value is kept as a stack of keys and turned into text only for an error message.
 */
class CanonicalWriter {
  private readonly ancestors: object[] = [];
  private readonly path: Array<string | number> = [];

  write(value: unknown): string {
    if (value === undefined) throw this.error('undefined is not a JSON value');
    return JSON.stringify(this.copy(value));
  }

  private copy(value: unknown): unknown {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        if (!Number.isFinite(value)) throw this.error(`${value} is not a finite number`);
        return value;
      case 'object':
        return value === null ? null : this.copyObject(value);
      default:
        throw this.error(`a ${typeof value} is not a JSON value`);
    }
  }

  private copyObject(value: object): unknown {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw this.error('invalid date');
      return value.toISOString();
    }
    if (ArrayBuffer.isView(value)) throw this.error('binary data is not a JSON value');
    // Nesting is shallow in directory data, so a linear scan beats a Set here.
    if (this.ancestors.includes(value)) throw this.error('circular reference');
    this.ancestors.push(value);
    let copy: unknown;
    if (Array.isArray(value)) {
      const items = new Array<unknown>(value.length);
      for (let index = 0; index < value.length; index += 1) {
        const item: unknown = value[index];
        this.path.push(index);
        // Like JSON.stringify, an undefined array slot becomes null so positions are preserved.
        items[index] = item === undefined ? null : this.copy(item);
        this.path.pop();
      }
      copy = items;
    } else {
      const record = value as Record<string, unknown>;
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(record).sort()) {
        const member = record[key];
        if (member === undefined) continue;
        this.path.push(key);
        sorted[key] = this.copy(member);
        this.path.pop();
      }
      copy = sorted;
    }
    this.ancestors.pop();
    return copy;
  }

  private error(reason: string): CanonicalJsonError {
    const path = this.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');
    return new CanonicalJsonError(`$${path}`, reason);
  }
}
