import express from 'express';
import request from 'supertest';
import { createTenantControlRouter } from '../../src/control/tenant-control.router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

describe(createTenantControlRouter.name, () => {
  let sut: TestGraph;
  let control: express.Express;

  beforeEach(() => {
    sut = buildTestGraph();
    control = express();
    control.use('/_emulator/tenants', createTenantControlRouter(sut.world));
  });

  it('lists tenants with the demo tenant first', async () => {
    const res = await request(control).get('/_emulator/tenants').expect(200);
    expect(res.body.tenants[0]).toMatchObject({
      displayName: 'Contoso Demo',
      defaultDomain: 'contosodemo.onmicrosoft.com',
      premium: true,
      users: 250,
    });
    expect(res.body.tenants[1].premium).toBe(false);
  });

  it('streams the ground truth as JSON lines with relationships', async () => {
    const res = await request(control).get(`/_emulator/tenants/${sut.tenantId}/truth/groups`).expect(200);
    const lines = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(sut.world.directory(sut.tenantId)!.collection('groups').count());
    expect(lines.some((g) => g.members.length > 0)).toBe(true);
    const keys = await request(control)
      .get(`/_emulator/tenants/${sut.tenantId}/truth/bitlockerRecoveryKeys`)
      .expect(200);
    expect(JSON.parse(keys.text.split('\n')[0]!).key).toMatch(/^(\d{6}-){7}\d{6}$/);
    await request(control).get(`/_emulator/tenants/${sut.tenantId}/truth/nope`).expect(404);
  });

  it('applies admin changes through the change log so delta reports them', async () => {
    const first = await request(sut.app).get('/v1.0/users/delta?$deltatoken=latest').expect(200);
    const users = await request(sut.app).get('/v1.0/users?$top=1').expect(200);
    await request(control)
      .post(`/_emulator/tenants/${sut.tenantId}/changes`)
      .send({
        action: 'update',
        collection: 'users',
        id: users.body.value[0].id,
        patch: { jobTitle: 'Chief Emulator' },
      })
      .expect(200);
    const changed = await request(control)
      .post(`/_emulator/tenants/${sut.tenantId}/changes`)
      .send({ action: 'changePercent', collection: 'users', percent: 10 })
      .expect(200);
    expect(changed.body.changed).toBe(25);
    const url = new URL(first.body['@odata.deltaLink']);
    const delta = await request(sut.app)
      .get(url.pathname + url.search)
      .expect(200);
    expect(delta.body.value.length).toBeGreaterThanOrEqual(25);
    await request(control)
      .post(`/_emulator/tenants/${sut.tenantId}/changes`)
      .send({ action: 'bogus' })
      .expect(400);
    const audits = await request(sut.app)
      .get("/v1.0/auditLogs/directoryAudits?$filter=category eq 'UserManagement'&$top=1000")
      .expect(200);
    const byAdmin = audits.body.value.filter(
      (a: { targetResources: Array<{ id: string }>; activityDisplayName: string }) =>
        a.targetResources[0]!.id === users.body.value[0].id && a.activityDisplayName === 'Update user',
    );
    expect(byAdmin.length).toBeGreaterThanOrEqual(1);
    expect(byAdmin[0].initiatedBy.user.id).toBe(sut.world.listSignInUsers(sut.tenantId, 1)[0]!.id);
  });

  it('audits admin changes with the documented target resources: attributes old and new, member then group', async () => {
    // https://learn.microsoft.com/graph/api/resources/targetresource
    const change = (body: object) =>
      request(control).post(`/_emulator/tenants/${sut.tenantId}/changes`).send(body).expect(200);
    const directory = sut.world.directory(sut.tenantId)!;
    const user = (
      await request(sut.app).get('/v1.0/users?$top=1&$select=id,userPrincipalName,department').expect(200)
    ).body.value[0];
    const group = (
      (await request(sut.app).get('/v1.0/groups?$top=100&$select=id,displayName,groupTypes').expect(200)).body
        .value as Array<{ id: string; displayName: string; groupTypes: string[] }>
    ).find(
      (g) =>
        !g.groupTypes.includes('DynamicMembership') && !directory.groupsContaining(user.id).includes(g.id),
    )!;
    await change({ action: 'update', collection: 'users', id: user.id, patch: { department: 'Audited' } });
    await change({ action: 'addMember', collection: 'groups', id: group.id, memberId: user.id });

    const audits = (await request(sut.app).get('/v1.0/auditLogs/directoryAudits?$top=1000').expect(200)).body
      .value as Array<{ activityDisplayName: string; targetResources: Array<Record<string, unknown>> }>;
    const update = audits.find(
      (a) => a.activityDisplayName === 'Update user' && a.targetResources[0]!['id'] === user.id,
    );
    expect(update?.targetResources).toEqual([
      {
        id: user.id,
        displayName: null,
        type: 'User',
        userPrincipalName: user.userPrincipalName,
        groupType: null,
        modifiedProperties: [
          {
            displayName: 'Department',
            oldValue: JSON.stringify(user.department ? [user.department] : []),
            newValue: '["Audited"]',
          },
          { displayName: 'Included Updated Properties', oldValue: null, newValue: '"Department"' },
        ],
      },
    ]);
    const added = audits.find((a) => a.activityDisplayName === 'Add member to group');
    expect(added?.targetResources).toEqual([
      expect.objectContaining({
        id: user.id,
        type: 'User',
        userPrincipalName: user.userPrincipalName,
        modifiedProperties: [
          { displayName: 'Group.ObjectID', oldValue: null, newValue: JSON.stringify(group.id) },
          { displayName: 'Group.DisplayName', oldValue: null, newValue: JSON.stringify(group.displayName) },
        ],
      }),
      expect.objectContaining({
        id: group.id,
        type: 'Group',
        displayName: group.displayName,
        modifiedProperties: [],
      }),
    ]);
    expect(directory.groupsContaining(user.id)).toContain(group.id);
  });

  it('switches premium off so sign-ins answer 403', async () => {
    await request(control)
      .post(`/_emulator/tenants/${sut.tenantId}/changes`)
      .send({ action: 'setPremium', premium: false })
      .expect(200);
    await request(sut.app).get('/v1.0/auditLogs/signIns').expect(403);
  });

  it('generates sign-ins now', async () => {
    const before = await request(sut.app)
      .get(
        `/v1.0/auditLogs/signIns?$filter=createdDateTime ge ${new Date(sut.clock.now() - 60_000).toISOString()}`,
      )
      .expect(200);
    await request(control)
      .post(`/_emulator/tenants/${sut.tenantId}/changes`)
      .send({ action: 'generateSignIns', count: 5 })
      .expect(200);
    const after = await request(sut.app)
      .get(
        `/v1.0/auditLogs/signIns?$filter=createdDateTime ge ${new Date(sut.clock.now() - 60_000).toISOString()}`,
      )
      .expect(200);
    expect(after.body.value.length).toBe(before.body.value.length + 5);
  });

  it('purges from any bin and hard-deletes, with audit entries and delta @removed deleted', async () => {
    const change = (body: object) =>
      request(control).post(`/_emulator/tenants/${sut.tenantId}/changes`).send(body);
    const first = await request(sut.app)
      .get('/v1.0/directory/administrativeUnits/delta?$deltatoken=latest')
      .expect(200);
    const units = await request(sut.app).get('/v1.0/directory/administrativeUnits').expect(200);
    const [unit, other] = units.body.value;
    await request(sut.app).delete(`/v1.0/directory/administrativeUnits/${unit.id}`).expect(204);
    // Graph cannot purge an administrative unit; the control API can.
    await request(sut.app).delete(`/v1.0/directory/deletedItems/${unit.id}`).expect(400);
    const purged = await change({ action: 'purge', id: unit.id }).expect(200);
    expect(purged.body).toEqual({ purged: 'administrativeUnits' });
    await request(sut.app).get(`/v1.0/directory/deletedItems/${unit.id}`).expect(404);
    await change({ action: 'purge', id: unit.id }).expect(404);

    const hard = await change({
      action: 'hardDelete',
      collection: 'administrativeUnits',
      id: other.id,
    }).expect(200);
    expect(hard.body).toEqual({ soft: false });
    const bin = await request(sut.app)
      .get('/v1.0/directory/deletedItems/microsoft.graph.administrativeUnit')
      .expect(200);
    expect(bin.body.value).toEqual([]);

    const url = new URL(first.body['@odata.deltaLink']);
    const delta = await request(sut.app)
      .get(url.pathname + url.search)
      .expect(200);
    expect(delta.body.value).toEqual(
      expect.arrayContaining([
        { id: unit.id, '@removed': { reason: 'deleted' } },
        { id: other.id, '@removed': { reason: 'deleted' } },
      ]),
    );

    const policies = await request(sut.app).get('/v1.0/identity/conditionalAccess/policies').expect(200);
    await change({
      action: 'hardDelete',
      collection: 'conditionalAccessPolicies',
      id: policies.body.value[0].id,
    }).expect(200);
    const caBin = await request(sut.app)
      .get('/v1.0/identity/conditionalAccess/deletedItems/policies')
      .expect(200);
    expect(caBin.body.value).toEqual([]);

    const audits = await request(sut.app).get('/v1.0/auditLogs/directoryAudits?$top=1000').expect(200);
    const names = audits.body.value
      .filter((a: { targetResources: Array<{ id: string }> }) =>
        [unit.id, other.id, policies.body.value[0].id].includes(a.targetResources[0]!.id),
      )
      .map((a: { activityDisplayName: string }) => a.activityDisplayName)
      // The generated history holds updates of the same policies.
      .filter((name: string) => /delete/i.test(name))
      .sort();
    // One delete through Graph (by the app), then the control API's delete and purges (by the admin).
    expect(names).toEqual([
      'Delete administrative unit',
      'Delete administrative unit',
      'Delete conditional access policy',
      'Hard delete administrative unit',
      'Hard delete administrative unit',
      'Hard delete conditional access policy',
    ]);
  });
});
