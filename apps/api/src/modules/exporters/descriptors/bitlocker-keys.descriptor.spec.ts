import type { GraphBatchResponse, GraphClient } from '@entra-backup/graph';
import { GraphRequestError } from '@entra-backup/graph';
import { strictDouble } from '../../../../test/support/doubles';
import type { HookContext } from '../descriptor';
import { readMissingBitlockerKeys } from './bitlocker-keys.descriptor';

const key = (n: number) => `${String(n).padStart(6, '0')}-222222-333333-444444-555555-666666-777777-888888`;

function answer(id: string, status: number, body?: unknown): [string, GraphBatchResponse] {
  return [id, { id, status, headers: {}, ...(body === undefined ? {} : { body }) }];
}

describe(readMissingBitlockerKeys.name, () => {
  let client: jest.Mocked<GraphClient>;
  let remembered: Array<readonly [string, string]>;
  let readBefore: Map<string, string>;
  let reads: number;
  let context: HookContext;

  beforeEach(() => {
    client = strictDouble<GraphClient>('GraphClient');
    remembered = [];
    readBefore = new Map();
    reads = 0;
    context = {
      client,
      signal: undefined,
      previousObjects: async function* (collection) {
        expect(collection).toBe('recoveryKeys');
        yield { id: 'k-previous', object: { id: 'k-previous', key: key(0) } };
      },
      secretsReadBefore: () => Promise.resolve(readBefore),
      rememberSecrets: (read) => {
        remembered.push(...read);
        return Promise.resolve();
      },
      count: (_figure, amount) => {
        reads += amount;
      },
    };
  });

  it('reads only keys neither the previous snapshot nor an interrupted run holds, and keeps each read', async () => {
    readBefore.set('k-interrupted', key(1));
    client.batch.mockResolvedValue(new Map([answer('0', 200, { key: key(2) })]));
    const sut = await readMissingBitlockerKeys(context);

    const page = await sut.enrichPage([{ id: 'k-previous' }, { id: 'k-interrupted' }, { id: 'k-new' }]);

    expect(client.batch).toHaveBeenCalledTimes(1);
    expect(client.batch.mock.calls[0]![0]).toEqual([
      { id: '0', method: 'GET', url: '/informationProtection/bitlocker/recoveryKeys/k-new?$select=key' },
    ]);
    expect(remembered).toEqual([['k-new', key(2)]]);
    expect(reads).toBe(1);
    expect(page).toEqual([
      { id: 'k-previous', key: key(0) },
      { id: 'k-interrupted', key: key(1) },
      { id: 'k-new', key: key(2) },
    ]);
  });

  it('keeps the keys a batch did read before failing on another', async () => {
    const throttled = new GraphRequestError({
      kind: 'throttled',
      status: 429,
      code: 'TooManyRequests',
      graphMessage: 'slow down',
      method: 'GET',
      path: '/v1.0/informationProtection/bitlocker/recoveryKeys/k-b',
    });
    client.batch.mockResolvedValue(
      new Map([
        answer('0', 200, { key: key(3) }),
        ['1', { id: '1', status: 429, headers: {}, error: throttled }],
      ]),
    );
    const sut = await readMissingBitlockerKeys(context);

    await expect(sut.enrichPage([{ id: 'k-a' }, { id: 'k-b' }])).rejects.toBe(throttled);

    expect(remembered).toEqual([['k-a', key(3)]]);
    expect(reads).toBe(1);
  });
});
