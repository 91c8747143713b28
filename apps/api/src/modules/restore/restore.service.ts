import { randomUUID } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import {
  emptyRestoreCounts,
  isObjectTypeKey,
  OBJECT_TYPE_KEYS,
  type ObjectTypeKey,
  type RestoreAction,
  type RestoreActionKind,
  type RestoreActionPage,
  type RestoreCounts,
  type RestoreCredential,
  type RestorePlanSummary,
  type RestoreProgressEvent,
  type RestoreRun,
  type RestoreRunPage,
  type RestoreUnrecoverable,
  restorePlanRequestSchema,
} from '@entra-backup/common';
import { GraphClientFactory } from '@entra-backup/graph';
import { Observable, ReplaySubject } from 'rxjs';
import { Clock } from '../../core/clock/clock';
import { InFlightRuns, isServiceStopping } from '../../core/lifecycle/in-flight-runs';
import {
  type ActionRecord,
  type PlanRecord,
  RestoreRepository,
  type RunRecord,
} from '../../persistence/repositories/restore.repository';
import { AuditService } from '../audit/audit.service';
import { AuditAction } from '../audit/audit-action';
import { actorOf, type AuditedBy } from '../audit/audit-context';
import { BackupException, BackupExceptionCode } from '../backup/backup.exception';
import { BackupService } from '../backup/backup.service';
import { type BackupLease, BackupLeaseService } from '../backup-storage/backup-lease.service';
import { BackupReaderService } from '../backup-storage/backup-reader.service';
import { PayloadCodec } from '../backup-storage/codec/payload-codec';
import { collectionPermissionsOf } from '../exporters/permissions';
import { DESCRIPTORS } from '../exporters/registry';
import { RESTORE_PHASE_NAMES, type RestorePhase } from '../exporters/restore-spec';
import { TenantsService } from '../tenants/tenants.service';
import { mapDomains, RestoreExecutor } from './execute/restore-executor';
import { RestorePlanner, type SnapshotSide, type StoredObject } from './plan/restore-planner';
import { RestoreException } from './restore.exception';
import type { CreatePlanOptions, PageQuery, RestorePlanRequest, RunRestoreOptions } from './restore.types';
import { RestoreRunEvents } from './restore-run-events';

/** Types that hold archives only (logs, BitLocker keys): never read for the live state, never written. */
const ARCHIVE_TYPES: ReadonlySet<ObjectTypeKey> = new Set(['signInLogs', 'auditLogs', 'bitlockerKeys']);
const LEASE_TTL_MS = 60_000;
/** What a secret property's value reads as wherever values are shown. */
const MASKED = '••••••';

/** How the restore waits between retries (replication delays); tests pass a virtual clock's. */
export type RestoreWait = (ms: number, signal?: AbortSignal) => Promise<void>;
export const RESTORE_WAIT = Symbol('RESTORE_WAIT');

interface StoredSelection {
  readonly types: ObjectTypeKey[];
  readonly ids?: string[];
  readonly properties?: string[];
  readonly relationships: boolean;
  readonly removeNew: boolean;
  readonly domainMap?: Record<string, string>;
  /** Types whose live state the plan read. */
  readonly liveTypes: ObjectTypeKey[];
}

interface StoredSummary {
  readonly planned: number;
  readonly byAction: Partial<Record<RestoreActionKind, number>>;
  readonly unrecoverable: RestoreUnrecoverable[];
  readonly missingPermissions: string[];
  readonly note?: string;
}

interface LiveRestore {
  readonly events: ReplaySubject<RestoreProgressEvent>;
}

/**
 * Restores: computes a plan from a snapshot and the target's live state (read by a fresh backup
 * of the target, which is also the point a restore can be undone to), executes it under the
 * tenant's lease, records every action's state so an interrupted restore resumes where it
 * stopped, and reports progress, outcome and the id map.
 */
@Injectable()
export class RestoreService implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(RestoreService.name);
  private readonly live = new Map<string, LiveRestore>();
  private readonly inFlight = new InFlightRuns();

  constructor(
    private readonly repository: RestoreRepository,
    private readonly reader: BackupReaderService,
    private readonly backups: BackupService,
    private readonly leases: BackupLeaseService,
    private readonly tenants: TenantsService,
    private readonly graph: GraphClientFactory,
    private readonly codec: PayloadCodec,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(RESTORE_WAIT) private readonly wait: RestoreWait,
    @Optional() private readonly runEvents?: RestoreRunEvents,
  ) {}

  /** Restores a dead process left `running` become `interrupted`, to be resumed. */
  async onApplicationBootstrap(): Promise<void> {
    const marked = await this.markDeadRunsInterrupted();
    if (marked > 0) this.logger.warn(`Marked ${marked} interrupted restore(s) at start-up`);
  }

  /**
   * The application is closing: restores still going are aborted ("The service is stopping") and
   * recorded `interrupted`, the status the next start resumes from their recorded action states.
   */
  onModuleDestroy(): void {
    if (this.live.size > 0)
      this.logger.warn(`Stopping ${this.live.size} restore(s): the service is stopping`);
    this.inFlight.stop();
  }

  /** Bounded: a restore that does not settle in time is marked interrupted at the next start. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!(await this.inFlight.settle()))
      this.logger.warn(
        `${this.inFlight.size} restore(s) did not stop in time; the next start marks them interrupted and resumes them`,
      );
  }

  async markDeadRunsInterrupted(): Promise<number> {
    let marked = 0;
    for (const run of await this.repository.findRunsWithStatus('running')) {
      if (this.live.has(run.id)) continue;
      if ((await this.leases.liveHolder(run.targetTenantId)) !== null) continue;
      await this.repository.updateRun(run.id, {
        status: 'interrupted',
        reason: 'The process running it stopped',
      });
      marked += 1;
    }
    return marked;
  }

  /** Resumes every interrupted restore (server start-up); failures are logged, not thrown. */
  async resumeInterrupted(actor: string): Promise<number> {
    await this.markDeadRunsInterrupted();
    const runs = await this.repository.findRunsWithStatus('interrupted');
    for (const run of runs) {
      this.resume(run.id, { actor }).catch((error: unknown) =>
        this.logger.error(`Resuming restore ${run.id} failed: ${errorText(error)}`),
      );
    }
    return runs.length;
  }

  async createPlan(
    tenantId: string,
    request: RestorePlanRequest,
    options: CreatePlanOptions,
  ): Promise<RestorePlanSummary> {
    const parsed = restorePlanRequestSchema.safeParse(request);
    if (!parsed.success)
      throw RestoreException.invalidRequest(parsed.error.issues.map((i) => i.message).join('; '));
    const selection = parsed.data;
    await this.tenants.get(tenantId);
    const targetTenantId = (selection.targetTenantId ?? tenantId).toLowerCase();
    const crossTenant = targetTenantId !== tenantId.toLowerCase();
    if (crossTenant) await this.tenants.get(targetTenantId);
    if (!crossTenant && selection.domainMap !== undefined)
      throw RestoreException.invalidRequest('A domain map applies only to a restore into another tenant');
    const snapshot = await this.reader.getSnapshot(tenantId, selection.snapshotId);
    const held = Object.keys(await this.reader.countsAt(tenantId, snapshot.id)).filter(isObjectTypeKey);
    const types = (selection.types ?? OBJECT_TYPE_KEYS.filter((t) => held.includes(t))).filter((t) =>
      held.includes(t),
    );
    if (types.length === 0)
      throw RestoreException.invalidRequest(
        `Snapshot ${snapshot.id} holds none of the requested object types`,
      );
    const liveTypes = OBJECT_TYPE_KEYS.filter((t) => held.includes(t) && !ARCHIVE_TYPES.has(t));
    const stored: StoredSelection = {
      types,
      ...(selection.ids === undefined ? {} : { ids: selection.ids }),
      ...(selection.properties === undefined ? {} : { properties: selection.properties }),
      relationships: selection.relationships,
      removeNew: selection.removeNew,
      ...(selection.domainMap === undefined ? {} : { domainMap: selection.domainMap }),
      liveTypes,
    };
    options.onProgress?.({ step: 'reading the live state of the target (a backup of it)' });
    const liveSnapshotId = await this.backUpTarget(
      targetTenantId,
      liveTypes,
      options.actor,
      undefined,
      options.signal,
    );
    options.onProgress?.({ step: 'comparing the snapshot with the live state' });
    const computed = await this.computeActions(tenantId, snapshot.id, targetTenantId, liveSnapshotId, stored);
    const missingPermissions = await this.missingPermissions(
      targetTenantId,
      computed.actions.filter((a) => a.kind !== 'skip').map((a) => a.typeKey),
    );
    const summary: StoredSummary = {
      planned: computed.actions.length,
      byAction: countByKind(computed.actions),
      unrecoverable: computed.unrecoverable,
      missingPermissions,
    };
    const plan: PlanRecord = {
      id: randomUUID(),
      tenantId: tenantId.toLowerCase(),
      targetTenantId,
      snapshotId: snapshot.id,
      liveSnapshotId,
      status: 'ready',
      selection: stored,
      summary,
      actor: actorOf(options.actor),
      createdAt: this.clock.now(),
    };
    await this.repository.insertPlan(plan, computed.actions, computed.mappings);
    await this.audit.record({
      actor: options.actor,
      action: AuditAction.RESTORE_PLANNED,
      tenantId: plan.tenantId,
      details: {
        planId: plan.id,
        targetTenantId,
        snapshotId: snapshot.id,
        types,
        planned: summary.planned,
        byAction: summary.byAction,
      },
    });
    return toPlanSummary(plan);
  }

  async getPlan(tenantId: string, planId: string): Promise<RestorePlanSummary> {
    return toPlanSummary(await this.planOf(tenantId, planId));
  }

  /** A page of a plan's actions; updates carry their properties' values, live → snapshot. */
  async listPlanActions(tenantId: string, planId: string, query: PageQuery): Promise<RestoreActionPage> {
    const plan = await this.planOf(tenantId, planId);
    const page = await this.actionPage(planId, query);
    return { ...page, items: await this.withChanges(plan, page.items) };
  }

  /**
   * Adds to each `update` the values it changes: the target's (from the backup the plan read it
   * through) and the snapshot's. One read per collection on the page; secret fields are masked.
   */
  private async withChanges(plan: PlanRecord, items: RestoreAction[]): Promise<RestoreAction[]> {
    const liveSnapshotId = plan.liveSnapshotId;
    if (liveSnapshotId === null) return items;
    const byCollection = new Map<string, RestoreAction[]>();
    for (const item of items) {
      if (item.action !== 'update' || item.properties.length === 0) continue;
      const key = `${item.type}/${item.collection}`;
      byCollection.set(key, [...(byCollection.get(key) ?? []), item]);
    }
    const changes = new Map<RestoreAction, RestoreAction['changes']>();
    for (const actions of byCollection.values()) {
      const { type, collection } = actions[0]!;
      const ids = actions.map((a) => a.id);
      const [source, live] = await Promise.all([
        this.reader.objectsByIds(plan.tenantId, plan.snapshotId, type, collection, ids),
        // Objects adopted in another tenant live there under another id: no values to show.
        plan.tenantId === plan.targetTenantId
          ? this.reader.objectsByIds(plan.targetTenantId, liveSnapshotId, type, collection, ids)
          : Promise.resolve(new Map<string, unknown>()),
      ]);
      const secret = new Set(DESCRIPTORS[type].secretFields);
      for (const action of actions) {
        const to = source.get(action.id) as StoredObject | undefined;
        const from = live.get(action.id) as StoredObject | undefined;
        if (to === undefined || from === undefined) continue;
        changes.set(
          action,
          action.properties.map((property) => ({
            property,
            from: secret.has(property) ? MASKED : (from[property] ?? null),
            to: secret.has(property) ? MASKED : (to[property] ?? null),
          })),
        );
      }
    }
    return items.map((item) => {
      const found = changes.get(item);
      return found === undefined ? item : { ...item, changes: found };
    });
  }

  async *planActions(tenantId: string, planId: string): AsyncIterable<RestoreAction> {
    await this.planOf(tenantId, planId);
    let afterSeq = -1;
    for (;;) {
      const page = await this.repository.actions(planId, { afterSeq, limit: 500 });
      for (const action of page) yield toAction(action);
      if (page.length < 500) return;
      afterSeq = page[page.length - 1]!.seq;
    }
  }

  async executePlan(tenantId: string, planId: string, options: RunRestoreOptions): Promise<RestoreRun> {
    const started = await this.start(tenantId, planId, options);
    return started.done;
  }

  async startExecute(tenantId: string, planId: string, actor: AuditedBy): Promise<{ restoreId: string }> {
    const started = await this.start(tenantId, planId, { actor });
    started.done.catch((error: unknown) =>
      isServiceStopping(error)
        ? this.logger.warn(`Restore ${started.restoreId} was interrupted: ${errorText(error)}`)
        : this.logger.error(`Restore ${started.restoreId} failed: ${errorText(error)}`),
    );
    return { restoreId: started.restoreId };
  }

  async resume(restoreId: string, options: RunRestoreOptions): Promise<RestoreRun> {
    await this.markDeadRunsInterrupted();
    const run = await this.repository.findRun(restoreId);
    if (run === null) throw RestoreException.notFound(restoreId);
    if (run.status !== 'interrupted') throw RestoreException.notResumable(restoreId, run.status);
    const plan = (await this.repository.findPlan(run.planId))!;
    const lease = await this.leases.tryAcquire(plan.targetTenantId, { ttlMs: LEASE_TTL_MS });
    if (lease === null) throw RestoreException.tenantBusy(plan.targetTenantId);
    await this.repository.updateRun(run.id, { status: 'running', reason: null, finishedAt: null });
    const events = this.track(run.id);
    const done = this.execute({ plan, run: { ...run, status: 'running' }, lease, options, events });
    this.inFlight.track(done);
    return done;
  }

  async listRestores(tenantId: string, query: PageQuery): Promise<RestoreRunPage> {
    if (!Number.isInteger(query.page) || query.page < 1)
      throw RestoreException.invalidRequest('page must be a positive integer');
    if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > 100)
      throw RestoreException.invalidRequest('pageSize must be an integer from 1 to 100');
    const page = await this.repository.listRuns(tenantId.toLowerCase(), {
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const items: RestoreRun[] = [];
    for (const run of page.items) items.push(await this.toRun(run));
    return { items, total: page.total, page: query.page, pageSize: query.pageSize };
  }

  /** A restore by id alone, for the command line, whose operator reaches every tenant. */
  async findRestore(restoreId: string): Promise<RestoreRun> {
    const run = await this.repository.findRun(restoreId);
    if (run === null) throw RestoreException.notFound(restoreId);
    return this.toRun(run);
  }

  async getRestore(tenantId: string, restoreId: string): Promise<RestoreRun> {
    return this.toRun(await this.runOf(tenantId, restoreId));
  }

  async listRestoreActions(
    tenantId: string,
    restoreId: string,
    query: PageQuery,
  ): Promise<RestoreActionPage> {
    const run = await this.runOf(tenantId, restoreId);
    return this.actionPage(run.planId, query);
  }

  /** Progress of a restore: every event so far, then live ones; a finished one sends its end. */
  progress(tenantId: string, restoreId: string): Observable<RestoreProgressEvent> {
    const live = this.live.get(restoreId);
    return new Observable<RestoreProgressEvent>((subscriber) => {
      this.runOf(tenantId, restoreId)
        .then(async (run) => {
          if (live) return live.events.subscribe(subscriber);
          const at = (run.finishedAt ?? this.clock.now()).toISOString();
          subscriber.next(
            run.status === 'failed' || run.status === 'interrupted'
              ? {
                  kind: 'restore-failed',
                  restoreId,
                  reason: run.reason ?? `The restore is ${run.status}`,
                  at,
                }
              : { kind: 'restore-finished', restoreId, run: await this.toRun(run), at },
          );
          subscriber.complete();
          return undefined;
        })
        .catch((error: unknown) => subscriber.error(error));
    });
  }

  /** The temporary passwords of users the restore re-created: handed out once, then dropped. */
  async takeCredentials(tenantId: string, restoreId: string, actor: AuditedBy): Promise<RestoreCredential[]> {
    const run = await this.runOf(tenantId, restoreId);
    const plan = (await this.repository.findPlan(run.planId))!;
    const sealed = await this.repository.sealedSecrets(run.planId);
    if (sealed.length === 0) throw RestoreException.credentialsGone(restoreId);
    const selection = plan.selection as StoredSelection;
    const credentials: RestoreCredential[] = [];
    for (const secret of sealed) {
      const user = (await this.reader.getObjectAt(
        plan.tenantId,
        plan.snapshotId,
        'users',
        'users',
        secret.objectId,
      )) as StoredObject | null;
      const upn = String(user?.['userPrincipalName'] ?? '');
      credentials.push({
        id: secret.objectId,
        newId: secret.newId ?? '',
        userPrincipalName:
          plan.tenantId !== plan.targetTenantId ? String(mapDomains(upn, selection.domainMap ?? {})) : upn,
        temporaryPassword: this.codec.openText(
          Buffer.from(secret.sealed, 'base64'),
          credentialContext(plan.id),
        ),
      });
    }
    await this.repository.dropSecrets(run.planId);
    await this.audit.record({
      actor,
      action: AuditAction.RESTORE_CREDENTIALS_TAKEN,
      tenantId: plan.targetTenantId,
      details: { restoreId, users: credentials.map((c) => c.newId) },
    });
    return credentials;
  }

  private async start(
    tenantId: string,
    planId: string,
    options: RunRestoreOptions,
  ): Promise<{ restoreId: string; done: Promise<RestoreRun> }> {
    const plan = await this.planOf(tenantId, planId);
    if (plan.status !== 'ready') throw RestoreException.planUsed(planId);
    const written = await this.repository.writtenTypes(planId);
    const missing = await this.missingPermissions(plan.targetTenantId, written);
    if (missing.length > 0) throw RestoreException.permissionMissing(plan.targetTenantId, missing);
    const lease = await this.leases.tryAcquire(plan.targetTenantId, { ttlMs: LEASE_TTL_MS });
    if (lease === null) {
      const holder = await this.leases.currentHolder(plan.targetTenantId);
      throw RestoreException.tenantBusy(
        plan.targetTenantId,
        holder ? `held by ${holder.holderId}` : undefined,
      );
    }
    if (!(await this.repository.transitionPlan(planId, 'ready', 'executing'))) {
      await this.leases.release(lease);
      throw RestoreException.planUsed(planId);
    }
    const run: RunRecord = {
      id: randomUUID(),
      planId,
      tenantId: plan.tenantId,
      targetTenantId: plan.targetTenantId,
      snapshotId: plan.snapshotId,
      status: 'running',
      actor: actorOf(options.actor),
      preRestoreSnapshotId: null,
      reason: null,
      startedAt: this.clock.now(),
      finishedAt: null,
    };
    await this.repository.insertRun(run);
    const events = this.track(run.id);
    const done = this.execute({ plan, run, lease, options, events });
    this.inFlight.track(done);
    return { restoreId: run.id, done };
  }

  private track(restoreId: string): ReplaySubject<RestoreProgressEvent> {
    const events = new ReplaySubject<RestoreProgressEvent>(500);
    this.live.set(restoreId, { events });
    return events;
  }

  private async execute(context: {
    plan: PlanRecord;
    run: RunRecord;
    lease: BackupLease;
    options: RunRestoreOptions;
    events: ReplaySubject<RestoreProgressEvent>;
  }): Promise<RestoreRun> {
    const { plan, run, lease, options, events } = context;
    const emit = (event: RestoreProgressEvent): void => {
      events.next(event);
      try {
        options.onProgress?.(event);
      } catch {
        // A failing listener must not break the restore.
      }
    };
    const leaseLost = new AbortController();
    const keepAlive = this.leases.keepAlive(lease, (error) => leaseLost.abort(error));
    const signal = AbortSignal.any(
      options.signal
        ? [options.signal, leaseLost.signal, this.inFlight.signal]
        : [leaseLost.signal, this.inFlight.signal],
    );
    const selection = plan.selection as StoredSelection;
    try {
      const planned = await this.repository.countActions(plan.id);
      emit({ kind: 'restore-started', restoreId: run.id, planned, at: this.clock.now().toISOString() });
      // Nothing is written before this backup is recorded: a restore interrupted while taking it
      // takes it when resumed.
      if (run.preRestoreSnapshotId === null) {
        // Before the first write: a backup of the target, so the restore can be undone by restoring it.
        const pre = await this.backUpTarget(
          plan.targetTenantId,
          selection.liveTypes,
          options.actor,
          lease,
          signal,
        );
        await this.repository.updateRun(run.id, { preRestoreSnapshotId: pre });
        const note = await this.refreshIfStale(plan, pre);
        if (note !== null) await this.repository.updateRun(run.id, { reason: note });
      }
      const executor = new RestoreExecutor({
        client: this.graph.forTenant(plan.targetTenantId),
        repository: this.repository,
        source: (type, collection, id) =>
          this.reader.getObjectAt(
            plan.tenantId,
            plan.snapshotId,
            type,
            collection,
            id,
          ) as Promise<StoredObject | null>,
        sealSecret: (text) => this.codec.sealText(text, credentialContext(plan.id)).toString('base64'),
        now: () => this.clock.now(),
        sleep: (ms, s) => this.wait(ms, s),
      });
      let done = 0;
      await executor.run({
        planId: plan.id,
        crossTenant: plan.tenantId !== plan.targetTenantId,
        domainMap: selection.domainMap ?? {},
        signal,
        onStep: (step) => {
          done += step.done;
          emit({
            kind: 'restore-step',
            restoreId: run.id,
            step: phaseName(step.phase),
            done,
            failed: 0,
            planned,
            at: this.clock.now().toISOString(),
          });
        },
      });
      const counts = await this.countsOf(plan.id);
      const status =
        counts.failed === 0 ? 'completed' : counts.failed < planned - counts.skipped ? 'partial' : 'failed';
      const finishedAt = this.clock.now();
      await this.repository.updateRun(run.id, { status, finishedAt });
      await this.repository.transitionPlan(plan.id, 'executing', 'executed');
      const result = await this.toRun((await this.repository.findRun(run.id))!);
      await this.audit.record({
        actor: options.actor,
        action: AuditAction.RESTORE_RUN,
        tenantId: plan.targetTenantId,
        ...(status === 'failed' ? { outcome: 'failed' as const } : {}),
        details: {
          restoreId: run.id,
          planId: plan.id,
          snapshotId: plan.snapshotId,
          sourceTenantId: plan.tenantId,
          status,
          counts,
        },
      });
      emit({ kind: 'restore-finished', restoreId: run.id, run: result, at: finishedAt.toISOString() });
      events.complete();
      this.runEvents?.publish({
        tenantId: plan.targetTenantId,
        restoreId: run.id,
        status,
        run: result,
        reason: null,
      });
      return result;
    } catch (error) {
      // Whatever an abort for shutdown surfaced as (a cancelled request, a cancelled wait), the
      // reason recorded is that the service is stopping.
      const reason =
        signal.aborted && isServiceStopping(signal.reason) ? errorText(signal.reason) : errorText(error);
      const finishedAt = this.clock.now();
      // Stopped part-way: the recorded action states let `restore-resume` continue.
      await this.repository
        .updateRun(run.id, { status: 'interrupted', reason: `The restore stopped: ${reason}`, finishedAt })
        .catch(() => undefined);
      await this.audit
        .record({
          actor: options.actor,
          action: AuditAction.RESTORE_RUN,
          outcome: 'failed',
          tenantId: plan.targetTenantId,
          details: { restoreId: run.id, planId: plan.id, status: 'interrupted', reason },
        })
        .catch(() => undefined);
      emit({ kind: 'restore-failed', restoreId: run.id, reason, at: finishedAt.toISOString() });
      events.complete();
      this.runEvents?.publish({
        tenantId: plan.targetTenantId,
        restoreId: run.id,
        status: 'interrupted',
        run: null,
        reason,
      });
      throw error;
    } finally {
      keepAlive.stop();
      this.live.delete(run.id);
      await this.leases.release(lease).catch(() => undefined);
    }
  }

  /**
   * When the target changed between planning and execution (the fresh backup differs from the
   * one planned against), the plan is computed again; the note says how it changed.
   */
  private async refreshIfStale(plan: PlanRecord, preSnapshotId: string): Promise<string | null> {
    if (plan.liveSnapshotId === null || plan.liveSnapshotId === preSnapshotId) return null;
    const selection = plan.selection as StoredSelection;
    const diff = await this.reader.diff(plan.targetTenantId, plan.liveSnapshotId, preSnapshotId);
    const changed = diff.types.filter((t) => isObjectTypeKey(t.type) && selection.liveTypes.includes(t.type));
    if (changed.length === 0) return null;
    const before = (plan.summary as StoredSummary).planned;
    const computed = await this.computeActions(
      plan.tenantId,
      plan.snapshotId,
      plan.targetTenantId,
      preSnapshotId,
      selection,
    );
    const note = `The target changed since the plan (${changed.map((t) => t.type).join(', ')}): recomputed, ${before} actions before, ${computed.actions.length} now`;
    await this.repository.replaceActions(
      plan.id,
      {
        planned: computed.actions.length,
        byAction: countByKind(computed.actions),
        unrecoverable: computed.unrecoverable,
        missingPermissions: (plan.summary as StoredSummary).missingPermissions,
        note,
      } satisfies StoredSummary,
      computed.actions,
    );
    await this.repository.updatePlanLiveSnapshot(plan.id, preSnapshotId);
    return note;
  }

  private async computeActions(
    tenantId: string,
    snapshotId: string,
    targetTenantId: string,
    liveSnapshotId: string,
    selection: StoredSelection,
  ) {
    const crossTenant = tenantId.toLowerCase() !== targetTenantId.toLowerCase();
    // Collections needing write permissions beyond their type's are planned only when the target
    // grants them (the plan names those it leaves out); the types' own are checked at the start.
    const extraWrites = selection.types.some((t) =>
      collectionPermissionsOf(t).some((c) => c.write.length > 0),
    );
    const grantedPermissions = extraWrites ? await this.graph.getGrantedAppRoles(targetTenantId) : undefined;
    const planner = new RestorePlanner({
      selection: {
        ...(grantedPermissions === undefined ? {} : { grantedPermissions }),
        types: selection.types,
        ...(selection.ids === undefined ? {} : { ids: new Set(selection.ids) }),
        ...(selection.properties === undefined ? {} : { properties: selection.properties }),
        relationships: selection.relationships,
        removeNew: selection.removeNew,
        crossTenant,
        ...(crossTenant
          ? { mapDomains: (value: unknown) => mapDomains(value, selection.domainMap ?? {}) }
          : {}),
      },
      source: this.side(tenantId, snapshotId),
      live: this.side(targetTenantId, liveSnapshotId),
      comparison: crossTenant ? null : await this.reader.compare(tenantId, snapshotId, liveSnapshotId),
      recycleBin: (type, collection) => this.recycleBin(targetTenantId, type, collection),
      now: this.clock.now(),
    });
    return planner.plan();
  }

  private side(tenantId: string, snapshotId: string): SnapshotSide {
    const reader = this.reader;
    return {
      async *all(type, collection) {
        for await (const entry of reader.objectsAt(tenantId, snapshotId, type, collection))
          yield [entry.id, entry.object as StoredObject] as const;
      },
      async ids(type, collection) {
        return new Set(await reader.objectIdsAt(tenantId, snapshotId, type, collection));
      },
      async byIds(type, collection, ids) {
        return (await reader.objectsByIds(tenantId, snapshotId, type, collection, ids)) as Map<
          string,
          StoredObject
        >;
      },
    };
  }

  /**
   * The objects in a collection's recycle bin (with the backup's property list, so what changed
   * before the deletion can be written back); a bin Graph does not offer this tenant counts as empty.
   */
  private async recycleBin(
    tenantId: string,
    type: ObjectTypeKey,
    collection: string,
  ): Promise<Map<string, StoredObject>> {
    const spec = DESCRIPTORS[type].collections.find((c) => c.name === collection);
    const bin = spec?.restore?.recycleBin;
    if (spec === undefined || bin === undefined) return new Map();
    try {
      const select = spec.select?.filter((p) => p !== 'id').join(',');
      const items = await this.graph.forTenant(tenantId).listAll<StoredObject & { id: string }>(bin.list, {
        version: bin.version,
        ...(select === undefined ? {} : { query: { $select: `id,${select}` } }),
      });
      return new Map(items.map((item) => [item.id, spec.normalize ? spec.normalize({ ...item }) : item]));
    } catch (error) {
      this.logger.warn(
        `Recycle bin ${bin.list} of tenant ${tenantId} could not be read: ${errorText(error)}`,
      );
      return new Map();
    }
  }

  private async backUpTarget(
    tenantId: string,
    types: readonly ObjectTypeKey[],
    actor: AuditedBy,
    lease: BackupLease | undefined,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    let summary;
    try {
      summary = await this.backups.runBackup(tenantId, {
        types,
        trigger: 'restore',
        actor,
        ...(lease === undefined ? {} : { lease }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      if (error instanceof BackupException && error.code === BackupExceptionCode.BACKUP_ALREADY_RUNNING)
        throw RestoreException.tenantBusy(tenantId);
      throw error;
    }
    const failed = Object.entries(summary.types).filter(([, r]) => r?.status === 'failed');
    if (summary.snapshotId === null || failed.length > 0) {
      throw RestoreException.invalidRequest(
        `The live state of tenant ${tenantId} could not be read: ` +
          (failed.map(([type, r]) => `${type}: ${r?.reason ?? 'failed'}`).join('; ') ||
            'the backup made no snapshot'),
      );
    }
    return summary.snapshotId;
  }

  /** Write permissions of the types a plan writes that the target's consent lacks. */
  private async missingPermissions(
    targetTenantId: string,
    writtenTypes: readonly string[],
  ): Promise<string[]> {
    const types = new Set(writtenTypes.filter(isObjectTypeKey));
    if (types.size === 0) return [];
    const needed = new Set([...types].flatMap((t) => DESCRIPTORS[t].permissions.write));
    const granted = new Set(await this.graph.getGrantedAppRoles(targetTenantId));
    return [...needed].filter((p) => !granted.has(p)).sort();
  }

  private async countsOf(planId: string): Promise<RestoreCounts> {
    const counts = emptyRestoreCounts();
    const done: Partial<Record<string, keyof RestoreCounts>> = {
      restoreDeleted: 'restoredDeleted',
      recreate: 'recreated',
      update: 'updated',
      addLink: 'linksAdded',
      removeLink: 'linksRemoved',
      remove: 'removed',
    };
    for (const row of await this.repository.actionFigures(planId)) {
      if (row.state === 'failed') counts.failed += row.n;
      else if (row.state === 'skipped') counts.skipped += row.n;
      else if (row.state === 'done') {
        const key = done[row.kind];
        if (key !== undefined) counts[key] += row.n;
      }
    }
    return counts;
  }

  private async actionPage(planId: string, query: PageQuery): Promise<RestoreActionPage> {
    if (!Number.isInteger(query.page) || query.page < 1)
      throw RestoreException.invalidRequest('page must be a positive integer');
    if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > 500)
      throw RestoreException.invalidRequest('pageSize must be an integer from 1 to 500');
    const items = await this.repository.actions(planId, {
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return {
      items: items.map(toAction),
      total: await this.repository.countActions(planId),
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  private async planOf(tenantId: string, planId: string): Promise<PlanRecord> {
    const plan = await this.repository.findPlan(planId);
    const tenant = tenantId.toLowerCase();
    if (plan === null || (plan.tenantId !== tenant && plan.targetTenantId !== tenant))
      throw RestoreException.planNotFound(planId);
    return plan;
  }

  private async runOf(tenantId: string, restoreId: string): Promise<RunRecord> {
    const run = await this.repository.findRun(restoreId);
    const tenant = tenantId.toLowerCase();
    if (run === null || (run.tenantId !== tenant && run.targetTenantId !== tenant))
      throw RestoreException.notFound(restoreId);
    return run;
  }

  private async toRun(run: RunRecord): Promise<RestoreRun> {
    const idMap: Record<string, string> = {};
    for (const m of await this.repository.idMap(run.planId)) idMap[m.oldId] = m.newId;
    return {
      restoreId: run.id,
      planId: run.planId,
      tenantId: run.tenantId,
      targetTenantId: run.targetTenantId,
      snapshotId: run.snapshotId,
      status: run.status,
      actor: run.actor,
      preRestoreSnapshotId: run.preRestoreSnapshotId,
      counts: await this.countsOf(run.planId),
      idMap,
      reason: run.reason,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
    };
  }
}

function toPlanSummary(plan: PlanRecord): RestorePlanSummary {
  const selection = plan.selection as StoredSelection;
  const summary = plan.summary as StoredSummary;
  return {
    planId: plan.id,
    tenantId: plan.tenantId,
    targetTenantId: plan.targetTenantId,
    snapshotId: plan.snapshotId,
    liveSnapshotId: plan.liveSnapshotId,
    status: plan.status,
    selection: {
      types: selection.types,
      ...(selection.ids === undefined ? {} : { ids: selection.ids }),
      ...(selection.properties === undefined ? {} : { properties: selection.properties }),
      relationships: selection.relationships,
      removeNew: selection.removeNew,
      ...(selection.domainMap === undefined ? {} : { domainMap: selection.domainMap }),
    },
    planned: summary.planned,
    byAction: summary.byAction,
    unrecoverable: summary.unrecoverable,
    missingPermissions: summary.missingPermissions,
    createdAt: plan.createdAt.toISOString(),
    actor: plan.actor,
  };
}

function toAction(action: ActionRecord): RestoreAction {
  return {
    seq: action.seq,
    action: action.kind as RestoreActionKind,
    type: action.typeKey as ObjectTypeKey,
    collection: action.collection,
    id: action.objectId,
    displayName: action.displayName,
    properties: action.properties,
    link: action.link,
    reason: action.reason,
    state: action.state === 'started' ? 'pending' : action.state,
    newId: action.newId,
    error:
      action.errorCode === null
        ? null
        : { code: action.errorCode, message: action.errorMessage ?? action.errorCode },
  };
}

function countByKind(actions: readonly { kind: string }[]): Partial<Record<RestoreActionKind, number>> {
  const out: Partial<Record<RestoreActionKind, number>> = {};
  for (const a of actions) out[a.kind as RestoreActionKind] = (out[a.kind as RestoreActionKind] ?? 0) + 1;
  return out;
}

function phaseName(phase: number): string {
  return RESTORE_PHASE_NAMES[phase as RestorePhase] ?? `step ${phase}`;
}

function credentialContext(planId: string): string {
  return `restore-credential/${planId}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
