import { publicUrlRedirect } from './public-origin';

describe(publicUrlRedirect.name, () => {
  const path = '/api/auth/login?returnTo=%2Fsettings';

  it.each([
    ['http://localhost:3000', '127.0.0.1:3000', 'http://localhost:3000'],
    ['http://127.0.0.1:3000', 'localhost:3000', 'http://127.0.0.1:3000'],
    ['http://localhost:3000/', '[::1]:3000', 'http://localhost:3000'],
  ])('sends %s opened as %s to the public URL', (publicUrl, host, origin) => {
    expect(publicUrlRedirect(publicUrl, host, path)).toBe(`${origin}${path}`);
  });

  it.each([
    ['the public host itself', 'http://localhost:3000', 'localhost:3000'],
    ['another port (a proxy or a test client)', 'http://localhost:3000', '127.0.0.1:54321'],
    ['a non-loopback name', 'http://localhost:3000', 'backup.internal:3000'],
    ['a public URL that is not loopback', 'https://backup.contoso.com', '127.0.0.1'],
    ['no Host header', 'http://localhost:3000', undefined],
    ['a malformed Host header', 'http://localhost:3000', 'a b:c'],
  ])('leaves %s alone', (_case, publicUrl, host) => {
    expect(publicUrlRedirect(publicUrl, host, path)).toBeUndefined();
  });
});
