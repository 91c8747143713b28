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
  type BackupCollectionResult,
  type BackupDrift,
  type BackupHistory,
  type BackupHistoryPoint,
  type BackupProgressEvent,
  type BackupRunListItem,
  type BackupRunPage,
  type BackupRunSummary,
  type BackupTypeResult,
  backupRunSummarySchema,
  backupTriggerSchema,
  isObjectTypeKey,
  OBJECT_TYPE_KEYS,
  type ObjectTypeKey,
} from '@entra-backup/common';
import { GraphClientFactory } from '@entra-backup/graph';
import { Observable, ReplaySubject } from 'rxjs';
import { Clock } from '../../core/clock/clock';
import { InFlightRuns, isServiceStopping } from '../../core/lifecycle/in-flight-runs';
import {
  BackupRunReportRepository,
  type RunReportRecord,
} from '../../persistence/repositories/backup-run-report.repository';
import { actorOf } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { AuditAction } from '../audit/audit-action';
import { BackupLeaseService, type BackupLease } from '../backup-storage/backup-lease.service';
import { BackupReaderService, MAX_SNAPSHOT_PAGE } from '../backup-storage/backup-reader.service';
import { BackupWriterService, INTERRUPTED_REASON } from '../backup-storage/backup-writer.service';
import type { SnapshotWriter } from '../backup-storage/snapshot-writer';
import type { TypeResultRecord } from '../../persistence/repositories/backup-snapshot.repository';
import type { EngineTypeOutcome, PreviousState } from '../exporters/engine';
import { ExportEngine } from '../exporters/engine';
import { primaryCollectionName } from '../exporters/registry';
import { GraphNotConfiguredError } from '../graph/configured-graph-client.factory';
import { SettingsService } from '../settings/settings.service';
import { BackupException } from './backup.exception';
import type { ListRunsOptions, RunBackupOptions } from './backup.types';
import { BrowseIndexService } from '../browse/browse-index.service';
import { measureDrift } from './reconciliation-drift';
import { ReconciliationPolicyService } from './reconciliation-policy.service';
import { BackupRunEvents } from './backup-run-events';

/** How runs hold their tenant's lease (when a run reconciles fully is the tenant's setting). */
export interface BackupPolicy {
  /** Lease time-to-live; renewed every third of it while the run lasts. */
  readonly leaseTtlMs: number;
}

export const DEFAULT_BACKUP_POLICY: BackupPolicy = { leaseTtlMs: 60_000 };

/**
 * A run due this close to the reconciliation interval reconciles: scheduled runs start at fixed
 * slots, so a weekly policy reconciles every 7 days rather than at the first slot after them.
 */
const RECONCILE_TOLERANCE_MS = 60 * 60 * 1000;

export const BACKUP_POLICY = Symbol('BACKUP_POLICY');

interface LiveRun {
  readonly tenantId: string;
  readonly events: ReplaySubject<BackupProgressEvent>;
}

interface StartedRun {
  readonly runId: string;
  readonly done: Promise<BackupRunSummary>;
}

/**
 * Backup runs: takes the tenant's lease, decides full or incremental, runs the export engine into
 * a snapshot writer, commits, reports figures and progress, and records the run in the audit trail.
 */
@Injectable()
export class BackupService implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(BackupService.name);
  private readonly live = new Map<string, LiveRun>();
  private readonly inFlight = new InFlightRuns();
  private readonly policy: BackupPolicy;

  constructor(
    private readonly writer: BackupWriterService,
    private readonly reader: BackupReaderService,
    private readonly leases: BackupLeaseService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly graph: GraphClientFactory,
    private readonly reports: BackupRunReportRepository,
    private readonly engine: ExportEngine,
    private readonly clock: Clock,
    private readonly reconciliation: ReconciliationPolicyService,
    private readonly index: BrowseIndexService,
    @Optional() @Inject(BACKUP_POLICY) policy?: BackupPolicy,
    @Optional() private readonly runEvents?: BackupRunEvents,
  ) {
    this.policy = policy ?? DEFAULT_BACKUP_POLICY;
  }

  /**
   * Reports of runs a dead process left `running` become `interrupted` (storage recovers their
   * data at the same start-up, in `BackupWriterService`). Tenants whose lease is still live are
   * left alone: another process may be running them.
   */
  async onApplicationBootstrap(): Promise<void> {
    const marked = await this.recoverInterruptedReports();
    if (marked > 0) this.logger.warn(`Marked ${marked} interrupted backup run report(s) at start-up`);
  }

  /** The application is closing: runs still going are aborted ("The service is stopping"). */
  onModuleDestroy(): void {
    if (this.live.size > 0)
      this.logger.warn(`Stopping ${this.live.size} backup run(s): the service is stopping`);
    this.inFlight.stop();
  }

  /**
   * Before the database closes, the aborted runs get a bounded time to discard their snapshots,
   * record how they ended and release their leases; what is still going after that is left to the
   * crash recovery of the next start.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!(await this.inFlight.settle()))
      this.logger.warn(
        `${this.inFlight.size} backup run(s) did not stop in time; the next start marks them interrupted`,
      );
  }

  /**
   * Start-up recovery, repeated by the server while it runs: a CLI or a second server killed
   * mid-run leaves its run `running` until its lease expires; after that the run is marked
   * interrupted instead of showing as running until the tenant's next backup.
   */
  async recoverInterrupted(): Promise<number> {
    await this.writer.recoverInterruptedRuns();
    return this.recoverInterruptedReports();
  }

  /**
   * The newest full snapshot, or null. Snapshots are read newest first until one is full: at most
   * the runs of one reconciliation interval, since every interval has a full run.
   */
  async lastFullBackup(tenantId: string): Promise<{ runId: string; startedAt: Date } | null> {
    for (let offset = 0; ; offset += MAX_SNAPSHOT_PAGE) {
      const page = await this.reader.listSnapshots(tenantId.toLowerCase(), {
        limit: MAX_SNAPSHOT_PAGE,
        offset,
      });
      const full = page.items.find((s) => s.mode === 'full');
      if (full !== undefined) return { runId: full.runId, startedAt: full.createdAt };
      if (page.items.length < MAX_SNAPSHOT_PAGE) return null;
    }
  }

  async recoverInterruptedReports(): Promise<number> {
    const running = await this.reports.findRunning();
    const dead: string[] = [];
    for (const tenantId of new Set(running.map((r) => r.tenantId))) {
      // A live lease means another process (the CLI, a second server) is running that tenant's backup.
      if ((await this.leases.currentHolder(tenantId)) === null) dead.push(tenantId);
    }
    if (dead.length === 0) return 0;
    return this.reports.markInterrupted({
      tenantIds: dead,
      exceptRunIds: [...this.live.keys()],
      finishedAt: this.clock.now(),
      reason: INTERRUPTED_REASON,
    });
  }

  /** Runs a backup to its end. Throws BACKUP_ALREADY_RUNNING when the tenant's lease is held. */
  async runBackup(tenantId: string, options: RunBackupOptions): Promise<BackupRunSummary> {
    const started = await this.start(tenantId, options);
    return started.done;
  }

  /** Registers a run (lease taken, run recorded) and lets it continue in the background. */
  async startBackup(tenantId: string, options: RunBackupOptions): Promise<{ runId: string }> {
    const started = await this.start(tenantId, options);
    started.done.catch((error: unknown) => {
      if (isServiceStopping(error))
        this.logger.warn(
          `Backup run ${started.runId} of tenant ${tenantId} was interrupted: ${errorText(error)}`,
        );
      else this.logger.error(`Backup run ${started.runId} of tenant ${tenantId} failed: ${errorText(error)}`);
    });
    return { runId: started.runId };
  }

  /**
   * Progress of a run: every event so far, then live ones, completing when the run ends. A run
   * that already ended yields its final event only.
   */
  progress(runId: string): Observable<BackupProgressEvent> {
    const live = this.live.get(runId);
    if (live) return live.events.asObservable();
    return new Observable<BackupProgressEvent>((subscriber) => {
      this.reports
        .find(runId)
        .then((report) => {
          if (report === null) throw BackupException.runNotFound(runId);
          const at = (report.finishedAt ?? this.clock.now()).toISOString();
          const summary = parseSummary(report.summary);
          subscriber.next(
            summary
              ? { kind: 'run-finished', runId, summary, at }
              : { kind: 'run-failed', runId, reason: report.reason ?? 'The run ended without a result', at },
          );
          subscriber.complete();
        })
        .catch((error: unknown) => subscriber.error(error));
    });
  }

  async listRuns(tenantId: string, options: ListRunsOptions = {}): Promise<BackupRunPage> {
    const page = options.page ?? 1;
    const pageSize = options.pageSize ?? 20;
    if (!Number.isInteger(page) || page < 1)
      throw BackupException.invalidRequest('page must be a positive integer');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      throw BackupException.invalidRequest('pageSize must be an integer from 1 to 100');
    }
    const result = await this.reports.listByTenant(tenantId, {
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items: result.items.map(toListItem), total: result.total, page, pageSize };
  }

  /**
   * The backup history of the last `days` days, one point per visible snapshot, oldest first:
   * objects per type, the run's duration, Graph requests and stored bytes, and the bytes stored
   * by all runs so far (storage growth; a snapshot only stores payloads not stored before).
   */
  async history(tenantId: string, days: number): Promise<BackupHistory> {
    if (!Number.isInteger(days) || days < 1)
      throw BackupException.invalidRequest('days must be a positive integer');
    const from = new Date(this.clock.now().getTime() - days * 86_400_000);
    const [reports, seqs] = await Promise.all([
      this.reports.listSummarized(tenantId),
      this.visibleSnapshotSeqs(tenantId),
    ]);
    const points: BackupHistoryPoint[] = [];
    let totalBytesStored = 0;
    for (const report of reports) {
      const summary = parseSummary(report.summary);
      if (summary === null) continue;
      // A failed run's payloads can stay stored (they are content-addressed), so they count too.
      totalBytesStored += summary.bytesStored;
      const seq = summary.snapshotId === null ? undefined : seqs.get(summary.snapshotId);
      if (seq === undefined || summary.status === 'failed') continue;
      if (Date.parse(summary.finishedAt) < from.getTime()) continue;
      points.push({
        snapshotId: summary.snapshotId!,
        seq,
        runId: summary.runId,
        at: summary.finishedAt,
        startedAt: summary.startedAt,
        status: summary.status,
        mode: summary.mode,
        trigger: summary.trigger,
        counts: summary.counts,
        durationMs: summary.durationMs,
        requests: summary.requests,
        bytesStored: summary.bytesStored,
        totalBytesStored,
      });
    }
    return { days, from: from.toISOString(), points };
  }

  async getRun(runId: string): Promise<BackupRunListItem> {
    const report = await this.reports.find(runId);
    if (report === null) throw BackupException.runNotFound(runId);
    return toListItem(report);
  }

  /** Whether a run of this process is still going (for callers that poll). */
  isRunning(runId: string): boolean {
    return this.live.has(runId);
  }

  private async start(tenantId: string, options: RunBackupOptions): Promise<StartedRun> {
    const types = await this.typesOf(tenantId, options.types);
    this.assertGraphConfigured(tenantId);
    const lease =
      options.lease ?? (await this.leases.tryAcquire(tenantId, { ttlMs: this.policy.leaseTtlMs }));
    if (lease === null) {
      const holder = await this.leases.currentHolder(tenantId);
      throw BackupException.alreadyRunning(tenantId, holder ? `held by ${holder.holderId}` : undefined);
    }
    let snapshot: SnapshotWriter;
    let mode: 'full' | 'incremental';
    const startedAt = this.clock.now();
    try {
      mode = options.full === true ? 'full' : await this.chooseMode(tenantId);
      snapshot = await this.writer.beginSnapshot(tenantId, { mode, types });
      // We hold the lease, so any report still `running` for this tenant belongs to a dead run.
      await this.reports.markInterrupted({
        tenantIds: [tenantId],
        exceptRunIds: [],
        finishedAt: startedAt,
        reason: INTERRUPTED_REASON,
      });
      await this.reports.insertRunning({
        runId: snapshot.runId,
        tenantId,
        trigger: options.trigger,
        actor: actorOf(options.actor),
        mode,
        types,
        startedAt,
      });
      await this.audit.record({
        actor: options.actor,
        action: AuditAction.BACKUP_STARTED,
        tenantId,
        details: { runId: snapshot.runId, trigger: options.trigger, mode, types },
      });
    } catch (error) {
      if (options.lease === undefined) await this.leases.release(lease).catch(() => undefined);
      throw error;
    }
    const events = new ReplaySubject<BackupProgressEvent>(1000);
    this.live.set(snapshot.runId, { tenantId, events });
    const done = this.execute({ tenantId, options, types, mode, snapshot, lease, events, startedAt });
    this.inFlight.track(done);
    return { runId: snapshot.runId, done };
  }

  private async execute(run: {
    tenantId: string;
    options: RunBackupOptions;
    types: ObjectTypeKey[];
    mode: 'full' | 'incremental';
    snapshot: SnapshotWriter;
    lease: BackupLease;
    events: ReplaySubject<BackupProgressEvent>;
    startedAt: Date;
  }): Promise<BackupRunSummary> {
    const { tenantId, options, types, mode, snapshot, events, startedAt } = run;
    const runId = snapshot.runId;
    const emit = (event: BackupProgressEvent): void => {
      events.next(event);
      try {
        options.onProgress?.(event);
      } catch {
        // A failing listener must not break the backup.
      }
    };
    const leaseLost = new AbortController();
    // A borrowed lease is kept alive by its holder.
    const keepAlive =
      options.lease === undefined
        ? this.leases.keepAlive(run.lease, (error) => leaseLost.abort(error))
        : { stop: () => undefined };
    const signal = AbortSignal.any(
      options.signal
        ? [options.signal, leaseLost.signal, this.inFlight.signal]
        : [leaseLost.signal, this.inFlight.signal],
    );
    let committed = false;
    try {
      emit({ kind: 'run-started', runId, tenantId, mode, types, at: startedAt.toISOString() });
      const latest = (await this.reader.listSnapshots(tenantId, { limit: 1, offset: 0 })).items[0];
      // A full run after a snapshot reconciles: it measures the drift of the state it replaces.
      const reconcile = mode === 'full' && latest !== undefined;
      // Collections needing permissions beyond their type's are read only when the recorded
      // consent holds them; without a record (credentials configured by hand) Graph decides.
      const granted = await this.settings.grantedPermissions(tenantId);
      const outcomes = await this.engine.run({
        runId,
        types,
        mode,
        ...(reconcile ? { reconcile } : {}),
        ...(granted === null ? {} : { grantedPermissions: granted }),
        clientFor: () => this.graph.forTenant(tenantId),
        sink: snapshot,
        previous: this.previousState(tenantId, latest?.id),
        secretReads: {
          recall: (type) => this.writer.recallSecretReads(tenantId, type),
          remember: (type, reads) => this.writer.rememberSecretReads(tenantId, type, reads),
        },
        onProgress: emit,
        signal,
      });
      if (signal.aborted) throw abortReason(signal);
      const result = await snapshot.commit();
      committed = true;
      const finishedAt = this.clock.now();
      const collections = await this.collectionCountsOf(tenantId, result.snapshotId);
      const counts = primaryCounts(collections, types);
      const drift =
        reconcile && result.snapshotId !== null
          ? await this.measureDrift(tenantId, runId, latest.id, result.snapshotId, outcomes)
          : undefined;
      const summary = buildSummary({
        runId,
        snapshotId: result.snapshotId,
        status: result.status,
        mode,
        options,
        outcomes,
        records: result.types,
        counts,
        collections,
        startedAt,
        finishedAt,
        drift,
      });
      await this.reports.finish(runId, { status: summary.status, finishedAt, reason: null, summary });
      await this.recordAudit(tenantId, options, {
        runId,
        snapshotId: summary.snapshotId,
        status: summary.status,
        mode,
        types: typeStatuses(summary),
      });
      emit({ kind: 'run-finished', runId, summary, at: finishedAt.toISOString() });
      events.complete();
      this.runEvents?.publish({ tenantId, runId, status: summary.status, summary, reason: null });
      return summary;
    } catch (error) {
      // Stopped because this process is shutting down (directly, or through the restore that runs
      // this backup): the run is recorded `interrupted`, not `failed`. It is what the start-up
      // recovery records for a run that did not settle before the process ended, so a stop and a
      // crash read the same; and nothing went wrong with the tenant, its consent or its data, so
      // no "backup failed" alert goes to its recipients (the periodic stale-backup check still
      // alerts if the service stays down). Nothing of the run becomes visible, so the next run
      // after the restart starts over cleanly: it chooses full or incremental from committed
      // snapshots only (a first full backup stays due as full), reads from the last committed
      // delta links, and reuses the BitLocker keys this run already read.
      const interrupted = signal.aborted && isServiceStopping(signal.reason);
      const status = interrupted ? 'interrupted' : 'failed';
      const reason = interrupted ? errorText(signal.reason) : errorText(error);
      if (!committed) await snapshot.abort(`The backup stopped: ${reason}`, status).catch(() => undefined);
      const finishedAt = this.clock.now();
      await this.reports.finish(runId, { status, finishedAt, reason, summary: null }).catch(() => undefined);
      await this.recordAudit(tenantId, options, { runId, status, mode, reason }).catch(() => undefined);
      emit({ kind: 'run-failed', runId, reason, at: finishedAt.toISOString() });
      events.complete();
      if (!interrupted) this.runEvents?.publish({ tenantId, runId, status: 'failed', summary: null, reason });
      throw error;
    } finally {
      keepAlive.stop();
      this.live.delete(runId);
      if (options.lease === undefined) await this.leases.release(run.lease).catch(() => undefined);
    }
  }

  private assertGraphConfigured(tenantId: string): void {
    try {
      this.graph.forTenant(tenantId);
    } catch (error) {
      if (error instanceof GraphNotConfiguredError) throw BackupException.graphNotConfigured();
      throw error;
    }
  }

  private async typesOf(
    tenantId: string,
    requested: readonly ObjectTypeKey[] | undefined,
  ): Promise<ObjectTypeKey[]> {
    if (requested !== undefined) {
      const unknown = requested.filter((t) => !isObjectTypeKey(t));
      if (unknown.length > 0)
        throw BackupException.invalidRequest(`Unknown object types: ${unknown.join(', ')}`);
      if (requested.length === 0) throw BackupException.noTypes(tenantId);
      return OBJECT_TYPE_KEYS.filter((k) => requested.includes(k));
    }
    const settings = await this.settings.get(tenantId);
    const enabled = OBJECT_TYPE_KEYS.filter((k) => settings.enabledTypes[k]);
    if (enabled.length === 0) throw BackupException.noTypes(tenantId);
    return enabled;
  }

  /**
   * Incremental unless there is no full snapshot yet or the last one is as old as the tenant's
   * reconciliation interval (weekly by default): then a full read corrects and reports any drift.
   */
  private async chooseMode(tenantId: string): Promise<'full' | 'incremental'> {
    const full = await this.lastFullBackup(tenantId);
    if (full === null) return 'full';
    const interval = await this.reconciliation.intervalMs(tenantId);
    const age = this.clock.now().getTime() - full.startedAt.getTime();
    return age >= interval - RECONCILE_TOLERANCE_MS ? 'full' : 'incremental';
  }

  /**
   * Compares the run's full read with the snapshot before it and logs every drifted object; a
   * failure to measure is logged and leaves the run's result alone.
   */
  private async measureDrift(
    tenantId: string,
    runId: string,
    previousSnapshotId: string,
    snapshotId: string,
    outcomes: readonly EngineTypeOutcome[],
  ): Promise<BackupDrift | undefined> {
    try {
      const { drift, items } = await measureDrift(this.reader, {
        tenantId,
        previousSnapshotId,
        snapshotId,
        outcomes,
      });
      for (const item of items) {
        const links = item.links
          .map((l) => `${l.relation} +[${l.added.join(', ')}] -[${l.removed.join(', ')}]`)
          .join('; ');
        this.logger.warn(
          `Drift in run ${runId} of tenant ${tenantId}: ${item.type}/${item.collection}/${item.objectId}` +
            `${item.name === null ? '' : ` (${item.name})`} ${item.kind}${links === '' ? '' : `: ${links}`}`,
        );
      }
      if (drift.objects > 0)
        this.logger.warn(
          `Reconciliation run ${runId} of tenant ${tenantId} found drift: ${drift.objects} object(s), ${drift.links} link(s)`,
        );
      return drift;
    } catch (error) {
      this.logger.error(`Could not measure the drift of run ${runId}: ${errorText(error)}`);
      return undefined;
    }
  }

  private previousState(tenantId: string, latestId: string | undefined): PreviousState {
    const latest = latestId === undefined ? undefined : { id: latestId };
    const reader = this.reader;
    const index = this.index;
    const links = new Map<ObjectTypeKey, Map<string, string>>();
    return {
      async deltaLink(type, collection) {
        let byCollection = links.get(type);
        if (!byCollection) {
          byCollection = new Map(
            (await reader.deltaLinks(tenantId, type)).map((l) => [l.collection, l.deltaLink]),
          );
          links.set(type, byCollection);
        }
        return byCollection.get(collection);
      },
      watermark: (type) => reader.watermark(tenantId, type),
      async *objects(type, collection) {
        if (latest === undefined) return;
        for await (const entry of reader.objectsAt(tenantId, latest.id, type, collection)) {
          yield { id: entry.id, object: entry.object };
        }
      },
      async present(type, collection, ids) {
        if (latest === undefined || ids.length === 0) return new Set<string>();
        return reader.presentIdsAt(tenantId, latest.id, type, collection, ids);
      },
      async referrers(ids, when) {
        if (latest === undefined || ids.length === 0) return [];
        // Payloads stored before the index (or under an older browse spec) get their reference
        // rows at start-up; a lookup before that pass ends would miss their relationships.
        await index.ensureIndexed();
        return reader.referrersAt(tenantId, latest.id, ids, when);
      },
    };
  }

  /** Sequence numbers of the tenant's visible snapshots by id. */
  private async visibleSnapshotSeqs(tenantId: string): Promise<Map<string, number>> {
    const seqs = new Map<string, number>();
    for (let offset = 0; ; offset += MAX_SNAPSHOT_PAGE) {
      const page = await this.reader.listSnapshots(tenantId, { limit: MAX_SNAPSHOT_PAGE, offset });
      for (const snapshot of page.items) seqs.set(snapshot.id, snapshot.seq);
      if (page.items.length < MAX_SNAPSHOT_PAGE) return seqs;
    }
  }

  /** Objects per type and collection in the run's snapshot (none when nothing became visible). */
  private async collectionCountsOf(
    tenantId: string,
    snapshotId: string | null,
  ): Promise<Record<string, Record<string, number>>> {
    return snapshotId === null ? {} : this.reader.countsAt(tenantId, snapshotId);
  }

  private async recordAudit(
    tenantId: string,
    options: RunBackupOptions,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record({
      actor: options.actor,
      action: AuditAction.BACKUP_RUN,
      tenantId,
      ...(details['status'] === 'failed' || details['status'] === 'interrupted'
        ? { outcome: 'failed' as const }
        : {}),
      details: { trigger: options.trigger, ...details },
    });
  }
}

/** Objects of each type's primary collection: the figure a type's row shows. */
function primaryCounts(
  collections: Record<string, Record<string, number>>,
  types: readonly ObjectTypeKey[],
): Partial<Record<ObjectTypeKey, number>> {
  const counts: Partial<Record<ObjectTypeKey, number>> = {};
  for (const type of types) counts[type] = collections[type]?.[primaryCollectionName(type)] ?? 0;
  return counts;
}

/**
 * A type's figures split by collection: the primary collection's are the row's objects, added,
 * changed and removed (so they add up with the previous snapshot's objects); the other collections
 * with objects or changes are listed beside it. Log entries count as the primary's additions.
 */
function typeFigures(
  type: ObjectTypeKey,
  record: TypeResultRecord | undefined,
  collections: Record<string, number>,
): Pick<BackupTypeResult, 'added' | 'changed' | 'removed' | 'related'> {
  if (record === undefined) return { added: 0, changed: 0, removed: 0 };
  const primary = primaryCollectionName(type);
  const changes = new Map((record.byCollection ?? []).map((c) => [c.collection, c]));
  const names = [...new Set([...Object.keys(collections), ...changes.keys()])]
    .filter((n) => n !== primary)
    .sort();
  const related: BackupCollectionResult[] = names
    .map((collection) => ({
      collection,
      objects: collections[collection] ?? 0,
      added: changes.get(collection)?.added ?? 0,
      changed: changes.get(collection)?.changed ?? 0,
      removed: changes.get(collection)?.removed ?? 0,
    }))
    .filter((c) => c.objects + c.added + c.changed + c.removed > 0);
  const others = (pick: (c: BackupCollectionResult) => number) => related.reduce((n, c) => n + pick(c), 0);
  return {
    added: Math.max(0, record.added - others((c) => c.added)),
    changed: Math.max(0, record.changed - others((c) => c.changed)),
    removed: Math.max(0, record.removed - others((c) => c.removed)),
    ...(related.length > 0 ? { related } : {}),
  };
}

function buildSummary(input: {
  runId: string;
  snapshotId: string | null;
  status: 'completed' | 'partial' | 'failed';
  mode: 'full' | 'incremental';
  options: RunBackupOptions;
  outcomes: readonly EngineTypeOutcome[];
  records: readonly TypeResultRecord[];
  counts: Partial<Record<ObjectTypeKey, number>>;
  collections: Record<string, Record<string, number>>;
  startedAt: Date;
  finishedAt: Date;
  drift: BackupDrift | undefined;
}): BackupRunSummary {
  const types: Partial<Record<ObjectTypeKey, BackupTypeResult>> = {};
  let bytesStored = 0;
  for (const outcome of input.outcomes) {
    const record = input.records.find((r) => r.typeKey === outcome.type);
    bytesStored += record?.bytesStored ?? 0;
    types[outcome.type] = {
      status: outcome.status,
      ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
      ...(outcome.graphCode !== undefined ? { graphCode: outcome.graphCode } : {}),
      ...(outcome.requestId !== undefined ? { requestId: outcome.requestId } : {}),
      objects: input.counts[outcome.type] ?? 0,
      ...typeFigures(outcome.type, record, input.collections[outcome.type] ?? {}),
      requests: outcome.requests,
      ...(outcome.bitlockerKeyReads !== undefined ? { bitlockerKeyReads: outcome.bitlockerKeyReads } : {}),
      ...(outcome.skippedCollections !== undefined
        ? { skippedCollections: outcome.skippedCollections.map((c) => ({ ...c })) }
        : {}),
    };
  }
  const sum = (pick: (o: EngineTypeOutcome) => number): number =>
    input.outcomes.reduce((n, o) => n + pick(o), 0);
  return {
    runId: input.runId,
    snapshotId: input.snapshotId,
    status: input.status,
    mode: input.mode,
    trigger: input.options.trigger,
    actor: actorOf(input.options.actor),
    counts: input.counts,
    types,
    requests: sum((o) => o.requests),
    minimumRequests: sum((o) => o.minimumRequests),
    retries: sum((o) => o.retries),
    throttledWaits: sum((o) => o.throttledWaits),
    throttledWaitMs: sum((o) => o.throttledWaitMs),
    bytesStored,
    durationMs: Math.max(0, input.finishedAt.getTime() - input.startedAt.getTime()),
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    ...(input.drift === undefined ? {} : { drift: input.drift }),
  };
}

function typeStatuses(summary: BackupRunSummary): Record<string, string> {
  return Object.fromEntries(Object.entries(summary.types).map(([type, result]) => [type, result!.status]));
}

function toListItem(report: RunReportRecord): BackupRunListItem {
  return {
    runId: report.runId,
    tenantId: report.tenantId,
    status: report.status,
    mode: report.mode === 'incremental' ? 'incremental' : 'full',
    trigger: backupTriggerSchema.safeParse(report.trigger).data ?? 'manual',
    actor: report.actor,
    types: report.types.filter(isObjectTypeKey),
    startedAt: report.startedAt.toISOString(),
    finishedAt: report.finishedAt?.toISOString() ?? null,
    reason: report.reason,
    summary: parseSummary(report.summary),
  };
}

function parseSummary(value: unknown): BackupRunSummary | null {
  if (value === null || value === undefined) return null;
  const parsed = backupRunSummarySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('The backup was cancelled');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
