import { hash32, IdCodec, Rng } from './prng';

describe(IdCodec.name, () => {
  it('produces deterministic, well-formed v4-style GUIDs that decode back to their ordinal', () => {
    const sut = new IdCodec(7, 0, 1);
    const ids = new Set<string>();
    for (const ordinal of [0, 1, 2, 999, 123_456, 999_999]) {
      const id = sut.encode(ordinal);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new IdCodec(7, 0, 1).encode(ordinal)).toBe(id);
      expect(sut.decode(id, 1_000_000)).toBe(ordinal);
      ids.add(id);
    }
    expect(ids.size).toBe(6);
  });

  it('rejects ids from another tenant, type, seed or beyond the count', () => {
    const sut = new IdCodec(7, 0, 1);
    const id = sut.encode(10);
    expect(new IdCodec(7, 1, 1).decode(id, 100)).toBeUndefined();
    expect(new IdCodec(7, 0, 2).decode(id, 100)).toBeUndefined();
    expect(new IdCodec(8, 0, 1).decode(id, 100)).toBeUndefined();
    expect(sut.decode(id, 10)).toBeUndefined();
    expect(sut.decode('not-a-guid', 100)).toBeUndefined();
  });
});

describe(Rng.name, () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = new Rng(1, 2, 3);
    const b = new Rng(1, 2, 3);
    const c = new Rng(1, 2, 4);
    const seqA = Array.from({ length: 5 }, () => a.int(1_000_000));
    expect(Array.from({ length: 5 }, () => b.int(1_000_000))).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.int(1_000_000))).not.toEqual(seqA);
  });

  it('spreads hash32 values over the range', () => {
    const buckets = new Array<number>(8).fill(0);
    for (let i = 0; i < 8000; i++) buckets[hash32(1, i) % 8]!++;
    for (const n of buckets) expect(n).toBeGreaterThan(800);
  });
});
