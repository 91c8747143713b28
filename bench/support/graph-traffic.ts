import {
  createGraphRouter,
  createTenantControlRouter,
  createWorld,
  type DirectoryFactory,
  type EmulatorWorld,
  type GraphRequestContext,
} from '@entra-backup/graph-emulator';
import express, { type NextFunction, type Request, type Response } from 'express';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The Graph HTTP requests one tenant received in a window, split into reads and writes. */
export interface GraphTraffic {
  /** Every Graph HTTP request (a `$batch` envelope is one), 429 answers included. */
  readonly httpRequests: number;
  /** Top-level answers by status. */
  readonly statuses: Record<string, number>;
  readonly reads: {
    /** GET requests plus `$batch` envelopes holding only GETs. */
    readonly requests: number;
    readonly gets: number;
    readonly batchEnvelopes: number;
    readonly batchItems: number;
  };
  /** Requests per phase of the window (`start`, then each `phase()` call): HTTP requests, reads, writes. */
  readonly phases: Record<string, { httpRequests: number; reads: number; writes: number }>;
  readonly writes: {
    /** Write requests on their own plus `$batch` envelopes holding at least one write. */
    readonly requests: number;
    /** POST/PATCH/PUT/DELETE sent on their own (not in a `$batch`). */
    readonly direct: number;
    readonly batchEnvelopes: number;
    /** Write sub-requests (every attempt: items answered 429 and sent again count twice). */
    readonly items: number;
    /** Write envelopes by number of items: `{"20": 120, "7": 3}`. */
    readonly envelopeSizes: Record<string, number>;
    /** Write items (and direct writes) by method and path template. */
    readonly byRoute: Record<string, number>;
    /** Write items (and direct writes) by answer status. */
    readonly statuses: Record<string, number>;
    /** From the first write request's arrival to the last write's answer. */
    readonly windowMs: number;
  };
}

interface Counting {
  tenantId: string;
  httpRequests: number;
  statuses: Record<string, number>;
  gets: number;
  readEnvelopes: number;
  readItems: number;
  direct: number;
  writeEnvelopes: number;
  writeItems: number;
  envelopeSizes: Record<string, number>;
  byRoute: Record<string, number>;
  writeStatuses: Record<string, number>;
  firstWriteAt: number | undefined;
  lastWriteAt: number | undefined;
  phase: string;
  phases: Record<string, { httpRequests: number; reads: number; writes: number }>;
}

interface BatchItem {
  readonly id?: unknown;
  readonly method?: unknown;
  readonly url?: unknown;
}

function add(map: Record<string, number>, key: string, n = 1): void {
  map[key] = (map[key] ?? 0) + n;
}

/** `/groups/{id}/members/$ref` from `https://…/v1.0/groups/<guid>/members/$ref?x=y`. */
export function routeTemplate(url: string): string {
  const path = url
    .replace(/^https?:\/\/[^/]+/i, '')
    .replace(/^\/(v1\.0|beta)(?=\/)/i, '')
    .split('?')[0]!;
  return (path.startsWith('/') ? path : `/${path}`).replace(GUID, '{id}');
}

/**
 * Records the Graph requests a tenant receives, per HTTP request: a `$batch` envelope is one
 * request, classed as a write when any of its items writes. Sits in front of the emulator's Graph
 * router (after its front door, which authenticates and throttles), so it sees what reached Graph.
 */
export class GraphTrafficRecorder {
  private current: Counting | undefined;

  /** Starts counting the requests of one tenant (a window: earlier counts are dropped). */
  start(tenantId: string): void {
    this.current = {
      tenantId: tenantId.toLowerCase(),
      httpRequests: 0,
      statuses: {},
      gets: 0,
      readEnvelopes: 0,
      readItems: 0,
      direct: 0,
      writeEnvelopes: 0,
      writeItems: 0,
      envelopeSizes: {},
      byRoute: {},
      writeStatuses: {},
      firstWriteAt: undefined,
      lastWriteAt: undefined,
      phase: 'start',
      phases: {},
    };
  }

  /** Counts what follows under another phase of the window as well. */
  phase(name: string): void {
    if (this.current !== undefined) this.current.phase = name;
  }

  /** Ends the window and returns its figures. */
  stop(): GraphTraffic {
    const c = this.current;
    if (c === undefined) throw new Error('GraphTrafficRecorder.stop() without start()');
    this.current = undefined;
    return {
      httpRequests: c.httpRequests,
      statuses: c.statuses,
      phases: c.phases,
      reads: {
        requests: c.gets + c.readEnvelopes,
        gets: c.gets,
        batchEnvelopes: c.readEnvelopes,
        batchItems: c.readItems,
      },
      writes: {
        requests: c.direct + c.writeEnvelopes,
        direct: c.direct,
        batchEnvelopes: c.writeEnvelopes,
        items: c.writeItems + c.direct,
        envelopeSizes: c.envelopeSizes,
        byRoute: Object.fromEntries(Object.entries(c.byRoute).sort(([, a], [, b]) => b - a)),
        statuses: c.writeStatuses,
        windowMs:
          c.firstWriteAt === undefined || c.lastWriteAt === undefined
            ? 0
            : Math.round(c.lastWriteAt - c.firstWriteAt),
      },
    };
  }

  /** Express middleware: mount in front of the Graph router. */
  middleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (req, res, next) => {
      if (this.current === undefined) return next();
      const arrived = performance.now();
      const isBatch = req.method === 'POST' && /\/\$batch\/?$/i.test(req.path);
      let answer: unknown;
      if (isBatch) {
        // The envelope's answer, to read the status of every item.
        const send = res.send.bind(res);
        res.send = ((body: unknown) => {
          answer = body;
          return send(body);
        }) as typeof res.send;
      }
      res.on('finish', () => {
        const c = this.current;
        const ctx = res.locals['graph'] as GraphRequestContext | undefined;
        if (c === undefined || ctx?.tenantId.toLowerCase() !== c.tenantId) return;
        this.record(c, req, res.statusCode, isBatch, answer, arrived);
      });
      next();
    };
  }

  private record(
    c: Counting,
    req: Request,
    status: number,
    isBatch: boolean,
    answer: unknown,
    arrived: number,
  ): void {
    c.httpRequests += 1;
    add(c.statuses, String(status));
    const phase = (c.phases[c.phase] ??= { httpRequests: 0, reads: 0, writes: 0 });
    phase.httpRequests += 1;
    const wrote = (): void => {
      phase.writes += 1;
      c.firstWriteAt = Math.min(c.firstWriteAt ?? arrived, arrived);
      c.lastWriteAt = Math.max(c.lastWriteAt ?? 0, performance.now());
    };
    if (!isBatch) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        c.gets += 1;
        phase.reads += 1;
        return;
      }
      c.direct += 1;
      add(c.byRoute, `${req.method} ${routeTemplate(req.path)}`);
      add(c.writeStatuses, String(status));
      wrote();
      return;
    }
    const items = ((req.body as { requests?: unknown } | undefined)?.requests ?? []) as BatchItem[];
    const writes = items.filter((item) => String(item.method).toUpperCase() !== 'GET');
    if (writes.length === 0) {
      c.readEnvelopes += 1;
      phase.reads += 1;
      c.readItems += items.length;
      return;
    }
    c.writeEnvelopes += 1;
    c.writeItems += writes.length;
    add(c.envelopeSizes, String(writes.length));
    wrote();
    const statuses = new Map<string, number>();
    try {
      const parsed = JSON.parse(String(answer)) as { responses?: { id?: unknown; status?: unknown }[] };
      for (const r of parsed.responses ?? []) statuses.set(String(r.id), Number(r.status));
    } catch {
      // An envelope refused as a whole (e.g. 429, 400): its items have no answers of their own.
    }
    for (const item of writes) {
      add(c.byRoute, `${String(item.method).toUpperCase()} ${routeTemplate(String(item.url))}`);
      add(c.writeStatuses, String(statuses.get(String(item.id)) ?? `envelope ${status}`));
    }
  }
}

/**
 * The emulator's generated directory (as `startEmulator` builds it by default), with the
 * recorder in front of its Graph router.
 */
export function recordedDirectory(recorder: GraphTrafficRecorder): DirectoryFactory<EmulatorWorld> {
  return (input) => {
    const world = createWorld({
      seed: input.seed,
      tenants: input.tenants,
      usersPerTenant: input.usersPerTenant,
      clock: input.clock,
      nonPremiumTenants: input.nonPremiumTenants,
    });
    const graphRouter = express.Router();
    graphRouter.use(recorder.middleware());
    graphRouter.use(createGraphRouter(world, { baseUrl: input.baseUrl }));
    return { world, graphRouter, tenantControlRouter: createTenantControlRouter(world) };
  };
}
