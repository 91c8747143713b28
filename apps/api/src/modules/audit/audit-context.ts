import type { AuditPrincipalKind } from '@entra-backup/common';
import type { Actor } from './audit-action';

/**
 * Who acted and from where, for the audit trail: derived from the request's principal by the
 * controller (`@CurrentAuditContext()`) and passed down to the service that records the event.
 * Not request-scoped state: it travels as an argument.
 */
export interface AuditContext {
  readonly actor: Actor;
  readonly principalKind: AuditPrincipalKind;
  /** The caller's network address; null off HTTP (CLI, schedule). */
  readonly address: string | null;
}

/**
 * What services accept as "who": a full context from an HTTP request, or a bare actor string from
 * callers without a request (CLI, schedule, older code), whose kind is read from its prefix.
 */
export type AuditedBy = Actor | AuditContext;

/** The actor whose credentials were missing or not accepted. */
export const ANONYMOUS_ACTOR: Actor = 'anonymous';

/** The audit context of a request's principal (a signed-in person, an API key, a break-glass account). */
export function auditContextOf(principal: {
  readonly kind: 'person' | 'api-key' | 'emergency';
  readonly actor: Actor;
  readonly address: string | null;
}): AuditContext {
  return { actor: principal.actor, principalKind: principal.kind, address: principal.address };
}

/** A context for `by`: a context as it is, an actor string with its kind read from its prefix. */
export function toAuditContext(by: AuditedBy): AuditContext {
  return typeof by === 'string' ? { actor: by, principalKind: principalKindOf(by), address: null } : by;
}

/** The actor string of `by` (for records that keep who started them, such as a run's `actor`). */
export function actorOf(by: AuditedBy): Actor {
  return typeof by === 'string' ? by : by.actor;
}

/** `user:` person, `key:` API key, `emergency:` break-glass, `cli:` command line, else the service. */
export function principalKindOf(actor: Actor): AuditPrincipalKind {
  if (actor.startsWith('user:')) return 'person';
  if (actor.startsWith('key:')) return 'api-key';
  if (actor.startsWith('emergency:')) return 'emergency';
  if (actor.startsWith('cli:')) return 'cli';
  if (actor === ANONYMOUS_ACTOR) return 'anonymous';
  return 'system';
}
