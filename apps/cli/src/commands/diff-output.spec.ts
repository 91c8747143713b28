import type { CompareSummary } from '@entra-backup/common';
import { comparisonJson, formatValue, MAX_VALUE_LENGTH, propertyLine, renderComparison } from './diff-output';

const FROM = { snapshotId: 'a1', seq: 3, takenAt: '2026-12-01T06:00:00.000Z', live: false };
const LIVE = { snapshotId: 'b2', seq: 9, takenAt: '2026-12-07T11:00:00.000Z', live: true };

function buildSummary(overrides: Partial<CompareSummary> = {}): CompareSummary {
  return {
    from: FROM,
    to: LIVE,
    types: [
      {
        type: 'conditionalAccessPolicies',
        label: 'Conditional Access policies',
        log: false,
        primary: { added: 0, changed: 1, removed: 0 },
        collections: [
          { collection: 'policies', primary: true, added: 0, changed: 1, removed: 0 },
          { collection: 'namedLocations', primary: false, added: 0, changed: 0, removed: 1 },
        ],
      },
    ],
    totals: { added: 0, changed: 1, removed: 1 },
    ...overrides,
  };
}

describe(formatValue.name, () => {
  it('quotes strings, writes structures as compact JSON and absent values as (none)', () => {
    expect(formatValue('Sales')).toBe('"Sales"');
    expect(formatValue(null)).toBe('null');
    expect(formatValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(formatValue(undefined)).toBe('(none)');
  });

  it('cuts a long value with its full length', () => {
    const long = 'x'.repeat(300);
    const shown = formatValue(long);
    expect(shown).toBe(`"${'x'.repeat(MAX_VALUE_LENGTH - 2)}… (302 chars)`);
  });
});

describe(propertyLine.name, () => {
  it('shows references added and removed by name, else by id', () => {
    expect(
      propertyLine({
        kind: 'references',
        path: 'members',
        added: [{ id: 'u1', name: 'Ada', kind: 'user' }],
        removed: [{ id: 'u9', name: null, kind: 'user' }],
      }),
    ).toBe('members: + Ada (u1), - u9');
  });
});

describe(renderComparison.name, () => {
  it('names the live tenant, the secondary collections and each object with its changes', () => {
    const text = renderComparison(buildSummary(), [
      {
        type: 'conditionalAccessPolicies',
        object: {
          collection: 'policies',
          primary: true,
          id: 'p1',
          name: 'Require MFA',
          change: 'changed',
          properties: [{ kind: 'value', path: 'state', old: 'enabled', new: 'disabled' }],
        },
      },
      {
        type: 'conditionalAccessPolicies',
        object: {
          collection: 'namedLocations',
          primary: false,
          id: 'l1',
          name: 'l1',
          change: 'removed',
          properties: [],
        },
      },
    ]);
    expect(text.split('\n')).toEqual([
      'From snapshot #3 (a1, 2026-12-01T06:00:00.000Z) to the live tenant (read now as snapshot #9, b2, 2026-12-07T11:00:00.000Z)',
      'Conditional Access policies: 0 added, 1 changed, 0 removed',
      '  ~ Require MFA (p1)',
      '      state: "enabled" → "disabled"',
      'Conditional Access policies (namedLocations): 0 added, 0 changed, 1 removed',
      '  - l1',
      '',
    ]);
  });

  it('says when nothing differs', () => {
    expect(renderComparison(buildSummary({ types: [] }), [])).toContain('\nNo differences.\n');
  });
});

describe(comparisonJson.name, () => {
  it('keeps ids beside names, per collection and change', () => {
    const json = comparisonJson(buildSummary(), [
      {
        type: 'conditionalAccessPolicies',
        object: {
          collection: 'namedLocations',
          primary: false,
          id: 'l1',
          name: 'Office',
          change: 'removed',
          properties: [],
        },
      },
    ]);
    expect(json.types[0]?.collections[1]).toEqual({
      collection: 'namedLocations',
      primary: false,
      added: [],
      changed: [],
      removed: [{ id: 'l1', name: 'Office' }],
    });
  });
});
