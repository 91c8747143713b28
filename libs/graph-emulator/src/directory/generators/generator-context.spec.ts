import {
  COLLECTION_NAMES,
  type CollectionGenerator,
  type CollectionName,
  GeneratorContext,
  type ResolvedTenantSpec,
} from './generator-context';

const EPOCH = Date.UTC(2026, 10, 20);

function buildSpec(): ResolvedTenantSpec {
  return {
    index: 0,
    tenantId: '00000000-0000-4000-8000-000000000001',
    displayName: 'Contoso Demo',
    domain: 'contosodemo.onmicrosoft.com',
    users: 10,
    premium: true,
  };
}

function buildGenerator(count: CollectionGenerator['count'], fixedIds?: string[]): CollectionGenerator {
  return { count, fixedIds, generate: (ctx, ordinal) => ({ id: ctx.id('users', ordinal) }) };
}

function buildRegistry(
  overrides: Partial<Record<CollectionName, CollectionGenerator>>,
): Record<CollectionName, CollectionGenerator> {
  return Object.fromEntries(
    COLLECTION_NAMES.map((name) => [name, overrides[name] ?? buildGenerator(() => 1)]),
  ) as Record<CollectionName, CollectionGenerator>;
}

describe(GeneratorContext.name, () => {
  it('sizes a collection from the counts of collections listed after it, each once', () => {
    const keys = jest.fn(() => 21);
    const sut = new GeneratorContext(
      1,
      buildSpec(),
      EPOCH,
      buildRegistry({
        users: buildGenerator((ctx) => ctx.counts.bitlockerRecoveryKeys * 2),
        groups: buildGenerator((ctx) => ctx.counts.bitlockerRecoveryKeys + 1),
        bitlockerRecoveryKeys: buildGenerator(keys),
      }),
    );
    expect(sut.counts.users).toBe(42);
    expect(sut.counts.groups).toBe(22);
    expect(keys).toHaveBeenCalledTimes(1);
  });

  it('refuses counts that depend on each other', () => {
    expect(
      () =>
        new GeneratorContext(
          1,
          buildSpec(),
          EPOCH,
          buildRegistry({
            users: buildGenerator((ctx) => ctx.counts.groups),
            groups: buildGenerator((ctx) => ctx.counts.users),
          }),
        ),
    ).toThrow('collection counts depend on each other: users -> groups -> users');
  });

  it('serves well-known ids before generated ones and maps both back to their ordinal', () => {
    const sut = new GeneratorContext(
      1,
      buildSpec(),
      EPOCH,
      buildRegistry({ roleDefinitions: buildGenerator(() => 4, ['fixed-a', 'fixed-b']) }),
    );
    const scheme = sut.scheme('roleDefinitions');
    const generated = sut.id('roleDefinitions', 3);
    expect(sut.id('roleDefinitions', 1)).toBe('fixed-b');
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(scheme.decode('fixed-b', 4)).toBe(1);
    expect(scheme.decode(generated, 4)).toBe(3);
    expect(scheme.decode('fixed-b', 1)).toBeUndefined();
  });
});
