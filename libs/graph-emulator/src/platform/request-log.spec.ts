import { RequestLog, type LoggedRequest } from './request-log';

const entry = (n: number, extra: Partial<LoggedRequest> = {}): LoggedRequest => ({
  at: new Date(n).toISOString(),
  method: 'GET',
  path: `/v1.0/users/${n}`,
  url: `/v1.0/users/${n}`,
  status: 200,
  tenantId: 't',
  appId: 'a',
  requestId: String(n),
  batched: false,
  ...extra,
});

describe(RequestLog.name, () => {
  it('keeps only the newest entries up to its capacity', () => {
    const sut = new RequestLog(3);
    for (let n = 1; n <= 8; n++) sut.record(entry(n));

    expect(sut.list().map((e) => e.requestId)).toEqual(['6', '7', '8']);
    expect(sut.evictedCount).toBe(5);
  });

  it('counts writes and batch items but not batch envelopes', () => {
    const sut = new RequestLog();
    sut.record(entry(1));
    sut.record(entry(2, { method: 'POST', path: '/v1.0/$batch', url: '/v1.0/$batch' }));
    sut.record(entry(3, { method: 'DELETE', batched: true, batchItemId: '1' }));
    sut.record(entry(4, { method: 'POST', path: '/beta/users', url: '/beta/users' }));

    expect(sut.writes().map((e) => e.requestId)).toEqual(['3', '4']);
  });
});
