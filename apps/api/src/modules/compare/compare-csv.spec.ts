import type { CompareObject } from '@entra-backup/common';
import { cellValue, CSV_HEADER, csvField, csvRows } from './compare-csv';

describe(csvField.name, () => {
  it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses values a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1 555')).toBe("'+1 555");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('a=b')).toBe('a=b');
  });
});

describe(csvRows.name, () => {
  const base = { collection: 'groups', primary: true, id: 'g1', name: 'Sales, EMEA' } as const;

  it('writes the header columns', () => {
    expect(CSV_HEADER).toBe('type,collection,id,name,change,property,old,new\r\n');
  });

  it('writes one row per property, one per reference added or removed', () => {
    const object: CompareObject = {
      ...base,
      change: 'changed',
      properties: [
        { kind: 'value', path: 'description', old: 'Old', new: '=cmd' },
        {
          kind: 'references',
          path: 'members',
          added: [{ id: 'u2', name: 'Bob', kind: 'user' }],
          removed: [{ id: 'u1', name: null, kind: 'user' }],
        },
      ],
    };
    expect(csvRows('groups', object)).toBe(
      'groups,groups,g1,"Sales, EMEA",changed,description,Old,\'=cmd\r\n' +
        'groups,groups,g1,"Sales, EMEA",changed,members,u1,\r\n' +
        'groups,groups,g1,"Sales, EMEA",changed,members,,Bob (u2)\r\n',
    );
  });

  it('writes one row without property for an added or removed object', () => {
    expect(csvRows('groups', { ...base, change: 'removed', properties: [] })).toBe(
      'groups,groups,g1,"Sales, EMEA",removed,,,\r\n',
    );
  });

  it('writes structured values as JSON', () => {
    expect(cellValue({ a: 1 })).toBe('{"a":1}');
    expect(cellValue(false)).toBe('false');
    expect(cellValue(undefined)).toBe('');
  });
});
