import { Injectable } from '@nestjs/common';
import type {
  AuditEvent,
  AuditFilter,
  AuditOutcome,
  AuditPage,
  AuditPrincipalKind,
} from '@entra-backup/common';
import { Clock } from '../../core/clock';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../core/http/keyset-cursor';
import {
  type AuditEventFilter,
  type AuditEventRecord,
  type AuditKeyset,
  type AuditScope,
  AuditTrailRepository,
} from '../../persistence/repositories';
import { AuditAction } from './audit-action';
import { type AuditedBy, toAuditContext } from './audit-context';
import { AuditException } from './audit.exception';

export interface AuditEntry {
  /** Who: the request's `AuditContext` (actor, kind, address), or a bare actor string off HTTP. */
  readonly actor: AuditedBy;
  readonly action: AuditAction;
  readonly tenantId: string | null;
  /** For partner-level events (staff, keys, onboarding links, partner contacts). */
  readonly partnerId?: string | null;
  /** Default `success`. */
  readonly outcome?: AuditOutcome;
  /** Facts of the event; never secrets (passwords, keys, tokens). */
  readonly details: Readonly<Record<string, unknown>>;
}

export type { AuditScope };

/** Events read per query while streaming a download. */
const EXPORT_PAGE = 500;

/**
 * Writes and reads the application audit trail. Every state change, sign-in and refusal goes
 * through `record`; there is no way to change or remove an event (append-only).
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly trail: AuditTrailRepository,
    private readonly clock: Clock,
  ) {}

  record(entry: AuditEntry): Promise<AuditEventRecord> {
    const by = toAuditContext(entry.actor);
    return this.trail.append({
      occurredAt: this.clock.now(),
      actor: by.actor,
      principalKind: by.principalKind,
      address: by.address,
      outcome: entry.outcome ?? 'success',
      tenantId: entry.tenantId,
      partnerId: entry.partnerId ?? null,
      action: entry.action,
      details: entry.details,
    });
  }

  listRecent(
    options: { readonly tenantId?: string; readonly limit?: number } = {},
  ): Promise<AuditEventRecord[]> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    return this.trail.listRecent({
      ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
      limit,
    });
  }

  /**
   * One page of the scope's events, newest first.
   * @throws AuditException AUDIT_INVALID_CURSOR for a cursor this service did not hand out
   */
  async page(
    scope: AuditScope,
    query: AuditFilter & { readonly cursor?: string | undefined; readonly limit: number },
  ): Promise<AuditPage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.trail.page(normalScope(scope), eventFilterOf(query), after, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toAuditEvent),
      nextCursor:
        rows.length > query.limit && last !== undefined
          ? encodeKeysetCursor({ occurredAt: last.occurredAt.toISOString(), id: last.id })
          : null,
    };
  }

  /** Every event of the scope matching the filter, newest first, read a page at a time. */
  async *stream(scope: AuditScope, filter: AuditFilter): AsyncGenerator<AuditEvent> {
    const eventFilter = eventFilterOf(filter);
    let after: AuditKeyset | undefined;
    for (;;) {
      const rows = await this.trail.page(normalScope(scope), eventFilter, after, EXPORT_PAGE);
      for (const row of rows) yield toAuditEvent(row);
      const last = rows[rows.length - 1];
      if (rows.length < EXPORT_PAGE || last === undefined) return;
      after = { occurredAt: last.occurredAt.toISOString(), id: last.id };
    }
  }

  /**
   * A download of the scope's events: recorded in the trail first (an export like any other), then
   * streamed by the caller.
   */
  async download(
    by: AuditedBy,
    scope: AuditScope,
    format: 'csv' | 'json',
    filter: AuditFilter,
  ): Promise<{ fileName: string; events: AsyncGenerator<AuditEvent> }> {
    const tenantId = 'tenantId' in scope ? scope.tenantId.toLowerCase() : null;
    const partnerId = 'partnerId' in scope ? scope.partnerId : null;
    await this.record({
      actor: by,
      action: AuditAction.EXPORT_DOWNLOADED,
      tenantId,
      partnerId,
      details: { kind: 'audit-log', format, filter },
    });
    const day = this.clock.now().toISOString().slice(0, 10);
    const owner = tenantId === null ? `partner-${partnerId ?? ''}` : `tenant-${tenantId}`;
    return { fileName: `entra-backup-audit-${owner}-${day}.${format}`, events: this.stream(scope, filter) };
  }
}

function normalScope(scope: AuditScope): AuditScope {
  return 'tenantId' in scope ? { tenantId: scope.tenantId.toLowerCase() } : scope;
}

function decodeCursor(cursor: string): AuditKeyset {
  const keyset = decodeKeysetCursor(cursor);
  if (keyset === undefined) throw AuditException.invalidCursor();
  return keyset;
}

/** `auth.signed-in,backup.*` -> exact actions and categories. */
function eventFilterOf(filter: AuditFilter): AuditEventFilter {
  const items = (filter.action ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  const categories = items.filter((item) => !item.includes('.') || item.endsWith('.*'));
  const actions = items.filter((item) => !categories.includes(item));
  return {
    ...(actions.length > 0 ? { actions } : {}),
    ...(categories.length > 0 ? { categories: categories.map((item) => item.replace(/\.\*$/, '')) } : {}),
    ...(filter.actor === undefined ? {} : { actorContains: filter.actor }),
    ...(filter.outcome === undefined ? {} : { outcome: filter.outcome }),
    ...(filter.from === undefined ? {} : { from: filter.from }),
    ...(filter.to === undefined ? {} : { to: filter.to }),
  };
}

export function toAuditEvent(record: AuditEventRecord): AuditEvent {
  return {
    id: record.id,
    occurredAt: record.occurredAt.toISOString(),
    action: record.action,
    actor: record.actor,
    principalKind: record.principalKind as AuditPrincipalKind,
    tenantId: record.tenantId,
    partnerId: record.partnerId,
    address: record.address,
    outcome: record.outcome as AuditOutcome,
    details: record.details,
  };
}
