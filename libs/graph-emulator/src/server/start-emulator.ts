import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { requireControlToken } from '../control/control-token';
import { createControlRouter } from '../control/control.router';
import { AppRegistry, type RegisteredApp } from '../identity/app-registry';
import { ConsentLog } from '../identity/consent-log';
import { GrantStore } from '../identity/grant-store';
import { createIdentityRouter } from '../identity/identity.router';
import { TokenService } from '../identity/token-service';
import { TokenSigner } from '../identity/token-signer';
import { FaultInjector, type FaultConfigInput } from '../platform/fault-injector';
import { createGraphFrontDoor, GRAPH_JSON_CONTENT_TYPE } from '../platform/graph-front-door';
import { pathTemplate } from '../platform/path-template';
import { RequestCounters } from '../platform/request-counters';
import { RequestLog } from '../platform/request-log';
import { RetryAfterTracker, ThrottleEngine } from '../platform/throttling';
import { graphErrorBody } from '../shared/graph-error';
import { AdjustableClock, type EmulatorClock, type EmulatorWorldPort } from '../shared/world-port';
import type { EmulatorWorld } from '../directory/world';
import type { SoftDeleteOptions } from '../directory/soft-delete';
import { ensureEmulatorCertificates } from './certificates';
import { generatedDirectory } from './generated-directory';

/** What the Graph layer contributes: the directory and its routers. */
export interface EmulatorDirectory<W extends EmulatorWorldPort = EmulatorWorldPort> {
  world: W;
  /** Serves Graph; mounted at `/v1.0` and at `/beta`, after the platform's front door. */
  graphRouter: Router;
  /** Tenant edits and ground truth, mounted at `/_emulator/tenants`. */
  tenantControlRouter?: Router;
}

export interface DirectoryFactoryInput {
  seed: number;
  tenants: number;
  usersPerTenant: number;
  nonPremiumTenants: number[];
  /** Soft delete per object type (all on by default); the generated directory honours it. */
  softDelete: Partial<SoftDeleteOptions>;
  clock: EmulatorClock;
  /** Public origin for absolute `@odata.nextLink`s, e.g. `https://127.0.0.1:8443`. */
  baseUrl: string;
}

export type DirectoryFactory<W extends EmulatorWorldPort = EmulatorWorldPort> = (
  input: DirectoryFactoryInput,
) => EmulatorDirectory<W>;

export interface StartEmulatorOptions<W extends EmulatorWorldPort = EmulatorWorld> {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where the CA, server certificate and token-signing key are kept. */
  dataDir: string;
  seed?: number;
  tenants?: number;
  usersPerTenant?: number;
  /** Indexes (0-based) of tenants without an Entra ID P1/P2 licence. */
  nonPremiumTenants?: number[];
  /** Turn soft delete off per object type, e.g. `{ securityGroups: false }` (all on by default). */
  softDelete?: Partial<SoftDeleteOptions>;
  apps?: RegisteredApp[];
  faults?: FaultConfigInput;
  clock?: EmulatorClock;
  /** Builds the directory and its Graph routers; the generated tenants by default. */
  directory?: DirectoryFactory<W>;
  /**
   * When set, every request to the control API under `/_emulator` (ground truth of the tenants,
   * BitLocker keys included, and edits) must carry `Authorization: Bearer <controlToken>`; the
   * demo mode always sets one. Graph and the identity platform are not affected.
   */
  controlToken?: string;
}

export interface RunningEmulator<W extends EmulatorWorldPort = EmulatorWorld> {
  /** `https://127.0.0.1:PORT` */
  baseUrl: string;
  /** Graph's origin: requests go to `${graphBaseUrl}/v1.0/...` as to `https://graph.microsoft.com/v1.0/...`. */
  graphBaseUrl: string;
  /** The identity platform's origin: authorities are `${loginBaseUrl}/{tenant}` as with `https://login.microsoftonline.com/{tenant}`. */
  loginBaseUrl: string;
  port: number;
  caCertPem: string;
  caCertPath: string;
  world: W;
  clock: EmulatorClock;
  faults: FaultInjector;
  counters: RequestCounters;
  /** Graph requests received (and `$batch` items), newest last: `requests.list()`, `requests.writes()`, `requests.clear()`. */
  requests: RequestLog;
  apps: AppRegistry;
  consents: ConsentLog;
  /** The bearer token the control API requires, when it requires one. */
  controlToken: string | undefined;
  /** Back to the start state, as `POST /_emulator/reset`. */
  reset(): void;
  stop(): Promise<void>;
}

/**
 * Starts the Microsoft identity platform + Microsoft Graph emulator over HTTPS with a locally generated CA.
 * Usable in-process (tests, demo mode) and from the `npm run emulator` command line.
 */
export async function startEmulator<W extends EmulatorWorldPort = EmulatorWorld>(
  options: StartEmulatorOptions<W>,
): Promise<RunningEmulator<W>> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const problems: string[] = [];
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`port must be an integer between 0 and 65535 (got ${String(port)})`);
  if (!options.dataDir) problems.push('dataDir is required');
  if (problems.length > 0) throw new Error(`Invalid emulator options: ${problems.join('; ')}`);

  const clock = options.clock ?? new AdjustableClock();
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const tls = ensureEmulatorCertificates(options.dataDir, [publicHost]);
  const signer = TokenSigner.loadOrCreate(
    join(options.dataDir, 'emulator-identity', 'token-signing-key.pem'),
  );

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const server: Server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, app);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = publicHost.includes(':') ? `[${publicHost}]` : publicHost;
  const baseUrl = `https://${urlHost}:${actualPort}`;

  try {
    const usersPerTenant = options.usersPerTenant ?? 250;
    // Without a factory W is EmulatorWorld (the type parameter's default), which the generated directory provides.
    const factory = options.directory ?? (generatedDirectory as unknown as DirectoryFactory<W>);
    const directory = factory({
      seed: options.seed ?? 1,
      tenants: options.tenants ?? 1,
      usersPerTenant,
      nonPremiumTenants: options.nonPremiumTenants ?? [],
      softDelete: options.softDelete ?? {},
      clock,
      baseUrl,
    });
    const world = directory.world;
    const apps = new AppRegistry(options.apps ?? []);
    const grants = new GrantStore(clock);
    const consents = new ConsentLog();
    const tokens = new TokenService(signer, clock, baseUrl);
    const faults = new FaultInjector(clock, options.faults ?? {});
    const counters = new RequestCounters(() => clock.now());
    const requests = new RequestLog();
    const throttle = new ThrottleEngine(clock, () => usersPerTenant);
    const retryAfter = new RetryAfterTracker(clock);
    const reset = (): void => {
      world.reset();
      apps.reset();
      grants.clear();
      consents.clear();
      faults.reset();
      counters.reset();
      requests.clear();
      throttle.reset();
      retryAfter.reset();
    };

    if (options.controlToken !== undefined) app.use('/_emulator', requireControlToken(options.controlToken));
    app.use(
      '/_emulator',
      createControlRouter({
        apps,
        consents,
        faults,
        counters,
        requests,
        clock,
        reset,
        ...(directory.tenantControlRouter ? { tenantControlRouter: directory.tenantControlRouter } : {}),
      }),
    );
    app.use(
      createGraphFrontDoor({
        tokens,
        throttle,
        faults,
        counters,
        retryAfter,
        requestLog: requests,
        now: () => clock.now(),
      }),
    );
    app.use(['/v1.0', '/beta'], directory.graphRouter);
    // Identity platform requests are counted too (token requests show whether a client caches its tokens).
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (/^\/(v1\.0|beta)(\/|$)/.test(req.path)) return next();
      const template = pathTemplate(req.path);
      res.on('finish', () => counters.recordResponse(req.method, template, res.statusCode));
      next();
    });
    // An identity platform outage (fault `identityOutage`): all identity endpoints, or sign-in only.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (/^\/(v1\.0|beta)(\/|$)/.test(req.path) || !faults.identityUnavailable(req.path)) return next();
      res.status(503).setHeader('Retry-After', '60');
      res.json({
        error: 'temporarily_unavailable',
        error_description:
          'AADSTS90033: A transient error has occurred. Please try again. (emulated identity platform outage)',
      });
    });
    app.use(createIdentityRouter({ world, apps, grants, consents, tokens, signer, clock, baseUrl }));
    app.use((req: Request, res: Response) => {
      if (/^\/(v1\.0|beta)(\/|$)/.test(req.path)) {
        const requestId = String(res.getHeader('request-id') ?? '');
        const segment = req.path.split('/')[2] ?? '';
        res.status(400).setHeader('Content-Type', GRAPH_JSON_CONTENT_TYPE);
        res.send(
          JSON.stringify(
            graphErrorBody(
              'BadRequest',
              `Resource not found for the segment '${segment}'.`,
              requestId || undefined,
            ),
          ),
        );
        return;
      }
      res
        .status(404)
        .json({ error: 'not_found', message: `The emulator has no endpoint ${req.method} ${req.path}.` });
    });
    app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
      // Internal details stay in the emulator's stderr; clients get the service's generic error.
      console.error(`emulator: ${req.method} ${req.path} failed:`, err);
      if (res.headersSent) return;
      if (/^\/(v1\.0|beta)(\/|$)/.test(req.path)) {
        res.status(500).setHeader('Content-Type', GRAPH_JSON_CONTENT_TYPE);
        res.send(JSON.stringify(graphErrorBody('generalException', 'An unspecified error has occurred.')));
        return;
      }
      res.status(500).json({ error: 'server_error', message: 'The emulator failed to process the request.' });
    });

    return {
      baseUrl,
      graphBaseUrl: baseUrl,
      loginBaseUrl: baseUrl,
      port: actualPort,
      caCertPem: tls.caCertPem,
      caCertPath: tls.caCertPath,
      world,
      clock,
      faults,
      counters,
      requests,
      apps,
      consents,
      controlToken: options.controlToken,
      reset,
      stop: () => closeServer(server, sockets),
    };
  } catch (err) {
    await closeServer(server, sockets);
    throw err;
  }
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    for (const socket of sockets) socket.destroy();
  });
}
