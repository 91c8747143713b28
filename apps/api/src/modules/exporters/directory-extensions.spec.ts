import { GraphRequestError } from '@entra-backup/graph';
import type { GraphClient } from '@entra-backup/graph';
import {
  DirectoryExtensionLookup,
  EXTENSION_LOOKUP_PATH,
  isExtensionProperty,
  renameExtension,
} from './directory-extensions';

/** Only `post` (and `pages` for a nextLink) are used by the lookup. */
function clientAnswering(answers: Array<unknown>, pages: Record<string, unknown[]> = {}) {
  const posts: Array<{ path: string; body: unknown }> = [];
  const client = {
    post: (path: string, body: unknown) => {
      posts.push({ path, body });
      const answer = answers.shift();
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    pages: async function* (path: string) {
      yield { items: pages[path] ?? [], pageIndex: 0, restarted: false };
    },
  } as unknown as GraphClient;
  return { client, posts };
}

describe(DirectoryExtensionLookup.name, () => {
  const USER_EXT = 'extension_0a1b2c3d4e5f40718293a4b5c6d7e8f9_costCenter';
  const GROUP_EXT = 'extension_0a1b2c3d4e5f40718293a4b5c6d7e8f9_projectCode';

  it('reads the definitions once, following nextLinks, and lists the names per target', async () => {
    const { client, posts } = clientAnswering(
      [
        {
          value: [{ name: USER_EXT, targetObjects: ['User', 'Device'] }],
          '@odata.nextLink': 'https://graph/next',
        },
      ],
      {
        'https://graph/next': [
          { name: GROUP_EXT, targetObjects: ['Group'] },
          { name: 'bad', targetObjects: [] },
        ],
      },
    );
    const sut = new DirectoryExtensionLookup(['Directory.Read.All']);

    const [first, second] = await Promise.all([
      sut.resolve(client, undefined),
      sut.resolve(client, undefined),
    ]);
    expect(second).toBe(first);
    expect(posts).toEqual([{ path: EXTENSION_LOOKUP_PATH, body: {} }]);
    expect(first).toEqual({
      kind: 'resolved',
      names: new Map([
        ['User', [USER_EXT]],
        ['Group', [GROUP_EXT]],
      ]),
    });
  });

  it('skips without asking Graph when the consent lacks Directory.Read.All; unknown consent asks', async () => {
    const lacking = clientAnswering([]);
    await expect(
      new DirectoryExtensionLookup(['User.Read.All']).resolve(lacking.client, undefined),
    ).resolves.toEqual({
      kind: 'skipped',
      reason: expect.stringContaining("the tenant's consent lacks Directory.Read.All") as string,
      missingPermissions: ['Directory.Read.All'],
    });
    expect(lacking.posts).toEqual([]);

    const unknown = clientAnswering([{ value: [] }]);
    await expect(
      new DirectoryExtensionLookup(undefined).resolve(unknown.client, undefined),
    ).resolves.toMatchObject({
      kind: 'resolved',
    });
    expect(unknown.posts).toHaveLength(1);
  });

  it('skips on Authorization_RequestDenied and fails on other errors', async () => {
    const denied = new GraphRequestError({
      kind: 'forbidden',
      method: 'POST',
      path: EXTENSION_LOOKUP_PATH,
      status: 403,
      code: 'Authorization_RequestDenied',
    });
    await expect(
      new DirectoryExtensionLookup(undefined).resolve(clientAnswering([denied]).client, undefined),
    ).resolves.toMatchObject({ kind: 'skipped', missingPermissions: ['Directory.Read.All'] });

    const broken = new GraphRequestError({
      kind: 'server',
      method: 'POST',
      path: EXTENSION_LOOKUP_PATH,
      status: 500,
      code: 'InternalServerError',
    });
    await expect(
      new DirectoryExtensionLookup(undefined).resolve(clientAnswering([broken]).client, undefined),
    ).rejects.toBe(broken);
  });
});

describe('directory extension names', () => {
  it('recognises extension values and renames those of an application that changed appId', () => {
    expect(isExtensionProperty('extension_0a1b2c3d4e5f40718293a4b5c6d7e8f9_costCenter')).toBe(true);
    expect(isExtensionProperty('extensionAttribute1')).toBe(false);
    expect(
      renameExtension('extension_0A1B2C3D4E5F40718293A4B5C6D7E8F9_costCenter', (appId) =>
        appId === '0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9' ? '11111111-2222-4333-8444-555555555555' : undefined,
      ),
    ).toBe('extension_11111111222243338444555555555555_costCenter');
    expect(renameExtension('displayName', () => 'x')).toBe('displayName');
  });
});
