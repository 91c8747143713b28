import { classifyGraphError, GraphRequestError, graphErrorFromResponse, parseGraphErrorBody } from './errors';

describe(GraphRequestError.name, () => {
  describe('classifyGraphError', () => {
    it.each([
      [429, undefined, 'throttled'],
      [503, 'Request_ThrottledTemporarily', 'throttled'],
      [503, 'serviceNotAvailable', 'server'],
      [504, undefined, 'server'],
      [404, 'Request_ResourceNotFound', 'notFound'],
      [403, 'Authorization_RequestDenied', 'forbidden'],
      [403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', 'licenseRequired'],
      [401, 'InvalidAuthenticationToken', 'unauthorized'],
      [400, 'Request_UnsupportedQuery', 'badRequest'],
      [400, 'Directory_ExpiredPageToken', 'expiredPageToken'],
      [400, 'syncStateNotFound', 'syncStateNotFound'],
      [400, 'resyncRequired', 'syncStateNotFound'],
      [410, undefined, 'syncStateNotFound'],
      [409, 'nameAlreadyExists', 'conflict'],
      [424, undefined, 'failedDependency'],
      [501, 'NotImplemented', 'notImplemented'],
      [500, 'generalException', 'server'],
      [undefined, undefined, 'network'],
    ] as const)('status %s with code %s is %s', (status, code, kind) => {
      expect(classifyGraphError(status, code)).toBe(kind);
    });

    it('never classifies by message text', () => {
      const sut = graphErrorFromResponse({
        method: 'GET',
        url: 'https://graph.microsoft.com/v1.0/users',
        status: 400,
        headers: {},
        body: {
          error: { code: 'Request_BadRequest', message: 'The specified page token value has expired' },
        },
      });
      expect(sut.kind).toBe('badRequest');
    });
  });

  describe('parseGraphErrorBody', () => {
    it('reads code, message and the nested innerError of the documented envelope', () => {
      expect(
        parseGraphErrorBody({
          error: {
            code: 'Authorization_RequestDenied',
            message: 'Insufficient privileges to complete the operation.',
            innerError: {
              'request-id': 'r-1',
              date: '2026-01-01T10:00:00',
              'client-request-id': 'c-1',
              innerError: { code: 'DeepCode' },
            },
          },
        }),
      ).toEqual({
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
        requestId: 'r-1',
        date: '2026-01-01T10:00:00',
        clientRequestId: 'c-1',
        innerCode: 'DeepCode',
      });
    });

    it('returns nothing for bodies that are not the envelope', () => {
      expect(parseGraphErrorBody('oops')).toEqual({});
      expect(parseGraphErrorBody(undefined)).toEqual({});
      expect(parseGraphErrorBody({ error: 'x' })).toEqual({});
    });
  });

  it('falls back to response headers for request id, client request id and date', () => {
    const sut = graphErrorFromResponse({
      method: 'PATCH',
      url: 'https://graph.microsoft.com/v1.0/users/1?$select=id',
      status: 503,
      headers: { 'request-id': 'hdr-req', date: 'Thu, 01 Jan 2026 00:00:00 GMT' },
      body: undefined,
      clientRequestId: 'sent-id',
      retryAfterMs: 2000,
    });
    expect(sut).toMatchObject({
      kind: 'server',
      status: 503,
      path: '/v1.0/users/1?$select=id',
      requestId: 'hdr-req',
      clientRequestId: 'sent-id',
      date: 'Thu, 01 Jan 2026 00:00:00 GMT',
      retryAfterMs: 2000,
      attempts: 1,
    });
    expect(sut.message).toContain('HTTP 503');
    expect(sut.withAttempts(4)).toMatchObject({ attempts: 4, requestId: 'hdr-req', kind: 'server' });
  });
});
