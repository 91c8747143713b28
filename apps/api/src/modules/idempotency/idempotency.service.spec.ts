import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type { IdempotencyRecordEntity } from '../../persistence/entities';
import type { IdempotencyRepository } from '../../persistence/repositories/idempotency.repository';
import { IdempotencyExceptionCode } from './idempotency.exception';
import { canonicalJson, IDEMPOTENCY_TTL_MS, IdempotencyService, STALE_CLAIM_MS } from './idempotency.service';

const NOW = new Date('2026-11-26T08:00:00.000Z');
const SCOPE = { principal: 'api-key:k1', route: 'POST /api/tenants/t/backups', key: 'retry-1' };

describe(IdempotencyService.name, () => {
  let sut: IdempotencyService;
  let records: jest.Mocked<IdempotencyRepository>;
  let clock: FixedClock;

  /** The record a first request with `body` left behind. */
  async function recordOf(body: unknown, overrides: Partial<IdempotencyRecordEntity> = {}) {
    records.claim.mockResolvedValueOnce(true);
    await sut.begin(SCOPE, body);
    const claim = records.claim.mock.calls.at(-1)![0];
    return {
      ...claim,
      state: 'done',
      responseStatus: 202,
      responseBody: JSON.stringify({ runId: 'r1' }),
      ...overrides,
    } as IdempotencyRecordEntity;
  }

  beforeEach(() => {
    records = strictDouble<IdempotencyRepository>('IdempotencyRepository');
    clock = new FixedClock(NOW);
    sut = new IdempotencyService(records, clock);
  });

  it('lets the first request proceed once it has claimed the key for a day', async () => {
    records.claim.mockResolvedValue(true);

    const decision = await sut.begin(SCOPE, { types: ['users'] });

    expect(decision).toEqual({ kind: 'proceed', scopeHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(records.claim).toHaveBeenCalledWith(
      expect.objectContaining({
        principal: 'api-key:k1',
        route: SCOPE.route,
        createdAt: NOW,
        expiresAt: new Date(NOW.getTime() + IDEMPOTENCY_TTL_MS),
      }),
    );
  });

  it('keeps the keys of different principals and routes apart', async () => {
    records.claim.mockResolvedValue(true);

    const hashes = await Promise.all(
      [SCOPE, { ...SCOPE, principal: 'api-key:k2' }, { ...SCOPE, route: 'POST /api/tenants/u/backups' }].map(
        async (scope) => ((await sut.begin(scope, {})) as { scopeHash: string }).scopeHash,
      ),
    );

    expect(new Set(hashes).size).toBe(3);
  });

  it('replays the stored answer of a finished request with the same body (keys in any order)', async () => {
    const stored = await recordOf({ a: 1, b: [1, { c: 2, d: 3 }] });
    records.claim.mockResolvedValue(false);
    records.find.mockResolvedValue(stored);

    await expect(sut.begin(SCOPE, { b: [1, { d: 3, c: 2 }], a: 1 })).resolves.toEqual({
      kind: 'replay',
      status: 202,
      body: { runId: 'r1' },
    });
  });

  it('refuses the key with another body', async () => {
    const stored = await recordOf({});
    records.claim.mockResolvedValue(false);
    records.find.mockResolvedValue(stored);

    await expect(sut.begin(SCOPE, { types: ['users'] })).rejects.toMatchObject({
      code: IdempotencyExceptionCode.IDEMPOTENCY_KEY_REUSED,
    });
  });

  it('treats a missing body as an empty one', async () => {
    const stored = await recordOf(undefined);
    records.claim.mockResolvedValue(false);
    records.find.mockResolvedValue(stored);

    await expect(sut.begin(SCOPE, {})).resolves.toMatchObject({ kind: 'replay' });
  });

  it('answers "in progress" while the first request runs', async () => {
    const pending = await recordOf({}, { state: 'pending', responseStatus: null, responseBody: null });
    records.claim.mockResolvedValue(false);
    records.find.mockResolvedValue(pending);

    await expect(sut.begin(SCOPE, {})).rejects.toMatchObject({
      code: IdempotencyExceptionCode.IDEMPOTENCY_REQUEST_IN_PROGRESS,
    });
  });

  it('claims again a key whose record expired, or whose first request was abandoned', async () => {
    const expired = await recordOf({});
    const abandoned = await recordOf({}, { state: 'pending', responseStatus: null, responseBody: null });
    clock.set(new Date(NOW.getTime() + STALE_CLAIM_MS));
    records.find.mockResolvedValueOnce(abandoned);
    records.claim.mockResolvedValueOnce(false).mockResolvedValueOnce(true);
    records.removeStale.mockResolvedValue(true);

    await expect(sut.begin(SCOPE, { other: 'body' })).resolves.toMatchObject({ kind: 'proceed' });
    expect(records.removeStale).toHaveBeenCalledWith(expect.any(String), NOW);

    clock.set(new Date(NOW.getTime() + IDEMPOTENCY_TTL_MS));
    records.find.mockResolvedValueOnce(expired);
    records.claim.mockResolvedValueOnce(false).mockResolvedValueOnce(true);

    await expect(sut.begin(SCOPE, {})).resolves.toMatchObject({ kind: 'proceed' });
  });

  it.each(['', ' leading-space', 'x'.repeat(256), 'tab\there', 'ünïcode'])(
    'refuses the key %p',
    async (key) => {
      await expect(sut.begin({ ...SCOPE, key }, {})).rejects.toMatchObject({
        code: IdempotencyExceptionCode.IDEMPOTENCY_KEY_INVALID,
      });
    },
  );

  it('stores the answer as JSON, and frees the key of a failed request', async () => {
    records.complete.mockResolvedValue();
    records.release.mockResolvedValue();

    await sut.complete('h', 202, { runId: 'r1' });
    await sut.release('h');

    expect(records.complete).toHaveBeenCalledWith('h', 202, '{"runId":"r1"}');
    expect(records.release).toHaveBeenCalledWith('h');
  });
});

describe(canonicalJson.name, () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});
