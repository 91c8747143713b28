import { redactHeaders } from './logger';

describe(redactHeaders.name, () => {
  it('replaces credentials whatever the header casing and keeps the rest', () => {
    expect(
      redactHeaders({
        Authorization: 'Bearer eyJ0',
        'proxy-authorization': 'Basic x',
        Cookie: 'a=b',
        'client-request-id': 'c1',
      }),
    ).toEqual({
      Authorization: '[redacted]',
      'proxy-authorization': '[redacted]',
      Cookie: '[redacted]',
      'client-request-id': 'c1',
    });
  });
});
