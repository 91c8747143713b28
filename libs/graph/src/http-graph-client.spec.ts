import { ManualClock } from '../test/support/manual-clock';
import { graphError, json, Responder, ScriptedTransport } from '../test/support/scripted-transport';
import { AccessTokenProvider } from './auth/access-token-provider';
import { GraphRequestError, GraphUsageError } from './errors';
import { GraphBatchRequest } from './graph-client';
import { DefaultGraphClientFactory } from './graph-client.factory';
import { HttpGraphClient, planBatches } from './http-graph-client';
import { GraphClientFactoryOptions } from './options';
import { TransportResponse } from './transport/graph-transport';

const TENANT = '11111111-2222-4333-8444-555555555555';
const BASE = 'https://graph.microsoft.com';

class StaticTokenProvider extends AccessTokenProvider {
  invalidations = 0;
  getAccessToken(): Promise<string> {
    return Promise.resolve('token');
  }
  getGrantedAppRoles(): Promise<string[]> {
    return Promise.resolve(['User.Read.All']);
  }
  invalidate(): void {
    this.invalidations++;
  }
}

const factories: DefaultGraphClientFactory[] = [];
afterEach(async () => {
  await Promise.all(factories.splice(0).map((factory) => factory.close()));
});

function build(respond: Responder, overrides: Partial<GraphClientFactoryOptions> = {}) {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'), true);
  const transport = new ScriptedTransport(clock, respond);
  const factory = new DefaultGraphClientFactory(
    {
      clientId: 'app',
      credential: { kind: 'secret', clientSecret: 'secret' },
      clock,
      random: () => 0.5,
      retry: { baseDelayMs: 1000 },
      ...overrides,
    },
    { tokenProvider: new StaticTokenProvider(), createTransport: () => transport },
  );
  factories.push(factory);
  return { sut: factory.forTenant(TENANT), factory, transport, clock };
}

async function collect<P>(pages: AsyncIterable<P>): Promise<P[]> {
  const out: P[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

function page(value: unknown[], extra: Record<string, unknown> = {}): TransportResponse {
  return json(200, { value, ...extra });
}

describe(HttpGraphClient.name, () => {
  describe('pages', () => {
    it('follows nextLink verbatim across pages, including an empty one, re-sending headers each time', async () => {
      const next1 = `${BASE}/v1.0/users?$top=2&$count=true&$skiptoken=X%2Fy%3D`;
      const next2 = `${BASE}/v1.0/users?$skiptoken=Z&$top=2&$count=true`;
      const { sut, transport } = build((request) => {
        if (request.url === next1) return page([], { '@odata.nextLink': next2 });
        if (request.url === next2) return page([{ id: '3' }]);
        return page([{ id: '1' }, { id: '2' }], { '@odata.count': 3, '@odata.nextLink': next1 });
      });
      const pages = await collect(
        sut.pages<{ id: string }>('/users', {
          headers: { ConsistencyLevel: 'eventual' },
          query: {
            $top: 2,
            $count: true,
            $select: 'id,displayName',
            $filter: "startswith(displayName,'A B')",
          },
        }),
      );
      expect(transport.sent.map((request) => request.url)).toEqual([
        `${BASE}/v1.0/users?$top=2&$count=true&$select=id,displayName&$filter=startswith(displayName,'A%20B')`,
        next1,
        next2,
      ]);
      expect(transport.sent.every((request) => request.headers['ConsistencyLevel'] === 'eventual')).toBe(
        true,
      );
      expect(pages.map((p) => [p.pageIndex, p.items.length, p.count, p.restarted])).toEqual([
        [0, 2, 3, false],
        [1, 0, 3, false],
        [2, 1, 3, false],
      ]);
      expect(pages[2]!.nextLink).toBeUndefined();
    });

    it('refuses a nextLink that leaves the configured Graph service', async () => {
      const { sut } = build(() =>
        page([], { '@odata.nextLink': 'https://evil.example/v1.0/users?$skiptoken=1' }),
      );
      await expect(collect(sut.pages('/users'))).rejects.toThrow(GraphUsageError);
    });

    it('restarts from the first page on an expired page token and says so', async () => {
      let failed = false;
      const next = `${BASE}/v1.0/users?$skiptoken=A`;
      const { sut, transport } = build((request) => {
        if (request.url === next) {
          if (!failed) {
            failed = true;
            return graphError(400, 'Directory_ExpiredPageToken');
          }
          return page([{ id: '2' }]);
        }
        return page([{ id: '1' }], { '@odata.nextLink': next });
      });
      const onRestart = jest.fn();
      const pages = await collect(sut.pages<{ id: string }>('/users', { onRestart }));
      expect(
        pages.map((p) => [p.pageIndex, p.items.map((item) => item.id), p.restarted, p.restartReason]),
      ).toEqual([
        [0, ['1'], false, undefined],
        [0, ['1'], true, 'expiredPageToken'],
        [1, ['2'], false, undefined],
      ]);
      expect(onRestart).toHaveBeenCalledWith(
        expect.objectContaining({ reason: 'expiredPageToken', restart: 1 }),
      );
      expect(transport.sent.map((request) => request.url)).toEqual([
        `${BASE}/v1.0/users`,
        next,
        `${BASE}/v1.0/users`,
        next,
      ]);
      await expect(sut.listAll('/users')).resolves.toEqual([{ id: '1' }, { id: '2' }]);
    });

    it('gives up after the configured number of restarts', async () => {
      const next = `${BASE}/v1.0/users?$skiptoken=A`;
      const { sut } = build((request) =>
        request.url === next
          ? graphError(400, 'Directory_ExpiredPageToken')
          : page([{ id: '1' }], { '@odata.nextLink': next }),
      );
      await expect(sut.listAll('/users')).rejects.toMatchObject({
        kind: 'expiredPageToken',
        code: 'Directory_ExpiredPageToken',
      });
    });

    it('rejects a response that is not a collection', async () => {
      const { sut } = build(() => json(200, { id: '1' }));
      await expect(collect(sut.pages('/users/1'))).rejects.toThrow('did not return a collection');
    });
  });

  describe('delta', () => {
    const initial = '/users/delta?$select=id,displayName';
    const stored = `${BASE}/v1.0/users/delta?$deltatoken=OLD`;

    it('resumes from a stored deltaLink and ends with the new one', async () => {
      const { sut, transport } = build((request) =>
        request.url === stored
          ? page([{ id: '1', '@removed': { reason: 'deleted' } }], {
              '@odata.nextLink': `${BASE}/v1.0/users/delta?$skiptoken=P2`,
            })
          : page([{ id: '2' }], { '@odata.deltaLink': `${BASE}/v1.0/users/delta?$deltatoken=NEW` }),
      );
      const pages = await collect(sut.delta(initial, { deltaLink: stored }));
      expect(transport.sent.map((request) => request.url)).toEqual([
        stored,
        `${BASE}/v1.0/users/delta?$skiptoken=P2`,
      ]);
      expect(pages.map((p) => [p.fullSync, p.restarted, p.deltaLink])).toEqual([
        [false, false, undefined],
        [false, false, `${BASE}/v1.0/users/delta?$deltatoken=NEW`],
      ]);
    });

    it.each([
      ['syncStateNotFound', () => graphError(400, 'syncStateNotFound')],
      ['resyncRequired', () => graphError(400, 'resyncRequired')],
      ['410 Gone', () => ({ ...graphError(410, 'Gone'), headers: { location: `${BASE}/v1.0/users/delta` } })],
    ])('falls back to a full sync when the delta token expired (%s)', async (_name, expired) => {
      const { sut, transport } = build((request) =>
        request.url === stored
          ? expired()
          : page([{ id: '9' }], { '@odata.deltaLink': `${BASE}/v1.0/users/delta?$deltatoken=FRESH` }),
      );
      const onRestart = jest.fn();
      const pages = await collect(sut.delta(initial, { deltaLink: stored, onRestart }));
      expect(transport.sent.map((request) => request.url)).toEqual([stored, `${BASE}/v1.0${initial}`]);
      expect(pages).toEqual([
        expect.objectContaining({
          fullSync: true,
          restarted: true,
          restartReason: 'syncStateNotFound',
          deltaLink: `${BASE}/v1.0/users/delta?$deltatoken=FRESH`,
        }),
      ]);
      expect(onRestart).toHaveBeenCalledWith(expect.objectContaining({ reason: 'syncStateNotFound' }));
    });

    it('does not loop when a full sync itself reports syncStateNotFound', async () => {
      const { sut } = build(() => graphError(400, 'syncStateNotFound'));
      await expect(collect(sut.delta(initial))).rejects.toMatchObject({ kind: 'syncStateNotFound' });
    });
  });

  describe('single requests', () => {
    it('returns JSON objects and text values', async () => {
      const { sut, transport } = build((request) =>
        request.url.endsWith('$count')
          ? { status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from('42') }
          : json(200, { id: 'u1' }),
      );
      await expect(sut.get('/users/u1', { version: 'beta' })).resolves.toEqual({ id: 'u1' });
      await expect(sut.get('/users/$count', { headers: { ConsistencyLevel: 'eventual' } })).resolves.toBe(
        '42',
      );
      expect(transport.sent[0]!.url).toBe(`${BASE}/beta/users/u1`);
    });

    it('raises typed errors with the Graph fields', async () => {
      const { sut } = build(() => graphError(403, 'Authorization_RequestDenied'));
      const error = (await sut.get('/users').catch((caught: unknown) => caught)) as GraphRequestError;
      expect(error).toBeInstanceOf(GraphRequestError);
      expect(error).toMatchObject({
        kind: 'forbidden',
        status: 403,
        code: 'Authorization_RequestDenied',
        requestId: 'req-Authorization_RequestDenied',
        path: '/v1.0/users',
      });
      expect(error.clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('writes JSON bodies and accepts 204', async () => {
      const { sut, transport } = build((request) =>
        request.method === 'POST'
          ? json(201, { id: 'new' })
          : { status: 204, headers: {}, body: Buffer.alloc(0) },
      );
      await expect(sut.post('/groups', { displayName: 'G' })).resolves.toEqual({ id: 'new' });
      await expect(sut.patch('/groups/new', { description: 'd' })).resolves.toBeUndefined();
      await expect(sut.delete('/groups/new')).resolves.toBeUndefined();
      expect(transport.sent.map((request) => [request.method, request.body ?? null])).toEqual([
        ['POST', '{"displayName":"G"}'],
        ['PATCH', '{"description":"d"}'],
        ['DELETE', null],
      ]);
    });

    it('rejects paths that are neither relative nor on the Graph service', async () => {
      const { sut } = build(() => json(200, {}));
      await expect(sut.get('users')).rejects.toThrow("must start with '/'");
      await expect(sut.get('https://login.microsoftonline.com/x')).rejects.toThrow(GraphUsageError);
    });
  });

  describe('batch', () => {
    function batchResponder(
      answer: (
        item: { id: string; method: string; url: string; dependsOn?: string[] },
        round: number,
      ) => Record<string, unknown>,
    ): Responder {
      let round = 0;
      return (request) => {
        round++;
        const { requests } = JSON.parse(request.body!) as {
          requests: Array<{ id: string; method: string; url: string; dependsOn?: string[] }>;
        };
        // Graph may answer in any order.
        return json(200, {
          responses: requests.map((item) => ({ id: item.id, ...answer(item, round) })).reverse(),
        });
      };
    }

    it('splits into envelopes of at most 20 and returns results by id in request order', async () => {
      const requests: GraphBatchRequest[] = Array.from({ length: 45 }, (_, n) => ({
        id: `r${n}`,
        method: 'GET',
        url: `/users/${n}`,
      }));
      const { sut, transport } = build(
        batchResponder((item) => ({ status: 200, headers: {}, body: { id: item.url.split('/')[2] } })),
      );
      const results = await sut.batch(requests);
      expect(
        transport.sent.map(
          (request) => (JSON.parse(request.body!) as { requests: unknown[] }).requests.length,
        ),
      ).toEqual([20, 20, 5]);
      expect(transport.sent.every((request) => request.url === `${BASE}/v1.0/$batch`)).toBe(true);
      expect([...results.keys()]).toEqual(requests.map((request) => request.id));
      expect(results.get('r44')).toEqual({ id: 'r44', status: 200, headers: {}, body: { id: '44' } });
    });

    it('retries throttled items alone after their Retry-After', async () => {
      const { sut, transport, clock } = build(
        batchResponder((item, round) =>
          item.id === 'b' && round === 1
            ? {
                status: 429,
                headers: { 'Retry-After': '3' },
                body: { error: { code: 'TooManyRequests', message: 'slow down' } },
              }
            : { status: 200, headers: {}, body: { ok: item.id } },
        ),
      );
      const start = clock.now();
      const results = await sut.batch([
        { id: 'a', method: 'GET', url: '/users/a' },
        { id: 'b', method: 'GET', url: '/users/b' },
      ]);
      expect(
        transport.sent.map((request) => [
          request.at - start,
          (JSON.parse(request.body!) as { requests: Array<{ id: string }> }).requests.map((item) => item.id),
        ]),
      ).toEqual([
        [0, ['a', 'b']],
        [3000, ['b']],
      ]);
      expect(results.get('b')).toMatchObject({ status: 200, body: { ok: 'b' } });
      expect(sut.metrics()).toMatchObject({ retries: 1, throttledResponses: 1, throttledWaitMs: 3000 });
    });

    it('retries dependants answered 424 together with their throttled dependency', async () => {
      const { sut, transport } = build(
        batchResponder((item, round) => {
          if (round === 1 && item.id === 'create') return { status: 429, headers: {}, body: {} };
          if (round === 1 && item.id === 'addOwner')
            return { status: 424, headers: {}, body: { error: { code: 'FailedDependency' } } };
          return { status: 204, headers: {} };
        }),
      );
      const results = await sut.batch([
        { id: 'first', method: 'PATCH', url: '/groups/1', body: { description: 'x' } },
        { id: 'create', method: 'PATCH', url: '/groups/2', body: { description: 'y' }, dependsOn: ['first'] },
        {
          id: 'addOwner',
          method: 'POST',
          url: '/groups/2/owners/$ref',
          body: { '@odata.id': 'x' },
          dependsOn: ['create'],
        },
      ]);
      const second = JSON.parse(transport.sent[1]!.body!) as { requests: Array<Record<string, unknown>> };
      expect(second.requests).toEqual([
        {
          id: 'create',
          method: 'PATCH',
          url: '/groups/2',
          body: { description: 'y' },
          headers: { 'Content-Type': 'application/json' },
        },
        {
          id: 'addOwner',
          method: 'POST',
          url: '/groups/2/owners/$ref',
          body: { '@odata.id': 'x' },
          headers: { 'Content-Type': 'application/json' },
          dependsOn: ['create'],
        },
      ]);
      expect([...results.values()].map((result) => result.status)).toEqual([204, 204, 204]);
    });

    it('keeps the throttled scope closed after giving up on a throttled item', async () => {
      const answerBatch = batchResponder(() => ({
        status: 429,
        headers: { 'retry-after': '9' },
        body: { error: { code: 'TooManyRequests' } },
      }));
      const { sut, transport, clock } = build(
        (request, index) => (request.url.endsWith('$batch') ? answerBatch(request, index) : json(200, {})),
        {
          retry: { maxTotalWaitMs: 5000 },
        },
      );
      const start = clock.now();
      const results = await sut.batch([{ id: 'a', method: 'GET', url: '/users/a' }]);
      expect(results.get('a')!.error).toMatchObject({ kind: 'throttled', retryAfterMs: 9000 });
      await sut.get('/users/b');
      expect(transport.sent.map((request) => [new URL(request.url).pathname, request.at - start])).toEqual([
        ['/v1.0/$batch', 0],
        ['/v1.0/users/b', 9000],
      ]);
    });

    it('keeps retrying items throttled 22 times in a row with Retry-After: 1 within the default wait budget', async () => {
      const { sut, transport, clock } = build(
        batchResponder((item, round) =>
          item.id === 'b' && round <= 22
            ? { status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'TooManyRequests' } } }
            : { status: 200, headers: {}, body: { ok: item.id } },
        ),
      );
      const start = clock.now();
      const results = await sut.batch([
        { id: 'a', method: 'GET', url: '/users/a' },
        { id: 'b', method: 'GET', url: '/users/b' },
      ]);
      expect(results.get('b')).toMatchObject({ status: 200, body: { ok: 'b' } });
      expect(transport.sent).toHaveLength(23);
      expect(clock.now() - start).toBe(22_000);
    });

    it('retries GET items answered 500 on their own, in a later batch', async () => {
      let attempts = 0;
      const { sut, transport } = build(
        batchResponder((item) => {
          if (item.id === 'flaky' && attempts++ === 0)
            return { status: 500, headers: {}, body: { error: { code: 'generalException' } } };
          return { status: 200, headers: {}, body: { id: item.id } };
        }),
      );
      const results = await sut.batch([
        { id: 'flaky', method: 'GET', url: '/users/flaky' },
        { id: 'fine', method: 'GET', url: '/users/fine' },
      ]);
      expect(results.get('flaky')).toMatchObject({ status: 200, body: { id: 'flaky' } });
      expect(results.get('fine')).toMatchObject({ status: 200, body: { id: 'fine' } });
      expect(transport.sent).toHaveLength(2);
    });

    it('reports items that keep failing with a typed error', async () => {
      const { sut } = build(
        batchResponder((item) =>
          item.method === 'POST'
            ? {
                status: 503,
                headers: {},
                body: { error: { code: 'serviceNotAvailable', innerError: { 'request-id': 'item-req' } } },
              }
            : { status: 404, headers: {}, body: { error: { code: 'Request_ResourceNotFound' } } },
        ),
      );
      const results = await sut.batch([
        { id: 'p', method: 'POST', url: '/groups', body: {} },
        { id: 'g', method: 'GET', url: '/users/missing' },
      ]);
      expect(results.get('p')!.error).toMatchObject({
        kind: 'server',
        status: 503,
        requestId: 'item-req',
        path: '/v1.0/groups',
      });
      expect(results.get('g')!.error).toMatchObject({ kind: 'notFound', code: 'Request_ResourceNotFound' });
    });
  });

  it('shares the throttle gate between clients of one tenant but keeps metrics apart', async () => {
    const { factory, transport, clock } = build((_request, index) =>
      index === 0 ? graphError(429, 'TooManyRequests', { 'retry-after': '4' }) : json(200, {}),
    );
    const start = clock.now();
    const first = factory.forTenant(TENANT);
    await first.get('/users/1');
    const second = factory.forTenant(TENANT);
    await second.get('/users/2');
    expect(transport.sent.map((request) => request.at - start)).toEqual([0, 4000, 4000]);
    expect(first.metrics().requests).toBe(2);
    expect(second.metrics().requests).toBe(1);
    expect(() => factory.forTenant('not a tenant')).toThrow('tenantId');
  });
});

describe(planBatches.name, () => {
  const request = (id: string, dependsOn?: string[]): GraphBatchRequest => ({
    id,
    method: 'GET',
    url: `/x/${id}`,
    dependsOn,
  });

  it('keeps dependsOn chains inside one envelope', () => {
    const requests = [
      ...Array.from({ length: 18 }, (_, n) => request(`s${n}`)),
      request('a'),
      request('b', ['a']),
      request('c', ['b']),
    ];
    const sut = planBatches(requests);
    expect(sut.map((batch) => batch.length)).toEqual([18, 3]);
    expect(sut[1]!.map((item) => item.id)).toEqual(['a', 'b', 'c']);
  });

  it('rejects duplicate ids (case-insensitive), unknown dependencies and chains over 20', () => {
    expect(() => planBatches([request('A'), request('a')])).toThrow("Batch request id 'a' is not unique");
    expect(() => planBatches([request('a', ['zz'])])).toThrow("depends on unknown id 'zz'");
    const chain = Array.from({ length: 21 }, (_, n) => request(`c${n}`, n === 0 ? undefined : [`c${n - 1}`]));
    expect(() => planBatches(chain)).toThrow('exceeds the Graph batch limit of 20');
    expect(() => planBatches([{ id: 'x', method: 'GET', url: 'users' }])).toThrow(
      "relative url starting with '/'",
    );
  });
});
