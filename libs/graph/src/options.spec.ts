import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertTenantId, GraphConfigurationError, resolveGraphOptions } from './options';
import { DEFAULT_USER_AGENT, PRODUCT_VERSION } from './version';

describe(resolveGraphOptions.name, () => {
  const valid = { clientId: 'app-id', credential: { kind: 'secret' as const, clientSecret: 's3cret' } };

  it('fills the documented defaults of the real service', () => {
    const sut = resolveGraphOptions(valid);
    expect(sut).toMatchObject({
      graphBaseUrl: 'https://graph.microsoft.com',
      loginBaseUrl: 'https://login.microsoftonline.com',
      scope: 'https://graph.microsoft.com/.default',
      defaultVersion: 'v1.0',
      maxConcurrency: 4,
      userAgent: DEFAULT_USER_AGENT,
      caCertificates: undefined,
    });
  });

  it('normalises base URLs without trailing slashes', () => {
    const sut = resolveGraphOptions({
      ...valid,
      graphBaseUrl: 'https://127.0.0.1:8443/',
      loginBaseUrl: 'https://login.example.test//',
    });
    expect(sut.graphBaseUrl).toBe('https://127.0.0.1:8443');
    expect(sut.loginBaseUrl).toBe('https://login.example.test');
  });

  it('lists every problem in one error', () => {
    let error: unknown;
    try {
      resolveGraphOptions({
        clientId: '',
        credential: { kind: 'certificate', thumbprintSha256: 'abc', privateKey: 'nope' },
        graphBaseUrl: 'http://graph.local',
        maxConcurrency: 0,
        caCertificates: ['not a pem'],
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GraphConfigurationError);
    expect((error as GraphConfigurationError).problems).toEqual([
      "graphBaseUrl must use https, got 'http://graph.local'",
      'clientId is required',
      'credential.thumbprintSha256 must be 64 hex characters',
      'credential.privateKey must be a PEM private key',
      'caCertificates[0] is not a PEM certificate',
      'maxConcurrency must be a positive integer, got 0',
    ]);
  });

  it('never echoes the client secret in errors', () => {
    expect(() => resolveGraphOptions({ ...valid, clientId: ' ', scope: 'User.Read' })).toThrow(
      GraphConfigurationError,
    );
    try {
      resolveGraphOptions({ ...valid, clientId: ' ', scope: 'User.Read' });
    } catch (error) {
      expect(String(error)).not.toContain('s3cret');
    }
  });

  it('accepts GUID and domain tenant ids only', () => {
    expect(() => assertTenantId('0f0e0d0c-0b0a-4999-8888-777766665555')).not.toThrow();
    expect(() => assertTenantId('contoso.onmicrosoft.com')).not.toThrow();
    expect(() => assertTenantId('../common')).toThrow('tenantId must be a GUID or a domain name');
    expect(() => assertTenantId('')).toThrow(GraphConfigurationError);
  });

  it('sends the product version of package.json in the User-Agent', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(PRODUCT_VERSION).toBe(pkg.version);
    expect(DEFAULT_USER_AGENT).toBe(`entra-backup/${pkg.version}`);
  });
});
