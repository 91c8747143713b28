import { GraphHttpError } from '../shared/graph-error';
import {
  decodeToken,
  encodeToken,
  idsOnly,
  matches,
  parseExpand,
  parseFilter,
  parseSelect,
  project,
} from './odata';

describe(parseFilter.name, () => {
  it('parses or-joined id clauses and serves them as direct lookups', () => {
    const sut = parseFilter("id eq 'a' or id eq 'b'");
    expect(sut).toEqual({
      joiner: 'or',
      clauses: [
        { property: 'id', op: 'eq', value: 'a' },
        { property: 'id', op: 'eq', value: 'b' },
      ],
    });
    expect(idsOnly(sut)).toEqual(['a', 'b']);
  });

  it('parses time windows with unquoted DateTimeOffset literals and compares them as dates', () => {
    const sut = parseFilter(
      'createdDateTime ge 2026-11-01T00:00:00Z and createdDateTime le 2026-11-02T00:00:00.000Z',
    );
    expect(sut.joiner).toBe('and');
    expect(matches(sut, { createdDateTime: '2026-11-01T12:00:00Z' })).toBe(true);
    expect(matches(sut, { createdDateTime: '2026-11-03T00:00:00Z' })).toBe(false);
    expect(idsOnly(sut)).toBeUndefined();
  });

  it('reads nested paths, booleans and escaped quotes', () => {
    expect(matches(parseFilter("initiatedBy/user/id eq 'x'"), { initiatedBy: { user: { id: 'X' } } })).toBe(
      true,
    );
    expect(matches(parseFilter('isBuiltIn eq false'), { isBuiltIn: false })).toBe(true);
    expect(parseFilter("displayName eq 'O''Brien'").clauses[0]!.value).toBe("O'Brien");
  });

  it('rejects functions and malformed clauses with Request_UnsupportedQuery', () => {
    expect(() => parseFilter("startswith(displayName,'a')")).toThrow(GraphHttpError);
    expect(() => parseFilter('displayName eq')).toThrow(/Unsupported query/);
  });
});

describe(parseExpand.name, () => {
  it('splits top-level items and keeps nested options', () => {
    expect(parseExpand('assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)')).toEqual(
      [
        { name: 'assignments', options: '' },
        { name: 'scheduledActionsForRule', options: '$expand=scheduledActionConfigurations' },
      ],
    );
    expect(parseExpand(null)).toEqual([]);
  });
});

describe(project.name, () => {
  it('keeps only selected properties and the @odata.type of polymorphic objects', () => {
    expect(
      project(
        { '@odata.type': '#microsoft.graph.ipNamedLocation', id: '1', displayName: 'HQ', isTrusted: true },
        ['displayName'],
      ),
    ).toEqual({ '@odata.type': '#microsoft.graph.ipNamedLocation', displayName: 'HQ' });
    expect(parseSelect(' id, displayName ,')).toEqual(['id', 'displayName']);
  });
});

describe(encodeToken.name, () => {
  it('round-trips opaque tokens and rejects tokens of another kind', () => {
    const token = encodeToken({ k: 'page', p: 42 });
    expect(token).not.toContain('42');
    expect(decodeToken(token, 'page')).toEqual({ k: 'page', p: 42 });
    expect(() => decodeToken(token, 'delta')).toThrow(/\$deltatoken/);
    expect(() => decodeToken('%%%', 'page')).toThrow(GraphHttpError);
  });
});
