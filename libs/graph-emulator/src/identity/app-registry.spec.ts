import { AppRegistrationError, AppRegistry, type RegisteredApp } from './app-registry';

const app: RegisteredApp = {
  clientId: 'AAAAAAAA-0000-4000-8000-00000000000A',
  clientSecret: 'secret-value',
  displayName: 'Backup',
  redirectUris: ['http://localhost:3000/auth/callback', 'https://backup.example.com/auth/callback'],
  requiredAppRoles: ['User.Read.All'],
};

describe(AppRegistry.name, () => {
  let sut: AppRegistry;

  beforeEach(() => {
    sut = new AppRegistry([app]);
  });

  it('finds apps by client id case-insensitively and never lists secrets', () => {
    expect(sut.get('aaaaaaaa-0000-4000-8000-00000000000a')?.displayName).toBe('Backup');
    expect(JSON.stringify(sut.list())).not.toContain('secret-value');
  });

  it('matches redirect URIs exactly, except for the port of loopback URIs', () => {
    const registered = sut.get(app.clientId)!;

    expect(sut.redirectUriAllowed(registered, 'https://backup.example.com/auth/callback')).toBe(true);
    expect(sut.redirectUriAllowed(registered, 'https://backup.example.com/auth/callback/')).toBe(false);
    expect(sut.redirectUriAllowed(registered, 'https://backup.example.com:8443/auth/callback')).toBe(false);
    expect(sut.redirectUriAllowed(registered, 'http://localhost:4200/auth/callback')).toBe(true);
    expect(sut.redirectUriAllowed(registered, 'http://localhost:4200/other')).toBe(false);
    expect(sut.redirectUriAllowed(registered, 'not a url')).toBe(false);
  });

  it('checks secrets', () => {
    const registered = sut.get(app.clientId)!;

    expect([
      sut.secretMatches(registered, 'secret-value'),
      sut.secretMatches(registered, 'secret-valu'),
      sut.secretMatches(registered, ''),
    ]).toEqual([true, false, false]);
  });

  it('lists every problem of an invalid registration', () => {
    expect(() =>
      sut.register({
        clientId: 'x',
        displayName: ' ',
        redirectUris: ['http://example.com/cb'],
        requiredAppRoles: [],
      }),
    ).toThrow(
      new AppRegistrationError(
        "Invalid app registration: clientId must be a GUID (got 'x'); displayName must not be empty; an app needs a clientSecret or a certificatePem; redirect URI 'http://example.com/cb' must be an https URL or an http://localhost URL.",
      ),
    );
  });

  it('goes back to the initial apps on reset', () => {
    sut.register({ ...app, clientId: 'bbbbbbbb-0000-4000-8000-00000000000b' });

    sut.reset();

    expect(sut.list().map((a) => a.clientId)).toEqual(['aaaaaaaa-0000-4000-8000-00000000000a']);
  });
});
