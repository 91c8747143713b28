import { ManualClock, settle } from '../test/support/manual-clock';
import { graphError, json, Responder, ScriptedTransport } from '../test/support/scripted-transport';
import { GraphAuthenticationError, GraphRequestError } from './errors';
import { GraphMetrics } from './metrics';
import { ExecuteRequest, RequestExecutor } from './request-executor';
import { DEFAULT_RETRY_OPTIONS, RetryOptions } from './resilience/retry-policy';
import { Semaphore } from './resilience/semaphore';
import { ThrottleGate } from './resilience/throttle-gate';

function build(
  respond: Responder,
  overrides: { retry?: Partial<RetryOptions>; concurrency?: number; autoAdvance?: boolean } = {},
) {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'), overrides.autoAdvance ?? true);
  const transport = new ScriptedTransport(clock, respond);
  const metrics = new GraphMetrics();
  const gate = new ThrottleGate(clock);
  const invalidateToken = jest.fn();
  const logger = { debug: jest.fn(), warn: jest.fn() };
  const sut = new RequestExecutor({
    transport,
    gate,
    semaphore: new Semaphore(overrides.concurrency ?? 4),
    clock,
    random: () => 0.5,
    retry: { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 1000, ...overrides.retry },
    metrics,
    logger,
    userAgent: 'entra-backup/test',
    invalidateToken,
  });
  return { sut, clock, transport, metrics, gate, invalidateToken, logger };
}

const get = (path = '/users'): ExecuteRequest => ({
  method: 'GET',
  url: `https://graph.microsoft.com/v1.0${path}`,
  headers: { ConsistencyLevel: 'eventual' },
  families: ['directory'],
  idempotent: true,
});

describe(RequestExecutor.name, () => {
  it('sends User-Agent and one client-request-id for all attempts, with Retry-Attempt on retries', async () => {
    const { sut, transport } = build((_request, index) =>
      index === 0 ? graphError(503, 'serviceNotAvailable') : json(200, {}),
    );
    await expect(sut.execute(get())).resolves.toMatchObject({ status: 200 });
    const [first, second] = transport.sent;
    expect(first!.headers).toMatchObject({ 'user-agent': 'entra-backup/test', ConsistencyLevel: 'eventual' });
    expect(first!.headers['retry-attempt']).toBeUndefined();
    expect(second!.headers['retry-attempt']).toBe('1');
    expect(second!.headers['client-request-id']).toBe(first!.headers['client-request-id']);
  });

  it('waits the Retry-After seconds of a 429 before the next attempt', async () => {
    const { sut, transport, clock, metrics } = build((_request, index) =>
      index === 0 ? graphError(429, 'TooManyRequests', { 'retry-after': '7' }) : json(200, { ok: true }),
    );
    const start = clock.now();
    await expect(sut.execute(get())).resolves.toMatchObject({ status: 200 });
    expect(transport.sent.map((request) => request.at - start)).toEqual([0, 7000]);
    expect(metrics.snapshot()).toMatchObject({
      requests: 2,
      retries: 1,
      throttledResponses: 1,
      throttledWaits: 1,
      throttledWaitMs: 7000,
    });
  });

  it('honours a Retry-After HTTP-date', async () => {
    const { sut, transport, clock } = build((_request, index) =>
      index === 0
        ? graphError(429, 'TooManyRequests', { 'retry-after': 'Thu, 01 Jan 2026 00:00:12 GMT' })
        : json(200, {}),
    );
    await expect(sut.execute(get())).resolves.toMatchObject({ status: 200 });
    expect(transport.sent[1]!.at).toBe(Date.parse('2026-01-01T00:00:12Z'));
    expect(clock.now()).toBe(Date.parse('2026-01-01T00:00:12Z'));
  });

  it('backs off exponentially with jitter when no Retry-After is given', async () => {
    const { sut, clock } = build((_request, index) =>
      index < 3 ? graphError(504, 'GatewayTimeout') : json(200, {}),
    );
    await expect(sut.execute(get())).resolves.toMatchObject({ status: 200 });
    expect(clock.sleeps).toEqual([750, 1500, 3000]);
  });

  it('keeps other requests of the tenant away from a throttled scope until Retry-After has passed', async () => {
    const { sut, transport, clock, gate } = build(
      (request) =>
        request.url.endsWith('/first') && transport.sent.length === 1
          ? graphError(429, 'TooManyRequests', { 'retry-after': '5' })
          : json(200, {}),
      { autoAdvance: false },
    );
    const start = clock.now();
    const first = sut.execute(get('/first'));
    await settle();
    expect(gate.remainingMs(['directory'])).toBe(5000);
    const second = sut.execute(get('/second'));
    const intune = sut.execute({ ...get('/deviceManagement/x'), families: ['intune'] });
    await clock.advance(4999);
    expect(transport.sent.map((request) => [new URL(request.url).pathname, request.at - start])).toEqual([
      ['/v1.0/first', 0],
      ['/v1.0/deviceManagement/x', 0],
    ]);
    await clock.advance(1);
    await Promise.all([first, second, intune]);
    expect(
      transport.sent.filter(
        (request) => request.at - start < 5000 && !request.url.includes('deviceManagement'),
      ),
    ).toHaveLength(1);
    expect(transport.sent).toHaveLength(4);
  });

  it('gives up with a typed error once the total wait would exceed the bound', async () => {
    const { sut, transport } = build(() => graphError(429, 'TooManyRequests', { 'retry-after': '30' }), {
      retry: { maxTotalWaitMs: 60_000, maxAttempts: 10 },
    });
    const error = await sut.execute(get()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({
      kind: 'throttled',
      status: 429,
      code: 'TooManyRequests',
      attempts: 3,
      retryAfterMs: 30_000,
      requestId: 'req-TooManyRequests',
    });
    expect(transport.sent).toHaveLength(3);
  });

  it('counts waits at a gate closed by other requests against the total bound', async () => {
    const { sut, transport, clock } = build(
      (request, index) => {
        if (request.url.endsWith('/second'))
          return graphError(429, 'TooManyRequests', { 'retry-after': '30' });
        return index === 0 ? graphError(429, 'TooManyRequests', { 'retry-after': '40' }) : json(200, {});
      },
      { autoAdvance: false, retry: { maxTotalWaitMs: 60_000 } },
    );
    const first = sut.execute(get('/first'));
    await settle();
    const second = sut.execute(get('/second')).catch((caught: unknown) => caught);
    await clock.advance(40_000);
    await expect(first).resolves.toMatchObject({ status: 200 });
    // /second waited 40 s at the gate; another 30 s would exceed the 60 s bound.
    await expect(second).resolves.toMatchObject({ kind: 'throttled', attempts: 1, retryAfterMs: 30_000 });
    expect(transport.sent.filter((request) => request.url.endsWith('/second'))).toHaveLength(1);
  });

  it('rides out a storm of 22 consecutive 429s with Retry-After: 1 under the default options', async () => {
    const { sut, transport, clock } = build(
      (_request, index) =>
        index < 22 ? graphError(429, 'TooManyRequests', { 'retry-after': '1' }) : json(200, { ok: true }),
      { retry: DEFAULT_RETRY_OPTIONS },
    );
    const start = clock.now();
    await expect(sut.execute(get())).resolves.toMatchObject({ status: 200 });
    expect(transport.sent).toHaveLength(23);
    expect(clock.now() - start).toBe(22_000);
  });

  it('bounds waits the service asked for by the wait budget, not by maxAttempts', async () => {
    const { sut, transport } = build(() => graphError(429, 'TooManyRequests', { 'retry-after': '2' }), {
      retry: { maxAttempts: 2, maxTotalWaitMs: 10_000 },
    });
    await expect(sut.execute(get())).rejects.toMatchObject({ kind: 'throttled', attempts: 6 });
    expect(transport.sent).toHaveLength(6);
  });

  it.each([
    ['no Retry-After', {}],
    ['a zero Retry-After', { 'retry-after': '0' }],
  ])('bounds 429s with %s by maxAttempts, so they cannot spin', async (_label, headers) => {
    const { sut, transport } = build(() => graphError(429, 'TooManyRequests', headers), {
      retry: { maxAttempts: 4 },
    });
    await expect(sut.execute(get())).rejects.toMatchObject({ kind: 'throttled', attempts: 4 });
    expect(transport.sent).toHaveLength(4);
  });

  it('gives up after maxAttempts', async () => {
    const { sut, transport } = build(() => graphError(503, 'serviceNotAvailable'), {
      retry: { maxAttempts: 3 },
    });
    await expect(sut.execute(get())).rejects.toMatchObject({ kind: 'server', status: 503, attempts: 3 });
    expect(transport.sent).toHaveLength(3);
  });

  it('does not repeat a POST after 503 or a dropped connection, but does after 429', async () => {
    const post: ExecuteRequest = { ...get(), method: 'POST', body: '{}', idempotent: false };
    const { sut: failing503 } = build(() => graphError(503, 'serviceNotAvailable'));
    await expect(failing503.execute(post)).rejects.toMatchObject({ kind: 'server', attempts: 1 });
    const { sut: dropped } = build(() => {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    });
    await expect(dropped.execute(post)).rejects.toMatchObject({ kind: 'network', attempts: 1 });
    const { sut: throttled, transport } = build((_request, index) =>
      index === 0 ? graphError(429, 'TooManyRequests') : json(201, { id: '1' }),
    );
    await expect(throttled.execute(post)).resolves.toMatchObject({ status: 201 });
    expect(transport.sent[0]!.headers['content-type']).toBe('application/json');
  });

  it.each([500, 502])('retries a GET answered %d, but never a POST', async (status) => {
    const { sut: reader, transport } = build((_request, index) =>
      index === 0 ? graphError(status, 'generalException') : json(200, { value: [] }),
    );
    await expect(reader.execute(get())).resolves.toMatchObject({ status: 200 });
    expect(transport.sent).toHaveLength(2);
    const post: ExecuteRequest = { ...get(), method: 'POST', body: '{}', idempotent: false };
    const { sut: writer, transport: writes } = build(() => graphError(status, 'generalException'));
    await expect(writer.execute(post)).rejects.toMatchObject({ kind: 'server', status, attempts: 1 });
    expect(writes.sent).toHaveLength(1);
  });

  it('retries connection drops of idempotent requests', async () => {
    const { sut, metrics } = build((_request, index) => {
      if (index === 0)
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
        });
      return json(200, {});
    });
    await expect(sut.execute(get())).resolves.toMatchObject({ status: 200 });
    expect(metrics.snapshot()).toMatchObject({ requests: 2, retries: 1, throttledWaits: 0 });
  });

  it('does not retry a connection error that will not go away', async () => {
    const { sut, transport } = build(() => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      });
    });
    await expect(sut.execute(get())).rejects.toMatchObject({
      kind: 'network',
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(transport.sent).toHaveLength(1);
  });

  it('renews the token once after a 401', async () => {
    const { sut, invalidateToken, transport } = build(() => graphError(401, 'InvalidAuthenticationToken'));
    await expect(sut.execute(get())).rejects.toMatchObject({ kind: 'unauthorized', attempts: 2 });
    expect(invalidateToken).toHaveBeenCalledTimes(1);
    expect(transport.sent).toHaveLength(2);
  });

  it('does not retry other client errors', async () => {
    const { sut, transport } = build(() => graphError(404, 'Request_ResourceNotFound'));
    await expect(sut.execute(get())).rejects.toMatchObject({
      kind: 'notFound',
      code: 'Request_ResourceNotFound',
    });
    expect(transport.sent).toHaveLength(1);
  });

  it('passes authentication failures through unchanged', async () => {
    const failure = new GraphAuthenticationError('bad secret', 't', 'invalid_client', false);
    const { sut } = build(() => {
      throw failure;
    });
    await expect(sut.execute(get())).rejects.toBe(failure);
  });

  it('keeps at most the configured number of requests in flight', async () => {
    const gates: Array<() => void> = [];
    const { sut, transport } = build(
      () => new Promise((resolve) => gates.push(() => resolve(json(200, {})))),
      { concurrency: 2 },
    );
    const all = Promise.all([1, 2, 3, 4, 5].map((n) => sut.execute(get(`/u${n}`))));
    for (let round = 0; round < 5; round++) {
      await settle();
      expect(transport.inFlight).toBeLessThanOrEqual(2);
      gates.shift()?.();
    }
    await all;
    expect(transport.maxInFlight).toBe(2);
    expect(transport.sent).toHaveLength(5);
  });

  it('counts received bytes', async () => {
    const { sut, metrics } = build(() => json(200, { value: 'x'.repeat(100) }));
    await sut.execute(get());
    expect(metrics.snapshot().bytesReceived).toBe(JSON.stringify({ value: 'x'.repeat(100) }).length);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const { sut } = build(() => graphError(429, 'TooManyRequests', { 'retry-after': '60' }), {
      autoAdvance: false,
    });
    const pending = sut.execute({ ...get(), signal: controller.signal });
    await settle();
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
  });
});
