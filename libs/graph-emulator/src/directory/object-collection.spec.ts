import { ObjectCollection } from './object-collection';
import { IdCodec } from './prng';

describe(ObjectCollection.name, () => {
  const codec = new IdCodec(1, 0, 1);
  let generated = 0;
  const build = () =>
    new ObjectCollection('things', 5, codec, (o) => {
      generated++;
      return { id: codec.encode(o), n: o };
    });

  beforeEach(() => {
    generated = 0;
  });

  it('derives base objects on demand without storing them', () => {
    const sut = build();
    expect(generated).toBe(0);
    expect(sut.count()).toBe(5);
    expect(sut.at(3)).toEqual({ id: codec.encode(3), n: 3 });
    expect(sut.get(codec.encode(4).toUpperCase())).toEqual({ id: codec.encode(4), n: 4 });
  });

  it('overlays updates, removals and creations with stable positions', () => {
    const sut = build();
    sut.put({ id: codec.encode(1), n: 100 });
    expect(sut.remove(codec.encode(2))).toBe(true);
    sut.put({ id: 'created-1', n: 6 });
    expect(sut.at(1)).toEqual({ id: codec.encode(1), n: 100 });
    expect(sut.at(2)).toBeNull();
    expect(sut.at(5)).toEqual({ id: 'created-1', n: 6 });
    expect(sut.count()).toBe(5);
    expect([...sut.ids()]).toEqual([
      codec.encode(0),
      codec.encode(1),
      codec.encode(3),
      codec.encode(4),
      'created-1',
    ]);
    expect(sut.remove(codec.encode(2))).toBe(false);
    sut.put({ id: codec.encode(2), n: 2 });
    expect(sut.has(codec.encode(2))).toBe(true);
  });

  it('returns copies so callers cannot mutate the store', () => {
    const sut = build();
    sut.put({ id: 'x', list: [1] });
    (sut.get('x')!['list'] as number[]).push(2);
    expect(sut.get('x')).toEqual({ id: 'x', list: [1] });
  });
});
