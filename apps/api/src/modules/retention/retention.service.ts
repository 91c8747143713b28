import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  DEFAULT_RETENTION_POLICY,
  type PruneFigures,
  type PruneRunResponse,
  type PruneTrigger,
  type RetentionPolicy,
  type RetentionPreviewResponse,
  type RetentionSettingsResponse,
  type UpdateRetentionRequest,
} from '@entra-backup/common';
import { Clock } from '../../core/clock/clock';
import {
  BackupPruneRepository,
  type PrunableSnapshot,
} from '../../persistence/repositories/backup-prune.repository';
import {
  emptyFigures,
  type PruneRunRecord,
  RetentionPolicyRepository,
  type StoredRetentionPolicy,
} from '../../persistence/repositories/retention-policy.repository';
import { AuditAction } from '../audit/audit-action';
import { actorOf, type AuditedBy } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { BackupLeaseService } from '../backup-storage/backup-lease.service';
import { TenantsService } from '../tenants/tenants.service';
import { PruneEvents } from './prune-events';
import { type RetentionSelection, selectRetained } from './retention-policy';

const DAY_MS = 86_400_000;
/** A tenant is pruned by the schedule once its last prune is this old. */
export const PRUNE_INTERVAL_MS = DAY_MS;

/**
 * Called by a prune between its steps (each a committed transaction), and inside each deleting
 * transaction before it commits, with the step's name; a test makes it throw to stop the prune
 * there, as a crash would (a throw inside a transaction rolls it back, as a kill does).
 */
export type PruneCheckpoint = (step: string) => void;

export interface PruneOptions {
  readonly trigger: PruneTrigger;
  readonly by: AuditedBy;
  readonly checkpoint?: PruneCheckpoint;
  /** Object versions or log entries per transaction (default 500). */
  readonly batchRows?: number;
}

interface PrunePlan {
  readonly policy: RetentionPolicy;
  readonly selection: RetentionSelection<PrunableSnapshot>;
  readonly logCutoff: Date;
}

/**
 * Retention: each tenant's policy and legal hold, "calculate effect", and pruning. The preview
 * and the prune compute the same plan (`plan`) and measure with the same predicates the deletes
 * use (`BackupPruneRepository`), so a prune frees what its preview showed.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly tenants: TenantsService,
    private readonly policies: RetentionPolicyRepository,
    private readonly storage: BackupPruneRepository,
    private readonly leases: BackupLeaseService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: PruneEvents,
  ) {}

  /** @throws TenantException TENANT_NOT_FOUND */
  async getSettings(tenantId: string): Promise<RetentionSettingsResponse> {
    const { tenantId: id } = await this.tenants.get(tenantId);
    const stored = await this.policies.find(id);
    const last = await this.policies.latestRun(id);
    return {
      tenantId: id,
      policy: stored?.policy ?? DEFAULT_RETENTION_POLICY,
      isDefault: stored === null,
      legalHold: stored?.legalHold ?? false,
      legalHoldReason: stored?.legalHoldReason ?? null,
      updatedAt: stored?.updatedAt.toISOString() ?? null,
      updatedBy: stored?.updatedBy ?? null,
      lastPrune: last === null ? null : toResponse(last),
    };
  }

  /**
   * Saves the policy and/or places or releases the legal hold; records one audit event per change.
   * @throws TenantException TENANT_NOT_FOUND
   */
  async update(
    tenantId: string,
    change: UpdateRetentionRequest,
    by: AuditedBy,
  ): Promise<RetentionSettingsResponse> {
    const current = await this.getSettings(tenantId);
    const id = current.tenantId;
    const policy = change.policy ?? current.policy;
    const legalHold = change.legalHold ?? current.legalHold;
    const legalHoldReason = legalHold
      ? change.legalHoldReason !== undefined
        ? change.legalHoldReason || null
        : current.legalHoldReason
      : null;
    const policyChanged =
      JSON.stringify(policy) !== JSON.stringify(current.policy) ||
      (current.isDefault && change.policy !== undefined);
    const holdChanged =
      legalHold !== current.legalHold || (legalHold && legalHoldReason !== current.legalHoldReason);
    if (!policyChanged && !holdChanged) return current;

    const stored: StoredRetentionPolicy = {
      tenantId: id,
      policy,
      legalHold,
      legalHoldReason,
      updatedAt: this.clock.now(),
      updatedBy: actorOf(by),
    };
    await this.policies.save(stored);
    if (policyChanged) {
      await this.audit.record({
        actor: by,
        action: AuditAction.RETENTION_UPDATED,
        tenantId: id,
        details: { before: current.policy, after: policy },
      });
    }
    if (holdChanged) {
      await this.audit.record({
        actor: by,
        action: legalHold ? AuditAction.LEGAL_HOLD_PLACED : AuditAction.LEGAL_HOLD_RELEASED,
        tenantId: id,
        details: legalHold ? { reason: legalHoldReason } : {},
      });
    }
    return this.getSettings(id);
  }

  /**
   * "Calculate effect": what pruning now with `policy` (default: the saved one) would remove and free.
   * @throws TenantException TENANT_NOT_FOUND
   */
  async preview(tenantId: string, policy?: RetentionPolicy): Promise<RetentionPreviewResponse> {
    const settings = await this.getSettings(tenantId);
    const now = this.clock.now();
    const plan = await this.plan(settings.tenantId, policy ?? settings.policy, now);
    const freed = await this.measure(settings.tenantId, plan);
    return {
      tenantId: settings.tenantId,
      policy: plan.policy,
      computedAt: now.toISOString(),
      legalHold: settings.legalHold,
      snapshotsKept: plan.selection.kept.length,
      snapshotsPruned: plan.selection.pruned.map((s) => ({
        snapshotId: s.id,
        seq: s.seq,
        createdAt: s.createdAt.toISOString(),
      })),
      freed,
    };
  }

  /**
   * Prunes the tenant by its saved policy, under its backup lease: makes the expired snapshots
   * invisible, then deletes, in bounded transactions, the object versions no kept snapshot
   * holds, the log entries past retention, and the blobs nothing references any more. Never
   * throws for a failed prune: the outcome is recorded (`prune_run`), audited and announced
   * through `PruneEvents`. A legal hold makes it `held`, a running backup `skipped`.
   * @throws TenantException TENANT_NOT_FOUND
   */
  async prune(tenantId: string, options: PruneOptions): Promise<PruneRunResponse> {
    const settings = await this.getSettings(tenantId);
    const id = settings.tenantId;
    const startedAt = this.clock.now();
    const base: PruneRunRecord = {
      id: randomUUID(),
      tenantId: id,
      trigger: options.trigger,
      status: 'running',
      actor: actorOf(options.by),
      startedAt,
      finishedAt: null,
      freed: emptyFigures(),
      reason: null,
    };
    if (settings.legalHold) {
      const reason = `A legal hold suspends pruning${settings.legalHoldReason ? ` (${settings.legalHoldReason})` : ''}`;
      return this.finish({ ...base, status: 'held', reason }, options.by, true);
    }
    const lease = await this.leases.tryAcquire(id);
    if (lease === null) {
      return this.finish(
        { ...base, status: 'skipped', reason: 'A backup of the tenant is running' },
        options.by,
        true,
      );
    }
    let lost: unknown;
    const keepAlive = this.leases.keepAlive(lease, (error) => {
      lost = error;
    });
    const freed = emptyFigures();
    const collect = options.batchRows === undefined ? {} : { batchRows: options.batchRows };
    const checkpoint = (step: string) => {
      if (lost !== undefined) throw lost instanceof Error ? lost : new Error(String(lost));
      options.checkpoint?.(step);
    };
    try {
      // A prune killed midway could not report itself: it is reported now, as failed.
      for (const abandoned of await this.policies.failAbandonedRuns(id, startedAt)) {
        this.logger.warn(`Prune ${abandoned.id} of tenant ${id} had stopped midway; marked failed`);
        await this.announce(abandoned, abandoned.actor);
      }
      await this.policies.insertRun(base);
      const plan = await this.plan(id, settings.policy, startedAt);
      checkpoint('plan');
      freed.snapshots = await this.storage.markPruned(
        id,
        plan.selection.pruned.map((s) => s.id),
      );
      checkpoint('snapshots');
      for (;;) {
        const batch = await this.storage.collectVersions(id, {
          ...collect,
          beforeCommit: () => checkpoint('versions:before-commit'),
        });
        if (batch.rows === 0) break;
        freed.objectVersions += batch.rows;
        freed.blobs += batch.blobs;
        freed.bytes += batch.bytes;
        checkpoint('versions');
      }
      for (;;) {
        const batch = await this.storage.collectLogs(id, plan.logCutoff, {
          ...collect,
          beforeCommit: () => checkpoint('logs:before-commit'),
        });
        if (batch.rows === 0) break;
        freed.logEntries += batch.rows;
        freed.blobs += batch.blobs;
        freed.bytes += batch.bytes;
        checkpoint('logs');
      }
      return await this.finish({ ...base, status: 'completed', freed }, options.by, false);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error(`Prune of tenant ${id} failed: ${reason}`);
      return this.finish({ ...base, status: 'failed', freed, reason }, options.by, false);
    } finally {
      keepAlive.stop();
      await this.leases.release(lease);
    }
  }

  /** The schedule: prunes every tenant whose last prune is a day old or more (or never ran). */
  async pruneDue(): Promise<PruneRunResponse[]> {
    const last = await this.policies.lastFinishedAt();
    const now = this.clock.now().getTime();
    const out: PruneRunResponse[] = [];
    for (const tenant of (await this.tenants.list()).items) {
      const at = last.get(tenant.tenantId);
      if (at !== undefined && now - at.getTime() < PRUNE_INTERVAL_MS) continue;
      out.push(await this.prune(tenant.tenantId, { trigger: 'schedule', by: 'schedule' }));
    }
    return out;
  }

  private async plan(tenantId: string, policy: RetentionPolicy, now: Date): Promise<PrunePlan> {
    const snapshots = await this.storage.visibleSnapshots(tenantId);
    const pinned = await this.storage.pinnedSnapshotIds(tenantId);
    return {
      policy,
      selection: selectRetained(snapshots, policy, now, pinned),
      logCutoff: new Date(now.getTime() - policy.logDays * DAY_MS),
    };
  }

  private async measure(tenantId: string, plan: PrunePlan): Promise<PruneFigures> {
    const figures = await this.storage.measure(
      tenantId,
      plan.selection.pruned.map((s) => s.seq),
      plan.logCutoff,
    );
    return { snapshots: plan.selection.pruned.length, ...figures };
  }

  private async finish(run: PruneRunRecord, by: AuditedBy, insert: boolean): Promise<PruneRunResponse> {
    const finished: PruneRunRecord = { ...run, finishedAt: this.clock.now() };
    if (insert) await this.policies.insertRun(finished);
    else await this.policies.finishRun(finished);
    return this.announce(finished, by);
  }

  /** Audits the end of a prune and tells the `PruneEvents` listeners. */
  private async announce(run: PruneRunRecord, by: AuditedBy): Promise<PruneRunResponse> {
    const response = toResponse(run);
    await this.audit.record({
      actor: by,
      action: AuditAction.PRUNE_RUN,
      tenantId: run.tenantId,
      outcome: run.status === 'failed' ? 'failed' : 'success',
      details: {
        pruneRunId: run.id,
        trigger: run.trigger,
        status: run.status,
        freed: run.freed,
        reason: run.reason,
      },
    });
    await this.events.emit({ tenantId: run.tenantId, run: response });
    return response;
  }
}

function toResponse(run: PruneRunRecord): PruneRunResponse {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    actor: run.actor,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    freed: run.freed,
    reason: run.reason,
  };
}
