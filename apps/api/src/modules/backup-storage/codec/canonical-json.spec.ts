import { CanonicalJsonError, canonicalBytes, canonicalJson, sha256Hex } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys recursively, including objects inside arrays', () => {
    const sut = canonicalJson;

    expect(sut({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same bytes for the same data in a different property order', () => {
    const left = canonicalBytes({ id: '1', displayName: 'Ada', tags: ['x', 'y'], extra: { p: 1, q: 2 } });
    const right = canonicalBytes({ extra: { q: 2, p: 1 }, tags: ['x', 'y'], displayName: 'Ada', id: '1' });

    expect(left.equals(right)).toBe(true);
    expect(sha256Hex(left)).toBe(sha256Hex(right));
  });

  it('writes integer-like keys first in numeric order, the same for any insertion order', () => {
    expect(canonicalJson({ b: 1, 10: 'ten', a: 2, 9: 'nine' })).toBe('{"9":"nine","10":"ten","a":2,"b":1}');
    expect(canonicalJson({ 9: 'nine', a: 2, 10: 'ten', b: 1 })).toBe('{"9":"nine","10":"ten","a":2,"b":1}');
  });

  it('keeps array order, because Graph arrays are ordered data', () => {
    expect(canonicalJson(['b', 'a'])).not.toBe(canonicalJson(['a', 'b']));
  });

  it('drops undefined properties and writes undefined array slots as null', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('writes dates as ISO strings and -0 as 0', () => {
    expect(canonicalJson({ at: new Date('2024-05-01T10:00:00Z'), n: -0 })).toBe(
      '{"at":"2024-05-01T10:00:00.000Z","n":0}',
    );
  });

  it('escapes strings the way JSON does and keeps unicode', () => {
    expect(canonicalJson({ s: 'quote " backslash \\ newline \n é' })).toBe(
      '{"s":"quote \\" backslash \\\\ newline \\n é"}',
    );
  });

  it.each([
    ['NaN', { a: Number.NaN }, '$.a'],
    ['Infinity', { a: [Number.POSITIVE_INFINITY] }, '$.a[0]'],
    ['bigint', { a: { b: BigInt(1) } }, '$.a.b'],
    ['function', { f: () => 1 }, '$.f'],
    ['symbol', { s: Symbol('x') }, '$.s'],
    ['buffer', { b: Buffer.from('x') }, '$.b'],
  ])('rejects %s with the path of the bad value', (_label, value, path) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(path);
  });

  it('rejects a top-level undefined', () => {
    expect(() => canonicalJson(undefined)).toThrow('undefined is not a JSON value');
  });

  it('rejects circular structures but accepts a shared (non-circular) reference', () => {
    const shared = { x: 1 };
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;

    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    expect(() => canonicalJson(cyclic)).toThrow('circular reference');
  });
});

describe('sha256Hex', () => {
  it('is the lower-case hex SHA-256 of the bytes', () => {
    expect(sha256Hex(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
