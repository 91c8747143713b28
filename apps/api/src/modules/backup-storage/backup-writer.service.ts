import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { isObjectTypeKey, type ObjectTypeKey } from '@entra-backup/common';
import { Clock } from '../../core/clock/clock';
import { BackupLeaseRepository } from '../../persistence/repositories/backup-lease.repository';
import { isForeignKeyViolation } from '../../persistence/repositories/backup-sql.repository';
import { BackupObjectRepository } from '../../persistence/repositories/backup-object.repository';
import {
  type BackupMode,
  BackupSnapshotRepository,
} from '../../persistence/repositories/backup-snapshot.repository';
import { summarizeObject } from '../exporters/browse-index';
import { BackupStorageException } from './backup-storage.exception';
import { PayloadCodec } from './codec/payload-codec';
import { DEFAULT_WRITER_LIMITS, SnapshotWriter, type SnapshotWriterLimits } from './snapshot-writer';

/** Optional override of the writer's batch limits (tests use small batches to cross many flushes). */
export const SNAPSHOT_WRITER_LIMITS = Symbol('SNAPSHOT_WRITER_LIMITS');

export interface BeginSnapshotOptions {
  readonly mode: BackupMode;
  readonly types: readonly ObjectTypeKey[];
}

export interface RecoveredRun {
  readonly runId: string;
  readonly tenantId: string;
  readonly snapshotId: string;
}

export const INTERRUPTED_REASON = 'The process running this backup stopped before the run finished';

/** Starts snapshot writers and cleans up after runs whose process died. */
@Injectable()
export class BackupWriterService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BackupWriterService.name);
  private readonly limits: SnapshotWriterLimits;

  constructor(
    private readonly snapshots: BackupSnapshotRepository,
    private readonly objects: BackupObjectRepository,
    private readonly leases: BackupLeaseRepository,
    private readonly codec: PayloadCodec,
    private readonly clock: Clock,
    @Optional() @Inject(SNAPSHOT_WRITER_LIMITS) limits?: SnapshotWriterLimits,
  ) {
    this.limits = limits ?? DEFAULT_WRITER_LIMITS;
  }

  /** Every start of the API or the CLI cleans up after runs a previous process left behind. */
  async onApplicationBootstrap(): Promise<void> {
    const recovered = await this.recoverInterruptedRuns();
    if (recovered.length > 0)
      this.logger.warn(`Marked ${recovered.length} interrupted backup run(s) at start-up`);
  }

  /**
   * Starts a run and its (not yet visible) snapshot. The caller must hold the tenant's backup
   * lease (`BackupLeaseService`): that is what makes any other `running` run of the tenant dead,
   * so it is marked interrupted here first and its leftovers cannot mix with this run's.
   */
  async beginSnapshot(tenantId: string, options: BeginSnapshotOptions): Promise<SnapshotWriter> {
    const types = validateTypes(options.types);
    if (options.mode !== 'full' && options.mode !== 'incremental') {
      throw BackupStorageException.invalidArgument(
        `mode must be 'full' or 'incremental', got ${String(options.mode)}`,
      );
    }
    await this.interrupt(await this.snapshots.findRunning(tenantId));
    const runId = randomUUID();
    const snapshotId = randomUUID();
    let seq: number;
    try {
      ({ seq } = await this.snapshots.begin({
        runId,
        snapshotId,
        tenantId,
        mode: options.mode,
        types,
        startedAt: this.clock.now(),
      }));
    } catch (error) {
      if (isForeignKeyViolation(error)) throw BackupStorageException.tenantNotFound(tenantId);
      throw error;
    }
    return new SnapshotWriter({ runId, tenantId, snapshotId, seq }, options.mode, types, {
      snapshots: this.snapshots,
      objects: this.objects,
      codec: this.codec,
      clock: this.clock,
      limits: this.limits,
      summarize: summarizeObject,
    });
  }

  /**
   * Secrets of a type that runs read but no committed snapshot holds yet (an interrupted run's
   * BitLocker keys), opened, by object id. They survive the recovery of the run that read them.
   */
  async recallSecretReads(tenantId: string, type: ObjectTypeKey): Promise<Map<string, string>> {
    const reads = new Map<string, string>();
    for (const row of await this.snapshots.secretReads(tenantId, type)) {
      reads.set(
        row.objectId,
        this.codec.openText(
          Buffer.from(row.sealedValue, 'base64'),
          secretReadContext(tenantId, type, row.objectId),
        ),
      );
    }
    return reads;
  }

  /**
   * Stores secrets just read from Graph, sealed, before the run goes on: a run killed afterwards
   * loses its staged objects, not these. The commit that stores the type removes them.
   */
  async rememberSecretReads(
    tenantId: string,
    type: ObjectTypeKey,
    reads: ReadonlyArray<readonly [objectId: string, value: string]>,
  ): Promise<void> {
    await this.snapshots.rememberSecretReads(
      tenantId,
      type,
      reads.map(([objectId, value]) => ({
        objectId,
        sealedValue: this.codec
          .sealText(value, secretReadContext(tenantId, type, objectId))
          .toString('base64'),
      })),
      this.clock.now(),
    );
  }

  /**
   * Marks runs left `running` by a process that died as `interrupted` and discards what they
   * staged; their snapshots never become visible. Call at start-up. Runs of a tenant whose lease
   * is still live are left alone (another process may be running them); `beginSnapshot` cleans
   * those up once the lease is taken.
   */
  async recoverInterruptedRuns(): Promise<RecoveredRun[]> {
    const running = await this.snapshots.findRunning();
    if (running.length === 0) return [];
    const live = await this.leases.liveTenantIds(this.clock.now());
    return this.interrupt(running.filter((run) => !live.has(run.tenantId)));
  }

  private async interrupt(
    runs: ReadonlyArray<{ runId: string; tenantId: string; snapshotId: string; seq: number }>,
  ): Promise<RecoveredRun[]> {
    const recovered: RecoveredRun[] = [];
    for (const run of runs) {
      const done = await this.snapshots.discard({
        run,
        status: 'interrupted',
        reason: INTERRUPTED_REASON,
        finishedAt: this.clock.now(),
      });
      if (!done) continue;
      this.logger.warn(
        `Backup run ${run.runId} of tenant ${run.tenantId} was interrupted; its partial data was discarded`,
      );
      recovered.push({ runId: run.runId, tenantId: run.tenantId, snapshotId: run.snapshotId });
    }
    return recovered;
  }
}

/** Binds a sealed secret to its row: a value copied to another object or tenant fails to open. */
function secretReadContext(tenantId: string, type: string, objectId: string): string {
  return `secret-read:${tenantId}:${type}:${objectId}`;
}

function validateTypes(types: readonly string[]): ObjectTypeKey[] {
  if (!Array.isArray(types) || types.length === 0) {
    throw BackupStorageException.invalidArgument('A backup run needs at least one object type');
  }
  const unknown = types.filter((t) => !isObjectTypeKey(t));
  if (unknown.length > 0) {
    throw BackupStorageException.invalidArgument(
      `Unknown object type${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}`,
    );
  }
  const unique = [...new Set(types)] as ObjectTypeKey[];
  if (unique.length !== types.length)
    throw BackupStorageException.invalidArgument('Object types must not repeat');
  return unique;
}
