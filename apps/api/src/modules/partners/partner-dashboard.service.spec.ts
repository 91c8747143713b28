import type { PartnerTenantRow } from '@entra-backup/common';
import type { PartnerDashboardRepository } from '../../persistence/repositories/partner-dashboard.repository';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import {
  buildDashboardRecord,
  buildPartner,
  CUSTOMER,
  PARTNER,
  PARTNER_NOW,
} from '../../../test/support/partner.factory';
import { requiredAppRoles } from '../consent/consent-permissions';
import { PartnerDashboardService, type PartnerTenantQueryInput } from './partner-dashboard.service';
import { PartnerExceptionCode } from './partners.exception';
import type { PartnersService } from './partners.service';

const HOUR = 3_600_000;

function tenantId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function query(overrides: Partial<PartnerTenantQueryInput> = {}): PartnerTenantQueryInput {
  return { sort: 'name', limit: 50, ...overrides };
}

describe(PartnerDashboardService.name, () => {
  let sut: PartnerDashboardService;
  let partners: jest.Mocked<Pick<PartnersService, 'get'>>;
  let dashboard: jest.Mocked<PartnerDashboardRepository>;
  const granted = { grantedRoles: requiredAppRoles(), verifiedAt: new Date('2026-12-02T00:00:00.000Z') };

  beforeEach(() => {
    partners = strictDouble<Pick<PartnersService, 'get'>>('PartnersService');
    partners.get.mockResolvedValue(buildPartner());
    dashboard = strictDouble<PartnerDashboardRepository>('PartnerDashboardRepository');
    dashboard.enabledTypes.mockResolvedValue(new Map());
    dashboard.failedTypes.mockResolvedValue(new Map());
    dashboard.storageBytes.mockImplementation(async (scope) =>
      'tenantIds' in scope ? new Map(scope.tenantIds.map((id) => [id, 100])) : new Map(),
    );
    sut = new PartnerDashboardService(
      partners as unknown as PartnersService,
      dashboard,
      new FixedClock(PARTNER_NOW),
    );
  });

  it('builds a row from the records: consent, last and next backup, failing and enabled types, storage', async () => {
    const lastGood = new Date(PARTNER_NOW.getTime() - 30 * HOUR);
    dashboard.overview.mockResolvedValue([
      buildDashboardRecord({
        grant: granted,
        nextRunAt: new Date('2026-12-08T12:00:00.000Z'),
        lastRun: {
          runId: 'run-2',
          status: 'partial',
          startedAt: new Date('2026-12-08T09:00:00.000Z'),
          finishedAt: new Date('2026-12-08T09:05:00.000Z'),
          reason: null,
        },
        lastFinishedRun: {
          runId: 'run-2',
          status: 'partial',
          startedAt: new Date('2026-12-08T09:00:00.000Z'),
          finishedAt: new Date('2026-12-08T09:05:00.000Z'),
          reason: null,
        },
        lastGoodFinishedAt: lastGood,
      }),
    ]);
    dashboard.enabledTypes.mockResolvedValue(new Map([[CUSTOMER, ['groups', 'users', 'retiredType']]]));
    dashboard.failedTypes.mockResolvedValue(
      new Map([['run-2', [{ typeKey: 'groups', reason: 'Graph 503', graphCode: null }]]]),
    );

    const page = await sut.tenants(PARTNER, query());

    expect(page).toEqual({
      items: [
        {
          tenantId: CUSTOMER,
          displayName: 'Contoso',
          linkedAt: '2026-12-02T00:00:00.000Z',
          consent: { state: 'ok', missing: [] },
          lastBackup: {
            runId: 'run-2',
            status: 'partial',
            startedAt: '2026-12-08T09:00:00.000Z',
            finishedAt: '2026-12-08T09:05:00.000Z',
            ageHours: 30,
          },
          nextBackupAt: '2026-12-08T12:00:00.000Z',
          failingTypes: ['groups'],
          enabledTypes: ['groups', 'users'],
          storageBytes: 100,
        } satisfies PartnerTenantRow,
      ],
      nextCursor: null,
      total: 1,
    });
    expect(dashboard.failedTypes).toHaveBeenCalledWith(['run-2']);
    // Storage is read for the page's tenants only.
    expect(dashboard.storageBytes).toHaveBeenCalledWith({ tenantIds: [CUSTOMER] });
  });

  describe('filters', () => {
    beforeEach(() => {
      const failedRun = {
        runId: 'run-f',
        status: 'failed',
        startedAt: new Date(PARTNER_NOW.getTime() - HOUR),
        finishedAt: new Date(PARTNER_NOW.getTime() - HOUR),
        reason: 'Graph is down',
      };
      dashboard.overview.mockResolvedValue([
        buildDashboardRecord({
          tenantId: tenantId(1),
          displayName: 'Healthy',
          grant: granted,
          lastGoodFinishedAt: new Date(PARTNER_NOW.getTime() - 2 * HOUR),
        }),
        buildDashboardRecord({
          tenantId: tenantId(2),
          displayName: 'Failing',
          grant: granted,
          lastRun: failedRun,
          lastFinishedRun: failedRun,
          lastGoodFinishedAt: new Date(PARTNER_NOW.getTime() - 3 * HOUR),
        }),
        buildDashboardRecord({
          tenantId: tenantId(3),
          displayName: 'Stale',
          grant: granted,
          lastGoodFinishedAt: new Date(PARTNER_NOW.getTime() - 25 * HOUR),
        }),
        buildDashboardRecord({ tenantId: tenantId(4), displayName: 'No consent yet', grant: null }),
      ]);
    });

    it.each([
      ['failing', ['Failing']],
      ['stale', ['No consent yet', 'Stale']],
      ['no-consent', ['No consent yet']],
    ] as const)('%s keeps %j', async (filter, names) => {
      const page = await sut.tenants(PARTNER, query({ filter }));

      expect(page.items.map((r) => r.displayName)).toEqual(names);
      expect(page.total).toBe(names.length);
    });

    it('searches names and tenant ids, case-insensitively', async () => {
      expect(
        (await sut.tenants(PARTNER, query({ search: ' stALE ' }))).items.map((r) => r.displayName),
      ).toEqual(['Stale']);
      expect(
        (await sut.tenants(PARTNER, query({ search: '000000000004' }))).items.map((r) => r.tenantId),
      ).toEqual([tenantId(4)]);
    });
  });

  it('pages through every tenant once by cursor, in a stable order', async () => {
    dashboard.overview.mockResolvedValue(
      [5, 3, 1, 4, 2].map((n) =>
        buildDashboardRecord({ tenantId: tenantId(n), displayName: n % 2 ? 'Odd' : 'Even' }),
      ),
    );

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await sut.tenants(
        PARTNER,
        query({ limit: 2, ...(cursor === undefined ? {} : { cursor }) }),
      );
      expect(page.total).toBe(5);
      seen.push(...page.items.map((r) => r.tenantId));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);

    expect(pages).toBe(3);
    expect(seen).toEqual([2, 4, 1, 3, 5].map(tenantId));
  });

  it("sorts by storage, largest first, reading it once for all the partner's tenants", async () => {
    dashboard.overview.mockResolvedValue(
      [1, 2, 3].map((n) => buildDashboardRecord({ tenantId: tenantId(n), displayName: `T${n}` })),
    );
    dashboard.storageBytes.mockResolvedValue(
      new Map([
        [tenantId(1), 5],
        [tenantId(3), 50],
      ]),
    );

    const first = await sut.tenants(PARTNER, query({ sort: 'storage', limit: 2 }));
    const second = await sut.tenants(
      PARTNER,
      query({ sort: 'storage', limit: 2, cursor: first.nextCursor! }),
    );

    expect(first.items.map((r) => [r.displayName, r.storageBytes])).toEqual([
      ['T3', 50],
      ['T1', 5],
    ]);
    expect(second.items.map((r) => [r.displayName, r.storageBytes])).toEqual([['T2', 0]]);
    expect(second.nextCursor).toBeNull();
    expect(dashboard.storageBytes).toHaveBeenCalledWith({ partnerId: PARTNER });
    expect(dashboard.storageBytes).toHaveBeenCalledTimes(2);
  });

  it('sorts by last backup: never backed up first, then the oldest', async () => {
    dashboard.overview.mockResolvedValue([
      buildDashboardRecord({
        tenantId: tenantId(1),
        displayName: 'Recent',
        lastGoodFinishedAt: new Date('2026-12-08T00:00:00.000Z'),
      }),
      buildDashboardRecord({ tenantId: tenantId(2), displayName: 'Never' }),
      buildDashboardRecord({
        tenantId: tenantId(3),
        displayName: 'Old',
        lastGoodFinishedAt: new Date('2026-12-01T00:00:00.000Z'),
      }),
    ]);

    const page = await sut.tenants(PARTNER, query({ sort: 'lastBackup' }));

    expect(page.items.map((r) => r.displayName)).toEqual(['Never', 'Old', 'Recent']);
  });

  it('refuses a cursor issued for another sort', async () => {
    dashboard.overview.mockResolvedValue(
      [1, 2].map((n) => buildDashboardRecord({ tenantId: tenantId(n), displayName: `T${n}` })),
    );
    const byName = await sut.tenants(PARTNER, query({ limit: 1 }));

    await expect(
      sut.tenants(PARTNER, query({ sort: 'lastBackup', cursor: byName.nextCursor! })),
    ).rejects.toMatchObject({ code: PartnerExceptionCode.PARTNER_CURSOR_INVALID });
  });
});
