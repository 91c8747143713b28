import { changedProperties } from './backup-reader.service';

describe('changedProperties', () => {
  it('names top-level properties that were added, removed or changed, sorted', () => {
    const before = { id: '1', displayName: 'Ada', jobTitle: 'CTO', tags: ['a'], manager: { id: 'm1' } };
    const after = { id: '1', displayName: 'Ada L.', tags: ['a'], manager: { id: 'm2' }, department: 'R&D' };

    expect(changedProperties(before, after)).toEqual(['department', 'displayName', 'jobTitle', 'manager']);
  });

  it('ignores key order inside nested values and reports nothing for equal objects', () => {
    const before = { id: '1', settings: { a: 1, b: [1, 2] } };
    const after = { settings: { b: [1, 2], a: 1 }, id: '1' };

    expect(changedProperties(before, after)).toEqual([]);
  });

  it('treats null and a missing property as different', () => {
    expect(changedProperties({ id: '1', mail: null }, { id: '1' })).toEqual(['mail']);
  });
});
