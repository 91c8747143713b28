import { DefaultGraphClientFactory } from '../src/graph-client.factory';
import { GraphClientFactoryOptions } from '../src/options';
import { GraphAuthenticationError, GraphRequestError } from '../src/errors';
import { GraphBatchRequest } from '../src/graph-client';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  FakeGraphServer,
  graphErrorBody,
  RecordedRequest,
  Reply,
} from './support/fake-graph-server';
import { ManualClock } from './support/manual-clock';
import { createClientCertificate, createTestPki, TestPki } from './support/test-pki';

const TENANT = '0a1b2c3d-0000-4000-8000-00000000abcd';
const START = Date.parse('2026-01-01T00:00:00Z');

// Real HTTPS and key generation: allow for a busy machine.
jest.setTimeout(20_000);

let pki: TestPki;
let server: FakeGraphServer;
let clock: ManualClock;
let factory: DefaultGraphClientFactory | undefined;
const logs: string[] = [];

beforeAll(() => {
  pki = createTestPki();
});

beforeEach(async () => {
  clock = new ManualClock(START, true);
  server = await FakeGraphServer.start(pki, clock);
  logs.length = 0;
});

afterEach(async () => {
  await factory?.close();
  factory = undefined;
  await server.close();
});

function client(overrides: Partial<GraphClientFactoryOptions> = {}) {
  factory = new DefaultGraphClientFactory({
    clientId: CLIENT_ID,
    credential: { kind: 'secret', clientSecret: CLIENT_SECRET },
    graphBaseUrl: server.graphBaseUrl,
    loginBaseUrl: server.loginBaseUrl,
    caCertificates: [pki.caPem],
    clock,
    random: () => 0.5,
    logger: {
      debug: (message, context) => logs.push(`${message} ${JSON.stringify(context ?? {})}`),
      warn: (message, context) => logs.push(`${message} ${JSON.stringify(context ?? {})}`),
    },
    ...overrides,
  });
  return factory.forTenant(TENANT);
}

function pathOf(request: RecordedRequest): string {
  return request.url;
}

/** Lets I/O run until `condition` holds; fails instead of spinning forever. */
async function waitFor(condition: () => boolean, rounds = 2000): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not reached');
}

async function drain<P>(pages: AsyncIterable<P>): Promise<P[]> {
  const out: P[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe(DefaultGraphClientFactory.name, () => {
  describe('authentication', () => {
    it('gets an app-only token by client credentials once and reuses it for every request', async () => {
      server.handler = () => ({ status: 200, body: { id: 'u' } });
      const sut = client();
      await Promise.all([sut.get('/users/1'), sut.get('/users/2'), sut.get('/users/3')]);
      await sut.get('/users/4');
      expect(server.tokenRequests).toHaveLength(1);
      expect(server.tokenRequests[0]).toMatchObject({
        client_id: CLIENT_ID,
        grant_type: 'client_credentials',
        scope: 'https://graph.microsoft.com/.default',
      });
      expect(new Set(server.graphRequests.map((request) => request.headers.authorization))).toEqual(
        new Set([`Bearer ${server.issuedTokens[0]}`]),
      );
    });

    it('refreshes the token when it nears expiry', async () => {
      server.handler = () => ({ status: 200, body: {} });
      const sut = client();
      await sut.get('/users/1');
      clock.sleep(3599_000 - 299_000).catch(() => undefined);
      await sut.get('/users/2');
      expect(server.tokenRequests).toHaveLength(2);
      expect(server.graphRequests[1]!.headers.authorization).toBe(`Bearer ${server.issuedTokens[1]}`);
    });

    it('authenticates with a certificate credential (signed client assertion)', async () => {
      const certificate = createClientCertificate();
      server.clientCertificate = {
        publicKeyPem: certificate.publicKeyPem,
        thumbprintSha256: certificate.thumbprintSha256,
      };
      server.handler = () => ({ status: 200, body: {} });
      const sut = client({
        credential: {
          kind: 'certificate',
          thumbprintSha256: certificate.thumbprintSha256,
          privateKey: certificate.privateKeyPem,
          x5c: certificate.certificatePem,
        },
      });
      await expect(sut.get('/organization')).resolves.toEqual({});
      expect(server.tokenRequests[0]!['client_secret']).toBeUndefined();
    });

    it('exposes the granted app roles of the tenant', async () => {
      server.roles = ['User.Read.All', 'Device.Read.All'];
      client();
      await expect(factory!.getGrantedAppRoles(TENANT)).resolves.toEqual([
        'User.Read.All',
        'Device.Read.All',
      ]);
    });

    it('fails with an authentication error for a wrong secret, without logging it', async () => {
      const sut = client({ credential: { kind: 'secret', clientSecret: 'wrong-secret-123' } });
      const error = await sut.get('/users').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GraphAuthenticationError);
      expect(String(error)).toContain('AADSTS7000215');
      expect(server.graphRequests).toHaveLength(0);
      expect(logs.join('\n')).not.toContain('wrong-secret-123');
    });

    it('does not trust the private CA unless configured', async () => {
      server.handler = () => ({ status: 200, body: {} });
      const sut = client({ caCertificates: undefined });
      await expect(sut.get('/users')).rejects.toBeInstanceOf(GraphAuthenticationError);
    });

    it('never logs tokens or the secret', async () => {
      let calls = 0;
      server.handler = () =>
        ++calls === 1
          ? { status: 503, body: graphErrorBody('serviceNotAvailable', 'busy') }
          : { status: 200, body: {} };
      const sut = client();
      await sut.get('/users');
      const text = logs.join('\n');
      expect(text).toContain('retrying');
      for (const token of server.issuedTokens) expect(text).not.toContain(token);
      expect(text).not.toContain(CLIENT_SECRET);
    });
  });

  describe('paging', () => {
    it('drains pages including an empty one, re-sending ConsistencyLevel, with the count of the first page', async () => {
      server.handler = (request) => {
        const base = server.graphBaseUrl;
        if (request.url.includes('$skiptoken=p2'))
          return {
            status: 200,
            body: { value: [], '@odata.nextLink': `${base}/v1.0/users?$skiptoken=p3&$count=true` },
          };
        if (request.url.includes('$skiptoken=p3')) return { status: 200, body: { value: [{ id: 'c' }] } };
        return {
          status: 200,
          body: {
            '@odata.count': 3,
            value: [{ id: 'a' }, { id: 'b' }],
            '@odata.nextLink': `${base}/v1.0/users?$count=true&$skiptoken=p2`,
          },
        };
      };
      const sut = client();
      const pages = await drain(
        sut.pages<{ id: string }>('/users', {
          query: { $count: true, $top: 2 },
          headers: { ConsistencyLevel: 'eventual' },
        }),
      );
      expect(pages.map((page) => [page.items.map((item) => item.id), page.count])).toEqual([
        [['a', 'b'], 3],
        [[], 3],
        [['c'], 3],
      ]);
      expect(server.graphRequests.map(pathOf)).toEqual([
        '/v1.0/users?$count=true&$top=2',
        '/v1.0/users?$count=true&$skiptoken=p2',
        '/v1.0/users?$skiptoken=p3&$count=true',
      ]);
      expect(
        server.graphRequests.every((request) => request.headers['consistencylevel'] === 'eventual'),
      ).toBe(true);
      expect(
        server.graphRequests.every((request) => request.headers['user-agent'] === 'entra-backup/0.1.0'),
      ).toBe(true);
      expect(
        server.graphRequests.every((request) =>
          /^[0-9a-f-]{36}$/.test(String(request.headers['client-request-id'])),
        ),
      ).toBe(true);
    });

    it('restarts the enumeration after an expired page token', async () => {
      let expired = false;
      server.handler = (request) => {
        if (request.url.includes('$skiptoken=2')) {
          if (!expired) {
            expired = true;
            return {
              status: 400,
              body: graphErrorBody(
                'Directory_ExpiredPageToken',
                'The specified page token value has expired and can no longer be included in your request.',
              ),
            };
          }
          return { status: 200, body: { value: [{ id: 'b' }] } };
        }
        return {
          status: 200,
          body: { value: [{ id: 'a' }], '@odata.nextLink': `${server.graphBaseUrl}/v1.0/users?$skiptoken=2` },
        };
      };
      const sut = client();
      const pages = await drain(sut.pages<{ id: string }>('/users'));
      expect(pages.map((page) => [page.restarted, page.items.map((item) => item.id)])).toEqual([
        [false, ['a']],
        [true, ['a']],
        [false, ['b']],
      ]);
    });
  });

  describe('throttling and transient failures', () => {
    function throttleOnce(retryAfter: (now: number) => string): { deadlines: number[] } {
      const state = { deadlines: [] as number[] };
      server.handler = (request) => {
        if (state.deadlines.length === 0) {
          state.deadlines.push(request.at + 3000);
          return {
            status: 429,
            headers: { 'retry-after': retryAfter(request.at) },
            body: graphErrorBody('TooManyRequests', 'Too many requests'),
          };
        }
        return { status: 200, body: { ok: true } };
      };
      return state;
    }

    it('waits Retry-After seconds after a 429 and sends nothing earlier', async () => {
      const state = throttleOnce(() => '3');
      const sut = client();
      await expect(sut.get('/users/x')).resolves.toEqual({ ok: true });
      expect(server.graphRequests).toHaveLength(2);
      expect(server.graphRequests[1]!.at).toBeGreaterThanOrEqual(state.deadlines[0]!);
      expect(sut.metrics()).toMatchObject({
        requests: 2,
        retries: 1,
        throttledResponses: 1,
        throttledWaitMs: 3000,
      });
    });

    it('honours a Retry-After HTTP-date', async () => {
      const state = throttleOnce((now) => new Date(now + 3000).toUTCString());
      const sut = client();
      await expect(sut.get('/users/x')).resolves.toEqual({ ok: true });
      expect(server.graphRequests[1]!.at).toBeGreaterThanOrEqual(state.deadlines[0]!);
    });

    it('keeps concurrent requests of the tenant away until the throttled scope reopens', async () => {
      const manual = new ManualClock(START, false);
      clock = manual;
      await server.close();
      server = await FakeGraphServer.start(pki, manual);
      let throttled = false;
      let deadline = 0;
      server.handler = (request) => {
        if (!throttled) {
          throttled = true;
          deadline = request.at + 10_000;
          return {
            status: 429,
            headers: { 'retry-after': '10' },
            body: graphErrorBody('TooManyRequests', 'slow down'),
          };
        }
        return { status: 200, body: {} };
      };
      const sut = client({ clock: manual });
      const first = sut.get('/users/1');
      await waitFor(() => throttled && manual.pendingSleeps > 0);
      const others = Promise.all([sut.get('/users/2'), sut.get('/groups/3')]);
      await manual.advance(9_999);
      expect(server.graphRequests).toHaveLength(1);
      await manual.advance(1);
      await Promise.all([first, others]);
      expect(server.graphRequests).toHaveLength(4);
      expect(server.graphRequests.slice(1).every((request) => request.at >= deadline)).toBe(true);
    });

    it('retries 503 and 504 with backoff', async () => {
      let calls = 0;
      server.handler = () => {
        calls++;
        if (calls === 1) return { status: 503, body: graphErrorBody('serviceNotAvailable', 'busy') };
        if (calls === 2) return { status: 504, body: graphErrorBody('GatewayTimeout', 'timeout') };
        return { status: 200, body: { id: 'ok' } };
      };
      const sut = client();
      await expect(sut.get('/users/1')).resolves.toEqual({ id: 'ok' });
      expect(clock.sleeps).toEqual([750, 1500]);
    });

    it('retries after the connection drops', async () => {
      let calls = 0;
      server.handler = () => (++calls === 1 ? 'drop' : { status: 200, body: { id: 'ok' } });
      const sut = client();
      await expect(sut.get('/users/1')).resolves.toEqual({ id: 'ok' });
      expect(server.graphRequests).toHaveLength(2);
      expect(sut.metrics().retries).toBe(1);
    });

    it('gives up within the bounded total and reports a typed error', async () => {
      server.handler = () => ({
        status: 429,
        headers: { 'retry-after': '20' },
        body: graphErrorBody('TooManyRequests', 'slow', 'req-429'),
      });
      const sut = client({ retry: { maxTotalWaitMs: 45_000 } });
      const error = (await sut.get('/users/1').catch((caught: unknown) => caught)) as GraphRequestError;
      expect(error).toBeInstanceOf(GraphRequestError);
      expect(error).toMatchObject({
        kind: 'throttled',
        status: 429,
        code: 'TooManyRequests',
        requestId: 'req-429',
        attempts: 3,
        retryAfterMs: 20_000,
      });
      expect(server.graphRequests).toHaveLength(3);
    });

    it('bounds the requests in flight per tenant', async () => {
      const total = 10;
      const waiting: Array<() => void> = [];
      let arrived = 0;
      server.handler = () =>
        new Promise<Reply>((resolve) => {
          arrived++;
          waiting.push(() => resolve({ status: 200, body: {} }));
          // Answer one request whenever the bound is reached (or nothing more can arrive).
          if (server.inFlight >= 3 || arrived === total) waiting.shift()!();
          if (arrived === total) waiting.splice(0).forEach((release) => release());
        });
      const sut = client({ maxConcurrency: 3 });
      await Promise.all(Array.from({ length: total }, (_, n) => sut.get(`/users/${n}`)));
      expect(server.maxInFlight).toBe(3);
    });
  });

  describe('errors', () => {
    it('reports the client-request-id that was sent, for correlation with Microsoft support', async () => {
      server.handler = () => ({
        status: 404,
        body: { error: { code: 'Request_ResourceNotFound', message: 'gone' } },
      });
      const sut = client();
      const error = (await sut.get('/users/missing').catch((caught: unknown) => caught)) as GraphRequestError;
      expect(error).toMatchObject({ kind: 'notFound', requestId: 'srv-1' });
      expect(error.clientRequestId).toBe(server.graphRequests[0]!.headers['client-request-id']);
    });

    it('maps the documented error envelope onto typed fields', async () => {
      server.handler = () => ({
        status: 403,
        body: {
          error: {
            code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
            message: "Neither tenant is B2C or tenant doesn't have premium license",
            innerError: { date: '2026-01-01T10:17:05', 'request-id': 'a1b2', 'client-request-id': 'c3d4' },
          },
        },
      });
      const sut = client();
      const error = (await sut
        .get('/auditLogs/signIns')
        .catch((caught: unknown) => caught)) as GraphRequestError;
      expect(error).toMatchObject({
        kind: 'licenseRequired',
        status: 403,
        code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        requestId: 'a1b2',
        clientRequestId: 'c3d4',
        date: '2026-01-01T10:17:05',
        path: '/v1.0/auditLogs/signIns',
        attempts: 1,
      });
    });
  });

  describe('delta', () => {
    it('resumes from a stored deltaLink and falls back to a full sync on syncStateNotFound and 410', async () => {
      const base = server.graphBaseUrl;
      server.handler = (request) => {
        if (request.url.includes('$deltatoken=expired'))
          return { status: 400, body: graphErrorBody('syncStateNotFound', 'expired') };
        if (request.url.includes('$deltatoken=gone'))
          return {
            status: 410,
            headers: { location: `${base}/v1.0/users/delta?$select=id` },
            body: graphErrorBody('resyncRequired', 'gone'),
          };
        if (request.url.includes('$deltatoken=good'))
          return {
            status: 200,
            body: {
              value: [{ id: 'changed' }],
              '@odata.deltaLink': `${base}/v1.0/users/delta?$deltatoken=next`,
            },
          };
        if (request.url.includes('$skiptoken=s2'))
          return {
            status: 200,
            body: { value: [{ id: 'b' }], '@odata.deltaLink': `${base}/v1.0/users/delta?$deltatoken=good` },
          };
        return {
          status: 200,
          body: { value: [{ id: 'a' }], '@odata.nextLink': `${base}/v1.0/users/delta?$skiptoken=s2` },
        };
      };
      const sut = client();
      const full = await drain(sut.delta<{ id: string }>('/users/delta?$select=id'));
      expect(full.map((page) => [page.fullSync, page.items.length])).toEqual([
        [true, 1],
        [true, 1],
      ]);
      const deltaLink = full.at(-1)!.deltaLink!;
      const resumed = await drain(sut.delta('/users/delta?$select=id', { deltaLink }));
      expect(resumed).toEqual([
        expect.objectContaining({
          fullSync: false,
          restarted: false,
          deltaLink: `${base}/v1.0/users/delta?$deltatoken=next`,
        }),
      ]);
      for (const token of ['expired', 'gone']) {
        const fallback = await drain(
          sut.delta('/users/delta?$select=id', {
            deltaLink: `${base}/v1.0/users/delta?$deltatoken=${token}`,
          }),
        );
        expect(fallback[0]).toMatchObject({
          fullSync: true,
          restarted: true,
          restartReason: 'syncStateNotFound',
        });
        expect(fallback.at(-1)!.deltaLink).toBe(`${base}/v1.0/users/delta?$deltatoken=good`);
      }
    });
  });

  describe('batch', () => {
    interface Item {
      id: string;
      method: string;
      url: string;
      dependsOn?: string[];
    }

    function batchServer(answer: (item: Item, round: number) => Reply): { envelopes: Item[][] } {
      const state = { envelopes: [] as Item[][] };
      server.handler = (request) => {
        if (request.url !== '/v1.0/$batch' || request.method !== 'POST')
          return { status: 404, body: graphErrorBody('Request_ResourceNotFound', 'no') };
        const { requests } = JSON.parse(request.body) as { requests: Item[] };
        if (requests.length > 20)
          return { status: 400, body: graphErrorBody('Request_BadRequest', 'too many') };
        state.envelopes.push(requests);
        const round = state.envelopes.length;
        return {
          status: 200,
          body: { responses: requests.map((item) => ({ id: item.id, ...answer(item, round) })) },
        };
      };
      return state;
    }

    it('splits at 20, retries throttled items after their Retry-After and keeps dependsOn', async () => {
      const throttledAt: number[] = [];
      const seen = new Set<string>();
      const state = batchServer((item): Reply => {
        const first = !seen.has(item.id);
        seen.add(item.id);
        if (first && (item.id === 'm3' || item.id === 'parent')) {
          throttledAt.push(clock.now());
          return {
            status: 429,
            headers: { 'Retry-After': '2' },
            body: graphErrorBody('TooManyRequests', 'slow'),
          };
        }
        if (first && item.id === 'child')
          return { status: 424, body: graphErrorBody('FailedDependency', 'dependency failed') };
        return {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
          body: { value: [{ id: `${item.id}-member` }] },
        };
      });
      const requests: GraphBatchRequest[] = [
        ...Array.from({ length: 20 }, (_, n) => ({
          id: `m${n}`,
          method: 'GET' as const,
          url: `/groups/${n}/members?$select=id`,
        })),
        { id: 'parent', method: 'GET', url: '/groups/p' },
        { id: 'child', method: 'GET', url: '/groups/p/owners', dependsOn: ['parent'] },
      ];
      const sut = client();
      const results = await sut.batch(requests);
      const envelopes = state.envelopes.map((envelope) =>
        envelope
          .map((item) => item.id)
          .sort()
          .join(','),
      );
      expect(envelopes.filter((ids) => ids.split(',').length === 20)).toHaveLength(1);
      expect(envelopes.filter((ids) => ids.split(',').length < 20).sort()).toEqual([
        'child,parent',
        'child,parent',
        'm3',
      ]);
      expect(
        state.envelopes
          .flat()
          .filter((item) => item.id === 'child')
          .every((item) => item.dependsOn?.[0] === 'parent'),
      ).toBe(true);
      expect([...results.values()].every((result) => result.status === 200)).toBe(true);
      const retried = server.graphRequests.filter(
        (request) => request.body.includes('"m3"') && !request.body.includes('"m4"'),
      );
      expect(retried[0]!.at).toBeGreaterThanOrEqual(throttledAt[0]! + 2000);
    });
  });
});
