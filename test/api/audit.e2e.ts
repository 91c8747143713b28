import { randomUUID } from 'node:crypto';
import {
  AUDIT_CSV_COLUMNS,
  type AuditEvent,
  auditPageSchema,
  CSRF_HEADER,
  errorBodySchema,
} from '@entra-backup/common';
import { DataSource } from 'typeorm';
import { PartnerEntity, PartnerMemberEntity, TenantEntity } from '../../apps/api/src/persistence/entities';
import { type EmulatorTestApp, type SignedIn, signIn, startAppWithEmulator } from './support/emulator-app';

jest.setTimeout(90_000);

/**
 * The audit log over HTTP: who did what from where with what outcome, a tenant's admins see
 * their tenant's events (refusals of others included), a partner sees its tenants' and its own
 * events, pages follow a cursor, and downloads are streamed and audited themselves.
 */
describe('Audit log (e2e)', () => {
  let env: EmulatorTestApp;
  let admin: SignedIn;
  let other: SignedIn;

  const tenant = () => `/api/tenants/${env.tenantId}`;

  beforeAll(async () => {
    env = await startAppWithEmulator();
    admin = await signIn(env, env.admin);
    other = await signIn(env, env.otherAdmin, { tenantId: env.otherTenantId });
  });

  afterAll(async () => {
    await env.close();
  });

  async function events(
    session: SignedIn,
    path: string,
    query: Record<string, string> = {},
  ): Promise<AuditEvent[]> {
    return auditPageSchema.parse((await session.agent.get(path).query(query).expect(200)).body).items;
  }

  it("records sign-ins and changes with the principal's kind and address, and another tenant's refused attempt", async () => {
    await admin.agent.post(`${tenant()}/consent/start`).set(CSRF_HEADER, admin.csrfToken).expect(200);
    await other.agent.get(`${tenant()}/settings`).expect(403);

    const [signedIn] = await events(admin, `${tenant()}/audit`, { action: 'auth.signed-in' });
    expect(signedIn).toMatchObject({
      actor: `user:${env.admin.upn}`,
      principalKind: 'person',
      outcome: 'success',
      tenantId: env.tenantId,
    });
    expect(signedIn?.address).toMatch(/127\.0\.0\.1|::1/);

    const refused = await events(admin, `${tenant()}/audit`, { action: 'access.*' });
    expect(refused[0]).toMatchObject({
      action: 'access.refused',
      actor: `user:${env.otherAdmin.upn}`,
      outcome: 'refused',
      details: { code: 'TENANT_FORBIDDEN', method: 'GET', route: '/api/tenants/:tenantId/settings' },
    });
    // The refusal is the attacked tenant's event: the other tenant's log does not have it.
    expect(await events(other, `/api/tenants/${env.otherTenantId}/audit`, { action: 'access.*' })).toEqual(
      [],
    );
    const forbidden = await other.agent.get(`${tenant()}/audit`).expect(403);
    expect(errorBodySchema.parse(forbidden.body).code).toBe('TENANT_FORBIDDEN');

    const refusedOnly = await events(admin, `${tenant()}/audit`, { outcome: 'refused' });
    expect(refusedOnly.every((e) => e.outcome === 'refused')).toBe(true);
    const requested = await events(admin, `${tenant()}/audit`, {
      action: 'consent.requested',
      actor: 'USER:',
    });
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({ principalKind: 'person', address: signedIn?.address });
  });

  it('pages newest first with a cursor and refuses a forged cursor', async () => {
    for (let i = 0; i < 3; i++) await signIn(env, env.admin);
    const all = await events(admin, `${tenant()}/audit`, { limit: '200' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin.agent
        .get(`${tenant()}/audit`)
        .query({ limit: '2', ...(cursor === null ? {} : { cursor }) })
        .expect(200);
      const page = auditPageSchema.parse(res.body);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor !== null);

    expect(seen).toEqual(all.map((e) => e.id));
    expect([...all.map((e) => e.occurredAt)].sort().reverse()).toEqual(all.map((e) => e.occurredAt));
    const forged = await admin.agent
      .get(`${tenant()}/audit`)
      .query({ cursor: 'bm90IGEgY3Vyc29y' })
      .expect(400);
    expect(errorBodySchema.parse(forged.body).code).toBe('AUDIT_INVALID_CURSOR');
  });

  it('downloads the log as CSV and JSON, streamed, and records each download', async () => {
    const csv = await admin.agent.get(`${tenant()}/audit.csv`).query({ action: 'auth.*' }).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`entra-backup-audit-tenant-${env.tenantId}`);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.split(',')[1]?.startsWith('auth.'))).toBe(true);

    const json = await admin.agent.get(`${tenant()}/audit.json`).expect(200);
    const body = JSON.parse(json.text) as { items: AuditEvent[] };
    expect(body.items.length).toBeGreaterThan(1);

    const downloads = await events(admin, `${tenant()}/audit`, { action: 'export.downloaded' });
    expect(downloads.map((e) => e.details['format'])).toEqual(['json', 'csv']);
    expect(downloads[1]?.details).toMatchObject({ kind: 'audit-log', filter: { action: 'auth.*' } });
  });

  it("shows a partner its own events and its tenants' events, and nobody else's", async () => {
    const db = env.app.get(DataSource);
    const partnerId = randomUUID();
    await db.getRepository(PartnerEntity).insert({
      id: partnerId,
      name: 'Fabrikam IT',
      createdAt: new Date(),
      createdBy: 'cli:root',
    });
    await db.getRepository(PartnerMemberEntity).insert({
      partnerId,
      upn: env.otherAdmin.upn.toLowerCase(),
      role: 'owner',
      homeTenantId: null,
      objectId: null,
      addedAt: new Date(),
      addedBy: 'cli:root',
    });
    await db
      .getRepository(TenantEntity)
      .update({ id: env.tenantId }, { partnerId, partnerLinkedAt: new Date() });
    const staff = await signIn(env, env.otherAdmin, { tenantId: env.otherTenantId });

    const partnerEvents = await events(staff, `/api/partners/${partnerId}/audit`, { limit: '200' });
    // The staff member's sign-in is a partner-level event; the tenant's events come with it.
    expect(partnerEvents).toContainEqual(
      expect.objectContaining({ action: 'auth.signed-in', partnerId, actor: `user:${env.otherAdmin.upn}` }),
    );
    expect(partnerEvents.some((e) => e.tenantId === env.tenantId)).toBe(true);
    expect(partnerEvents.every((e) => e.tenantId === env.tenantId || e.partnerId === partnerId)).toBe(true);
    // Staff see the tenant's own log too.
    await staff.agent.get(`${tenant()}/audit`).expect(200);

    const outsider = await admin.agent.get(`/api/partners/${partnerId}/audit`).expect(403);
    expect(errorBodySchema.parse(outsider.body).code).toBe('TENANT_FORBIDDEN');
    const [recorded] = await events(staff, `/api/partners/${partnerId}/audit`, { action: 'access.refused' });
    expect(recorded).toMatchObject({ partnerId, actor: `user:${env.admin.upn}`, outcome: 'refused' });
  });
});
