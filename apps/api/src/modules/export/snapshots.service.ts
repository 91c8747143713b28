import { Injectable } from '@nestjs/common';
import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from '@entra-backup/common';
import {
  BackupReaderService,
  MAX_SNAPSHOT_PAGE,
  type SnapshotDiff,
  type VerifyReport,
} from '../backup-storage/backup-reader.service';
import type { BackupMode, SnapshotStatus } from '../../persistence/repositories/backup-snapshot.repository';
import { TenantsService } from '../tenants/tenants.service';
import { ExportLayouts } from './export-layouts';

export interface SnapshotSummary {
  readonly snapshotId: string;
  readonly seq: number;
  readonly status: SnapshotStatus;
  readonly mode: BackupMode;
  readonly runId: string;
  readonly startedAt: Date;
  readonly completedAt: Date | null;
  /** Types the run covered, in key order. */
  readonly types: ObjectTypeKey[];
  /** Objects of each type's primary collection in the snapshot's view (types never backed up are absent). */
  readonly counts: Partial<Record<ObjectTypeKey, number>>;
  /** Bytes of new payloads this run stored (unchanged objects cost none). */
  readonly bytesStored: number;
  /** Types of the run that failed (a `partial` snapshot keeps their previous objects). */
  readonly failedTypes: ObjectTypeKey[];
}

/** Listing, comparing and checking a tenant's snapshots, for the CLI and the portal. */
@Injectable()
export class SnapshotsService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly reader: BackupReaderService,
    private readonly layouts: ExportLayouts,
  ) {}

  /** Visible snapshots, newest first, at most `limit` (1 to 200). */
  async list(tenantId: string, limit = 50): Promise<SnapshotSummary[]> {
    const id = await this.requireTenant(tenantId);
    const page = await this.reader.listSnapshots(id, { limit: Math.min(limit, MAX_SNAPSHOT_PAGE) });
    const summaries: SnapshotSummary[] = [];
    for (const snapshot of page.items) {
      const details = await this.reader.getSnapshotDetails(id, snapshot.id);
      const collections = await this.reader.countsAt(id, snapshot.id);
      const counts: Partial<Record<ObjectTypeKey, number>> = {};
      for (const type of OBJECT_TYPE_KEYS) {
        const byCollection = collections[type];
        const covered = details.run.types.includes(type);
        if (byCollection === undefined && !covered) continue;
        counts[type] = byCollection?.[this.layouts.of(type).primaryCollection] ?? 0;
      }
      summaries.push({
        snapshotId: snapshot.id,
        seq: snapshot.seq,
        status: snapshot.status,
        mode: snapshot.mode,
        runId: snapshot.runId,
        startedAt: details.run.startedAt,
        completedAt: snapshot.completedAt,
        types: OBJECT_TYPE_KEYS.filter((key) => details.run.types.includes(key)),
        counts,
        bytesStored: details.types.reduce((sum, t) => sum + t.bytesStored, 0),
        failedTypes: OBJECT_TYPE_KEYS.filter((key) =>
          details.types.some((t) => t.typeKey === key && t.status === 'failed'),
        ),
      });
    }
    return summaries;
  }

  /** Added, changed (with property names) and removed objects per type from snapshot A to B. */
  async diff(tenantId: string, snapshotA: string, snapshotB: string): Promise<SnapshotDiff> {
    return this.reader.diff(await this.requireTenant(tenantId), snapshotA, snapshotB);
  }

  /** Re-reads every stored version and log entry, checking presence, decryption and hash. */
  async verify(tenantId: string): Promise<VerifyReport> {
    return this.reader.verify(await this.requireTenant(tenantId));
  }

  private async requireTenant(tenantId: string): Promise<string> {
    return (await this.tenants.get(tenantId)).tenantId;
  }
}
