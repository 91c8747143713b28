import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../core/clock/clock';
import {
  BackupLeaseRepository,
  type LeaseRecord,
  LeaseTenantMissingError,
} from '../../persistence/repositories/backup-lease.repository';
import { BackupStorageException } from './backup-storage.exception';

export const DEFAULT_LEASE_TTL_MS = 60_000;

export interface BackupLease {
  readonly tenantId: string;
  readonly holderId: string;
  readonly ttlMs: number;
  readonly expiresAt: Date;
}

export interface AcquireLeaseOptions {
  /** Who holds it, shown to whoever is refused; defaults to `<host>:<pid>:<random>`. */
  readonly holderId?: string;
  /** How long the lease lasts without renewal. */
  readonly ttlMs?: number;
}

export interface LeaseKeepAlive {
  stop(): void;
}

/**
 * The per-tenant backup lease: at most one run per tenant at a time, across every process that
 * shares the database (API scheduler, CLI). Held leases expire after `ttlMs` unless renewed, so
 * a crashed holder blocks the tenant for at most one TTL; a holder that was a process of this
 * host and no longer exists (a killed CLI) is taken over at once.
 */
@Injectable()
export class BackupLeaseService {
  private readonly logger = new Logger(BackupLeaseService.name);

  constructor(
    private readonly leases: BackupLeaseRepository,
    private readonly clock: Clock,
  ) {}

  /** Takes the lease or throws BACKUP_LEASE_HELD naming the current holder. */
  async acquire(tenantId: string, options: AcquireLeaseOptions = {}): Promise<BackupLease> {
    const outcome = await this.attempt(tenantId, options);
    if ('held' in outcome)
      throw BackupStorageException.leaseHeld(tenantId, outcome.held.holderId, outcome.held.expiresAt);
    return outcome.lease;
  }

  /** Takes the lease, or returns null when someone else holds it. */
  async tryAcquire(tenantId: string, options: AcquireLeaseOptions = {}): Promise<BackupLease | null> {
    const outcome = await this.attempt(tenantId, options);
    return 'held' in outcome ? null : outcome.lease;
  }

  /** Extends the lease by its TTL from now; throws BACKUP_LEASE_LOST when it expired or changed hands. */
  async renew(lease: BackupLease): Promise<BackupLease> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + lease.ttlMs);
    const renewed = await this.leases.renew({
      tenantId: lease.tenantId,
      holderId: lease.holderId,
      now,
      expiresAt,
    });
    if (!renewed) throw BackupStorageException.leaseLost(lease.tenantId, lease.holderId);
    return { ...lease, expiresAt };
  }

  /** Gives the lease up; harmless when it already expired or changed hands. */
  async release(lease: BackupLease): Promise<void> {
    await this.leases.release(lease.tenantId, lease.holderId);
  }

  /** The live lease of a tenant, or null when none is in force. */
  async currentHolder(tenantId: string): Promise<LeaseRecord | null> {
    const lease = await this.leases.find(tenantId);
    return lease !== null && lease.expiresAt.getTime() > this.clock.now().getTime() ? lease : null;
  }

  /**
   * The live lease of a tenant whose holder may still be at work: null when none is in force, or
   * when its holder was a process of this host that no longer exists (a killed CLI), whose lease
   * the next `acquire` takes over at once.
   */
  async liveHolder(tenantId: string): Promise<LeaseRecord | null> {
    const lease = await this.currentHolder(tenantId);
    return lease !== null && isDeadLocalHolder(lease.holderId) ? null : lease;
  }

  /**
   * Renews the lease every `intervalMs` (default a third of its TTL) until stopped. When a
   * renewal fails the loop stops and `onLost` is called: the run must stop writing.
   */
  keepAlive(
    lease: BackupLease,
    onLost: (error: unknown) => void,
    intervalMs = Math.floor(lease.ttlMs / 3),
  ): LeaseKeepAlive {
    let current = lease;
    let stopped = false;
    let inFlight = false;
    const timer = setInterval(() => {
      if (stopped || inFlight) return;
      inFlight = true;
      this.renew(current)
        .then((renewed) => {
          current = renewed;
        })
        .catch((error: unknown) => {
          if (stopped) return;
          stopped = true;
          clearInterval(timer);
          this.logger.warn(`Lost the backup lease of tenant ${lease.tenantId}`);
          onLost(error);
        })
        .finally(() => {
          inFlight = false;
        });
    }, intervalMs);
    timer.unref?.();
    return {
      stop: () => {
        stopped = true;
        clearInterval(timer);
      },
    };
  }

  /**
   * Runs `work` while holding the tenant's lease, renewing it meanwhile; `signal` aborts when the
   * lease is lost. The lease is released afterwards, whatever the outcome.
   */
  async withLease<T>(
    tenantId: string,
    work: (lease: BackupLease, signal: AbortSignal) => Promise<T>,
    options: AcquireLeaseOptions = {},
  ): Promise<T> {
    const lease = await this.acquire(tenantId, options);
    const controller = new AbortController();
    const keepAlive = this.keepAlive(lease, (error) => controller.abort(error));
    try {
      return await work(lease, controller.signal);
    } finally {
      keepAlive.stop();
      await this.release(lease);
    }
  }

  private async attempt(
    tenantId: string,
    options: AcquireLeaseOptions,
  ): Promise<{ lease: BackupLease } | { held: LeaseRecord }> {
    const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    if (!Number.isInteger(ttlMs) || ttlMs < 1000) {
      throw BackupStorageException.invalidArgument(
        'A lease TTL must be a whole number of milliseconds, at least 1000',
      );
    }
    const holderId = options.holderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    if (holderId === '' || holderId.length > 128) {
      throw BackupStorageException.invalidArgument('A lease holder id must have 1 to 128 characters');
    }
    const now = this.clock.now();
    const request = { tenantId, holderId, now, expiresAt: new Date(now.getTime() + ttlMs) };
    try {
      let result = await this.leases.tryAcquire(request);
      if (!result.acquired && isDeadLocalHolder(result.lease.holderId)) {
        const deadHolderId = result.lease.holderId;
        if (await this.leases.takeOver({ ...request, fromHolderId: deadHolderId })) {
          this.logger.log(
            `Took over the backup lease of tenant ${tenantId} from ${deadHolderId}: that process of this host no longer exists`,
          );
          return { lease: { tenantId, holderId, ttlMs, expiresAt: request.expiresAt } };
        }
        // Another process took it over first, or the row went away meanwhile: one plain attempt more.
        result = await this.leases.tryAcquire(request);
      }
      return result.acquired
        ? { lease: { tenantId, holderId, ttlMs, expiresAt: result.lease.expiresAt } }
        : { held: result.lease };
    } catch (error) {
      if (error instanceof LeaseTenantMissingError) throw BackupStorageException.tenantNotFound(tenantId);
      throw error;
    }
  }
}

/** Default holder ids: `<host>:<pid>:<8 hex digits>`. The host may itself hold colons. */
const LOCAL_HOLDER_ID = /^(.+):([1-9][0-9]{0,9}):[0-9a-f]{8}$/;

/**
 * Whether a holder id in the default format names a process of this host (same `os.hostname()`)
 * that no longer exists. Holders of other hosts, and ids in any other format, are never judged
 * dead: their lease must run out. Signal 0 only checks existence; EPERM means the process exists
 * but belongs to another user. This relies on one hostname meaning one process table: containers
 * explicitly given the same hostname would take each other's live runs for dead (Docker and
 * Kubernetes give each container its own hostname by default).
 */
function isDeadLocalHolder(holderId: string): boolean {
  const match = LOCAL_HOLDER_ID.exec(holderId);
  if (match === null || match[1] !== hostname()) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
