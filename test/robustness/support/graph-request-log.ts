import express, { type Request, type Response } from 'express';
import {
  createGraphRouter,
  createTenantControlRouter,
  createWorld,
  type DirectoryFactory,
  type EmulatorWorld,
  isReadOnlyAction,
} from '@entra-backup/graph-emulator';

/** One Graph request the emulator answered; a `$batch` envelope is followed by one entry per item. */
export interface LoggedGraphRequest {
  readonly method: string;
  /** With the version, e.g. `/v1.0/users`; a batch item's URL as sent in the envelope. */
  readonly path: string;
  /** The answer's status (a batch item: its envelope's). */
  readonly status: number;
  /** A sub-request of a `$batch` envelope. */
  readonly batched: boolean;
}

/** Called once per HTTP request answered: the request, and the items of a `$batch` envelope. */
export type Listener = (request: LoggedGraphRequest, items: readonly LoggedGraphRequest[]) => void;

const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Whether a request changes the directory: a write method, except the `$batch` envelope itself
 * (a POST that only carries items, which are logged and judged one by one).
 */
export function isWrite(request: LoggedGraphRequest): boolean {
  return (
    WRITE_METHODS.has(request.method) &&
    !(!request.batched && /\/\$batch$/.test(request.path)) &&
    // Directory actions that only read, though called with POST (getAvailableExtensionProperties).
    !isReadOnlyAction(request.path)
  );
}

/**
 * Records every Graph request that got past the emulator's front door (token, faults, throttling),
 * with the items of `$batch` envelopes, when its answer has been sent. Pass `directory` to
 * `startEmulator` (or `BackupLab.start`).
 */
export class GraphRequestLog {
  private readonly entries: LoggedGraphRequest[] = [];
  private readonly listeners = new Set<Listener>();

  /** The generated tenants, served by the emulator's own Graph router behind a recording one. */
  readonly directory: DirectoryFactory<EmulatorWorld> = (input) => {
    const world = createWorld({
      seed: input.seed,
      tenants: input.tenants,
      usersPerTenant: input.usersPerTenant,
      clock: input.clock,
      nonPremiumTenants: input.nonPremiumTenants,
    });
    const graph = createGraphRouter(world, { baseUrl: input.baseUrl });
    const router = express.Router();
    router.use((req: Request, res: Response, next) => {
      // The body is parsed by the Graph router, so it is read once the answer is out.
      res.on('finish', () => this.record(req, res.statusCode));
      next();
    });
    router.use(graph);
    return { world, graphRouter: router, tenantControlRouter: createTenantControlRouter(world) };
  };

  all(): readonly LoggedGraphRequest[] {
    return [...this.entries];
  }

  writes(): LoggedGraphRequest[] {
    return this.entries.filter(isWrite);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Calls `listener` for every request answered from now on, until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(req: Request, status: number): void {
    const path = `${req.baseUrl}${req.path}`;
    const request: LoggedGraphRequest = { method: req.method.toUpperCase(), path, status, batched: false };
    const body = (req.body as { requests?: unknown } | undefined)?.requests;
    const items =
      /\/\$batch$/.test(path) && Array.isArray(body)
        ? (body as Array<Record<string, unknown>>).map((item) => ({
            method: String(item['method']).toUpperCase(),
            path: String(item['url']),
            status,
            batched: true,
          }))
        : [];
    this.entries.push(request, ...items);
    for (const listener of this.listeners) listener(request, items);
  }
}
