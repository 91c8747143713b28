import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { DatabaseGate } from '../database-gate';
import { AppAuditEventEntity, TenantEntity } from '../entities';

export type AuditPrincipalKindValue = 'person' | 'api-key' | 'emergency' | 'cli' | 'system' | 'anonymous';
export type AuditOutcomeValue = 'success' | 'refused' | 'failed';

export interface NewAuditEvent {
  readonly occurredAt: Date;
  readonly actor: string;
  /** Default `system`. */
  readonly principalKind?: AuditPrincipalKindValue;
  readonly address?: string | null;
  /** Default `success`. */
  readonly outcome?: AuditOutcomeValue;
  readonly tenantId: string | null;
  readonly partnerId?: string | null;
  readonly action: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditEventRecord {
  readonly id: string;
  readonly occurredAt: Date;
  readonly actor: string;
  readonly principalKind: string;
  readonly address: string | null;
  readonly outcome: string;
  readonly tenantId: string | null;
  readonly partnerId: string | null;
  readonly action: string;
  readonly details: Record<string, unknown>;
}

/** Whose events: one tenant's, or a partner's own plus those of the tenants it manages. */
export type AuditScope = { readonly tenantId: string } | { readonly partnerId: string };

export interface AuditEventFilter {
  /** Exact actions. */
  readonly actions?: readonly string[];
  /** Categories: `backup` selects `backup.*`. */
  readonly categories?: readonly string[];
  /** Part of the actor, case-insensitive. */
  readonly actorContains?: string;
  readonly outcome?: string;
  /** At or after (ISO 8601 UTC, as stored). */
  readonly from?: string;
  /** Before. */
  readonly to?: string;
}

/** Where the previous page ended (newest first): its last event's time and id. */
export interface AuditKeyset {
  readonly occurredAt: string;
  readonly id: string;
}

/**
 * The application audit trail. Append-only: there is deliberately no update or delete, here or
 * anywhere else; an event once written stays as it was.
 */
@Injectable()
export class AuditTrailRepository {
  constructor(private readonly gate: DatabaseGate) {}

  async append(event: NewAuditEvent): Promise<AuditEventRecord> {
    const entity = Object.assign(new AppAuditEventEntity(), {
      id: randomUUID(),
      occurredAt: event.occurredAt,
      actor: event.actor,
      principalKind: event.principalKind ?? 'system',
      address: event.address ?? null,
      outcome: event.outcome ?? 'success',
      tenantId: event.tenantId,
      partnerId: event.partnerId ?? null,
      action: event.action,
      details: JSON.stringify(event.details),
    });
    await this.gate.run((db) => db.getRepository(AppAuditEventEntity).insert(entity));
    return toRecord(entity);
  }

  /** Newest first; optionally only the events of one tenant. */
  async listRecent(options: {
    readonly tenantId?: string;
    readonly limit: number;
  }): Promise<AuditEventRecord[]> {
    const rows = await this.gate.run((db) =>
      db.getRepository(AppAuditEventEntity).find({
        where: options.tenantId === undefined ? {} : { tenantId: options.tenantId },
        order: { occurredAt: 'DESC', id: 'DESC' },
        take: options.limit,
      }),
    );
    return rows.map(toRecord);
  }

  /**
   * One page of a scope's events, newest first (`occurred_at`, then `id`, both descending),
   * starting after `after`. Keyset paging: a page costs the same however deep it is, and events
   * appended meanwhile neither shift nor repeat the pages that follow.
   */
  async page(
    scope: AuditScope,
    filter: AuditEventFilter,
    after: AuditKeyset | undefined,
    limit: number,
  ): Promise<AuditEventRecord[]> {
    const rows = await this.gate.run((db) => {
      const query = db.getRepository(AppAuditEventEntity).createQueryBuilder('e');
      applyScope(query, scope);
      applyFilter(query, filter);
      if (after !== undefined) {
        query.andWhere('(e.occurred_at < :afterAt OR (e.occurred_at = :afterAt AND e.id < :afterId))', {
          afterAt: after.occurredAt,
          afterId: after.id,
        });
      }
      return query.orderBy('e.occurred_at', 'DESC').addOrderBy('e.id', 'DESC').limit(limit).getMany();
    });
    return rows.map(toRecord);
  }
}

function applyScope(query: SelectQueryBuilder<AppAuditEventEntity>, scope: AuditScope): void {
  if ('tenantId' in scope) {
    query.where('e.tenant_id = :tenantId', { tenantId: scope.tenantId });
    return;
  }
  const managed = query
    .subQuery()
    .select('t.id')
    .from(TenantEntity, 't')
    .where('t.partner_id = :partnerId')
    .getQuery();
  query.where(`(e.partner_id = :partnerId OR e.tenant_id IN ${managed})`, { partnerId: scope.partnerId });
}

function applyFilter(query: SelectQueryBuilder<AppAuditEventEntity>, filter: AuditEventFilter): void {
  const actions = filter.actions ?? [];
  const categories = filter.categories ?? [];
  if (actions.length > 0 || categories.length > 0) {
    const alternatives: string[] = [];
    const parameters: Record<string, unknown> = {};
    if (actions.length > 0) {
      alternatives.push('e.action IN (:...actions)');
      parameters['actions'] = actions;
    }
    categories.forEach((category, i) => {
      alternatives.push(`e.action LIKE :category${i}`);
      // Categories are [a-z0-9-] only (validated), so they carry no LIKE wildcard of their own.
      parameters[`category${i}`] = `${category}.%`;
    });
    query.andWhere(`(${alternatives.join(' OR ')})`, parameters);
  }
  if (filter.actorContains !== undefined) {
    query.andWhere("LOWER(e.actor) LIKE :actor ESCAPE '\\'", {
      actor: `%${escapeLike(filter.actorContains.toLowerCase())}%`,
    });
  }
  if (filter.outcome !== undefined) query.andWhere('e.outcome = :outcome', { outcome: filter.outcome });
  if (filter.from !== undefined) query.andWhere('e.occurred_at >= :from', { from: filter.from });
  if (filter.to !== undefined) query.andWhere('e.occurred_at < :to', { to: filter.to });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toRecord(entity: AppAuditEventEntity): AuditEventRecord {
  return {
    id: entity.id,
    occurredAt: entity.occurredAt,
    actor: entity.actor,
    principalKind: entity.principalKind,
    address: entity.address,
    outcome: entity.outcome,
    tenantId: entity.tenantId,
    partnerId: entity.partnerId,
    action: entity.action,
    details: JSON.parse(entity.details) as Record<string, unknown>,
  };
}
