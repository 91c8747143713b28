import { OBJECT_TYPE_KEYS } from '@entra-backup/common';
import { InvalidArgumentError } from 'commander';
import { parseObjectTypeListArgument, parseTenantIdArgument } from './arguments';
import { parseSnapshotArgument } from './snapshot-arguments';

describe(parseTenantIdArgument.name, () => {
  it('accepts a GUID and lower-cases it', () => {
    expect(parseTenantIdArgument('72F988BF-86F1-41AF-91AB-2D7CD011DB47')).toBe(
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
    );
  });

  it.each(['contoso', '72f988bf86f141af91ab2d7cd011db47', ''])('rejects %j as a usage error', (value) => {
    expect(() => parseTenantIdArgument(value)).toThrow(InvalidArgumentError);
    expect(() => parseTenantIdArgument(value)).toThrow('must be a GUID');
  });
});

describe(parseObjectTypeListArgument.name, () => {
  it('parses a list of keys, without duplicates', () => {
    expect(parseObjectTypeListArgument('users, groups,users')).toEqual({
      all: false,
      keys: ['users', 'groups'],
    });
  });

  it('expands all', () => {
    expect(parseObjectTypeListArgument('all')).toEqual({ all: true, keys: [...OBJECT_TYPE_KEYS] });
  });

  it('names every unknown key', () => {
    expect(() => parseObjectTypeListArgument('users,bogus,nope')).toThrow(
      /^Unknown object types: bogus, nope \(known: all, users,/,
    );
  });

  it('rejects an empty list', () => {
    expect(() => parseObjectTypeListArgument(' , ')).toThrow(InvalidArgumentError);
  });
});

describe(parseSnapshotArgument.name, () => {
  it('accepts an id (lower-cased), latest, and a sequence number with or without #', () => {
    expect(parseSnapshotArgument('72F988BF-86F1-41AF-91AB-2D7CD011DB47')).toBe(
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
    );
    expect(parseSnapshotArgument('latest')).toBe('latest');
    expect(parseSnapshotArgument('12')).toBe('12');
    expect(parseSnapshotArgument('#12')).toBe('12');
  });

  it.each(['last', '-1', '1.5', ''])('rejects %j as a usage error', (value) => {
    expect(() => parseSnapshotArgument(value)).toThrow(InvalidArgumentError);
  });
});
