import { renderJson, renderTable } from './table';

describe(renderTable.name, () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      renderTable(
        ['ID', 'NAME', 'ON'],
        [
          ['1', 'Contoso', 'yes'],
          ['22', 'A', 'no'],
        ],
      ),
    ).toBe('ID  NAME     ON\n1   Contoso  yes\n22  A        no\n');
  });

  it('prints only the header for no rows', () => {
    expect(renderTable(['A', 'B'], [])).toBe('A  B\n');
  });
});

describe(renderJson.name, () => {
  it('prints indented JSON ending in a newline', () => {
    expect(renderJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});
