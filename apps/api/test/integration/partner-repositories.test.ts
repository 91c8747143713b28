import { DatabaseGate } from '../../src/persistence/database-gate';
import {
  BackupRunEntity,
  BackupRunReportEntity,
  BackupRunTypeEntity,
  ConsentGrantEntity,
  ScheduleStateEntity,
  TenantEntity,
  TenantSettingEntity,
} from '../../src/persistence/entities';
import {
  OnboardingLinkRepository,
  PartnerRepository,
  TenantRepository,
} from '../../src/persistence/repositories';
import { BackupSqlRepository } from '../../src/persistence/repositories/backup-sql.repository';
import { PartnerDashboardRepository } from '../../src/persistence/repositories/partner-dashboard.repository';
import { buildTenant } from '../support/factories';
import {
  buildMember,
  buildOnboardingLink,
  buildPartner,
  OTHER_PARTNER,
  PARTNER,
} from '../support/partner.factory';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

// Every test migrates an empty database (a fresh schema on PostgreSQL); leave room on a busy CI machine.
jest.setTimeout(30_000);

const AT = new Date('2026-12-08T10:00:00.000Z');

describe.each(testDatabases())('partner repositories on %s', (engine) => {
  let db: TestDataSource;
  let partners: PartnerRepository;
  let tenants: TenantRepository;
  let links: OnboardingLinkRepository;

  beforeEach(async () => {
    db = await createTestDataSource(engine);
    const gate = new DatabaseGate(db.dataSource);
    partners = new PartnerRepository(gate);
    tenants = new TenantRepository(gate);
    links = new OnboardingLinkRepository(gate);
    await partners.insertWithOwner(buildPartner(), buildMember());
  });

  afterEach(async () => {
    await db.destroy();
  });

  /** Makes the partner manage the tenant, as an accepted onboarding link does. */
  async function linkTo(tenantId: string, partnerId: string): Promise<void> {
    await db.dataSource
      .getRepository(TenantEntity)
      .update({ id: tenantId }, { partnerId, partnerLinkedAt: AT });
  }

  describe(PartnerRepository.name, () => {
    it('creates a partner with its Owner, or neither for a name in use', async () => {
      const again = await partners.insertWithOwner(
        buildPartner({ id: OTHER_PARTNER }),
        buildMember({ partnerId: OTHER_PARTNER, upn: 'ben@fabrikam.test' }),
      );

      expect(again).toBeNull();
      await expect(partners.membershipsOf('ben@fabrikam.test')).resolves.toEqual([]);
      await expect(partners.listWithCounts()).resolves.toEqual([
        expect.objectContaining({ id: PARTNER, name: 'Fabrikam IT', staff: 1, tenants: 0 }),
      ]);
    });

    it('keeps at least one Owner, also when two Owners demote each other at once', async () => {
      await expect(partners.removeMember(PARTNER, 'ana@fabrikam.test')).resolves.toBe('last-owner');
      await expect(partners.changeMemberRole(PARTNER, 'ana@fabrikam.test', 'admin')).resolves.toBe(
        'last-owner',
      );
      await expect(partners.insertMember(buildMember({ upn: 'ben@fabrikam.test' }))).resolves.toBe(true);
      await expect(partners.insertMember(buildMember({ upn: 'ben@fabrikam.test' }))).resolves.toBe(false);

      const outcomes = await Promise.all([
        partners.changeMemberRole(PARTNER, 'ana@fabrikam.test', 'viewer'),
        partners.changeMemberRole(PARTNER, 'ben@fabrikam.test', 'viewer'),
      ]);

      expect([...outcomes].sort()).toEqual(['changed', 'last-owner']);
      const roles = (await partners.listMembers(PARTNER)).map((m) => m.role).sort();
      expect(roles).toEqual(['owner', 'viewer']);
      await expect(partners.removeMember(PARTNER, 'nobody@fabrikam.test')).resolves.toBe('not-found');
    });
  });

  describe(OnboardingLinkRepository.name, () => {
    beforeEach(async () => {
      await tenants.insertIfAbsent(buildTenant({ id: '72f988bf-86f1-41af-91ab-2d7cd011db47' }));
      await links.insert(buildOnboardingLink());
    });

    const accept = (at = AT) =>
      links.accept({
        linkId: buildOnboardingLink().id,
        partnerId: PARTNER,
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        usedBy: 'user:megan@contoso.test',
        at,
      });

    it('uses the link up and links the tenant, for exactly one of concurrent accepts', async () => {
      const outcomes = await Promise.all([accept(), accept(), accept()]);

      expect([...outcomes].sort()).toEqual(['accepted', 'link-closed', 'link-closed']);
      const tenant = await tenants.findById('72f988bf-86f1-41af-91ab-2d7cd011db47');
      expect(tenant).toMatchObject({ partnerId: PARTNER, partnerLinkedAt: AT });
      const [link] = await links.listByPartner(PARTNER);
      expect(link).toMatchObject({
        usedAt: AT,
        usedBy: 'user:megan@contoso.test',
        usedByTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      });
      await expect(links.findByTokenHash('f'.repeat(64))).resolves.toMatchObject({
        partnerName: 'Fabrikam IT',
      });
    });

    it('leaves the link open when another partner manages the tenant', async () => {
      await partners.insertWithOwner(
        buildPartner({ id: OTHER_PARTNER, name: 'Northwind' }),
        buildMember({ partnerId: OTHER_PARTNER }),
      );
      await linkTo('72f988bf-86f1-41af-91ab-2d7cd011db47', OTHER_PARTNER);

      await expect(accept()).resolves.toBe('tenant-managed');

      const [link] = await links.listByPartner(PARTNER);
      expect(link?.usedAt).toBeNull();
      await expect(tenants.findById('72f988bf-86f1-41af-91ab-2d7cd011db47')).resolves.toMatchObject({
        partnerId: OTHER_PARTNER,
      });
    });

    it('refuses an expired or revoked link', async () => {
      await expect(accept(new Date('2026-12-11T09:00:00.000Z'))).resolves.toBe('link-closed');
      await expect(links.revoke(PARTNER, buildOnboardingLink().id, AT, 'user:ana')).resolves.toBe(true);
      await expect(links.revoke(PARTNER, buildOnboardingLink().id, AT, 'user:ana')).resolves.toBe(false);
      await expect(accept()).resolves.toBe('link-closed');
    });
  });

  describe(TenantRepository.name, () => {
    it('moves a tenant only away from the partner that manages it', async () => {
      const tenant = buildTenant();
      await tenants.insertIfAbsent(tenant);
      await partners.insertWithOwner(
        buildPartner({ id: OTHER_PARTNER, name: 'Northwind' }),
        buildMember({ partnerId: OTHER_PARTNER }),
      );

      await expect(tenants.moveToPartner(tenant.id, PARTNER, OTHER_PARTNER, AT)).resolves.toBe(false);
      await linkTo(tenant.id, PARTNER);
      await expect(tenants.moveToPartner(tenant.id, PARTNER, OTHER_PARTNER, AT)).resolves.toBe(true);
      await expect(tenants.listByPartner(OTHER_PARTNER)).resolves.toEqual([
        expect.objectContaining({ id: tenant.id, partnerId: OTHER_PARTNER, partnerLinkedAt: AT }),
      ]);
      await expect(tenants.moveToPartner(tenant.id, OTHER_PARTNER, null, AT)).resolves.toBe(true);
      await expect(tenants.findById(tenant.id)).resolves.toMatchObject({
        partnerId: null,
        partnerLinkedAt: null,
      });
    });
  });

  describe(PartnerDashboardRepository.name, () => {
    it("reads every customer tenant's consent, schedule, runs, failed types and stored bytes", async () => {
      const sut = new PartnerDashboardRepository(new BackupSqlRepository(new DatabaseGate(db.dataSource)));
      const a = buildTenant({ displayName: 'A' });
      const b = buildTenant({ displayName: 'B' });
      const notOurs = buildTenant({ displayName: 'Not ours' });
      for (const tenant of [a, b, notOurs]) await tenants.insertIfAbsent(tenant);
      for (const tenant of [a, b]) {
        await linkTo(tenant.id, PARTNER);
      }
      const manager = db.dataSource.manager;
      await manager.getRepository(ConsentGrantEntity).insert({
        tenantId: a.id,
        grantedRoles: JSON.stringify(['User.Read.All']),
        grantedBy: 'megan@contoso.test',
        grantedAt: AT,
        verifiedAt: AT,
      });
      await manager.getRepository(ScheduleStateEntity).insert({
        tenantId: a.id,
        offsetMinutes: 5,
        nextRunAt: new Date('2026-12-08T12:05:00.000Z'),
        firstConfiguredAt: AT,
        lastRunAt: null,
        lastRunId: null,
        lastError: null,
        firstRunStarted: true,
        claimedBy: null,
        claimedUntil: null,
        updatedAt: AT,
      });
      for (const [typeKey, enabled] of [
        ['users', true],
        ['groups', false],
      ] as const) {
        await manager
          .getRepository(TenantSettingEntity)
          .insert({ tenantId: a.id, objectType: typeKey, enabled, updatedAt: AT });
      }
      const run = async (
        tenantId: string,
        runId: string,
        status: string,
        startedAt: string,
        finishedAt: string | null,
        types: Array<[string, string, number]>,
      ) => {
        await manager.getRepository(BackupRunEntity).insert({
          id: runId,
          tenantId,
          mode: 'full',
          status,
          types: '[]',
          startedAt: new Date(startedAt),
          finishedAt: finishedAt === null ? null : new Date(finishedAt),
          reason: null,
        });
        await manager.getRepository(BackupRunReportEntity).insert({
          runId,
          tenantId,
          trigger: 'manual',
          actor: 'a',
          mode: 'full',
          types: '[]',
          status,
          startedAt: new Date(startedAt),
          finishedAt: finishedAt === null ? null : new Date(finishedAt),
          reason: status === 'failed' ? 'Graph is down' : null,
          summary: null,
        });
        for (const [typeKey, typeStatus, bytes] of types) {
          await manager.getRepository(BackupRunTypeEntity).insert({
            runId,
            typeKey,
            status: typeStatus,
            reason: typeStatus === 'failed' ? 'Graph 503' : null,
            graphCode: null,
            requestId: null,
            objects: 1,
            added: 1,
            changed: 0,
            removed: 0,
            requests: 1,
            retries: 0,
            throttledWaits: 0,
            throttledWaitMs: 0,
            bytesStored: bytes,
            durationMs: 1,
            finishedAt: new Date(startedAt),
          });
        }
      };
      await run(
        a.id,
        '00000000-0000-4000-8000-00000000000a',
        'completed',
        '2026-12-06T00:00:00.000Z',
        '2026-12-06T00:10:00.000Z',
        [['users', 'succeeded', 1000]],
      );
      await run(
        a.id,
        '00000000-0000-4000-8000-00000000000b',
        'partial',
        '2026-12-07T00:00:00.000Z',
        '2026-12-07T00:10:00.000Z',
        [
          ['users', 'succeeded', 200],
          ['groups', 'failed', 0],
        ],
      );
      await run(
        a.id,
        '00000000-0000-4000-8000-00000000000c',
        'running',
        '2026-12-08T09:00:00.000Z',
        null,
        [],
      );
      await run(
        b.id,
        '00000000-0000-4000-8000-00000000000d',
        'failed',
        '2026-12-08T08:00:00.000Z',
        '2026-12-08T08:01:00.000Z',
        [['users', 'failed', 0]],
      );
      await run(
        notOurs.id,
        '00000000-0000-4000-8000-00000000000e',
        'completed',
        '2026-12-08T08:00:00.000Z',
        '2026-12-08T08:01:00.000Z',
        [['users', 'succeeded', 7]],
      );

      const overview = await sut.overview(PARTNER);

      expect(overview.map((r) => r.displayName).sort()).toEqual(['A', 'B']);
      expect(overview.find((r) => r.tenantId === a.id)).toEqual({
        tenantId: a.id,
        displayName: 'A',
        linkedAt: AT,
        grant: { grantedRoles: ['User.Read.All'], verifiedAt: AT },
        nextRunAt: new Date('2026-12-08T12:05:00.000Z'),
        lastRun: {
          runId: '00000000-0000-4000-8000-00000000000c',
          status: 'running',
          startedAt: new Date('2026-12-08T09:00:00.000Z'),
          finishedAt: null,
          reason: null,
        },
        lastFinishedRun: expect.objectContaining({
          runId: '00000000-0000-4000-8000-00000000000b',
          status: 'partial',
        }),
        lastGoodFinishedAt: new Date('2026-12-07T00:10:00.000Z'),
      });
      expect(overview.find((r) => r.tenantId === b.id)).toMatchObject({
        grant: null,
        nextRunAt: null,
        lastFinishedRun: { status: 'failed', reason: 'Graph is down' },
        lastGoodFinishedAt: null,
      });
      await expect(sut.enabledTypes(PARTNER)).resolves.toEqual(new Map([[a.id, ['users']]]));
      await expect(
        sut.failedTypes(['00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-00000000000d']),
      ).resolves.toEqual(
        new Map([
          [
            '00000000-0000-4000-8000-00000000000b',
            [{ typeKey: 'groups', reason: 'Graph 503', graphCode: null }],
          ],
          [
            '00000000-0000-4000-8000-00000000000d',
            [{ typeKey: 'users', reason: 'Graph 503', graphCode: null }],
          ],
        ]),
      );
      await expect(sut.storageBytes({ partnerId: PARTNER })).resolves.toEqual(
        new Map([
          [a.id, 1200],
          [b.id, 0],
        ]),
      );
      await expect(sut.storageBytes({ tenantIds: [a.id, notOurs.id] })).resolves.toEqual(
        new Map([
          [a.id, 1200],
          [notOurs.id, 7],
        ]),
      );
    });
  });
});
