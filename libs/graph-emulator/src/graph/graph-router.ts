import express, { type Request, type Response, type Router } from 'express';
import type { EmulatorWorld } from '../directory/world';
import type { PlatformRequestHooks } from '../platform/platform-hooks';
import type { GraphRequestContext } from '../shared/graph-context';
import { GraphHttpError, graphErrorBody } from '../shared/graph-error';
import {
  fromDirectoryError,
  type GraphRequest,
  type GraphResponse,
  type GraphVersion,
  type HttpMethod,
  type RouteDef,
} from './graph-core';
import { GRAPH_ROUTES } from './routes';
import { auditWrite } from './write-audit';

export interface BatchSubRequestInfo {
  /** The sub-request's `id` in the batch. */
  id: string;
  method: string;
  /** Relative URL as sent in the batch (`/users?$top=5`). */
  url: string;
  headers: Record<string, string>;
  ctx: GraphRequestContext;
}

export interface GraphRouterOptions {
  /**
   * Wraps every `$batch` sub-request so the platform can throttle, count or fault it like a
   * top-level request. Return the response of `run()` or one of your own (e.g. a 429).
   */
  batchSubRequestHook?: (
    sub: BatchSubRequestInfo,
    run: () => GraphResponse,
  ) => GraphResponse | Promise<GraphResponse>;
  /** Public origin for absolute links (`https://127.0.0.1:8443`); by default taken from each request. */
  baseUrl?: string;
}

const JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const MAX_BATCH = 20;

interface CompiledRoute {
  route: RouteDef;
  segments: string[];
  literals: number;
}

const COMPILED: CompiledRoute[] = GRAPH_ROUTES.map((route) => {
  const segments = route.path.split('/').filter((s) => s.length > 0);
  return { route, segments, literals: segments.filter((s) => !s.startsWith('{')).length };
});

/** Splits a path into segments, turning key-as-segment forms like `directoryRoles(roleTemplateId='x')` into two. */
function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const raw of path.split('/')) {
    if (!raw) continue;
    const segment = decodeURIComponent(raw);
    const keyed = /^([A-Za-z]+)\((?:([A-Za-z]+)=)?'?([^')]+)'?\)$/.exec(segment);
    if (keyed) {
      out.push(keyed[1]!);
      out.push(keyed[2] ? `${keyed[2]}=${keyed[3]}` : keyed[3]!);
    } else out.push(segment);
  }
  return out;
}

function matchRoute(
  method: string,
  version: GraphVersion,
  segments: string[],
): { route: RouteDef; params: Record<string, string> } {
  let best: { route: RouteDef; params: Record<string, string>; literals: number } | undefined;
  let pathMatched = false;
  for (const c of COMPILED) {
    if (c.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let okMatch = true;
    for (let i = 0; i < c.segments.length; i++) {
      const pattern = c.segments[i]!;
      const actual = segments[i]!;
      if (pattern.startsWith('{')) {
        if (actual.startsWith('$')) {
          okMatch = false;
          break;
        }
        params[pattern.slice(1, -1)] = actual;
      } else if (pattern.toLowerCase() !== actual.toLowerCase()) {
        okMatch = false;
        break;
      }
    }
    if (!okMatch || (c.route.versions && !c.route.versions.includes(version))) continue;
    pathMatched = true;
    if (c.route.method !== method) continue;
    if (!best || c.literals > best.literals) best = { route: c.route, params, literals: c.literals };
  }
  if (best) return best;
  if (pathMatched)
    throw new GraphHttpError(
      405,
      'Request_BadRequest',
      'Specified HTTP method is not allowed for the request target.',
    );
  const last = segments[segments.length - 1] ?? '';
  throw new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${last}'.`);
}

function checkPermission(route: RouteDef, ctx: GraphRequestContext): void {
  const granted = ctx.kind === 'app' ? ctx.roles : ctx.scopes;
  if (
    !route.permissions.some((p) => granted.includes(p)) ||
    !(route.alsoRequires ?? []).every((p) => granted.includes(p))
  ) {
    throw new GraphHttpError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  }
}

function errorResponse(e: unknown, ctx: GraphRequestContext): GraphResponse {
  const mapped = fromDirectoryError(e);
  if (mapped instanceof GraphHttpError) {
    return {
      status: mapped.status,
      headers: mapped.headers,
      body: graphErrorBody(
        mapped.code,
        mapped.message,
        ctx.requestId,
        ctx.clientRequestId ?? ctx.requestId,
        mapped.details,
      ),
    };
  }
  // A bug in the emulator, not a Graph behaviour: keep the details in the server log, not in the response.
  console.error('Graph emulator: unexpected error', e);
  return {
    status: 500,
    body: graphErrorBody(
      'generalException',
      'An unexpected error occurred in the emulated service.',
      ctx.requestId,
      ctx.clientRequestId ?? ctx.requestId,
    ),
  };
}

export interface DispatchInput {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
  ctx: GraphRequestContext;
  baseUrl: string;
  /** The platform's hooks for this request (replication-delay faults), when behind the front door. */
  platform?: PlatformRequestHooks;
}

export class GraphDispatcher {
  constructor(
    private readonly world: EmulatorWorld,
    private readonly options: GraphRouterOptions = {},
  ) {}

  /** Runs one Graph request against the world; never throws. */
  dispatch(input: DispatchInput): GraphResponse {
    try {
      const tenant = this.world.directory(input.ctx.tenantId);
      if (!tenant)
        throw new GraphHttpError(
          401,
          'InvalidAuthenticationToken',
          'Access token validation failure. Invalid audience.',
        );
      const segments = splitPath(input.path);
      const method = input.method.toUpperCase() as HttpMethod;
      const { route, params } = matchRoute(method, input.ctx.version, segments);
      checkPermission(route, input.ctx);
      const req: GraphRequest = {
        method,
        version: input.ctx.version,
        path: `/${input.path
          .split('/')
          .filter((s) => s)
          .join('/')}`,
        query: input.query,
        headers: input.headers,
        body: input.body,
        ctx: input.ctx,
        baseUrl: input.baseUrl,
        tenant,
        world: this.world,
        ...(input.platform ? { platform: input.platform } : {}),
      };
      const response = route.handle(req, params);
      auditWrite(req, segments, response);
      return response;
    } catch (e) {
      return errorResponse(e, input.ctx);
    }
  }

  /** JSON batching: https://learn.microsoft.com/graph/json-batching */
  async batch(input: DispatchInput, platform?: PlatformRequestHooks): Promise<GraphResponse> {
    const body = input.body as { requests?: unknown } | null;
    const requests =
      body && Array.isArray(body.requests) ? (body.requests as Array<Record<string, unknown>>) : undefined;
    if (!requests)
      return errorResponse(new GraphHttpError(400, 'BadRequest', 'Invalid batch payload format.'), input.ctx);
    if (requests.length > MAX_BATCH)
      return errorResponse(
        new GraphHttpError(
          400,
          'BadRequest',
          `Number of batch request steps exceeds the maximum of ${MAX_BATCH}.`,
        ),
        input.ctx,
      );
    const ids = new Set<string>();
    for (const r of requests) {
      const id =
        typeof r['id'] === 'string' ? r['id'] : typeof r['id'] === 'number' ? String(r['id']) : undefined;
      if (!id || typeof r['method'] !== 'string' || typeof r['url'] !== 'string') {
        return errorResponse(
          new GraphHttpError(400, 'BadRequest', 'Each batch request needs an id, a method and a url.'),
          input.ctx,
        );
      }
      if (ids.has(id.toLowerCase()))
        return errorResponse(
          new GraphHttpError(400, 'BadRequest', `Batch request contains duplicate id '${id}'.`),
          input.ctx,
        );
      ids.add(id.toLowerCase());
      if (
        r['body'] !== undefined &&
        !(
          r['headers'] &&
          typeof r['headers'] === 'object' &&
          Object.keys(r['headers'] as object).some((h) => h.toLowerCase() === 'content-type')
        )
      ) {
        return errorResponse(
          new GraphHttpError(
            400,
            'BadRequest',
            `Write request id : ${id} does not contain Content-Type header or body.`,
          ),
          input.ctx,
        );
      }
    }
    for (const r of requests) {
      for (const dep of (r['dependsOn'] as unknown[] | undefined) ?? []) {
        if (!ids.has(String(dep).toLowerCase()))
          return errorResponse(
            new GraphHttpError(
              400,
              'BadRequest',
              `Request '${String(r['id'])}' depends on unknown request '${String(dep)}'.`,
            ),
            input.ctx,
          );
      }
    }
    // Run in dependency order (dependsOn may point at a later item); a cycle is a malformed batch.
    const ordered: Array<Record<string, unknown>> = [];
    const placed = new Set<string>();
    while (ordered.length < requests.length) {
      const ready = requests.filter(
        (r) =>
          !placed.has(String(r['id']).toLowerCase()) &&
          ((r['dependsOn'] as unknown[] | undefined) ?? []).every((d) => placed.has(String(d).toLowerCase())),
      );
      if (ready.length === 0) {
        return errorResponse(
          new GraphHttpError(400, 'BadRequest', 'The dependsOn references of the batch form a cycle.'),
          input.ctx,
        );
      }
      for (const r of ready) {
        placed.add(String(r['id']).toLowerCase());
        ordered.push(r);
      }
    }
    const statuses = new Map<string, number>();
    const responses: Array<Record<string, unknown>> = [];
    for (const r of ordered) {
      const id = String(r['id']);
      const deps = ((r['dependsOn'] as unknown[] | undefined) ?? []).map((d) => String(d).toLowerCase());
      const failedDep = deps.find((d) => {
        const s = statuses.get(d);
        return s === undefined || s >= 400;
      });
      let result: GraphResponse;
      if (failedDep !== undefined) {
        result = errorResponse(new GraphHttpError(424, 'BadRequest', 'Failed dependency'), input.ctx);
      } else {
        const url = String(r['url']);
        const relative = url.replace(/^https?:\/\/[^/]+/i, '').replace(/^\/(v1\.0|beta)(?=\/)/, '');
        const qIndex = relative.indexOf('?');
        const path = qIndex < 0 ? relative : relative.slice(0, qIndex);
        const query = new URLSearchParams(qIndex < 0 ? '' : relative.slice(qIndex + 1));
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries((r['headers'] as Record<string, unknown> | undefined) ?? {}))
          headers[k.toLowerCase()] = String(v);
        const subBody =
          typeof r['body'] === 'string' && (headers['content-type'] ?? '').includes('json')
            ? safeJson(r['body'])
            : r['body'];
        const run = () =>
          path.toLowerCase() === '/$batch'
            ? errorResponse(
                new GraphHttpError(400, 'BadRequest', 'Nested batch requests are not supported.'),
                input.ctx,
              )
            : this.dispatch({
                ...input,
                method: String(r['method']),
                path: path.startsWith('/') ? path : `/${path}`,
                query,
                headers,
                body: subBody,
              });
        const info: BatchSubRequestInfo = {
          id,
          method: String(r['method']).toUpperCase(),
          url,
          headers,
          ctx: input.ctx,
        };
        if (this.options.batchSubRequestHook) result = await this.options.batchSubRequestHook(info, run);
        else if (platform) {
          // Each sub-request is throttled individually; a throttled one is a 429 inside the 200 envelope.
          const admission = platform.admitSubRequest({ method: info.method, url });
          if (admission.allowed) {
            const inner = run();
            result = { ...inner, headers: { ...admission.headers, ...(inner.headers ?? {}) } };
          } else result = { status: admission.status, headers: admission.headers, body: admission.body };
        } else result = run();
      }
      statuses.set(id.toLowerCase(), result.status);
      platform?.recordSubRequest?.({
        id,
        method: String(r['method']).toUpperCase(),
        url: String(r['url']),
        status: result.status,
      });
      const item: Record<string, unknown> = {
        id,
        status: result.status,
        headers: {
          'Content-Type': result.text !== undefined ? 'text/plain' : JSON_CONTENT_TYPE.split(';')[0]!,
          ...(result.headers ?? {}),
        },
      };
      if (result.body !== undefined) item['body'] = result.body;
      else if (result.text !== undefined) item['body'] = result.text;
      responses.push(item);
    }
    return { status: 200, body: { responses } };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function baseUrlOf(req: Request): string {
  const forwardedProto = String(req.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim();
  const proto = forwardedProto || req.protocol;
  const host = String(req.headers['x-forwarded-host'] ?? req.headers.host ?? 'localhost');
  return `${proto}://${host}`;
}

function send(res: Response, result: GraphResponse, ctx: GraphRequestContext | undefined): void {
  if (ctx) {
    if (!res.getHeader('request-id')) res.setHeader('request-id', ctx.requestId);
    if (!res.getHeader('client-request-id'))
      res.setHeader('client-request-id', ctx.clientRequestId ?? ctx.requestId);
  }
  for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
  res.status(result.status);
  if (result.text !== undefined) {
    res.setHeader('Content-Type', 'text/plain;charset=utf-8');
    res.send(result.text);
  } else if (result.body !== undefined) {
    res.setHeader('Content-Type', JSON_CONTENT_TYPE);
    res.send(JSON.stringify(result.body));
  } else res.end();
}

/**
 * Microsoft Graph v1.0 and beta over the emulated directory. Mount at `/v1.0` and `/beta` after the
 * middleware that validates the token and sets `res.locals.graph` (a GraphRequestContext).
 */
export function createGraphRouter(world: EmulatorWorld, options: GraphRouterOptions = {}): Router {
  const dispatcher = new GraphDispatcher(world, options);
  const router = express.Router();
  router.use(express.json({ limit: '4mb', type: ['application/json', 'application/*+json'] }));
  router.use((req: Request, res: Response) => {
    const ctx = res.locals['graph'] as GraphRequestContext | undefined;
    if (!ctx) {
      send(
        res,
        { status: 401, body: graphErrorBody('InvalidAuthenticationToken', 'Access token is empty.') },
        undefined,
      );
      return;
    }
    const url = req.originalUrl;
    const qIndex = url.indexOf('?');
    const query = new URLSearchParams(qIndex < 0 ? '' : url.slice(qIndex + 1));
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers))
      headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
    // Mounted either at /v1.0 and /beta, or at the root (then the version prefix is still in the path).
    const path = req.path.replace(/^\/(v1\.0|beta)(?=\/|$)/i, '') || '/';
    const platform = res.locals['platform'] as PlatformRequestHooks | undefined;
    const input: DispatchInput = {
      method: req.method,
      path,
      query,
      headers,
      body: req.body,
      ctx,
      baseUrl: options.baseUrl ?? baseUrlOf(req),
      ...(platform ? { platform } : {}),
    };
    if (path.replace(/\/$/, '').toLowerCase() === '/$batch') {
      if (req.method !== 'POST') {
        send(
          res,
          errorResponse(
            new GraphHttpError(
              405,
              'Request_BadRequest',
              'Specified HTTP method is not allowed for the request target.',
            ),
            ctx,
          ),
          ctx,
        );
        return;
      }
      dispatcher.batch(input, platform).then(
        (result) => send(res, result, ctx),
        (e: unknown) => send(res, errorResponse(e, ctx), ctx),
      );
      return;
    }
    send(res, dispatcher.dispatch(input), ctx);
  });
  // Malformed JSON bodies get Graph's error shape instead of Express's HTML page.
  router.use((err: unknown, _req: Request, res: Response, next: (e?: unknown) => void) => {
    const ctx = res.locals['graph'] as GraphRequestContext | undefined;
    if (!(err instanceof SyntaxError) && (err as { type?: string } | null)?.type !== 'entity.parse.failed')
      return next(err);
    send(
      res,
      {
        status: 400,
        body: graphErrorBody(
          'BadRequest',
          'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
          ctx?.requestId,
          ctx?.clientRequestId ?? ctx?.requestId,
        ),
      },
      ctx,
    );
  });
  return router;
}

/** Every emulated route with the application permissions it accepts (least privileged first). */
export const GRAPH_PERMISSIONS: ReadonlyArray<{
  method: HttpMethod;
  path: string;
  versions: readonly GraphVersion[];
  permissions: readonly string[];
  alsoRequires: readonly string[];
}> = GRAPH_ROUTES.map((r) => ({
  method: r.method,
  path: r.path,
  versions: r.versions ?? ['v1.0', 'beta'],
  permissions: r.permissions,
  alsoRequires: r.alsoRequires ?? [],
}));
