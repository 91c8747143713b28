import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { loadAppConfig } from '../../config/app-config';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type { IdentityHttp } from './identity-http';
import { IdTokenError, OidcClient } from './oidc-client';

const LOGIN = 'https://login.example.test';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const NOW = new Date('2026-11-26T08:00:00.000Z');
const METADATA = {
  issuer: `${LOGIN}/{tenantid}/v2.0`,
  jwks_uri: `${LOGIN}/organizations/discovery/v2.0/keys`,
};

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

describe(OidcClient.name, () => {
  let sut: OidcClient;
  let http: jest.Mocked<IdentityHttp>;
  let key: KeyPair;
  let jwk: JWK;
  let clock: FixedClock;

  beforeAll(async () => {
    key = await generateKeyPair('RS256');
    jwk = { ...(await exportJWK(key.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  });

  beforeEach(() => {
    http = strictDouble<IdentityHttp>('IdentityHttp');
    http.getJson.mockImplementation(async (url: string) => {
      if (url.endsWith('/.well-known/openid-configuration')) return METADATA;
      if (url === METADATA.jwks_uri) return { keys: [jwk] };
      throw new Error(`unexpected ${url}`);
    });
    const config = loadAppConfig({
      AZURE_CLIENT_ID: CLIENT_ID,
      AZURE_CLIENT_SECRET: 'secret',
      LOGIN_BASE_URL: LOGIN,
    });
    clock = new FixedClock(NOW);
    sut = new OidcClient(config, http, clock);
  });

  async function idToken(
    claims: Record<string, unknown> = {},
    options: { signWith?: KeyPair; kid?: string; expiresAt?: Date } = {},
  ): Promise<string> {
    const iat = Math.floor(NOW.getTime() / 1000) - 10;
    return new SignJWT({
      tid: TID,
      oid: 'user-oid',
      name: 'Adele Vance',
      preferred_username: 'adele@contoso.com',
      nonce: 'the-nonce',
      wids: ['62e90394-69f5-4237-9190-012177145e10'],
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1' })
      .setIssuer(String(claims['iss'] ?? `${LOGIN}/${TID}/v2.0`))
      .setAudience(String(claims['aud'] ?? CLIENT_ID))
      .setIssuedAt(iat)
      .setExpirationTime(
        Math.floor((options.expiresAt ?? new Date(NOW.getTime() + 3600_000)).getTime() / 1000),
      )
      .sign((options.signWith ?? key).privateKey);
  }

  it('accepts a token signed by a published key, for our client, from the tenant in tid, with our nonce', async () => {
    await expect(sut.validateIdToken(await idToken(), 'the-nonce')).resolves.toEqual({
      tenantId: TID,
      objectId: 'user-oid',
      name: 'Adele Vance',
      upn: 'adele@contoso.com',
      wids: ['62e90394-69f5-4237-9190-012177145e10'],
    });
  });

  it.each([
    ['another audience', { aud: 'someone-else' }, /aud/],
    [
      'an issuer of another tenant',
      { iss: `${LOGIN}/00000000-0000-4000-8000-000000000000/v2.0` },
      /issued by/,
    ],
    ['an issuer of another host', { iss: `https://evil.example/${TID}/v2.0` }, /issued by/],
    ['another nonce', { nonce: 'replayed' }, /nonce/],
    ['no tenant id', { tid: 'not-a-guid' }, /tenant id/],
    ['no object id', { oid: undefined }, /object id/],
  ])('rejects %s', async (_case, claims, message) => {
    await expect(sut.validateIdToken(await idToken(claims), 'the-nonce')).rejects.toThrow(message);
  });

  it('rejects an expired token (beyond 5 minutes of clock skew)', async () => {
    const token = await idToken({}, { expiresAt: new Date(NOW.getTime() - 6 * 60_000) });
    await expect(sut.validateIdToken(token, 'the-nonce')).rejects.toThrow(IdTokenError);
  });

  it('rejects a token signed by a key that is not published, after fetching the keys again once', async () => {
    const other = await generateKeyPair('RS256');
    await expect(sut.validateIdToken(await idToken({}, { signWith: other }), 'the-nonce')).rejects.toThrow(
      'signature',
    );
    await expect(
      sut.validateIdToken(await idToken({}, { signWith: other, kid: 'rotated' }), 'the-nonce'),
    ).rejects.toThrow('signature');
  });

  it('picks up a rotated signing key by fetching the key set again', async () => {
    await sut.validateIdToken(await idToken(), 'the-nonce');
    const rotated = await generateKeyPair('RS256');
    const rotatedJwk = { ...(await exportJWK(rotated.publicKey)), kid: 'key-2', alg: 'RS256' };
    http.getJson.mockImplementation(async (url: string) =>
      url === METADATA.jwks_uri ? { keys: [jwk, rotatedJwk] } : METADATA,
    );
    const token = await idToken({}, { signWith: rotated, kid: 'key-2' });
    // Within a minute of the last fetch the set is not fetched again (no amplification by bad tokens).
    await expect(sut.validateIdToken(token, 'the-nonce')).rejects.toThrow('signature');

    clock.set(new Date(NOW.getTime() + 2 * 60_000));
    await expect(sut.validateIdToken(token, 'the-nonce')).resolves.toMatchObject({ tenantId: TID });
  });
});
