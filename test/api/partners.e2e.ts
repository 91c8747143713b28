import {
  bulkResultSchema,
  CSRF_HEADER,
  errorBodySchema,
  onboardingAcceptedSchema,
  onboardingInvitationSchema,
  onboardingLinkListSchema,
  onboardingLinkSchema,
  partnerLinkSchema,
  partnerSchema,
  partnerTenantPageSchema,
  sessionSchema,
  staffListSchema,
} from '@entra-backup/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OnboardingLinkEntity } from '../../apps/api/src/persistence/entities';
import { SchedulerService } from '../../apps/api/src/modules/scheduler/scheduler.service';
import { cookieOf, readEventStream } from './support/event-stream';
import {
  type EmulatedUser,
  type EmulatorTestApp,
  pickAccount,
  runCliOn,
  type SignedIn,
  signIn,
  startAppWithEmulator,
  usersWithoutRoles,
} from './support/emulator-app';

jest.setTimeout(120_000);

describe('Partners: onboarding, dashboard, staff and the tenant side (e2e)', () => {
  let env: EmulatorTestApp;
  /** People of the second tenant without any role there: a partner's staff. */
  let ownerUser: EmulatedUser;
  let viewerUser: EmulatedUser;
  let otherOwnerUser: EmulatedUser;

  beforeEach(async () => {
    env = await startAppWithEmulator();
    [ownerUser, viewerUser, otherOwnerUser] = usersWithoutRoles(env, env.otherTenantId, 3) as [
      EmulatedUser,
      EmulatedUser,
      EmulatedUser,
    ];
  });

  afterEach(async () => {
    await env.close();
  });

  /** The installation operator creates a partner on the command line; its id. */
  async function addPartner(name: string, owner: EmulatedUser): Promise<string> {
    const added = await runCliOn(env, 'partner', 'add', name, '--owner', owner.upn, '--json');
    expect(added).toMatchObject({ code: 0, stderr: '' });
    return partnerSchema.parse(JSON.parse(added.stdout)).partnerId;
  }

  /** Signs a partner's staff member in with their own account of the second tenant. */
  function signInStaff(user: EmulatedUser): Promise<SignedIn> {
    return signIn(env, user, { tenantId: env.otherTenantId });
  }

  async function createLink(owner: SignedIn, partnerId: string, customerName: string): Promise<string> {
    const res = await owner.agent
      .post(`/api/partners/${partnerId}/onboarding-links`)
      .set(CSRF_HEADER, owner.csrfToken)
      .send({ customerName })
      .expect(201);
    const link = onboardingLinkSchema.parse(res.body);
    expect(link).toMatchObject({ customerName, status: 'open', usedByTenantId: null });
    const url = new URL(String(link.url));
    expect(url.origin).toBe('http://localhost:3000');
    expect(url.pathname).toMatch(/^\/onboard\/[A-Za-z0-9_-]{43}$/);
    return url.pathname.split('/').pop()!;
  }

  function accept(session: SignedIn, token: string) {
    return session.agent.post(`/api/onboarding/${token}/accept`).set(CSRF_HEADER, session.csrfToken).send();
  }

  async function dashboard(session: SignedIn, partnerId: string, query: Record<string, string> = {}) {
    const res = await session.agent.get(`/api/partners/${partnerId}/tenants`).query(query).expect(200);
    return partnerTenantPageSchema.parse(res.body);
  }

  it('onboards a customer through a link, shows it on the dashboard and lets its admins revoke the partner', async () => {
    const partnerId = await addPartner('Fabrikam IT', ownerUser);

    // The Owner signs in with their own tenant's account (they are no admin there).
    const owner = await signInStaff(ownerUser);
    expect(owner.landedOn).toBe('/');
    const session = sessionSchema.parse((await owner.agent.get('/api/auth/session').expect(200)).body);
    expect(session.user).toMatchObject({
      tenantAdmin: false,
      partners: [{ partnerId, partnerName: 'Fabrikam IT', role: 'owner' }],
    });
    expect(
      partnerSchema.parse((await owner.agent.get(`/api/partners/${partnerId}`).expect(200)).body),
    ).toEqual({
      partnerId,
      name: 'Fabrikam IT',
      createdAt: expect.any(String),
      role: 'owner',
    });

    // Staff: a Viewer is added; the last Owner can be neither demoted nor removed.
    await owner.agent
      .post(`/api/partners/${partnerId}/staff`)
      .set(CSRF_HEADER, owner.csrfToken)
      .send({ upn: viewerUser.upn.toUpperCase(), role: 'viewer' })
      .expect(201);
    const demote = await owner.agent
      .patch(`/api/partners/${partnerId}/staff/${encodeURIComponent(ownerUser.upn)}`)
      .set(CSRF_HEADER, owner.csrfToken)
      .send({ role: 'admin' })
      .expect(409);
    expect(errorBodySchema.parse(demote.body).code).toBe('STAFF_LAST_OWNER');
    const remove = await owner.agent
      .delete(`/api/partners/${partnerId}/staff/${encodeURIComponent(ownerUser.upn)}`)
      .set(CSRF_HEADER, owner.csrfToken)
      .expect(409);
    expect(errorBodySchema.parse(remove.body).code).toBe('STAFF_LAST_OWNER');
    const staff = staffListSchema.parse(
      (await owner.agent.get(`/api/partners/${partnerId}/staff`).expect(200)).body,
    );
    expect(staff.items.map((m) => [m.upn, m.role])).toEqual(
      [
        [ownerUser.upn.toLowerCase(), 'owner'],
        [viewerUser.upn.toLowerCase(), 'viewer'],
      ].sort(),
    );
    // The Owner's home tenant was bound at their sign-in; the Viewer has not signed in yet.
    expect(staff.items.find((m) => m.role === 'owner')?.homeTenantId).toBe(env.otherTenantId);

    // An onboarding link: shown once, then listed without its URL; its invitation is public.
    const token = await createLink(owner, partnerId, 'Contoso');
    const links = onboardingLinkListSchema.parse(
      (await owner.agent.get(`/api/partners/${partnerId}/onboarding-links`).expect(200)).body,
    );
    expect(links.items).toHaveLength(1);
    expect(links.items[0]).not.toHaveProperty('url');
    const invitation = await request(env.http).get(`/api/onboarding/${token}`).expect(200);
    expect(onboardingInvitationSchema.parse(invitation.body)).toMatchObject({
      partnerName: 'Fabrikam IT',
      customerName: 'Contoso',
      status: 'open',
    });
    expect(JSON.stringify(invitation.body)).not.toContain(token);

    // The partner's own staff cannot accept it: only a tenant admin of their own tenant can.
    const notAdmin = await accept(owner, token).expect(403);
    expect(errorBodySchema.parse(notAdmin.body).code).toBe('ONBOARDING_TENANT_ADMIN_REQUIRED');

    // The customer's Global Administrator accepts and is sent on to admin consent.
    const admin = await signIn(env, env.admin);
    const accepted = onboardingAcceptedSchema.parse((await accept(admin, token).expect(200)).body);
    expect(accepted).toMatchObject({ tenantId: env.tenantId, partnerId, partnerName: 'Fabrikam IT' });
    expect(accepted.consentUrl).toContain(`/${env.tenantId}/v2.0/adminconsent`);
    const again = await accept(admin, token).expect(410);
    expect(errorBodySchema.parse(again.body).code).toBe('ONBOARDING_LINK_USED');
    const used = onboardingInvitationSchema.parse(
      (await request(env.http).get(`/api/onboarding/${token}`)).body,
    );
    expect(used.status).toBe('used');

    // Before consent the tenant is on the dashboard without consent.
    const before = await dashboard(owner, partnerId, { filter: 'no-consent' });
    expect(before.items.map((r) => [r.tenantId, r.consent.state])).toEqual([[env.tenantId, 'none']]);

    const callback = new URL(
      await pickAccount(env, String(accepted.consentUrl), env.tenantId, env.admin, {
        emulator_decision: 'accept',
      }),
    );
    const done = await admin.agent.get(`${callback.pathname}${callback.search}`).expect(302);
    expect(String(done.headers['location'])).toMatch(/consent=granted$/);

    const afterConsent = await dashboard(owner, partnerId);
    expect(afterConsent.total).toBe(1);
    expect(afterConsent.items[0]).toMatchObject({
      tenantId: env.tenantId,
      consent: { state: 'ok', missing: [] },
      lastBackup: null,
      failingTypes: [],
      enabledTypes: [],
      storageBytes: 0,
    });
    expect((await dashboard(owner, partnerId, { filter: 'no-consent' })).total).toBe(0);
    expect((await dashboard(owner, partnerId, { filter: 'stale' })).total).toBe(1);

    // Bulk actions: the partner's tenant succeeds, a tenant that is not its customer fails alone.
    const settings = bulkResultSchema.parse(
      (
        await owner.agent
          .post(`/api/partners/${partnerId}/bulk/settings`)
          .set(CSRF_HEADER, owner.csrfToken)
          .send({ tenantIds: [env.tenantId, env.otherTenantId], enableTypes: ['users', 'groups'] })
          .expect(200)
      ).body,
    );
    expect(settings.items).toEqual([
      { tenantId: env.tenantId, ok: true },
      expect.objectContaining({ tenantId: env.otherTenantId, ok: false, code: 'TENANT_FORBIDDEN' }),
    ]);
    const backups = bulkResultSchema.parse(
      (
        await owner.agent
          .post(`/api/partners/${partnerId}/bulk/backups`)
          .set(CSRF_HEADER, owner.csrfToken)
          .send({ tenantIds: [env.tenantId] })
          .expect(200)
      ).body,
    );
    const runId = String(backups.items[0]?.runId);
    expect(backups.items).toEqual([{ tenantId: env.tenantId, ok: true, runId }]);
    const events = await readEventStream(
      env,
      `/api/tenants/${env.tenantId}/backups/${runId}/events`,
      cookieOf(owner),
    );
    expect(events.data.at(-1)).toMatchObject({ kind: 'run-finished' });
    await env.app.get(SchedulerService).tick();

    const row = (await dashboard(owner, partnerId)).items[0]!;
    expect(row).toMatchObject({
      enabledTypes: ['groups', 'users'],
      failingTypes: [],
      lastBackup: { runId, status: 'completed', ageHours: 0 },
    });
    expect(row.storageBytes).toBeGreaterThan(0);
    expect(row.nextBackupAt).not.toBeNull();
    expect((await dashboard(owner, partnerId, { filter: 'stale' })).total).toBe(0);
    expect((await dashboard(owner, partnerId, { search: 'no such customer' })).total).toBe(0);

    // The Viewer reads the dashboard and the tenant, but cannot start a backup.
    const viewer = await signInStaff(viewerUser);
    expect((await dashboard(viewer, partnerId, { sort: 'storage' })).items.map((r) => r.tenantId)).toEqual([
      env.tenantId,
    ]);
    await viewer.agent.get(`/api/tenants/${env.tenantId}/settings`).expect(200);
    for (const refused of [
      viewer.agent
        .post(`/api/partners/${partnerId}/bulk/backups`)
        .set(CSRF_HEADER, viewer.csrfToken)
        .send({ tenantIds: [env.tenantId] }),
      viewer.agent.post(`/api/tenants/${env.tenantId}/backups`).set(CSRF_HEADER, viewer.csrfToken).send({}),
    ]) {
      const res = await refused.expect(403);
      expect(errorBodySchema.parse(res.body).code).toBe('PERMISSION_DENIED');
    }

    // The tenant's admin sees the partner and revokes the link; the partner's staff lose the tenant.
    const link = partnerLinkSchema.parse(
      (await admin.agent.get(`/api/tenants/${env.tenantId}/partner-link`).expect(200)).body,
    );
    expect(link).toEqual({ partner: { partnerId, name: 'Fabrikam IT' }, linkedAt: expect.any(String) });
    await admin.agent
      .delete(`/api/tenants/${env.tenantId}/partner-link`)
      .set(CSRF_HEADER, admin.csrfToken)
      .expect(204);
    expect(
      partnerLinkSchema.parse(
        (await admin.agent.get(`/api/tenants/${env.tenantId}/partner-link`).expect(200)).body,
      ),
    ).toEqual({ partner: null, linkedAt: null });
    for (const staffMember of [owner, viewer]) {
      const res = await staffMember.agent.get(`/api/tenants/${env.tenantId}/settings`).expect(403);
      expect(errorBodySchema.parse(res.body).code).toBe('TENANT_FORBIDDEN');
    }
    expect((await dashboard(owner, partnerId)).total).toBe(0);
    await admin.agent.get(`/api/tenants/${env.tenantId}/settings`).expect(200);

    const actions = (await env.app
      .get(DataSource)
      .query(
        `SELECT "action", "tenant_id" FROM "app_audit_event" WHERE "action" LIKE 'partner.%' ORDER BY "occurred_at"`,
      )) as Array<{
      action: string;
      tenant_id: string | null;
    }>;
    expect(actions.map((a) => [a.action, a.tenant_id])).toEqual([
      ['partner.created', null],
      ['partner.staff-added', null],
      ['partner.onboarding-link-created', null],
      ['partner.onboarding-accepted', env.tenantId],
      ['partner.link-revoked', env.tenantId],
    ]);
  });

  it('refuses expired, revoked and used links, a tenant another partner manages, and hands tenants over', async () => {
    const p = await addPartner('Fabrikam IT', ownerUser);
    const q = await addPartner('Northwind Services', otherOwnerUser);
    const pOwner = await signInStaff(ownerUser);
    const qOwner = await signInStaff(otherOwnerUser);
    const admin = await signIn(env, env.admin);

    const expiring = await createLink(pOwner, p, 'Contoso (expired)');
    await env.app
      .get(DataSource)
      .getRepository(OnboardingLinkEntity)
      .update({ customerName: 'Contoso (expired)' }, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await accept(admin, expiring).expect(410);
    expect(errorBodySchema.parse(expired.body).code).toBe('ONBOARDING_LINK_EXPIRED');

    const revoking = await createLink(pOwner, p, 'Contoso (revoked)');
    const listed = onboardingLinkListSchema.parse(
      (await pOwner.agent.get(`/api/partners/${p}/onboarding-links`).expect(200)).body,
    );
    const revokedId = listed.items.find((l) => l.customerName === 'Contoso (revoked)')!.linkId;
    await pOwner.agent
      .delete(`/api/partners/${p}/onboarding-links/${revokedId}`)
      .set(CSRF_HEADER, pOwner.csrfToken)
      .expect(204);
    const revoked = await accept(admin, revoking).expect(410);
    expect(errorBodySchema.parse(revoked.body).code).toBe('ONBOARDING_LINK_REVOKED');
    const unknown = await request(env.http)
      .get(`/api/onboarding/${'x'.repeat(43)}`)
      .expect(404);
    expect(errorBodySchema.parse(unknown.body).code).toBe('ONBOARDING_LINK_NOT_FOUND');

    // P onboards the tenant; Q's link for the same tenant is refused, and stays open.
    const pToken = await createLink(pOwner, p, 'Contoso');
    const qToken = await createLink(qOwner, q, 'Contoso');
    await accept(admin, pToken).expect(200);
    const managed = await accept(admin, qToken).expect(409);
    expect(errorBodySchema.parse(managed.body).code).toBe('TENANT_ALREADY_MANAGED');
    expect(
      onboardingInvitationSchema.parse((await request(env.http).get(`/api/onboarding/${qToken}`)).body)
        .status,
    ).toBe('open');

    // P hands the tenant over to Q: Q's staff see it, P's no longer do.
    const handedOver = await pOwner.agent
      .post(`/api/partners/${p}/tenants/${env.tenantId}/hand-over`)
      .set(CSRF_HEADER, pOwner.csrfToken)
      .send({ toPartnerId: q })
      .expect(200);
    expect(partnerLinkSchema.parse(handedOver.body).partner).toEqual({
      partnerId: q,
      name: 'Northwind Services',
    });
    expect((await dashboard(qOwner, q)).items.map((r) => r.tenantId)).toEqual([env.tenantId]);
    expect((await dashboard(pOwner, p)).total).toBe(0);
    const lost = await pOwner.agent.get(`/api/tenants/${env.tenantId}/settings`).expect(403);
    expect(errorBodySchema.parse(lost.body).code).toBe('TENANT_FORBIDDEN');

    // Q releases it: nobody's customer, still its admin's tenant.
    await qOwner.agent
      .delete(`/api/partners/${q}/tenants/${env.tenantId}`)
      .set(CSRF_HEADER, qOwner.csrfToken)
      .expect(204);
    expect((await dashboard(qOwner, q)).total).toBe(0);
    expect(
      partnerLinkSchema.parse(
        (await admin.agent.get(`/api/tenants/${env.tenantId}/partner-link`).expect(200)).body,
      ).partner,
    ).toBeNull();

    const audit = (await env.app
      .get(DataSource)
      .query(
        `SELECT "action", "details" FROM "app_audit_event" WHERE "action" IN ('partner.tenant-handed-over', 'partner.tenant-released')`,
      )) as Array<{ action: string; details: string }>;
    expect(
      audit.map((a) => [a.action, (JSON.parse(a.details) as { partnerIds: string[] }).partnerIds]),
    ).toEqual([
      ['partner.tenant-handed-over', [p, q]],
      ['partner.tenant-released', [q]],
    ]);
  });
});
