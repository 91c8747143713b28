import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import pinoHttp, { type Options as PinoHttpOptions } from 'pino-http';
import { loadAppConfig } from '../../config/app-config';
import { buildLoggerParams, buildPinoOptions } from './logger-options';
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

describe(buildLoggerParams.name, () => {
  /** The request logger as the server configures it, on a bare HTTP server, capturing its lines. */
  async function logOneRequest(
    path: string,
    answer: (req: IncomingMessage & { query?: unknown }, res: ServerResponse) => void,
  ): Promise<string> {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const params = buildLoggerParams(loadAppConfig({ NODE_ENV: 'production', LOG_LEVEL: 'info' }));
    const log = pinoHttp({ ...(params.pinoHttp as PinoHttpOptions), stream } as PinoHttpOptions);
    const server = createServer((req, res) => {
      log(req, res);
      answer(req, res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      await fetch(`http://127.0.0.1:${port}${path}`, { redirect: 'manual' });
    } finally {
      server.close();
    }
    return lines.join('');
  }

  it("keeps the sign-in callback's code, state and session_state out of the request log (URL and parsed query)", async () => {
    const logged = await logOneRequest(
      '/api/auth/callback?code=0.AUTHCODE123&state=STATE456&session_state=SESSION789&client_secret=CS1',
      (req, res) => {
        // Express parses the query onto the request, and pino's serializer copies it.
        const url = new URL(req.url ?? '/', 'http://localhost');
        req.query = Object.fromEntries(url.searchParams);
        res.statusCode = 302;
        res.setHeader('location', '/tenants?code=0.AUTHCODE123');
        res.end();
      },
    );

    expect(logged).toContain('/api/auth/callback');
    expect(logged).toContain(REDACTED);
    expect(logged).not.toMatch(/AUTHCODE123|STATE456|SESSION789|CS1/);
  });

  it('keeps the sign-in request to Microsoft (state, nonce, PKCE challenge) out of the redirect it logs', async () => {
    const logged = await logOneRequest('/api/auth/login', (_req, res) => {
      // As Express's res.redirect() sets it.
      res.statusCode = 302;
      res.setHeader(
        'location',
        'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=app&state=STATE456&nonce=NONCE1&code_challenge=CHAL1',
      );
      res.end();
    });

    expect(logged).toContain('login.microsoftonline.com');
    expect(logged).not.toMatch(/STATE456|NONCE1|CHAL1/);
  });
});
