import {
  backupRunStatusSchema,
  isObjectTypeKey,
  type ObjectTypeKey,
  type PartnerTenantPage,
  type PartnerTenantRow,
  partnerTenantQuerySchema,
  STALE_BACKUP_HOURS,
} from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { Clock } from '../../core/clock';
import {
  type DashboardTenantRecord,
  type DashboardTypeFailure,
  PartnerDashboardRepository,
} from '../../persistence/repositories/partner-dashboard.repository';
import { requiredAppRoles } from '../consent/consent-permissions';
import { consentHealth } from './consent-health';
import { comparePositions, decodeCursor, encodeCursor, type SortPosition } from './dashboard-cursor';
import { PartnersService } from './partners.service';

export type PartnerTenantQueryInput = z.output<typeof partnerTenantQuerySchema>;

const HOUR_MS = 3_600_000;

/** A dashboard row before its storage figure is known, with what filters and sorts need. */
interface DraftRow {
  readonly row: Omit<PartnerTenantRow, 'storageBytes'>;
  readonly failing: boolean;
  readonly stale: boolean;
  readonly lastGoodAt: string;
}

/**
 * The partner dashboard: every customer tenant with its consent health, last and next backup,
 * failing and enabled types and stored bytes; filtered, searched, sorted and paged by an opaque
 * cursor. A page costs a fixed number of set-based queries whatever the number of tenants; the
 * storage figure is read only for the page's tenants unless the page is sorted by it.
 */
@Injectable()
export class PartnerDashboardService {
  constructor(
    private readonly partners: PartnersService,
    private readonly dashboard: PartnerDashboardRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * @throws PartnerException PARTNER_NOT_FOUND, PARTNER_CURSOR_INVALID
   */
  async tenants(partnerId: string, query: PartnerTenantQueryInput): Promise<PartnerTenantPage> {
    const partner = await this.partners.get(partnerId);
    const now = this.clock.now();
    const records = await this.dashboard.overview(partner.id);
    const enabled = await this.dashboard.enabledTypes(partner.id);
    const finishedRunIds = [
      ...new Set(records.flatMap((r) => (r.lastFinishedRun === null ? [] : [r.lastFinishedRun.runId]))),
    ];
    const failures = await this.dashboard.failedTypes(finishedRunIds);
    const required = requiredAppRoles();

    const search = query.search?.trim().toLowerCase() ?? '';
    const drafts = records
      .map((record) =>
        draftRow(record, {
          now,
          required,
          enabled: enabled.get(record.tenantId) ?? [],
          failures: record.lastFinishedRun === null ? [] : (failures.get(record.lastFinishedRun.runId) ?? []),
        }),
      )
      .filter((draft) => {
        if (search !== '' && !matches(draft.row, search)) return false;
        switch (query.filter) {
          case 'failing':
            return draft.failing;
          case 'stale':
            return draft.stale;
          case 'no-consent':
            return draft.row.consent.state === 'none' || draft.row.consent.state === 'revoked';
          default:
            return true;
        }
      });

    const sort = query.sort;
    const storage =
      sort === 'storage' ? await this.dashboard.storageBytes({ partnerId: partner.id }) : undefined;
    const positionOf = (draft: DraftRow): SortPosition => ({
      value:
        sort === 'storage'
          ? (storage?.get(draft.row.tenantId) ?? 0)
          : sort === 'lastBackup'
            ? draft.lastGoodAt
            : '',
      name: draft.row.displayName.toLowerCase(),
      tenantId: draft.row.tenantId,
    });
    const ordered = drafts
      .map((draft) => ({ draft, position: positionOf(draft) }))
      .sort((a, b) => comparePositions(sort, a.position, b.position));
    const after = query.cursor === undefined ? undefined : decodeCursor(sort, query.cursor);
    const start =
      after === undefined
        ? 0
        : firstIndexAfter(
            ordered.map((o) => o.position),
            (p) => comparePositions(sort, p, after) > 0,
          );
    const page = ordered.slice(start, start + query.limit);
    const bytes =
      storage ?? (await this.dashboard.storageBytes({ tenantIds: page.map((p) => p.draft.row.tenantId) }));
    const last = page.at(-1);
    return {
      items: page.map(({ draft }) => ({ ...draft.row, storageBytes: bytes.get(draft.row.tenantId) ?? 0 })),
      nextCursor:
        last !== undefined && start + page.length < ordered.length ? encodeCursor(sort, last.position) : null,
      total: ordered.length,
    };
  }
}

function draftRow(
  record: DashboardTenantRecord,
  context: {
    readonly now: Date;
    readonly required: readonly string[];
    readonly enabled: readonly string[];
    readonly failures: readonly DashboardTypeFailure[];
  },
): DraftRow {
  const { now, required, enabled, failures } = context;
  const lastGood = record.lastGoodFinishedAt;
  const ageHours =
    lastGood === null ? null : Math.round((now.getTime() - lastGood.getTime()) / (HOUR_MS / 10)) / 10;
  const lastStatus =
    record.lastRun === null ? undefined : backupRunStatusSchema.safeParse(record.lastRun.status);
  const failingTypes = failures.map((f) => f.typeKey).filter(isObjectTypeKey) as ObjectTypeKey[];
  return {
    row: {
      tenantId: record.tenantId,
      displayName: record.displayName,
      linkedAt: record.linkedAt?.toISOString() ?? null,
      consent: consentHealth({
        grant: record.grant,
        required,
        lastFinishedRun: record.lastFinishedRun,
        failures,
      }),
      lastBackup:
        record.lastRun === null || lastStatus?.success !== true
          ? null
          : {
              runId: record.lastRun.runId,
              status: lastStatus.data,
              startedAt: record.lastRun.startedAt.toISOString(),
              finishedAt: record.lastRun.finishedAt?.toISOString() ?? null,
              ageHours,
            },
      nextBackupAt: record.nextRunAt?.toISOString() ?? null,
      failingTypes,
      enabledTypes: enabled.filter(isObjectTypeKey) as ObjectTypeKey[],
    },
    failing: failingTypes.length > 0 || record.lastFinishedRun?.status === 'failed',
    stale: lastGood === null || now.getTime() - lastGood.getTime() > STALE_BACKUP_HOURS * HOUR_MS,
    lastGoodAt: lastGood?.toISOString() ?? '',
  };
}

function matches(row: Omit<PartnerTenantRow, 'storageBytes'>, search: string): boolean {
  return row.displayName.toLowerCase().includes(search) || row.tenantId.includes(search);
}

/** The index of the first element satisfying a predicate that holds for a suffix (binary search). */
function firstIndexAfter<T>(items: readonly T[], isAfter: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (isAfter(items[mid]!)) high = mid;
    else low = mid + 1;
  }
  return low;
}
