import { formatValue, isRestorable, MAX_SHOWN_LENGTH, restoreLink } from './compare-format';

describe('compare formatting', () => {
  it('shows text as it is, booleans as yes/no, structures as indented JSON and absent values as a dash', () => {
    expect(formatValue('Sales')).toBe('Sales');
    expect(formatValue('')).toBe('""');
    expect(formatValue(true)).toBe('Yes');
    expect(formatValue(null)).toBe('null');
    expect(formatValue({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatValue(undefined)).toBe('—');
  });

  it('cuts a long value and says how long it was', () => {
    const shown = formatValue('x'.repeat(1000));
    expect(shown.length).toBeLessThan(MAX_SHOWN_LENGTH + 30);
    expect(shown).toMatch(/… \(1000 characters\)$/);
  });

  it('restores changed and removed objects from the earlier snapshot', () => {
    const object = { collection: 'users', primary: true, id: 'u1', name: 'Ada', properties: [] };
    expect(isRestorable({ ...object, change: 'changed' })).toBe(true);
    expect(isRestorable({ ...object, change: 'removed' })).toBe(true);
    expect(isRestorable({ ...object, change: 'added' })).toBe(false);
    expect(restoreLink('s1', 'users', ['u1', 'u2'])).toEqual({
      path: '/restore/new',
      queryParams: { snapshot: 's1', types: 'users', ids: 'u1,u2' },
    });
  });
});
