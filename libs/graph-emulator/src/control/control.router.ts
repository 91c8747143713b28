import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z, ZodError } from 'zod';
import { AppRegistrationError, type AppRegistry } from '../identity/app-registry';
import type { ConsentLog } from '../identity/consent-log';
import type { FaultInjector } from '../platform/fault-injector';
import type { RequestCounters } from '../platform/request-counters';
import type { RequestLog } from '../platform/request-log';
import type { EmulatorClock } from '../shared/world-port';

export interface ControlRouterDeps {
  apps: AppRegistry;
  consents: ConsentLog;
  faults: FaultInjector;
  counters: RequestCounters;
  /** The Graph request log (`GET`/`DELETE /_emulator/requests`). */
  requests?: RequestLog;
  clock: EmulatorClock;
  /** Puts the whole emulator back to its start state (directory, grants, consents, apps, faults, counters, throttling). */
  reset(): void;
  /** The directory's tenant control API (edits as an admin would, ground truth), mounted at `/tenants`. */
  tenantControlRouter?: Router;
}

const clockSchema = z.union([
  z.strictObject({ advanceMs: z.number().int() }),
  z.strictObject({ advanceSeconds: z.number() }),
  z.strictObject({ set: z.iso.datetime({ offset: true }) }),
]);

const requestsQuerySchema = z.strictObject({
  method: z.string().min(1).optional(),
  tenant: z.string().min(1).optional(),
  batched: z.enum(['true', 'false']).optional(),
  writes: z.enum(['true', 'false']).optional(),
});

const appSchema = z.strictObject({
  clientId: z.string(),
  clientSecret: z.string().min(1).optional(),
  displayName: z.string(),
  redirectUris: z.array(z.string()).default([]),
  requiredAppRoles: z.array(z.string().min(1)).default([]),
  certificatePem: z.string().optional(),
});

/**
 * The emulator's own control API under `/_emulator`: plain JSON, never Graph-shaped, never under a Graph path.
 */
export function createControlRouter(deps: ControlRouterDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.get('/', (_req, res) => {
    res.json({
      endpoints: [
        'POST /_emulator/reset',
        'GET|PUT /_emulator/faults',
        'GET|DELETE /_emulator/counters',
        ...(deps.requests ? ['GET|DELETE /_emulator/requests'] : []),
        'GET|POST /_emulator/clock',
        'GET|POST /_emulator/apps',
        'GET /_emulator/consents',
        ...(deps.tenantControlRouter ? ['/_emulator/tenants/...'] : []),
      ],
      now: new Date(deps.clock.now()).toISOString(),
    });
  });

  router.post('/reset', (_req, res) => {
    deps.reset();
    res.json({ reset: true, now: new Date(deps.clock.now()).toISOString() });
  });

  router.get('/faults', (_req, res) => {
    res.json(deps.faults.state());
  });
  router.put('/faults', (req, res) => {
    deps.faults.configure(req.body ?? {});
    res.json(deps.faults.state());
  });

  router.get('/counters', (_req, res) => {
    res.json(deps.counters.snapshot());
  });
  router.delete('/counters', (_req, res) => {
    deps.counters.reset();
    res.status(204).end();
  });

  if (deps.requests) {
    const requests = deps.requests;
    // `?method=POST`, `?tenant=<id>`, `?batched=true|false`, `?writes=true` (anything but GET, $batch items counted, envelopes not).
    router.get('/requests', (req, res) => {
      const query = requestsQuerySchema.parse(req.query);
      const filter = {
        ...(query.method !== undefined ? { method: query.method } : {}),
        ...(query.tenant !== undefined ? { tenantId: query.tenant } : {}),
        ...(query.batched !== undefined ? { batched: query.batched === 'true' } : {}),
      };
      const value = query.writes === 'true' ? requests.writes(filter) : requests.list(filter);
      res.json({ count: value.length, evicted: requests.evictedCount, capacity: requests.capacity, value });
    });
    router.delete('/requests', (_req, res) => {
      requests.clear();
      res.status(204).end();
    });
  }

  router.get('/clock', (_req, res) => {
    res.json({ now: new Date(deps.clock.now()).toISOString() });
  });
  router.post('/clock', (req, res) => {
    const body = clockSchema.parse(req.body);
    if ('advanceMs' in body) deps.clock.advance(body.advanceMs);
    else if ('advanceSeconds' in body) deps.clock.advance(Math.round(body.advanceSeconds * 1000));
    else deps.clock.set(Date.parse(body.set));
    res.json({ now: new Date(deps.clock.now()).toISOString() });
  });

  router.get('/apps', (_req, res) => {
    res.json({ value: deps.apps.list() });
  });
  router.post('/apps', (req, res) => {
    const parsed = appSchema.parse(req.body);
    res.status(201).json(deps.apps.register(parsed));
  });

  router.get('/consents', (_req, res) => {
    res.json({ value: deps.consents.list() });
  });

  if (deps.tenantControlRouter) router.use('/tenants', deps.tenantControlRouter);

  router.use((req, res) => {
    res.status(404).json({
      error: 'not_found',
      message: `No emulator control endpoint ${req.method} /_emulator${req.path}.`,
    });
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof ZodError) {
      res.status(400).json({
        error: 'invalid_request',
        message: err.issues
          .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'body'}: ${i.message}`)
          .join('; '),
      });
      return;
    }
    if (err instanceof SyntaxError || (err as { type?: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: 'invalid_request', message: 'The body is not valid JSON.' });
      return;
    }
    if (err instanceof AppRegistrationError) {
      res.status(400).json({ error: 'invalid_request', message: err.message });
      return;
    }
    next(err);
  });
  return router;
}
