import { randomUUID } from 'node:crypto';
import { DatabaseGate } from '../../src/persistence/database-gate';
import { PartnerEntity, TenantEntity } from '../../src/persistence/entities';
import {
  type AuditEventRecord,
  AuditTrailRepository,
  type NewAuditEvent,
  TenantRepository,
} from '../../src/persistence/repositories';
import { buildTenant } from '../support/factories';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

jest.setTimeout(30_000);

describe.each(testDatabases())(`${AuditTrailRepository.name} on %s`, (engine) => {
  let db: TestDataSource;
  let sut: AuditTrailRepository;
  const partnerId = randomUUID();
  const managed = buildTenant();
  const other = buildTenant();

  function event(overrides: Partial<NewAuditEvent>): NewAuditEvent {
    return {
      occurredAt: new Date('2026-12-01T10:00:00.000Z'),
      actor: 'user:ana@contoso.test',
      principalKind: 'person',
      address: '203.0.113.7',
      outcome: 'success',
      tenantId: managed.id,
      partnerId: null,
      action: 'settings.updated',
      details: {},
      ...overrides,
    };
  }

  beforeEach(async () => {
    db = await createTestDataSource(engine);
    const gate = new DatabaseGate(db.dataSource);
    sut = new AuditTrailRepository(gate);
    const tenants = new TenantRepository(gate);
    await tenants.insertIfAbsent(managed);
    await tenants.insertIfAbsent(other);
    await db.dataSource.getRepository(PartnerEntity).insert({
      id: partnerId,
      name: 'Fabrikam IT',
      createdAt: new Date('2026-11-01T00:00:00.000Z'),
      createdBy: 'cli:root',
    });
    await db.dataSource.getRepository(TenantEntity).update({ id: managed.id }, { partnerId });
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('stores the principal kind, address, outcome and partner of an event', async () => {
    await sut.append(
      event({
        action: 'key.created',
        tenantId: null,
        partnerId,
        outcome: 'refused',
        principalKind: 'api-key',
      }),
    );

    const [stored] = await sut.page({ partnerId }, {}, undefined, 10);

    expect(stored).toMatchObject({
      action: 'key.created',
      principalKind: 'api-key',
      address: '203.0.113.7',
      outcome: 'refused',
      partnerId,
      tenantId: null,
    });
  });

  it('pages newest first by time then id, continuing after the last row without repeats or gaps', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));
    // Two events share a timestamp: the id decides their order, and the keyset must not lose one.
    for (const minute of [1, 2, 2, 3, 4]) await sut.append(event({ occurredAt: at(minute) }));

    const seen: AuditEventRecord[] = [];
    let after: { occurredAt: string; id: string } | undefined;
    for (let round = 0; round < 5; round += 1) {
      const page = await sut.page({ tenantId: managed.id }, {}, after, 2);
      seen.push(...page);
      const last = page[page.length - 1];
      if (page.length < 2 || last === undefined) break;
      after = { occurredAt: last.occurredAt.toISOString(), id: last.id };
    }

    expect(seen.map((e) => e.occurredAt.getUTCMinutes())).toEqual([4, 3, 2, 2, 1]);
    expect(new Set(seen.map((e) => e.id)).size).toBe(5);
  });

  it("scopes a partner to its own events and its tenants' events, and a tenant to its own", async () => {
    await sut.append(event({ action: 'staff.added', tenantId: null, partnerId }));
    await sut.append(event({ action: 'backup.started', tenantId: managed.id }));
    await sut.append(event({ action: 'backup.started', tenantId: other.id }));
    await sut.append(event({ action: 'staff.added', tenantId: null, partnerId: randomUUID() }));

    const ofPartner = await sut.page({ partnerId }, {}, undefined, 10);
    const ofOther = await sut.page({ tenantId: other.id }, {}, undefined, 10);

    expect(ofPartner.map((e) => [e.action, e.tenantId]).sort()).toEqual(
      [
        ['backup.started', managed.id],
        ['staff.added', null],
      ].sort(),
    );
    expect(ofOther.map((e) => e.tenantId)).toEqual([other.id]);
  });

  it('filters by actions and categories, actor part, outcome and time range', async () => {
    await sut.append(
      event({
        action: 'auth.signed-in',
        actor: 'user:Ana@Contoso.test',
        occurredAt: new Date('2026-12-01T09:00:00Z'),
      }),
    );
    await sut.append(event({ action: 'backup.started', actor: 'schedule', principalKind: 'system' }));
    await sut.append(event({ action: 'backup.run', actor: 'schedule', outcome: 'failed' }));
    await sut.append(
      event({
        action: 'access.refused',
        actor: 'anonymous_100%',
        outcome: 'refused',
        principalKind: 'anonymous',
      }),
    );

    const actions = async (filter: Parameters<AuditTrailRepository['page']>[1]) =>
      (await sut.page({ tenantId: managed.id }, filter, undefined, 10)).map((e) => e.action).sort();

    await expect(actions({ categories: ['backup'] })).resolves.toEqual(['backup.run', 'backup.started']);
    await expect(actions({ actions: ['auth.signed-in'], categories: ['access'] })).resolves.toEqual([
      'access.refused',
      'auth.signed-in',
    ]);
    await expect(actions({ actorContains: 'ana@contoso' })).resolves.toEqual(['auth.signed-in']);
    // LIKE wildcards in the text are matched literally.
    await expect(actions({ actorContains: '_100%' })).resolves.toEqual(['access.refused']);
    await expect(actions({ actorContains: '%' })).resolves.toEqual(['access.refused']);
    await expect(actions({ outcome: 'failed' })).resolves.toEqual(['backup.run']);
    await expect(
      actions({ from: '2026-12-01T08:00:00.000Z', to: '2026-12-01T10:00:00.000Z' }),
    ).resolves.toEqual(['auth.signed-in']);
  });
});
