import { Injectable } from '@nestjs/common';
import { Clock } from '../../core/clock';
import { AuditTrailRepository, type AuditEventRecord } from '../../persistence/repositories';
import type { Actor, AuditAction } from './audit-action';

export interface AuditEntry {
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly tenantId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** Writes the application audit trail; every state change goes through `record`. */
@Injectable()
export class AuditService {
  constructor(
    private readonly trail: AuditTrailRepository,
    private readonly clock: Clock,
  ) {}

  record(entry: AuditEntry): Promise<AuditEventRecord> {
    return this.trail.append({ ...entry, occurredAt: this.clock.now() });
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
}
