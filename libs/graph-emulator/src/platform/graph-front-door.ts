import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { GraphRequestContext } from '../shared/graph-context';
import { graphErrorBody } from '../shared/graph-error';
import type { TokenService } from '../identity/token-service';
import type { FaultInjector } from './fault-injector';
import { pathTemplate } from './path-template';
import type { PlatformRequestHooks, SubRequestAdmission } from './platform-hooks';
import type { RequestCounters } from './request-counters';
import type { RequestLog } from './request-log';
import type { RetryAfterTracker, ThrottleEngine, ThrottleRequest } from './throttling';

export interface GraphFrontDoorDeps {
  tokens: TokenService;
  throttle: ThrottleEngine;
  faults: FaultInjector;
  counters: RequestCounters;
  retryAfter: RetryAfterTracker;
  /** Every Graph request and `$batch` item, for tests (`GET /_emulator/requests`). */
  requestLog?: RequestLog;
  /** Emulator clock, for the request log's timestamps. */
  now?: () => number;
  /** Waits for injected latency; real timers by default. */
  sleep?: (ms: number) => Promise<void>;
}

/** The JSON content type Graph answers with. */
export const GRAPH_JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

const VERSIONED = /^\/(v1\.0|beta)(\/|$)/;

/**
 * Everything that happens to a `/v1.0` or `/beta` request before the Graph router sees it: Graph's response
 * headers, bearer-token validation, fault injection and throttling. On success `res.locals.graph` holds the
 * `GraphRequestContext` and `res.locals.platform` the `PlatformRequestHooks`.
 */
export function createGraphFrontDoor(deps: GraphFrontDoorDeps): RequestHandler {
  const sleep = deps.sleep ?? ((ms: number) => delay(ms));
  const now = deps.now ?? (() => Date.now());
  return (req: Request, res: Response, next: NextFunction): void => {
    const match = VERSIONED.exec(req.path);
    if (!match) return next();
    const version = match[1] as 'v1.0' | 'beta';
    const requestId = randomUUID();
    const clientRequestIdHeader = req.headers['client-request-id'];
    const clientRequestId =
      typeof clientRequestIdHeader === 'string' && clientRequestIdHeader ? clientRequestIdHeader : undefined;
    res.setHeader('request-id', requestId);
    res.setHeader('client-request-id', clientRequestId ?? requestId);
    res.setHeader(
      'x-ms-ags-diagnostic',
      JSON.stringify({
        ServerInfo: {
          DataCenter: 'Local Emulator',
          Slice: 'E',
          Ring: '5',
          ScaleUnit: '000',
          RoleInstance: 'EMULATOR',
        },
      }),
    );
    res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', GRAPH_JSON_CONTENT_TYPE);
    keepGraphContentType(res);

    const template = pathTemplate(req.path);
    const sendError = (
      status: number,
      code: string,
      message: string,
      headers: Record<string, string> = {},
    ): void => {
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      res
        .status(status)
        .send(JSON.stringify(graphErrorBody(code, message, requestId, clientRequestId ?? requestId)));
    };

    res.on('finish', () => deps.counters.recordResponse(req.method, template, res.statusCode));
    const logged: { tenantId: string | null; appId: string | null } = { tenantId: null, appId: null };
    // Routers mounted further down rewrite req.url; keep what the client sent.
    const sentPath = req.path;
    const sentUrl = req.originalUrl;
    const log = (status: number | 'dropped'): void =>
      deps.requestLog?.record({
        at: new Date(now()).toISOString(),
        method: req.method.toUpperCase(),
        path: sentPath,
        url: sentUrl,
        status,
        tenantId: logged.tenantId,
        appId: logged.appId,
        requestId,
        batched: false,
      });
    res.on('finish', () => log(res.statusCode));

    const authorization = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.*)$/i.exec(authorization)?.[1]?.trim() ?? '';
    const check = deps.tokens.checkGraphToken(bearer);
    if (!check.ok) {
      // https://learn.microsoft.com/graph/errors: 401 InvalidAuthenticationToken, with the Bearer challenge.
      return sendError(401, 'InvalidAuthenticationToken', check.message, {
        'WWW-Authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
      });
    }
    const claims = check.claims;
    const roles = Array.isArray(claims['roles'])
      ? claims['roles'].filter((r): r is string => typeof r === 'string')
      : [];
    const scp = typeof claims['scp'] === 'string' ? claims['scp'] : '';
    const kind: GraphRequestContext['kind'] = claims['idtyp'] === 'app' || !scp ? 'app' : 'delegated';
    const appId = String(claims['appid'] ?? claims['azp'] ?? '');
    const tenantId = String(claims['tid']);
    logged.tenantId = tenantId.toLowerCase();
    logged.appId = appId;
    const context: GraphRequestContext = {
      tenantId,
      appId,
      kind,
      roles: kind === 'app' ? roles : [],
      scopes: scp.split(' ').filter((s) => s.length > 0),
      ...(kind === 'delegated' && typeof claims['oid'] === 'string' ? { userId: claims['oid'] } : {}),
      requestId,
      ...(clientRequestId !== undefined ? { clientRequestId } : {}),
      version,
    };

    // A retry is the same request from the same app in the same tenant; it is early if sent before the
    // Retry-After of its last 429/503 elapsed. Clients keep a request's `client-request-id` across its
    // retries (the Graph SDKs do), so that id identifies the request: two different requests may share a
    // URL (every `$batch` envelope does; two readers may list the same collection at once). Without the
    // header the method and URL stand for the request, except for `$batch` envelopes, whose items are
    // tracked one by one instead.
    const isBatchEnvelope = req.method === 'POST' && /\/\$batch$/.test(req.path);
    const retryKey =
      clientRequestId !== undefined
        ? `${appId}|${tenantId}|client-request-id|${clientRequestId}`
        : isBatchEnvelope
          ? undefined
          : `${appId}|${tenantId}|${req.method}|${req.originalUrl}`;
    if (retryKey !== undefined && deps.retryAfter.isEarly(retryKey)) deps.counters.recordEarlyRetry();
    res.on('finish', () => {
      const retryAfter = Number(res.getHeader('Retry-After'));
      if (
        retryKey !== undefined &&
        (res.statusCode === 429 || res.statusCode === 503) &&
        Number.isFinite(retryAfter) &&
        retryAfter > 0
      ) {
        deps.retryAfter.note(retryKey, retryAfter);
      }
    });

    const unversionedPath = req.path.slice(version.length + 1) || '/';
    const hasSkipToken = new URL(req.originalUrl, 'https://emulator.invalid').searchParams.has('$skiptoken');
    const decision = deps.faults.decide({ method: req.method, path: req.path, template, hasSkipToken });

    const proceed = (): void => {
      const outcome = decision.outcome;
      if (outcome?.kind === 'drop') {
        deps.counters.recordFault();
        deps.counters.recordResponse(req.method, template, 'dropped');
        log('dropped');
        req.socket.destroy();
        return;
      }
      if (outcome?.kind === 'error') {
        deps.counters.recordFault();
        return sendError(
          outcome.status,
          outcome.code,
          outcome.message,
          outcome.retryAfterSeconds !== undefined ? { 'Retry-After': String(outcome.retryAfterSeconds) } : {},
        );
      }
      // A $batch envelope costs nothing itself; its sub-requests are admitted one by one.
      if (unversionedPath !== '/$batch') {
        const admission = deps.throttle.admit(
          throttleRequest(context, req.method, unversionedPath, req.originalUrl),
        );
        if (!admission.allowed) return sendError(429, admission.code, admission.message, admission.headers);
        for (const [k, v] of Object.entries(admission.headers)) res.setHeader(k, v);
      }
      res.locals['graph'] = context;
      const hooks: PlatformRequestHooks = {
        admitSubRequest: (sub) => admitSubRequest(deps, context, sub, requestId, clientRequestId),
        replicationLag: (ageMs, id) => {
          const fault = deps.faults.replicationLag(ageMs, id);
          if (fault) deps.counters.recordFault();
          return fault;
        },
        recordSubRequest: (sub) => {
          const url = `/${version}${batchItemPath(sub.url)}`;
          deps.requestLog?.record({
            at: new Date(now()).toISOString(),
            method: sub.method.toUpperCase(),
            path: url.split('?')[0] ?? url,
            url,
            status: sub.status,
            tenantId: tenantId.toLowerCase(),
            appId,
            requestId,
            batched: true,
            batchItemId: sub.id,
          });
        },
      };
      res.locals['platform'] = hooks;
      next();
    };

    if (decision.latencyMs > 0) {
      sleep(decision.latencyMs).then(proceed).catch(next);
    } else {
      proceed();
    }
  };
}

/**
 * Express's `res.send` re-serialises the content type (`application/json; odata.metadata=minimal; ...; ieee754compatible=false`);
 * put back Graph's exact spelling just before the head is written.
 */
function keepGraphContentType(res: Response): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
    const type = res.getHeader('Content-Type');
    if (typeof type === 'string' && /^application\/json;\s*odata\.metadata=minimal/i.test(type)) {
      res.setHeader('Content-Type', GRAPH_JSON_CONTENT_TYPE);
    }
    return writeHead.apply(this, args);
  } as Response['writeHead'];
}

function throttleRequest(
  context: GraphRequestContext,
  method: string,
  path: string,
  url: string,
): ThrottleRequest {
  const params = new URL(url, 'https://emulator.invalid').searchParams;
  const top = params.get('$top');
  const topNumber = top !== null && /^\d+$/.test(top) ? Number(top) : undefined;
  return {
    appId: context.appId,
    tenantId: context.tenantId,
    method: method.toUpperCase(),
    path: safeDecode(path),
    query: {
      select: params.has('$select'),
      expand: params.has('$expand'),
      ...(topNumber !== undefined ? { top: topNumber } : {}),
    },
  };
}

function admitSubRequest(
  deps: GraphFrontDoorDeps,
  context: GraphRequestContext,
  sub: { method: string; url: string },
  requestId: string,
  clientRequestId: string | undefined,
): SubRequestAdmission {
  const relative = sub.url.startsWith('/') ? sub.url : `/${sub.url}`;
  const path = relative.split('?')[0] ?? relative;
  // Same key as the request sent on its own, so a retry inside or outside a batch is recognised.
  const retryKey = `${context.appId}|${context.tenantId}|${sub.method.toUpperCase()}|/${context.version}${relative}`;
  if (deps.retryAfter.isEarly(retryKey)) deps.counters.recordEarlyRetry();
  const decision = deps.throttle.admit(throttleRequest(context, sub.method, path, relative));
  if (decision.allowed) return { allowed: true, headers: decision.headers };
  if (decision.headers['Retry-After'] !== undefined)
    deps.retryAfter.note(retryKey, decision.retryAfterSeconds);
  deps.counters.recordResponse(
    sub.method.toUpperCase(),
    `${pathTemplate(`/${context.version}${path}`)} ($batch item)`,
    429,
  );
  return {
    allowed: false,
    status: 429,
    headers: decision.headers,
    body: graphErrorBody(decision.code, decision.message, requestId, clientRequestId ?? requestId),
  };
}

/** A batch item's url relative to the version root: `users?$top=1`, `/users`, `https://host/v1.0/users` -> `/users...`. */
function batchItemPath(url: string): string {
  const relative = url.replace(/^https?:\/\/[^/]+/i, '').replace(/^\/?(v1\.0|beta)(?=\/)/i, '');
  return relative.startsWith('/') ? relative : `/${relative}`;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
