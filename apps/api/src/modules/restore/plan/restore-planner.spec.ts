import type { ObjectTypeKey } from '@entra-backup/common';
import { type CollectionReader, RestorePlanner, type StoredObject } from './restore-planner';

const REPORT = '1a1a1a1a-0000-4000-8000-000000000001';
const MANAGER = '2b2b2b2b-0000-4000-8000-000000000002';
const GROUP = '3c3c3c3c-0000-4000-8000-000000000003';
const DEVICE = '4d4d4d4d-0000-4000-8000-000000000004';
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

  it('skips, with the reason, the links of a restore into another tenant to objects it does not bring', async () => {
    const group = {
      id: GROUP,
      displayName: 'Sales',
      mailNickname: 'sales',
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      members: [
        { id: REPORT, '@odata.type': USER },
        { id: DEVICE, '@odata.type': '#microsoft.graph.device' },
      ],
      owners: [],
    };
    const sut = new RestorePlanner({
      selection: { types: ['users', 'groups'], relationships: true, removeNew: false, crossTenant: true },
      source: reader({ 'users/users': [user(REPORT, 'Report', null)], 'groups/groups': [group] }),
      live: reader({}),
      liveTypes: new Set<ObjectTypeKey>(['users', 'groups']),
      recycleBin: () => Promise.resolve(new Set<string>()),
    });

    const { actions } = await sut.plan();

    expect(actions.filter((a) => a.objectId === GROUP && a.kind !== 'recreate')).toEqual([
      expect.objectContaining({ kind: 'addLink', link: expect.objectContaining({ targetId: REPORT }) }),
      expect.objectContaining({
        kind: 'skip',
        link: expect.objectContaining({ targetId: DEVICE }),
        reason: `members: ${DEVICE} is not part of this restore, so it does not exist in the target tenant`,
      }),
    ]);
  });
});
