import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

const DAY = 86_400_000;

function local(link: string): string {
  const url = new URL(link);
  return url.pathname + url.search;
}

describe(`${createGraphRouter.name}: recycle bins`, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph();
  });

  describe.each(['v1.0', 'beta'])('Conditional Access policies (%s)', (version) => {
    it('soft-deletes a policy and restores it with its id and state', async () => {
      const policies = await request(sut.app)
        .get(`/${version}/identity/conditionalAccess/policies`)
        .expect(200);
      const enabled = policies.body.value.find((p: { state: string }) => p.state === 'enabled');
      await request(sut.app)
        .delete(`/${version}/identity/conditionalAccess/policies/${enabled.id}`)
        .expect(204);
      await request(sut.app).get(`/${version}/identity/conditionalAccess/policies/${enabled.id}`).expect(404);

      const bin = await request(sut.app)
        .get(`/${version}/identity/conditionalAccess/deletedItems/policies`)
        .expect(200);
      expect(bin.body.value).toEqual([
        expect.objectContaining({
          '@odata.type': '#microsoft.graph.conditionalAccessPolicy',
          id: enabled.id,
          state: 'enabled',
          deletedDateTime: '2026-11-20T12:00:00Z',
        }),
      ]);
      const one = await request(sut.app)
        .get(`/${version}/identity/conditionalAccess/deletedItems/policies/${enabled.id}`)
        .expect(200);
      expect(one.body.displayName).toBe(enabled.displayName);

      const restored = await request(sut.app)
        .post(`/${version}/identity/conditionalAccess/deletedItems/policies/${enabled.id}/restore`)
        .expect(200);
      expect(restored.body).toMatchObject({
        '@odata.type': '#microsoft.graph.conditionalAccessPolicy',
        id: enabled.id,
        state: 'enabled',
        deletedDateTime: null,
        conditions: enabled.conditions,
      });
      const live = await request(sut.app)
        .get(`/${version}/identity/conditionalAccess/policies/${enabled.id}`)
        .expect(200);
      expect(live.body).toMatchObject({ id: enabled.id, state: 'enabled' });
      expect(live.body).not.toHaveProperty('deletedDateTime');
      const empty = await request(sut.app)
        .get(`/${version}/identity/conditionalAccess/deletedItems/policies`)
        .expect(200);
      expect(empty.body.value).toEqual([]);
    });
  });

  it('permanently deletes a deleted policy and a deleted named location', async () => {
    const policies = await request(sut.app).get('/v1.0/identity/conditionalAccess/policies').expect(200);
    const policy = policies.body.value[2];
    await request(sut.app).delete(`/v1.0/identity/conditionalAccess/policies/${policy.id}`).expect(204);
    await request(sut.app)
      .delete(`/v1.0/identity/conditionalAccess/deletedItems/policies/${policy.id}`)
      .expect(204);
    const gone = await request(sut.app)
      .post(`/v1.0/identity/conditionalAccess/deletedItems/policies/${policy.id}/restore`)
      .expect(404);
    expect(gone.body.error.code).toBe('Request_ResourceNotFound');

    const locations = await request(sut.app)
      .get('/v1.0/identity/conditionalAccess/namedLocations')
      .expect(200);
    const country = locations.body.value.find(
      (l: { '@odata.type': string }) => l['@odata.type'] === '#microsoft.graph.countryNamedLocation',
    );
    await request(sut.app)
      .delete(`/v1.0/identity/conditionalAccess/namedLocations/${country.id}`)
      .expect(204);
    const bin = await request(sut.app)
      .get('/v1.0/identity/conditionalAccess/deletedItems/namedLocations')
      .expect(200);
    expect(bin.body.value).toEqual([
      expect.objectContaining({ '@odata.type': '#microsoft.graph.countryNamedLocation', id: country.id }),
    ]);
    const restored = await request(sut.app)
      .post(`/v1.0/identity/conditionalAccess/deletedItems/namedLocations/${country.id}/restore`)
      .expect(200);
    expect(restored.body).toMatchObject({
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      id: country.id,
      countriesAndRegions: country.countriesAndRegions,
    });
    await request(sut.app)
      .delete(`/v1.0/identity/conditionalAccess/namedLocations/${country.id}`)
      .expect(204);
    await request(sut.app)
      .delete(`/v1.0/identity/conditionalAccess/deletedItems/namedLocations/${country.id}`)
      .expect(204);
    await request(sut.app)
      .get(`/v1.0/identity/conditionalAccess/deletedItems/namedLocations/${country.id}`)
      .expect(404);
  });

  it('keeps each bin to its own container', async () => {
    const policies = await request(sut.app).get('/v1.0/identity/conditionalAccess/policies').expect(200);
    const policy = policies.body.value[0];
    await request(sut.app).delete(`/v1.0/identity/conditionalAccess/policies/${policy.id}`).expect(204);
    await request(sut.app).get(`/v1.0/directory/deletedItems/${policy.id}`).expect(404);
    await request(sut.app).post(`/v1.0/directory/deletedItems/${policy.id}/restore`).expect(404);
    await request(sut.app)
      .post(`/v1.0/identity/conditionalAccess/deletedItems/namedLocations/${policy.id}/restore`)
      .expect(404);
  });

  it('needs the Conditional Access write permissions to restore a policy', async () => {
    const policies = await request(sut.app).get('/v1.0/identity/conditionalAccess/policies').expect(200);
    const policy = policies.body.value[0];
    await request(sut.app).delete(`/v1.0/identity/conditionalAccess/policies/${policy.id}`).expect(204);
    sut.roles = ['Policy.Read.All'];
    await request(sut.app).get('/v1.0/identity/conditionalAccess/deletedItems/policies').expect(200);
    const denied = await request(sut.app)
      .post(`/v1.0/identity/conditionalAccess/deletedItems/policies/${policy.id}/restore`)
      .expect(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
  });

  it('purges every bin 30 days after deletion by the emulator clock', async () => {
    const policies = await request(sut.app).get('/v1.0/identity/conditionalAccess/policies').expect(200);
    await request(sut.app)
      .delete(`/v1.0/identity/conditionalAccess/policies/${policies.body.value[1].id}`)
      .expect(204);
    const role = await request(sut.app)
      .post('/v1.0/roleManagement/directory/roleDefinitions')
      .send({
        displayName: 'Short-lived role',
        rolePermissions: [{ allowedResourceActions: ['microsoft.directory/groups/members/read'] }],
      })
      .expect(201);
    await request(sut.app)
      .delete(`/v1.0/roleManagement/directory/roleDefinitions/${role.body.id}`)
      .expect(204);
    sut.clock.advance(29 * DAY);
    const still = await request(sut.app)
      .get('/v1.0/identity/conditionalAccess/deletedItems/policies')
      .expect(200);
    expect(still.body.value).toHaveLength(1);
    sut.clock.advance(DAY + 1000);
    const purged = await request(sut.app)
      .get('/v1.0/identity/conditionalAccess/deletedItems/policies')
      .expect(200);
    expect(purged.body.value).toEqual([]);
    const roles = await request(sut.app)
      .get('/v1.0/roleManagement/directory/deletedItems/roleDefinitions')
      .expect(200);
    expect(roles.body.value).toEqual([]);
  });

  it('deletes policies permanently when their soft delete is turned off', async () => {
    const legacy = buildTestGraph({
      softDelete: { conditionalAccessPolicies: false, namedLocations: false },
    });
    const policies = await request(legacy.app).get('/v1.0/identity/conditionalAccess/policies').expect(200);
    await request(legacy.app)
      .delete(`/v1.0/identity/conditionalAccess/policies/${policies.body.value[0].id}`)
      .expect(204);
    const bin = await request(legacy.app)
      .get('/v1.0/identity/conditionalAccess/deletedItems/policies')
      .expect(200);
    expect(bin.body.value).toEqual([]);
  });

  describe('custom role definitions', () => {
    it('soft-deletes a custom role, restores it and deletes it permanently', async () => {
      const custom = await request(sut.app)
        .get('/v1.0/roleManagement/directory/roleDefinitions?$filter=isBuiltIn eq false')
        .expect(200);
      const role = custom.body.value[0];
      await request(sut.app).delete(`/v1.0/roleManagement/directory/roleDefinitions/${role.id}`).expect(204);
      await request(sut.app).get(`/v1.0/roleManagement/directory/roleDefinitions/${role.id}`).expect(404);
      const bin = await request(sut.app)
        .get('/v1.0/roleManagement/directory/deletedItems/roleDefinitions')
        .expect(200);
      expect(bin.body.value).toEqual([
        expect.objectContaining({ id: role.id, isBuiltIn: false, deletedDateTime: expect.any(String) }),
      ]);
      const restored = await request(sut.app)
        .post(`/v1.0/roleManagement/directory/deletedItems/roleDefinitions/${role.id}/restore`)
        .expect(200);
      expect(restored.body).toMatchObject({
        id: role.id,
        displayName: role.displayName,
        rolePermissions: role.rolePermissions,
        deletedDateTime: null,
      });
      await request(sut.app).get(`/v1.0/roleManagement/directory/roleDefinitions/${role.id}`).expect(200);
      await request(sut.app).delete(`/v1.0/roleManagement/directory/roleDefinitions/${role.id}`).expect(204);
      await request(sut.app)
        .delete(`/beta/roleManagement/directory/deletedItems/roleDefinitions/${role.id}`)
        .expect(204);
      await request(sut.app)
        .get(`/v1.0/roleManagement/directory/deletedItems/roleDefinitions/${role.id}`)
        .expect(404);
    });

    it('still refuses to delete a built-in role', async () => {
      const builtIn = await request(sut.app)
        .get('/v1.0/roleManagement/directory/roleDefinitions?$filter=isBuiltIn eq true')
        .expect(200);
      await request(sut.app)
        .delete(`/v1.0/roleManagement/directory/roleDefinitions/${builtIn.body.value[0].id}`)
        .expect(400);
    });
  });

  describe('groups', () => {
    it('restores a security group with its members, owners and memberships in other groups', async () => {
      const tenant = sut.world.directory(sut.tenantId)!;
      const users = await request(sut.app).get('/v1.0/users?$top=60&$select=id').expect(200);
      const [m1, m2, owner] = users.body.value.slice(40) as Array<{ id: string }>;
      const child = await request(sut.app)
        .post('/v1.0/groups')
        .send({
          displayName: 'Child SG',
          mailEnabled: false,
          mailNickname: 'childsg',
          securityEnabled: true,
          'members@odata.bind': [m1, m2].map(
            (u) => `https://graph.microsoft.com/v1.0/directoryObjects/${u!.id}`,
          ),
          'owners@odata.bind': [`https://graph.microsoft.com/v1.0/users/${owner!.id}`],
        })
        .expect(201);
      const parent = await request(sut.app)
        .post('/v1.0/groups')
        .send({
          displayName: 'Parent SG',
          mailEnabled: false,
          mailNickname: 'parentsg',
          securityEnabled: true,
        })
        .expect(201);
      await request(sut.app)
        .post(`/v1.0/groups/${parent.body.id}/members/$ref`)
        .send({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${child.body.id}` })
        .expect(204);
      const initial = await request(sut.app).get('/v1.0/groups/delta?$deltatoken=latest').expect(200);

      await request(sut.app).delete(`/v1.0/groups/${child.body.id}`).expect(204);
      const parentMembers = await request(sut.app).get(`/v1.0/groups/${parent.body.id}/members`).expect(200);
      expect(parentMembers.body.value).toEqual([]);
      const delta = await request(sut.app).get(local(initial.body['@odata.deltaLink'])).expect(200);
      expect(delta.body.value).toEqual(
        expect.arrayContaining([{ id: child.body.id, '@removed': { reason: 'changed' } }]),
      );

      await request(sut.app).post(`/v1.0/directory/deletedItems/${child.body.id}/restore`).expect(200);
      const members = await request(sut.app)
        .get(`/v1.0/groups/${child.body.id}/members?$select=id`)
        .expect(200);
      expect(members.body.value.map((m: { id: string }) => m.id).sort()).toEqual([m1!.id, m2!.id].sort());
      const owners = await request(sut.app)
        .get(`/v1.0/groups/${child.body.id}/owners?$select=id`)
        .expect(200);
      expect(owners.body.value.map((m: { id: string }) => m.id)).toEqual([owner!.id]);
      const back = await request(sut.app)
        .get(`/v1.0/groups/${parent.body.id}/members?$select=id`)
        .expect(200);
      expect(back.body.value.map((m: { id: string }) => m.id)).toEqual([child.body.id]);
      expect(tenant.deletedItems('groups')).toEqual([]);
    });

    it('lists deleted groups with $top up to 999 and refuses more', async () => {
      const res = await request(sut.app)
        .get('/v1.0/directory/deletedItems/microsoft.graph.group?$top=999')
        .expect(200);
      expect(res.body.value).toEqual([]);
      const tooMany = await request(sut.app)
        .get('/v1.0/directory/deletedItems/microsoft.graph.group?$top=1000')
        .expect(400);
      expect(tooMany.body.error.code).toBe('Request_UnsupportedQuery');
    });
  });

  it('refuses to delete a trusted IP named location until it is untrusted', async () => {
    const locations = await request(sut.app)
      .get('/v1.0/identity/conditionalAccess/namedLocations')
      .expect(200);
    const trusted = locations.body.value.find((l: { isTrusted?: boolean }) => l.isTrusted === true);
    const refused = await request(sut.app)
      .delete(`/v1.0/identity/conditionalAccess/namedLocations/${trusted.id}`)
      .expect(400);
    expect(refused.body.error.code).toBe('Request_BadRequest');
    await request(sut.app).get(`/v1.0/identity/conditionalAccess/namedLocations/${trusted.id}`).expect(200);
    await request(sut.app)
      .patch(`/v1.0/identity/conditionalAccess/namedLocations/${trusted.id}`)
      .send({ '@odata.type': '#microsoft.graph.ipNamedLocation', isTrusted: false })
      .expect(204);
    await request(sut.app)
      .delete(`/v1.0/identity/conditionalAccess/namedLocations/${trusted.id}`)
      .expect(204);
  });
});
