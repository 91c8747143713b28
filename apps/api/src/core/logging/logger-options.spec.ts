import { Writable } from 'node:stream';
import pino from 'pino';
import { loadAppConfig } from '../../config/app-config';
import { buildPinoOptions } from './logger-options';
import { REDACTED, redactSensitive, redactUrl } from './redact';

function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const options = buildPinoOptions(loadAppConfig({ NODE_ENV: 'production', LOG_LEVEL: 'info' }));
  return { logger: pino(options, stream), lines };
}

describe(buildPinoOptions.name, () => {
  it('writes JSON lines in production and pretty output in development', () => {
    expect(buildPinoOptions(loadAppConfig({ NODE_ENV: 'production' })).transport).toBeUndefined();
    expect(buildPinoOptions(loadAppConfig({ NODE_ENV: 'development' })).transport).toMatchObject({
      target: 'pino-pretty',
    });
  });

  it('follows LOG_LEVEL', () => {
    expect(buildPinoOptions(loadAppConfig({ LOG_LEVEL: 'warn' })).level).toBe('warn');
  });

  it('redacts authorization, cookies, secrets, tokens and passwords anywhere in a log line', () => {
    const { logger, lines } = captureLogger();

    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', accept: 'json' } },
        clientSecret: 'top',
        nested: { accessToken: 'tok', list: [{ password: 'pw' }], keep: 'visible' },
      },
      'request',
    );

    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({
      msg: 'request',
      req: { headers: { authorization: REDACTED, cookie: REDACTED, accept: 'json' } },
      clientSecret: REDACTED,
      nested: { accessToken: REDACTED, list: [{ password: REDACTED }], keep: 'visible' },
    });
    expect(lines.join('')).not.toMatch(/Bearer abc|sid=1|"top"|"tok"|"pw"/);
  });
});

describe(redactSensitive.name, () => {
  it('leaves non-sensitive values and non-plain objects alone', () => {
    const date = new Date(0);
    expect(redactSensitive({ a: 1, when: date, tokenCount: 3 })).toEqual({
      a: 1,
      when: date,
      tokenCount: REDACTED,
    });
    expect(redactSensitive('text')).toBe('text');
  });

  it('redacts private keys and their passphrases', () => {
    expect(
      redactSensitive({
        certificate: { privateKey: '-----BEGIN PRIVATE KEY-----', passphrase: 'p', path: '/c.pem' },
      }),
    ).toEqual({ certificate: { privateKey: REDACTED, passphrase: REDACTED, path: '/c.pem' } });
  });
});

describe(redactUrl.name, () => {
  it("replaces an onboarding link's token, the secret that path carries", () => {
    expect(redactUrl('/api/onboarding/AbC_-123/accept?x=1')).toBe(`/api/onboarding/${REDACTED}/accept?x=1`);
    expect(redactUrl('/api/v1/onboarding/AbC_-123')).toBe(`/api/v1/onboarding/${REDACTED}`);
    expect(redactUrl('/api/tenants/t/settings')).toBe('/api/tenants/t/settings');
  });

  it("replaces the sign-in callback's authorization code and state, and the consent callback's state", () => {
    expect(redactUrl('/api/auth/callback?code=0.AbC&state=xyz&session_state=s')).toBe(
      `/api/auth/callback?code=${REDACTED}&state=${REDACTED}&session_state=${REDACTED}`,
    );
    expect(redactUrl('/api/consent/callback?admin_consent=True&state=xyz&tenant=t')).toBe(
      `/api/consent/callback?admin_consent=True&state=${REDACTED}&tenant=t`,
    );
  });
});
