import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultGraphClientFactory, type GraphClient } from '@entra-backup/graph';
import {
  type DirectoryFactory,
  type EmulatorWorld,
  startEmulator,
  type FaultConfigInput,
  type RunningEmulator,
} from '@entra-backup/graph-emulator';
import { loadAppConfig } from '../../../apps/api/src/config/app-config';
import { requiredAppRoles } from '../../../apps/api/src/modules/exporters/permissions';
import { run } from '../../../apps/cli/src/cli';
import { createClientCertificate } from '../../../libs/graph/test/support/test-pki';

export const ROOT = join(__dirname, '..', '..', '..');
const REGISTER = join(__dirname, 'swc-register.cjs');
const MAIN = join(ROOT, 'apps', 'cli', 'src', 'main.ts');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface LabOptions {
  readonly users: number;
  readonly seed?: number;
  readonly faults?: FaultConfigInput;
  /** Application permissions the tenant's admin consent grants the app; all it requests by default. */
  readonly appRoles?: readonly string[];
  /** Serves the generated tenant (e.g. a GraphRequestLog's recording one); the emulator's own by default. */
  readonly directory?: DirectoryFactory<EmulatorWorld>;
  /** Also registers a certificate credential for the app (see `certificateEnv()`). */
  readonly certificate?: boolean;
}

/** The app's certificate credential: a PEM file (private key and certificate) and its key. */
export interface LabCertificate {
  readonly path: string;
  readonly privateKeyPem: string;
}

/**
 * A running emulator with one generated tenant that has consented to a freshly registered app
 * (random client id and secret), plus a data directory for the product. The CLI runs either
 * in-process (fast) or as a child process configured exactly as in production: environment
 * variables, and the emulator's CA trusted through NODE_EXTRA_CA_CERTS.
 */
export class BackupLab {
  private graphFactory: DefaultGraphClientFactory | undefined;

  private constructor(
    readonly emulator: RunningEmulator,
    readonly tenantId: string,
    readonly clientId: string,
    readonly clientSecret: string,
    readonly dataDir: string,
    private readonly emulatorDir: string,
    readonly certificate: LabCertificate | undefined,
  ) {}

  static async start(options: LabOptions): Promise<BackupLab> {
    const emulatorDir = await mkdtemp(join(tmpdir(), 'entra-backup-lab-emulator-'));
    const dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-lab-data-'));
    const clientId = randomUUID();
    // Shaped like an Entra client secret (40 characters); random, so a grep finds only real leaks.
    const clientSecret = `Lab8Q~${randomBytes(26).toString('base64url').slice(0, 34)}`;
    const roles = requiredAppRoles();
    let certificate: LabCertificate | undefined;
    let certificatePem: string | undefined;
    if (options.certificate === true) {
      const created = createClientCertificate();
      const path = join(emulatorDir, 'app-credential.pem');
      await writeFile(path, `${created.privateKeyPem}\n${created.certificatePem}`, { mode: 0o600 });
      certificate = { path, privateKeyPem: created.privateKeyPem };
      certificatePem = created.certificatePem;
    }
    const emulator = await startEmulator({
      port: 0,
      dataDir: emulatorDir,
      tenants: 1,
      usersPerTenant: options.users,
      seed: options.seed ?? 7,
      apps: [
        {
          clientId,
          clientSecret,
          ...(certificatePem === undefined ? {} : { certificatePem }),
          displayName: 'Entra Backup',
          redirectUris: ['http://localhost:3000/api/consent/callback'],
          requiredAppRoles: roles,
        },
      ],
      ...(options.faults === undefined ? {} : { faults: options.faults }),
      ...(options.directory === undefined ? {} : { directory: options.directory }),
    });
    const tenantId = emulator.world.listTenants()[0]!.tenantId;
    emulator.world.applyAdminConsent(tenantId, { appId: clientId, displayName: 'Entra Backup' }, [
      ...(options.appRoles ?? roles),
    ]);
    return new BackupLab(emulator, tenantId, clientId, clientSecret, dataDir, emulatorDir, certificate);
  }

  /** Environment overrides that make the product authenticate with the certificate instead of the secret. */
  certificateEnv(): NodeJS.ProcessEnv {
    if (this.certificate === undefined) throw new Error('Start the lab with { certificate: true }');
    return { AZURE_CLIENT_SECRET: undefined, AZURE_CLIENT_CERTIFICATE_PATH: this.certificate.path };
  }

  /** The product's environment for a child process. */
  /** `extra` overrides the defaults; a variable set to undefined there is left out. */
  childEnv(dataDir = this.dataDir, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      ENTRA_BACKUP_DATA_DIR: dataDir,
      GRAPH_BASE_URL: this.emulator.graphBaseUrl,
      LOGIN_BASE_URL: this.emulator.loginBaseUrl,
      AZURE_CLIENT_ID: this.clientId,
      AZURE_CLIENT_SECRET: this.clientSecret,
      NODE_EXTRA_CA_CERTS: this.emulator.caCertPath,
      ...extra,
    };
    return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
  }

  /** Runs the CLI in this process against `dataDir` (the emulator CA passed as ENTRA_BACKUP_CA_FILE). */
  async run(argv: readonly string[], dataDir = this.dataDir): Promise<CliResult> {
    const env = this.childEnv(dataDir);
    const config = loadAppConfig({
      ...env,
      NODE_ENV: 'test',
      NODE_EXTRA_CA_CERTS: undefined,
      ENTRA_BACKUP_CA_FILE: this.emulator.caCertPath,
    });
    let stdout = '';
    let stderr = '';
    const code = await run(
      argv,
      {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      },
      { config, actor: 'cli:robustness' },
    );
    return { code, stdout, stderr };
  }

  /** Starts the CLI as a child process (TypeScript sources through swc, no build needed). */
  spawn(argv: readonly string[], dataDir = this.dataDir, env: NodeJS.ProcessEnv = {}): ChildProcess {
    return spawn(process.execPath, ['-r', REGISTER, MAIN, ...argv], {
      cwd: ROOT,
      env: this.childEnv(dataDir, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Runs the CLI as a child process to its end. */
  spawnToEnd(
    argv: readonly string[],
    dataDir = this.dataDir,
    env: NodeJS.ProcessEnv = {},
  ): Promise<CliResult> {
    const child = this.spawn(argv, dataDir, env);
    return collect(child);
  }

  /** Registers the tenant and switches the given types on, in-process. */
  async registerTenant(types: string, dataDir = this.dataDir): Promise<void> {
    for (const argv of [
      ['tenant', 'add', this.tenantId, '--name', 'Contoso Demo'],
      // The tenant's admin consent (granted in the emulator at start), recorded by the product.
      ['settings', 'consent', this.tenantId],
      ['settings', 'set', this.tenantId, '--enable', types],
    ]) {
      const result = await this.run(argv, dataDir);
      if (result.code !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
    }
  }

  /** Graph as the app sees it, for changing the tenant as an admin script would. */
  graph(): GraphClient {
    this.graphFactory ??= new DefaultGraphClientFactory({
      clientId: this.clientId,
      credential: { kind: 'secret', clientSecret: this.clientSecret },
      graphBaseUrl: this.emulator.graphBaseUrl,
      loginBaseUrl: this.emulator.loginBaseUrl,
      caCertificates: [this.emulator.caCertPem],
    });
    return this.graphFactory.forTenant(this.tenantId);
  }

  async newDataDir(): Promise<string> {
    return mkdtemp(join(tmpdir(), 'entra-backup-lab-data-'));
  }

  async dispose(...extraDirs: string[]): Promise<void> {
    await this.graphFactory?.close();
    await this.emulator.stop();
    for (const dir of [this.dataDir, this.emulatorDir, ...extraDirs])
      await rm(dir, { recursive: true, force: true });
  }
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({ code: code ?? (signal === null ? 1 : 128), stdout, stderr }),
    );
  });
}

/** The last stdout line of `backup --json`. */
export function parseSummary(
  stdout: string,
): Record<string, unknown> & { snapshotId: string | null; status: string } {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '') as Record<string, unknown> & {
    snapshotId: string | null;
    status: string;
  };
}
