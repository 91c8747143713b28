import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/server/cli';
import { httpsCall } from './https-client';

const ROOT = resolve(__dirname, '../../../..');
const SCRIPT = join(ROOT, 'scripts', 'emulator.mjs');

function run(args: string[]) {
  const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const ready = new Promise<string>((done, fail) => {
    child.stdout.on('data', () => {
      if (stdout.includes('Press Ctrl-C to stop.')) done(stdout);
    });
    child.on('exit', (code) => fail(new Error(`exited with ${String(code)}: ${stderr}`)));
  });
  // Runs that are expected to fail never await `ready`.
  void ready.catch(() => undefined);
  return { child, exited, ready, output: () => ({ stdout, stderr }) };
}

describe(`${main.name}: npm run emulator`, () => {
  it('starts from the sources, prints what a user needs, serves HTTPS with its CA and stops on Ctrl-C', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
    const sut = run([
      '--port',
      '0',
      '--tenants',
      '2',
      '--users',
      '30',
      '--seed',
      '3',
      '--data-dir',
      dataDir,
      '--non-premium',
      '1',
    ]);

    const banner = await sut.ready;
    const baseUrl = /Control API:\s+(https:\/\/127\.0\.0\.1:\d+)\/_emulator\//.exec(banner)?.[1];
    const caPath = /CA certificate:\s+(\S+)/.exec(banner)?.[1];
    const apps = await httpsCall(`${baseUrl}/_emulator/apps`, readFileSync(caPath!, 'utf8'));
    sut.child.kill('SIGINT');

    expect(caPath).toBe(join(dataDir, 'emulator-ca', 'ca.pem'));
    expect(banner).toMatch(/Global Administrator: \S+@\S+\.onmicrosoft\.com/);
    expect(banner).toContain('[no premium licence]');
    expect(banner).toMatch(/client secret: emu~\S+/);
    expect(apps.json<{ value: Array<{ displayName: string }> }>().value).toEqual([
      expect.objectContaining({ displayName: 'Entra Backup (demo)' }),
    ]);
    await expect(sut.exited).resolves.toBe(0);
  }, 60_000);

  it('exits with 2 and one line on a bad flag', async () => {
    const sut = run(['--users', 'many']);

    await expect(sut.exited).resolves.toBe(2);
    expect(sut.output().stderr.trim().split('\n')).toEqual([
      "emulator: option '--users <n>' argument 'many' is invalid. --users must be an integer between 1 and 5000000.",
    ]);
  }, 60_000);
});
