import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../core/clock';
import { IdempotencyRepository } from '../../persistence/repositories/idempotency.repository';
import { IdempotencyException } from './idempotency.exception';

/** How long a key's answer is kept and replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/**
 * A claim still `pending` this long after it was made belongs to a request whose process died
 * before it could store the answer; the key may then be used again. Far longer than any request
 * takes (a restore plan takes its fresh backup within the request).
 */
export const STALE_CLAIM_MS = 3600_000;

const KEY_PATTERN = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;

/** Who sends the key on which route: keys of different principals or routes never meet. */
export interface IdempotencyScope {
  /** `person:<upn>`, `api-key:<key id>`, ... */
  readonly principal: string;
  /** `POST /api/tenants/<id>/backups` (lower-case, without a version segment). */
  readonly route: string;
  /** The client's `Idempotency-Key`. */
  readonly key: string;
}

export type IdempotencyDecision =
  | { readonly kind: 'proceed'; readonly scopeHash: string }
  | { readonly kind: 'replay'; readonly status: number; readonly body: unknown };

/**
 * `Idempotency-Key` for triggers and restores: the first request with a key claims it in the
 * database before doing its work (the primary key decides between concurrent duplicates, across
 * processes), and stores its answer; repeats get that answer without the work being done again,
 * for a day. A request that fails gives its claim up, so the client may retry with the same key.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * @throws IdempotencyException IDEMPOTENCY_KEY_INVALID, IDEMPOTENCY_KEY_REUSED (another body),
   *   IDEMPOTENCY_REQUEST_IN_PROGRESS (the first request is still running)
   */
  async begin(scope: IdempotencyScope, body: unknown): Promise<IdempotencyDecision> {
    if (!KEY_PATTERN.test(scope.key)) throw IdempotencyException.invalidKey();
    const scopeHash = sha256(`${scope.principal}\n${scope.route}\n${scope.key}`);
    const requestHash = sha256(canonicalJson(body ?? {}));
    // Two rounds: the second follows the removal of an expired or abandoned record.
    for (let round = 0; round < 2; round += 1) {
      const now = this.clock.now();
      const claimed = await this.records.claim({
        scopeHash,
        principal: scope.principal.slice(0, 300),
        route: scope.route.slice(0, 512),
        requestHash,
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      });
      if (claimed) return { kind: 'proceed', scopeHash };
      const existing = await this.records.find(scopeHash);
      if (existing === null) continue; // released or swept meanwhile: claim again
      const expired = existing.expiresAt.getTime() <= now.getTime();
      const abandoned =
        existing.state === 'pending' && now.getTime() - existing.createdAt.getTime() >= STALE_CLAIM_MS;
      if (expired || abandoned) {
        await this.records.removeStale(scopeHash, existing.createdAt);
        continue;
      }
      if (existing.requestHash !== requestHash) throw IdempotencyException.reused();
      if (existing.state !== 'done' || existing.responseStatus === null || existing.responseBody === null) {
        throw IdempotencyException.inProgress();
      }
      return {
        kind: 'replay',
        status: existing.responseStatus,
        body: JSON.parse(existing.responseBody) as unknown,
      };
    }
    throw IdempotencyException.inProgress();
  }

  /** Stores the answer of a request that claimed its key. */
  complete(scopeHash: string, status: number, body: unknown): Promise<void> {
    return this.records.complete(scopeHash, status, JSON.stringify(body ?? null));
  }

  /** The request failed: the key is free again. */
  release(scopeHash: string): Promise<void> {
    return this.records.release(scopeHash);
  }

  /** Forgets answers older than a day. */
  sweep(): Promise<number> {
    return this.records.deleteExpired(this.clock.now());
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
