import { join } from 'node:path';
import { AppConfig, ConfigurationError, describeConfig, loadAppConfig } from './app-config';

const CWD = '/srv/entra-backup';
/** Base64 of 32 bytes, as ENTRA_BACKUP_MASTER_KEY requires. */
const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

describe(loadAppConfig.name, () => {
  it('applies every default for an empty environment', () => {
    const sut = loadAppConfig({}, { cwd: CWD });

    expect(sut).toBeInstanceOf(AppConfig);
    expect(sut.nodeEnv).toBe('development');
    expect(sut.http.port).toBe(3000);
    expect(sut.storage).toEqual({ dataDir: join(CWD, 'data') });
    expect(sut.database).toEqual({ type: 'sqlite', path: join(CWD, 'data', 'entra-backup.sqlite') });
    expect(sut.logging).toEqual({ level: 'info', pretty: true });
    expect(sut.graph).toEqual({
      graphBaseUrl: 'https://graph.microsoft.com',
      loginBaseUrl: 'https://login.microsoftonline.com',
      clientId: undefined,
      clientSecret: undefined,
      clientCertificate: undefined,
      caCertificates: [],
    });
    expect(sut.auth).toEqual({
      publicUrl: 'http://localhost:3000',
      sessionSecret: undefined,
      demoMode: false,
      demoPort: 8443,
      demoHost: '127.0.0.1',
      demoTenants: 2,
    });
    expect(sut.hasAppCredentials).toBe(false);
    expect(sut.portal.dir).toMatch(/dist[/\\]portal[/\\]browser$/);
  });

  it('reads every variable', () => {
    const sut = loadAppConfig(
      {
        PORT: '8080',
        ENTRA_BACKUP_DATA_DIR: '/var/lib/eb',
        ENTRA_BACKUP_MASTER_KEY: MASTER_KEY,
        ENTRA_BACKUP_PORTAL_DIR: 'portal',
        DATABASE_URL: 'postgresql://eb:pw@db:5432/eb',
        LOG_LEVEL: 'debug',
        NODE_ENV: 'production',
        GRAPH_BASE_URL: 'https://127.0.0.1:8443/',
        LOGIN_BASE_URL: 'https://127.0.0.1:8443',
        AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
        AZURE_CLIENT_SECRET: 's3cr3t',
        ENTRA_BACKUP_PUBLIC_URL: 'https://backup.contoso.com/',
        ENTRA_BACKUP_SESSION_SECRET: 'x'.repeat(40),
        ENTRA_BACKUP_DEMO_PORT: '9443',
        ENTRA_BACKUP_DEMO_HOST: '0.0.0.0',
        ENTRA_BACKUP_DEMO_TENANTS: '5',
      },
      { cwd: CWD },
    );

    expect(sut.isProduction).toBe(true);
    expect(sut.http.port).toBe(8080);
    expect(sut.storage).toEqual({ dataDir: '/var/lib/eb', masterKey: MASTER_KEY });
    expect(sut.portal.dir).toBe(join(CWD, 'portal'));
    expect(sut.database).toEqual({ type: 'postgres', url: 'postgresql://eb:pw@db:5432/eb' });
    expect(sut.logging).toEqual({ level: 'debug', pretty: false });
    expect(sut.graph).toMatchObject({
      graphBaseUrl: 'https://127.0.0.1:8443',
      clientId: '11111111-2222-3333-4444-555555555555',
      clientSecret: 's3cr3t',
    });
    expect(sut.hasAppCredentials).toBe(true);
    expect(sut.appCredential).toEqual({ kind: 'secret', clientSecret: 's3cr3t' });
    expect(sut.auth).toEqual({
      publicUrl: 'https://backup.contoso.com',
      sessionSecret: 'x'.repeat(40),
      demoMode: false,
      demoPort: 9443,
      demoHost: '0.0.0.0',
      demoTenants: 5,
    });
  });

  it('takes only an IP address as the demo emulator host', () => {
    expect(() => loadAppConfig({ ENTRA_BACKUP_DEMO_HOST: 'emulator.local' })).toThrow(
      'ENTRA_BACKUP_DEMO_HOST must be an IP address, such as 127.0.0.1 or 0.0.0.0',
    );
    expect(loadAppConfig({ ENTRA_BACKUP_DEMO_HOST: '::' }).auth.demoHost).toBe('::');
  });

  it('requires a secret or a certificate with the client id', () => {
    expect(() => loadAppConfig({ AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555' })).toThrow(
      'AZURE_CLIENT_ID needs AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH',
    );
  });

  it('names a CA file that cannot be read', () => {
    expect(() => loadAppConfig({ ENTRA_BACKUP_CA_FILE: '/nonexistent/ca.pem' })).toThrow(
      'ENTRA_BACKUP_CA_FILE must name a readable PEM file of CA certificates',
    );
  });

  it('rejects a public URL with a path and a short session secret', () => {
    expect(() =>
      loadAppConfig({ ENTRA_BACKUP_PUBLIC_URL: 'https://host/app', ENTRA_BACKUP_SESSION_SECRET: 'short' }),
    ).toThrow(
      /ENTRA_BACKUP_PUBLIC_URL must be the http\(s\) origin.*ENTRA_BACKUP_SESSION_SECRET must be at least 32/,
    );
  });

  it('treats blank values as unset', () => {
    const sut = loadAppConfig(
      { PORT: ' ', DATABASE_URL: '', LOG_LEVEL: '', ENTRA_BACKUP_MASTER_KEY: ' ' },
      { cwd: CWD },
    );

    expect(sut.http.port).toBe(3000);
    expect(sut.storage.masterKey).toBeUndefined();
    expect(sut.database.type).toBe('sqlite');
    expect(sut.logging.level).toBe('info');
  });

  it('names every bad variable in one error', () => {
    const load = () =>
      loadAppConfig(
        {
          PORT: '70000',
          DATABASE_URL: 'mysql://db',
          LOG_LEVEL: 'loud',
          NODE_ENV: 'staging',
          GRAPH_BASE_URL: 'not a url',
          AZURE_CLIENT_ID: 'my-app',
        },
        { cwd: CWD },
      );

    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(
      'Invalid configuration: PORT must be an integer between 1 and 65535; ' +
        'DATABASE_URL must start with postgres:// or postgresql://; ' +
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; ' +
        'NODE_ENV must be one of development, production, test; ' +
        'GRAPH_BASE_URL must be an absolute http(s) URL; ' +
        'AZURE_CLIENT_ID must be a GUID (the application (client) id of the app registration)',
    );
  });

  it('reads the per-key rate limit and where its counters live', () => {
    expect(loadAppConfig({}, { cwd: CWD }).rateLimit).toEqual({
      perMinute: 600,
      burst: 120,
      redisUrl: undefined,
    });
    const sut = loadAppConfig(
      {
        ENTRA_BACKUP_API_RATE_LIMIT: '60',
        ENTRA_BACKUP_API_RATE_BURST: '0',
        REDIS_URL: 'rediss://:hunter5@cache:6380/2',
      },
      { cwd: CWD },
    );

    expect(sut.rateLimit).toEqual({ perMinute: 60, burst: 0, redisUrl: 'rediss://:hunter5@cache:6380/2' });
    expect(JSON.stringify(describeConfig(sut))).not.toContain('hunter5');
    expect(() =>
      loadAppConfig({
        ENTRA_BACKUP_API_RATE_LIMIT: '-5',
        ENTRA_BACKUP_API_RATE_BURST: 'many',
        REDIS_URL: 'http://cache',
      }),
    ).toThrow(
      'ENTRA_BACKUP_API_RATE_LIMIT must be an integer between 0 and 1000000; ' +
        'ENTRA_BACKUP_API_RATE_BURST must be an integer between 0 and 1000000; ' +
        'REDIS_URL must start with redis:// or rediss://',
    );
  });

  it.each(['0', '-1', '3000.5', 'abc', '65536'])('rejects PORT=%s', (port) => {
    expect(() => loadAppConfig({ PORT: port })).toThrow('PORT must be an integer between 1 and 65535');
  });
});

describe(describeConfig.name, () => {
  it('never reveals the client secret or the database password', () => {
    const config = loadAppConfig(
      {
        DATABASE_URL: 'postgres://eb:hunter2@db/eb',
        AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
        AZURE_CLIENT_SECRET: 'hunter3',
        ENTRA_BACKUP_SESSION_SECRET: 'hunter4'.repeat(6),
        ENTRA_BACKUP_MASTER_KEY: MASTER_KEY,
      },
      { cwd: CWD },
    );

    const text = JSON.stringify(describeConfig(config));

    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('hunter3');
    expect(text).not.toContain('hunter4');
    expect(text).not.toContain(MASTER_KEY);
    expect(describeConfig(config)).toMatchObject({ clientSecret: 'set', masterKey: 'set' });
  });

  it('masks the password of the mail server', () => {
    const config = loadAppConfig({ SMTP_URL: 'smtp://mailer:hunter4@mail.contoso.test:587' }, { cwd: CWD });

    expect(config.notifications.smtpUrl).toBe('smtp://mailer:hunter4@mail.contoso.test:587');
    expect(JSON.stringify(describeConfig(config))).not.toContain('hunter4');
    expect(describeConfig(config)).toMatchObject({ smtp: 'smtp://mailer:***@mail.contoso.test:587' });
    expect(() => loadAppConfig({ SMTP_URL: 'mail.contoso.test' }, { cwd: CWD })).toThrow(
      'SMTP_URL must start with smtp:// or smtps://',
    );
  });

  it('says whether the master key comes from the environment', () => {
    expect(describeConfig(loadAppConfig({}, { cwd: CWD }))).toMatchObject({ masterKey: 'unset' });
    expect(
      describeConfig(loadAppConfig({ ENTRA_BACKUP_MASTER_KEY: MASTER_KEY }, { cwd: CWD })),
    ).toMatchObject({
      masterKey: 'set',
    });
  });
});
