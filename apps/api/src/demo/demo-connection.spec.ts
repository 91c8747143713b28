import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from '../config/app-config';
import { connectToDemoServer, forgetDemoServer, recordDemoServer } from './demo-connection';
import { loadOrCreateDemoCredentials } from './demo-credentials';

describe(connectToDemoServer.name, () => {
  let dataDir: string;
  let emulatorDir: string;
  const config = () => loadAppConfig({ NODE_ENV: 'test', ENTRA_BACKUP_DATA_DIR: dataDir });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'demo-connection-'));
    emulatorDir = join(dataDir, 'emulator');
    mkdirSync(emulatorDir, { recursive: true });
    writeFileSync(join(emulatorDir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  function recordServer(pid: number): void {
    recordDemoServer(emulatorDir, {
      pid,
      graphBaseUrl: 'https://127.0.0.1:8443',
      loginBaseUrl: 'https://127.0.0.1:8443',
      caCertPath: join(emulatorDir, 'ca.pem'),
    });
  }

  it('uses the running demo server of the data dir, with the demo app and the emulator CA', () => {
    const credentials = loadOrCreateDemoCredentials(emulatorDir);
    recordServer(4242);

    const sut = connectToDemoServer(config(), (pid) => pid === 4242);

    expect(sut.kind).toBe('demo');
    expect(sut.config.auth.demoMode).toBe(true);
    expect(sut.config.graph).toMatchObject({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      graphBaseUrl: 'https://127.0.0.1:8443',
      caCertificates: [expect.stringContaining('BEGIN CERTIFICATE')],
    });
  });

  it('says what to do when the recorded server has stopped', () => {
    loadOrCreateDemoCredentials(emulatorDir);
    recordServer(4242);

    const sut = connectToDemoServer(config(), () => false);

    expect(sut).toMatchObject({ kind: 'none', hint: expect.stringContaining(dataDir) });
    expect(sut.config.hasAppCredentials).toBe(false);
  });

  it('says what to do when no demo server ever ran on the data dir, and forgets a stopped one', () => {
    expect(connectToDemoServer(config(), () => true).kind).toBe('none');

    loadOrCreateDemoCredentials(emulatorDir);
    recordServer(4242);
    forgetDemoServer(emulatorDir, 4242);
    expect(connectToDemoServer(config(), () => true).kind).toBe('none');
  });

  it('leaves configured Microsoft credentials alone', () => {
    const configured = loadAppConfig({
      ENTRA_BACKUP_DATA_DIR: dataDir,
      AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      AZURE_CLIENT_SECRET: 'secret',
    });
    expect(connectToDemoServer(configured, () => true)).toEqual({ kind: 'configured', config: configured });
  });
});
