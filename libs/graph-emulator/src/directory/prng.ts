/**
 * Seeded, allocation-free hashing and PRNG. Every generated object is a pure function of
 * (seed, tenant, type, ordinal), so a 1,000,000-user tenant needs no per-object memory.
 */

/** murmur3 finaliser: a good 32-bit avalanche. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of up to six integers into an unsigned 32-bit value (multiply-xorshift per part, murmur finaliser). */
export function hash32(a: number, b = 0, c = 0, d = 0, e = 0, f = 0): number {
  let h = 0x9e3779b9;
  h = Math.imul(h ^ (a | 0), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h ^ (b | 0), 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h ^ (c | 0), 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h ^ (d | 0), 0x165667b1);
  h ^= h >>> 13;
  h = Math.imul(h ^ (e | 0), 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h ^ (f | 0), 0xc2b2ae35);
  return fmix(h);
}

/** mulberry32: fast, seeded, good enough for test data. */
export class Rng {
  private state: number;
  constructor(a: number, b = 0, c = 0, d = 0, e = 0, f = 0) {
    this.state = hash32(a, b, c, d, e, f);
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(length: number): string {
    let s = '';
    while (s.length < length)
      s += (hash32(this.int(0x7fffffff), s.length) >>> 0).toString(16).padStart(8, '0');
    return s.slice(0, length);
  }
}

export function pickBy<T>(items: readonly T[], h: number): T {
  const item = items[h % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const ODD_MULTIPLIER = 0x2c1b3c6d | 1;
/** Modular inverse of the multiplier mod 2^32 by Newton iteration. */
const MULTIPLIER_INVERSE = (() => {
  let inv = ODD_MULTIPLIER;
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(ODD_MULTIPLIER, inv));
  return inv >>> 0;
})();

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/**
 * Deterministic GUIDs that encode their ordinal in the last 8 hex digits through an
 * invertible permutation, so an id maps back to its generated object without an index.
 */
export class IdCodec {
  private readonly mask: number;
  constructor(
    private readonly seed: number,
    private readonly tenant: number,
    private readonly typeCode: number,
  ) {
    this.mask = hash32(seed, tenant, typeCode, 0x5eed);
  }

  encode(ordinal: number): string {
    const a = hash32(this.seed, this.tenant, this.typeCode, ordinal, 1);
    const b = hash32(this.seed, this.tenant, this.typeCode, ordinal, 2);
    const c = hash32(this.seed, this.tenant, this.typeCode, ordinal, 3);
    const permuted = Math.imul((ordinal ^ this.mask) >>> 0, ODD_MULTIPLIER) >>> 0;
    const b16 = hex8(b);
    const c16 = hex8(c);
    const variant = (8 + (c & 3)).toString(16);
    return `${hex8(a)}-${b16.slice(0, 4)}-4${b16.slice(5, 8)}-${variant}${c16.slice(1, 4)}-${c16.slice(4, 8)}${hex8(permuted)}`;
  }

  /** The ordinal an id was generated from, or undefined for ids this codec never produced. */
  decode(id: string, count: number): number | undefined {
    if (id.length !== 36) return undefined;
    const tail = Number.parseInt(id.slice(28), 16);
    if (Number.isNaN(tail)) return undefined;
    const ordinal = ((Math.imul(tail, MULTIPLIER_INVERSE) >>> 0) ^ this.mask) >>> 0;
    if (ordinal >= count) return undefined;
    return this.encode(ordinal) === id.toLowerCase() ? ordinal : undefined;
  }
}
