import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

function local(link: string): string {
  const url = new URL(link);
  return url.pathname + url.search;
}

async function drainDelta(
  sut: TestGraph,
  start: string,
): Promise<{ items: Array<Record<string, unknown>>; deltaLink: string }> {
  const items: Array<Record<string, unknown>> = [];
  let url = start;
  for (;;) {
    const res: request.Response = await request(sut.app).get(url).expect(200);
    items.push(...res.body.value);
    if (res.body['@odata.deltaLink']) return { items, deltaLink: local(res.body['@odata.deltaLink']) };
    url = local(res.body['@odata.nextLink']);
  }
}

describe(`${createGraphRouter.name}: delta, batch and soft delete`, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph();
  });

  it('runs a users delta round trip with @removed reasons for soft and hard deletes', async () => {
    const initial = await drainDelta(sut, '/v1.0/users/delta?$select=displayName,department');
    expect(initial.items).toHaveLength(250);
    // Ordinary users: the first ones hold admin roles, whose deletion needs more than User.ReadWrite.All.
    // b has no direct reports, so its deletion changes no other user.
    const tenant = sut.world.directory(sut.tenantId)!;
    const ordinary = (initial.items as Array<{ id: string }>)
      .slice(30)
      .filter((u) => tenant.directReports(u.id).length === 0);
    const [a, b] = ordinary;
    await request(sut.app).patch(`/v1.0/users/${a!.id}`).send({ department: 'Legal' }).expect(204);
    await request(sut.app).delete(`/v1.0/users/${b!.id}`).expect(204);
    const second = await drainDelta(sut, initial.deltaLink);
    expect(second.items).toEqual(
      expect.arrayContaining([
        { id: a!.id, displayName: expect.any(String), department: 'Legal' },
        { id: b!.id, '@removed': { reason: 'changed' } },
      ]),
    );
    expect(second.items).toHaveLength(2);
    const empty = await drainDelta(sut, second.deltaLink);
    expect(empty.items).toHaveLength(0);
  });

  it('reports group membership changes as members@delta', async () => {
    const initial = await drainDelta(sut, '/v1.0/groups/delta?$select=displayName,members');
    const group = (
      initial.items as Array<{ id: string; groupTypes?: string[]; 'members@delta': Array<{ id: string }> }>
    ).find((g) => g['members@delta'].length > 2)!;
    const users = await request(sut.app).get('/v1.0/users?$top=999&$select=id').expect(200);
    const existing = new Set(group['members@delta'].map((m) => m.id));
    const newcomer = (users.body.value as Array<{ id: string }>).find((u) => !existing.has(u.id))!;
    await request(sut.app)
      .post(`/v1.0/groups/${group.id}/members/$ref`)
      .send({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${newcomer.id}` })
      .expect(204);
    const removed = group['members@delta'][0]!.id;
    await request(sut.app).delete(`/v1.0/groups/${group.id}/members/${removed}/$ref`).expect(204);
    const second = await drainDelta(sut, initial.deltaLink);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!['members@delta']).toEqual(
      expect.arrayContaining([
        { '@odata.type': '#microsoft.graph.user', id: newcomer.id },
        { '@odata.type': '#microsoft.graph.user', id: removed, '@removed': { reason: 'deleted' } },
      ]),
    );
  });

  it('reports ownership changes of groups only to a query that selects owners', async () => {
    const withOwners = await drainDelta(sut, '/v1.0/groups/delta?$select=displayName,members,owners');
    const withoutOwners = await drainDelta(sut, '/v1.0/groups/delta?$select=displayName,members');
    const group = (withOwners.items as Array<{ id: string; 'owners@delta': Array<{ id: string }> }>).find(
      (g) => g['owners@delta'].length > 0,
    )!;
    const users = await request(sut.app).get('/v1.0/users?$top=999&$select=id').expect(200);
    const owners = new Set(group['owners@delta'].map((o) => o.id));
    const newcomer = (users.body.value as Array<{ id: string }>).slice(30).find((u) => !owners.has(u.id))!;
    await request(sut.app)
      .post(`/v1.0/groups/${group.id}/owners/$ref`)
      .send({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${newcomer.id}` })
      .expect(204);

    const tracked = await drainDelta(sut, withOwners.deltaLink);
    expect(tracked.items).toHaveLength(1);
    expect(tracked.items[0]!['owners@delta']).toEqual(
      expect.arrayContaining([{ '@odata.type': '#microsoft.graph.user', id: newcomer.id }]),
    );
    await expect(drainDelta(sut, withoutOwners.deltaLink)).resolves.toMatchObject({ items: [] });
  });

  it('reports a deleted member as a removed member of its groups', async () => {
    const initial = await drainDelta(sut, '/v1.0/groups/delta?$select=displayName,members');
    const tenant = sut.world.directory(sut.tenantId)!;
    const ordinary = (m: { id: string; '@odata.type': string }) =>
      m['@odata.type'] === '#microsoft.graph.user' && tenant.roleTemplateIdsOf(m.id).length === 0;
    const group = (
      initial.items as Array<{ id: string; 'members@delta': Array<{ id: string; '@odata.type': string }> }>
    ).find((g) => g['members@delta'].some(ordinary))!;
    const member = group['members@delta'].find(ordinary)!;
    await request(sut.app).delete(`/v1.0/users/${member.id}`).expect(204);
    const second = await drainDelta(sut, initial.deltaLink);
    const changed = second.items.find((g) => g['id'] === group.id)!;
    expect(changed['members@delta']).toEqual([
      { '@odata.type': '#microsoft.graph.user', id: member.id, '@removed': { reason: 'deleted' } },
    ]);
  });

  it('runs administrative unit delta under /directory', async () => {
    const initial = await drainDelta(sut, '/v1.0/directory/administrativeUnits/delta');
    expect(initial.deltaLink).toMatch(/^\/v1\.0\/directory\/administrativeUnits\/delta\?\$deltatoken=/);
    await request(sut.app)
      .patch(`/v1.0/directory/administrativeUnits/${String(initial.items[0]!['id'])}`)
      .send({ description: 'Changed' })
      .expect(204);
    const second = await drainDelta(sut, initial.deltaLink);
    expect(second.items).toEqual([
      expect.objectContaining({ id: initial.items[0]!['id'], description: 'Changed' }),
    ]);
  });

  it('honours Prefer odata.maxpagesize on delta and says so', async () => {
    const res = await request(sut.app)
      .get('/v1.0/users/delta')
      .set('Prefer', 'odata.maxpagesize=250')
      .expect(200);
    expect(res.body.value).toHaveLength(250);
    expect(res.headers['preference-applied']).toBe('odata.maxpagesize=250');
  });

  it('answers a malformed JSON body with a Graph error', async () => {
    const res = await request(sut.app)
      .patch('/v1.0/users/x')
      .set('Content-Type', 'application/json')
      .send('{"jobTitle":')
      .expect(400);
    expect(res.body.error.code).toBe('BadRequest');
  });

  it('answers $deltatoken=latest with an empty page and a deltaLink', async () => {
    const res = await request(sut.app).get('/v1.0/users/delta?$deltatoken=latest').expect(200);
    expect(res.body.value).toEqual([]);
    expect(res.body['@odata.deltaLink']).toContain('$deltatoken=');
  });

  it('expires delta tokens after 7 days with syncStateNotFound', async () => {
    const initial = await drainDelta(sut, '/v1.0/devices/delta');
    sut.clock.advance(7 * 86_400_000 + 1000);
    const res = await request(sut.app).get(initial.deltaLink).expect(400);
    expect(res.body.error.code).toBe('syncStateNotFound');
  });

  it('answers 410 Gone with a Location when a resync is required', async () => {
    const initial = await drainDelta(sut, '/v1.0/applications/delta?$select=displayName');
    sut.world
      .directory(sut.tenantId)!
      .resyncBefore.set('applications', sut.world.directory(sut.tenantId)!.seq);
    const res = await request(sut.app).get(initial.deltaLink).expect(410);
    expect(res.headers['location']).toMatch(/\/v1\.0\/applications\/delta\?\$select=displayName$/);
  });

  it('soft-deletes Microsoft 365 and cloud security groups, and restores them', async () => {
    const groups = await request(sut.app).get('/v1.0/groups?$top=20').expect(200);
    const unified = groups.body.value.find((g: { groupTypes: string[] }) => g.groupTypes.includes('Unified'));
    const security = groups.body.value.find(
      (g: { groupTypes: string[]; securityEnabled: boolean; mailEnabled: boolean }) =>
        g.groupTypes.length === 0 && g.securityEnabled && !g.mailEnabled,
    );
    await request(sut.app).delete(`/v1.0/groups/${unified.id}`).expect(204);
    await request(sut.app).delete(`/v1.0/groups/${security.id}`).expect(204);
    const deleted = await request(sut.app)
      .get('/v1.0/directory/deletedItems/microsoft.graph.group')
      .expect(200);
    expect(deleted.body.value.map((g: { id: string }) => g.id).sort()).toEqual(
      [unified.id, security.id].sort(),
    );
    expect(
      deleted.body.value.every((g: { deletedDateTime: string }) => /^\d{4}-/.test(g.deletedDateTime)),
    ).toBe(true);
    for (const id of [unified.id, security.id]) {
      const restored = await request(sut.app).post(`/v1.0/directory/deletedItems/${id}/restore`).expect(200);
      expect(restored.body).toMatchObject({
        id,
        '@odata.type': '#microsoft.graph.group',
        deletedDateTime: null,
      });
      await request(sut.app).get(`/v1.0/groups/${id}`).expect(200);
    }
  });

  it('deletes security groups permanently when their soft delete is turned off', async () => {
    const legacy = buildTestGraph({ softDelete: { securityGroups: false } });
    const groups = await request(legacy.app).get('/v1.0/groups?$top=20').expect(200);
    const unified = groups.body.value.find((g: { groupTypes: string[] }) => g.groupTypes.includes('Unified'));
    const security = groups.body.value.find(
      (g: { groupTypes: string[]; securityEnabled: boolean; mailEnabled: boolean }) =>
        g.groupTypes.length === 0 && g.securityEnabled && !g.mailEnabled,
    );
    const initial = await drainDelta(legacy, '/v1.0/groups/delta?$select=displayName');
    await request(legacy.app).delete(`/v1.0/groups/${unified.id}`).expect(204);
    await request(legacy.app).delete(`/v1.0/groups/${security.id}`).expect(204);
    const deleted = await request(legacy.app)
      .get('/v1.0/directory/deletedItems/microsoft.graph.group')
      .expect(200);
    expect(deleted.body.value.map((g: { id: string }) => g.id)).toEqual([unified.id]);
    const notFound = await request(legacy.app)
      .post(`/v1.0/directory/deletedItems/${security.id}/restore`)
      .expect(404);
    expect(notFound.body.error.code).toBe('Request_ResourceNotFound');
    const second = await drainDelta(legacy, initial.deltaLink);
    expect(second.items).toEqual(
      expect.arrayContaining([
        { id: unified.id, '@removed': { reason: 'changed' } },
        { id: security.id, '@removed': { reason: 'deleted' } },
      ]),
    );
  });

  it('needs a Global or Privileged Authentication Administrator role to delete, restore or sensitively edit admins', async () => {
    const admin = sut.world.listSignInUsers(sut.tenantId, 1)[0]!;
    const denied = await request(sut.app).delete(`/v1.0/users/${admin.id}`).expect(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
    await request(sut.app).patch(`/v1.0/users/${admin.id}`).send({ accountEnabled: false }).expect(403);
    await request(sut.app).patch(`/v1.0/users/${admin.id}`).send({ jobTitle: 'Chief' }).expect(204);
    sut.world.applyAdminConsent(
      sut.tenantId,
      { appId: '11111111-2222-3333-4444-555555555555', displayName: 'Backup app' },
      ['User.ReadWrite.All'],
    );
    const sp = await request(sut.app)
      .get("/v1.0/servicePrincipals(appId='11111111-2222-3333-4444-555555555555')")
      .expect(200);
    await request(sut.app)
      .post('/v1.0/roleManagement/directory/roleAssignments')
      .send({
        principalId: sp.body.id,
        roleDefinitionId: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
        directoryScopeId: '/',
      })
      .expect(201);
    await request(sut.app).delete(`/v1.0/users/${admin.id}`).expect(204);
    await request(sut.app).post(`/v1.0/directory/deletedItems/${admin.id}/restore`).expect(200);
  });

  it('purges soft-deleted users after 30 days by the emulator clock', async () => {
    const users = await request(sut.app).get('/v1.0/users?$top=40').expect(200);
    await request(sut.app).delete(`/v1.0/users/${users.body.value[30].id}`).expect(204);
    const listed = await request(sut.app)
      .get('/v1.0/directory/deletedItems/microsoft.graph.user')
      .expect(200);
    expect(listed.body.value[0]).toMatchObject({
      id: users.body.value[30].id,
      deletedDateTime: expect.stringMatching(/^\d{4}-/),
    });
    sut.clock.advance(31 * 86_400_000);
    const deleted = await request(sut.app)
      .get('/v1.0/directory/deletedItems/microsoft.graph.user')
      .expect(200);
    expect(deleted.body.value).toEqual([]);
  });

  it('creates and patches objects, and rejects server-owned properties', async () => {
    const created = await request(sut.app)
      .post('/v1.0/users')
      .send({
        accountEnabled: true,
        displayName: 'Restored User',
        mailNickname: 'restored',
        userPrincipalName: `restored@${sut.world.getTenant(sut.tenantId)!.defaultDomain}`,
        passwordProfile: { password: 'x', forceChangePasswordNextSignIn: true },
      })
      .expect(201);
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body).not.toHaveProperty('passwordProfile');
    const bad = await request(sut.app)
      .patch(`/v1.0/users/${created.body.id}`)
      .send({ createdDateTime: '2020-01-01T00:00:00Z' })
      .expect(400);
    expect(bad.body.error.code).toBe('Request_BadRequest');
    await request(sut.app).post('/v1.0/users').send({ displayName: 'No UPN' }).expect(400);
    const foreign = await request(sut.app)
      .post('/v1.0/users')
      .send({
        accountEnabled: true,
        displayName: 'Elsewhere',
        mailNickname: 'elsewhere',
        userPrincipalName: 'elsewhere@fabrikam.onmicrosoft.com',
        passwordProfile: { password: 'x' },
      })
      .expect(400);
    expect(foreign.body.error.message).toContain('verified domain');
  });

  it('executes $batch with per-item status, dependsOn and 424 on a failed dependency', async () => {
    const res = await request(sut.app)
      .post('/v1.0/$batch')
      .send({
        requests: [
          { id: '1', method: 'GET', url: '/users?$top=2' },
          { id: '2', method: 'GET', url: '/users/00000000-0000-0000-0000-000000000009' },
          { id: '3', method: 'GET', url: '/groups?$top=1', dependsOn: ['2'] },
          { id: '4', method: 'GET', url: '/organization', dependsOn: ['1'] },
        ],
      })
      .expect(200);
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string; status: number }) => [r.id, r]));
    expect(byId['1'].status).toBe(200);
    expect(byId['1'].body.value).toHaveLength(2);
    expect(byId['2'].status).toBe(404);
    expect(byId['3'].status).toBe(424);
    expect(byId['4'].status).toBe(200);
  });

  it('runs items after the items they depend on, whatever their order, and rejects dependency cycles', async () => {
    const res = await request(sut.app)
      .post('/v1.0/$batch')
      .send({
        requests: [
          { id: 'b', method: 'GET', url: '/organization', dependsOn: ['a'] },
          { id: 'a', method: 'GET', url: '/users/00000000-0000-0000-0000-000000000009' },
        ],
      })
      .expect(200);
    expect(res.body.responses.map((r: { id: string; status: number }) => [r.id, r.status])).toEqual([
      ['a', 404],
      ['b', 424],
    ]);
    await request(sut.app)
      .post('/v1.0/$batch')
      .send({
        requests: [
          { id: '1', method: 'GET', url: '/organization', dependsOn: ['2'] },
          { id: '2', method: 'GET', url: '/organization', dependsOn: ['1'] },
        ],
      })
      .expect(400);
  });

  it('rejects batches over 20 requests and duplicate ids', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: '/users?$top=1',
    }));
    await request(sut.app).post('/v1.0/$batch').send({ requests: many }).expect(400);
    const dup = await request(sut.app)
      .post('/v1.0/$batch')
      .send({
        requests: [
          { id: 'a', method: 'GET', url: '/users' },
          { id: 'A', method: 'GET', url: '/groups' },
        ],
      })
      .expect(400);
    expect(dup.body.error.code).toBe('BadRequest');
  });

  it('checks permissions per batch item', async () => {
    sut.roles = ['User.Read.All'];
    const res = await request(sut.app)
      .post('/v1.0/$batch')
      .send({
        requests: [
          { id: '1', method: 'GET', url: '/users?$top=1' },
          { id: '2', method: 'GET', url: '/groups?$top=1' },
        ],
      })
      .expect(200);
    const byId = Object.fromEntries(
      res.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]),
    );
    expect(byId).toEqual({ '1': 200, '2': 403 });
  });

  it('lets the platform wrap each batch sub-request', async () => {
    const seen: string[] = [];
    const wrapped = buildTestGraph({
      router: {
        batchSubRequestHook: (sub, run) => {
          seen.push(sub.url);
          return sub.url.startsWith('/groups')
            ? {
                status: 429,
                headers: { 'Retry-After': '2' },
                body: { error: { code: 'TooManyRequests', message: 'Throttled' } },
              }
            : run();
        },
      },
    });
    const res = await request(wrapped.app)
      .post('/v1.0/$batch')
      .send({
        requests: [
          { id: '1', method: 'GET', url: '/users?$top=1' },
          { id: '2', method: 'GET', url: '/groups?$top=1' },
        ],
      })
      .expect(200);
    expect(seen).toEqual(['/users?$top=1', '/groups?$top=1']);
    expect(res.body.responses[1]).toMatchObject({ status: 429, headers: { 'Retry-After': '2' } });
  });
});
