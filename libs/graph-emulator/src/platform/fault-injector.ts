import { z } from 'zod';
import type { EmulatorClock } from '../shared/world-port';

/**
 * Fault injection for Graph requests, set by CLI flags / options and at run time with `PUT /_emulator/faults`.
 * Every random decision comes from a PRNG seeded by `seed`, so a run is reproducible.
 */
const faultRuleSchema = z.strictObject({
  /** Glob on the request path, with or without the version (`/users`, `/v1.0/groups/*\/members`, `/users/{id}`). */
  path: z.string().min(1),
  method: z.string().toUpperCase().optional(),
  /** Fires on the nth matching request (1-based)... */
  nth: z.number().int().min(1),
  /** ...and on this many consecutive matching requests from there. */
  times: z.number().int().min(1).default(1),
  status: z.number().int().min(400).max(599).optional(),
  code: z.string().min(1).optional(),
  message: z.string().optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  /** Destroy the connection instead of answering. */
  drop: z.boolean().default(false),
});

export const faultConfigSchema = z.strictObject({
  seed: z.number().int().default(1),
  /** Share of Graph requests answered with one of `errorStatuses`. */
  errorRate: z.number().min(0).max(1).default(0),
  errorStatuses: z
    .array(z.union([z.literal(500), z.literal(503), z.literal(504)]))
    .min(1)
    .default([500, 503, 504]),
  /** Retry-After sent with injected 503s. */
  retryAfterSeconds: z.number().int().min(0).max(3600).default(5),
  /** Added latency: fixed part plus a uniform random part. */
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  latencyJitterMs: z.number().int().min(0).max(120_000).default(0),
  /** 429 storm: the next `requests` Graph requests, or all requests for `durationMs`, are throttled. */
  storm: z
    .strictObject({
      requests: z.number().int().min(1).optional(),
      durationMs: z.number().int().min(1).optional(),
      retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    })
    .refine((s) => s.requests !== undefined || s.durationMs !== undefined, {
      message: 'storm needs requests or durationMs',
    })
    .optional(),
  /** Requests that carry `$skiptoken` answered 400 Directory_ExpiredPageToken: at this rate, and/or on the nth such request. */
  expiredPageTokenRate: z.number().min(0).max(1).default(0),
  expiredPageTokenNth: z.number().int().min(1).optional(),
  /** Share of Graph requests whose connection is destroyed without an answer. */
  dropRate: z.number().min(0).max(1).default(0),
  /**
   * Replication delay: for this long after an object is created (emulator clock), a write that references it
   * (member, owner, manager, role or app role assignment, grant, eligibility) fails at `replicationDelayRate` with
   * `replicationDelayStatus`: 400 "The source resource object or one of the objects being referenced do not exist."
   * as documented for https://learn.microsoft.com/graph/api/group-post-members, or 404 Request_ResourceNotFound.
   */
  replicationDelayMs: z.number().int().min(0).max(3_600_000).default(0),
  replicationDelayRate: z.number().min(0).max(1).default(0),
  replicationDelayStatus: z.union([z.literal(400), z.literal(404)]).default(400),
  rules: z.array(faultRuleSchema).default([]),
  /**
   * An outage of the identity platform: `true` takes every identity endpoint down (sign-in,
   * consent, tokens, discovery) as in an outage of login.microsoftonline.com; `'sign-in'` only
   * interactive sign-in (authorize, admin consent, sign-out), as when people cannot sign in while
   * app-only tokens are still issued. Those requests answer 503 `temporarily_unavailable`; Graph
   * keeps accepting the tokens it issued before.
   */
  identityOutage: z.union([z.boolean(), z.literal('sign-in')]).default(false),
});

export type FaultConfigInput = z.input<typeof faultConfigSchema>;
export type FaultConfig = z.output<typeof faultConfigSchema>;

export interface FaultRequest {
  method: string;
  /** Full path, e.g. `/v1.0/users`. */
  path: string;
  /** Path template, e.g. `/v1.0/users/{id}`. */
  template: string;
  hasSkipToken: boolean;
}

export type FaultOutcome =
  | { kind: 'drop' }
  | { kind: 'error'; status: number; code: string; message: string; retryAfterSeconds?: number };

export interface FaultDecision {
  latencyMs: number;
  outcome?: FaultOutcome;
}

export interface FaultState {
  config: FaultConfig;
  storm?: { remainingRequests?: number; until?: string };
  ruleMatches: number[];
  skipTokenRequests: number;
  /** Writes refused as not yet replicated since the configuration was applied. */
  replicationFaults: number;
}

const DEFAULT_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: 'BadRequest', message: 'The request is malformed or incorrect.' },
  401: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' },
  403: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
  404: { code: 'Request_ResourceNotFound', message: 'The requested resource does not exist.' },
  409: { code: 'conflict', message: 'The current state conflicts with what the request expects.' },
  410: {
    code: 'resyncRequired',
    message: 'The delta token is no longer valid, and the app must reset the sync state.',
  },
  429: {
    code: 'TooManyRequests',
    message: 'Too many requests. Please retry after the number of seconds in the Retry-After header.',
  },
  500: { code: 'generalException', message: 'An unspecified error has occurred.' },
  502: { code: 'generalException', message: 'Bad gateway.' },
  503: {
    code: 'serviceNotAvailable',
    message:
      'The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay, which may be specified in a Retry-After header.',
  },
  504: {
    code: 'generalException',
    message:
      'The server, while acting as a proxy, did not receive a timely response from the upstream server it needed to access in attempting to complete the request.',
  },
};

export interface ReplicationLagFault {
  status: 400 | 404;
  code: string;
  message: string;
}

/** What real tenants return on long user enumerations when a `$skiptoken` has gone stale (see graph-reference §2.1). */
export const EXPIRED_PAGE_TOKEN = {
  status: 400,
  code: 'Directory_ExpiredPageToken',
  message: 'The specified page token value has expired and can no longer be included in your request.',
} as const;

export function defaultGraphError(status: number): { code: string; message: string } {
  return (
    DEFAULT_ERRORS[status] ?? { code: 'generalException', message: 'An unspecified error has occurred.' }
  );
}

/** The endpoints a person's browser goes through to sign in, consent or sign out. */
const INTERACTIVE_SIGN_IN = /\/(oauth2\/v2\.0\/(authorize|logout)|(v2\.0\/)?adminconsent)$/;

export class FaultInjector {
  private config: FaultConfig;
  private random: () => number = mulberry32(1);
  private stormRemaining: number | undefined;
  private stormUntil: number | undefined;
  private ruleMatches: number[] = [];
  private skipTokenRequests = 0;
  /** A stream of its own, so replication faults do not shift the other seeded decisions. */
  private replicationRandom: () => number = mulberry32(1);
  private replicationFaults = 0;

  constructor(
    private readonly clock: EmulatorClock,
    private readonly initial: FaultConfigInput = {},
  ) {
    this.config = this.apply(initial);
  }

  /** Replaces the configuration (validated; throws a ZodError on bad input) and restarts all counters. */
  configure(input: unknown): FaultConfig {
    this.config = this.apply(faultConfigSchema.parse(input));
    return this.config;
  }

  reset(): void {
    this.config = this.apply(this.initial);
  }

  state(): FaultState {
    return {
      config: this.config,
      ...(this.stormRemaining !== undefined || this.stormUntil !== undefined
        ? {
            storm: {
              ...(this.stormRemaining !== undefined ? { remainingRequests: this.stormRemaining } : {}),
              ...(this.stormUntil !== undefined ? { until: new Date(this.stormUntil).toISOString() } : {}),
            },
          }
        : {}),
      ruleMatches: [...this.ruleMatches],
      skipTokenRequests: this.skipTokenRequests,
      replicationFaults: this.replicationFaults,
    };
  }

  /** Whether an identity platform request to `path` falls in the configured outage (`identityOutage`). */
  identityUnavailable(path: string): boolean {
    const outage = this.config.identityOutage;
    if (outage === 'sign-in') return INTERACTIVE_SIGN_IN.test(path);
    return outage;
  }

  decide(req: FaultRequest): FaultDecision {
    const c = this.config;
    const latencyMs =
      c.latencyMs + (c.latencyJitterMs > 0 ? Math.floor(this.random() * (c.latencyJitterMs + 1)) : 0);
    return { latencyMs, ...this.outcome(req) };
  }

  private outcome(req: FaultRequest): { outcome?: FaultOutcome } {
    const c = this.config;
    for (const [i, rule] of c.rules.entries()) {
      if (rule.method !== undefined && rule.method !== req.method) continue;
      if (!globMatches(rule.path, req)) continue;
      const n = (this.ruleMatches[i] ?? 0) + 1;
      this.ruleMatches[i] = n;
      if (n >= rule.nth && n < rule.nth + rule.times) {
        if (rule.drop) return { outcome: { kind: 'drop' } };
        const status = rule.status ?? 500;
        const defaults = defaultGraphError(status);
        const retryAfterSeconds =
          rule.retryAfterSeconds ?? (status === 429 || status === 503 ? c.retryAfterSeconds : undefined);
        return {
          outcome: {
            kind: 'error',
            status,
            code: rule.code ?? defaults.code,
            message: rule.message ?? defaults.message,
            ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
          },
        };
      }
    }
    if (c.storm) {
      const now = this.clock.now();
      const inCount = this.stormRemaining !== undefined && this.stormRemaining > 0;
      const inTime = this.stormUntil !== undefined && now < this.stormUntil;
      if (inCount || inTime) {
        if (inCount && this.stormRemaining !== undefined) this.stormRemaining -= 1;
        const remainingS =
          inTime && this.stormUntil !== undefined ? Math.ceil((this.stormUntil - now) / 1000) : 0;
        const defaults = defaultGraphError(429);
        return {
          outcome: {
            kind: 'error',
            status: 429,
            ...defaults,
            retryAfterSeconds: Math.max(c.storm.retryAfterSeconds, remainingS),
          },
        };
      }
    }
    if (c.dropRate > 0 && this.random() < c.dropRate) return { outcome: { kind: 'drop' } };
    if (c.errorRate > 0 && this.random() < c.errorRate) {
      const status = c.errorStatuses[Math.floor(this.random() * c.errorStatuses.length)] ?? 500;
      return {
        outcome: {
          kind: 'error',
          status,
          ...defaultGraphError(status),
          ...(status === 503 ? { retryAfterSeconds: c.retryAfterSeconds } : {}),
        },
      };
    }
    if (req.hasSkipToken) {
      this.skipTokenRequests += 1;
      const nth = c.expiredPageTokenNth !== undefined && this.skipTokenRequests === c.expiredPageTokenNth;
      const rate = c.expiredPageTokenRate > 0 && this.random() < c.expiredPageTokenRate;
      if (nth || rate) return { outcome: { kind: 'error', ...EXPIRED_PAGE_TOKEN } };
    }
    return {};
  }

  /**
   * Whether a write that references an object created `ageMs` ago fails as not yet replicated (one seeded draw per
   * write). Undefined when it goes through.
   */
  replicationLag(ageMs: number, id: string): ReplicationLagFault | undefined {
    const c = this.config;
    if (c.replicationDelayMs === 0 || c.replicationDelayRate === 0 || ageMs >= c.replicationDelayMs)
      return undefined;
    if (this.replicationRandom() >= c.replicationDelayRate) return undefined;
    this.replicationFaults += 1;
    return c.replicationDelayStatus === 404
      ? {
          status: 404,
          code: 'Request_ResourceNotFound',
          message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
        }
      : {
          status: 400,
          code: 'Request_BadRequest',
          message: 'The source resource object or one of the objects being referenced do not exist.',
        };
  }

  private apply(input: FaultConfigInput): FaultConfig {
    const config = faultConfigSchema.parse(input);
    this.random = mulberry32(config.seed);
    this.replicationRandom = mulberry32(config.seed ^ 0x5eed);
    this.replicationFaults = 0;
    this.ruleMatches = config.rules.map(() => 0);
    this.skipTokenRequests = 0;
    this.stormRemaining = config.storm?.requests;
    this.stormUntil =
      config.storm?.durationMs !== undefined ? this.clock.now() + config.storm.durationMs : undefined;
    return config;
  }
}

function globMatches(pattern: string, req: FaultRequest): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('**')
      .map((part) => part.split('*').map(escapeRegex).join('[^/]*'))
      .join('.*')}$`,
    'i',
  );
  const strip = (p: string): string => p.replace(/^\/(v1\.0|beta)(?=\/)/, '');
  return [req.path, strip(req.path), req.template, strip(req.template)].some((candidate) =>
    regex.test(candidate),
  );
}

function escapeRegex(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Small, fast, seedable PRNG (public domain). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
