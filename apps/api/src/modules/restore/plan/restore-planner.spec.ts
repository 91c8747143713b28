import type { ObjectTypeKey } from '@entra-backup/common';
import { type CollectionReader, RestorePlanner, type StoredObject } from './restore-planner';

const REPORT = '1a1a1a1a-0000-4000-8000-000000000001';
const MANAGER = '2b2b2b2b-0000-4000-8000-000000000002';
const USER = '#microsoft.graph.user';

function user(id: string, name: string, managerId: string | null): StoredObject {
  return {
    id,
    displayName: name,
    userPrincipalName: `${name.toLowerCase()}@contoso.test`,
    mailNickname: name.toLowerCase(),
    accountEnabled: true,
    manager: managerId === null ? null : { id: managerId, '@odata.type': USER },
  };
}

/** A snapshot (or live state) as a reader: objects by `type/collection`, in the given order. */
function reader(content: Partial<Record<string, StoredObject[]>>): CollectionReader {
  return (type: ObjectTypeKey, collection: string) =>
    Promise.resolve(new Map((content[`${type}/${collection}`] ?? []).map((o) => [String(o['id']), o])));
}

describe(RestorePlanner.name, () => {
  it.each([
    ['after', [user(REPORT, 'Report', MANAGER), user(MANAGER, 'Manager', null)]],
    ['before', [user(MANAGER, 'Manager', null), user(REPORT, 'Report', MANAGER)]],
  ])(
    'links a re-created user to its re-created manager listed %s it in the snapshot',
    async (_order, users) => {
      const sut = new RestorePlanner({
        selection: { types: ['users'], relationships: true, removeNew: false, crossTenant: false },
        source: reader({ 'users/users': users }),
        live: reader({}),
        liveTypes: new Set<ObjectTypeKey>(['users']),
        recycleBin: () => Promise.resolve(new Set<string>()),
      });

      const { actions } = await sut.plan();

      expect(actions.map((a) => [a.kind, a.objectId, a.link?.targetId ?? null])).toEqual([
        ['recreate', REPORT, null],
        ['recreate', MANAGER, null],
        ['addLink', REPORT, MANAGER],
      ]);
    },
  );
});
