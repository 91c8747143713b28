import { InvalidArgumentError } from 'commander';
import { CliUsageError } from '../cli-errors';
import {
  assertConfirmable,
  buildPlanRequest,
  parseDomainMappingArgument,
  parseListArgument,
  parseRestoreIdArgument,
  type RestoreCommandOptions,
} from './restore-arguments';

const TARGET = '0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f';

function options(overrides: Partial<RestoreCommandOptions> = {}): RestoreCommandOptions {
  return { snapshot: 'latest', relationships: true, ...overrides };
}

describe(parseListArgument.name, () => {
  const sut = parseListArgument('--ids');

  it('splits, trims and de-duplicates, also across repeated options', () => {
    expect(sut(' a, b,,a ', undefined)).toEqual(['a', 'b']);
    expect(sut('c,a', ['a', 'b'])).toEqual(['a', 'b', 'c']);
  });

  it('rejects an empty list', () => {
    expect(() => sut(' , ', undefined)).toThrow(
      new InvalidArgumentError("--ids needs at least one value, got ' , '"),
    );
  });
});

describe(parseDomainMappingArgument.name, () => {
  it('collects old=new pairs, lower-cased', () => {
    const first = parseDomainMappingArgument('Contoso.com=fabrikam.com', undefined);
    expect(parseDomainMappingArgument('contoso.onmicrosoft.com = fabrikam.onmicrosoft.com', first)).toEqual({
      'contoso.com': 'fabrikam.com',
      'contoso.onmicrosoft.com': 'fabrikam.onmicrosoft.com',
    });
  });

  it.each([
    'contoso.com',
    'contoso.com=',
    '=fabrikam.com',
    'a=b=c',
    'contoso=fabrikam.com',
    'con toso.com=x.com',
  ])('rejects %j', (value) => {
    expect(() => parseDomainMappingArgument(value, undefined)).toThrow(/^--map-domain takes old=new/);
  });

  it('rejects mapping one domain to two', () => {
    expect(() => parseDomainMappingArgument('contoso.com=b.com', { 'contoso.com': 'a.com' })).toThrow(
      '--map-domain maps contoso.com twice (to a.com and to b.com)',
    );
  });

  it('accepts the same mapping twice', () => {
    expect(parseDomainMappingArgument('contoso.com=a.com', { 'contoso.com': 'a.com' })).toEqual({
      'contoso.com': 'a.com',
    });
  });
});

describe(parseRestoreIdArgument.name, () => {
  it('accepts a GUID and lower-cases it', () => {
    expect(parseRestoreIdArgument('9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D')).toBe(
      '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d',
    );
  });

  it('rejects anything else', () => {
    expect(() => parseRestoreIdArgument('latest')).toThrow(
      "restoreId must be the id of a restore (a GUID), got 'latest'",
    );
  });
});

describe(buildPlanRequest.name, () => {
  it('builds the default request: every restorable type, with relationships, keeping new objects', () => {
    expect(buildPlanRequest(options())).toEqual({
      snapshotId: 'latest',
      relationships: true,
      removeNew: false,
    });
  });

  it('passes every selection on', () => {
    expect(
      buildPlanRequest(
        options({
          types: { all: false, keys: ['users'] },
          ids: ['u1'],
          properties: ['jobTitle'],
          relationships: false,
          removeNew: true,
          toTenant: TARGET,
          mapDomain: { 'contoso.com': 'fabrikam.com' },
        }),
      ),
    ).toEqual({
      snapshotId: 'latest',
      types: ['users'],
      ids: ['u1'],
      properties: ['jobTitle'],
      relationships: false,
      removeNew: true,
      targetTenantId: TARGET,
      domainMap: { 'contoso.com': 'fabrikam.com' },
    });
  });

  it('leaves "all" types to the engine (it knows which types can be written back)', () => {
    expect(
      buildPlanRequest(options({ types: { all: true, keys: ['users', 'auditLogs'] } })),
    ).not.toHaveProperty('types');
  });

  it.each([
    [undefined, ''],
    [['a', 'b'], ' (got 2)'],
  ])('requires exactly one id with --properties (ids %j)', (ids, got) => {
    expect(() => buildPlanRequest(options({ properties: ['jobTitle'], ...(ids ? { ids } : {}) }))).toThrow(
      new CliUsageError(
        `--properties restores single properties of one object: name exactly one object with --ids${got}`,
      ),
    );
  });

  it('requires --to-tenant with --map-domain', () => {
    expect(() => buildPlanRequest(options({ mapDomain: { 'a.com': 'b.com' } }))).toThrow(CliUsageError);
    expect(() => buildPlanRequest(options({ mapDomain: { 'a.com': 'b.com' } }))).toThrow(/add --to-tenant/);
  });

  it('reports what the shared schema refuses as a usage error', () => {
    const ids = Array.from({ length: 10_001 }, (_, i) => `id-${i}`);
    expect(() => buildPlanRequest(options({ ids }))).toThrow(CliUsageError);
    expect(() => buildPlanRequest(options({ ids }))).toThrow(/^ids: /);
  });
});

describe(assertConfirmable.name, () => {
  it('needs --yes when nobody can answer', () => {
    expect(() => assertConfirmable({}, false, 'A restore')).toThrow(CliUsageError);
    expect(() => assertConfirmable({}, false, 'A restore')).toThrow(/pass --yes/);
  });

  it.each([
    [{ yes: true }, false],
    [{}, true],
    [{ yes: true }, true],
  ])('lets %j go on (terminal: %s)', (flags, canAsk) => {
    expect(() => assertConfirmable(flags, canAsk, 'A restore')).not.toThrow();
  });
});
