import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
const bind = (id: string) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;
const ON_PREM =
  'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.';
const DENIED = {
  code: 'Authorization_RequestDenied',
  message: 'Insufficient privileges to complete the operation.',
};

interface Group {
  id: string;
  groupTypes: string[];
  securityEnabled: boolean;
  mailEnabled: boolean;
  onPremisesSyncEnabled: boolean | null;
  isAssignableToRole: boolean | null;
}

describe(`${createGraphRouter.name}: link rules`, () => {
  let sut: TestGraph;
  let groups: Group[];
  let userIds: string[];

  beforeEach(async () => {
    sut = buildTestGraph();
    groups = (await request(sut.app).get('/v1.0/groups?$top=999').expect(200)).body.value;
    userIds = (await request(sut.app).get('/v1.0/users?$top=999&$select=id').expect(200)).body.value.map(
      (u: { id: string }) => u.id,
    );
  });

  const cloudSecurityGroup = () =>
    groups.find(
      (g) =>
        g.groupTypes.length === 0 &&
        g.securityEnabled &&
        !g.mailEnabled &&
        g.onPremisesSyncEnabled !== true &&
        g.isAssignableToRole !== true,
    )!;
  const members = async (groupId: string): Promise<string[]> =>
    (await request(sut.app).get(`/v1.0/groups/${groupId}/members?$select=id`).expect(200)).body.value.map(
      (m: { id: string }) => m.id,
    );
  const nonMember = async (groupId: string) => {
    const current = new Set(await members(groupId));
    return userIds.filter((id) => !current.has(id)).slice(40);
  };

  it('refuses to add an existing member or owner, with the documented message', async () => {
    const g = cloudSecurityGroup();
    const [member] = await members(g.id);
    const res = await request(sut.app)
      .post(`/v1.0/groups/${g.id}/members/$ref`)
      .send(ref(member!))
      .expect(400);
    expect(res.body.error).toMatchObject({
      code: 'Request_BadRequest',
      message:
        "One or more added object references already exist for the following modified properties: 'members'.",
    });
    const owner = userIds[50]!;
    await request(sut.app).post(`/v1.0/groups/${g.id}/owners/$ref`).send(ref(owner)).expect(204);
    const again = await request(sut.app)
      .post(`/v1.0/groups/${g.id}/owners/$ref`)
      .send(ref(owner))
      .expect(400);
    expect(again.body.error.message).toBe(
      "One or more added object references already exist for the following modified properties: 'owners'.",
    );
  });

  it('refuses to remove a non-member and answers 404 for an unknown object', async () => {
    const g = cloudSecurityGroup();
    const [outsider] = await nonMember(g.id);
    const res = await request(sut.app).delete(`/v1.0/groups/${g.id}/members/${outsider!}/$ref`).expect(400);
    expect(res.body.error).toMatchObject({
      code: 'Request_BadRequest',
      message:
        "One or more removed object references do not exist for the following modified properties: 'members'.",
    });
    const owners = await request(sut.app).delete(`/v1.0/groups/${g.id}/owners/${outsider!}/$ref`).expect(400);
    expect(owners.body.error.message).toBe(
      "One or more removed object references do not exist for the following modified properties: 'owners'.",
    );
    const missing = '00000000-0000-4000-8000-00000000abcd';
    const unknown = await request(sut.app)
      .post(`/v1.0/groups/${g.id}/members/$ref`)
      .send(ref(missing))
      .expect(404);
    expect(unknown.body.error.code).toBe('Request_ResourceNotFound');
  });

  it('refuses member writes on dynamic and mail-enabled groups with 403', async () => {
    const dynamic = groups.find((g) => g.groupTypes.includes('DynamicMembership'))!;
    const [member] = await members(dynamic.id);
    const add = await request(sut.app)
      .post(`/v1.0/groups/${dynamic.id}/members/$ref`)
      .send(ref(userIds[60]!))
      .expect(403);
    expect(add.body.error).toMatchObject(DENIED);
    await request(sut.app).delete(`/v1.0/groups/${dynamic.id}/members/${member!}/$ref`).expect(403);
    await request(sut.app)
      .patch(`/v1.0/groups/${dynamic.id}`)
      .send({ 'members@odata.bind': [bind(userIds[60]!)] })
      .expect(403);
    // Owners of a dynamic group are managed as usual.
    await request(sut.app).post(`/v1.0/groups/${dynamic.id}/owners/$ref`).send(ref(userIds[61]!)).expect(204);

    const tenant = sut.world.directory(sut.tenantId)!;
    const distribution = tenant.create('groups', {
      displayName: 'All staff DL',
      mailEnabled: true,
      securityEnabled: false,
      mailNickname: 'allstaff',
      groupTypes: [],
    });
    const res = await request(sut.app)
      .post(`/v1.0/groups/${String(distribution['id'])}/members/$ref`)
      .send(ref(userIds[60]!))
      .expect(403);
    expect(res.body.error).toMatchObject(DENIED);
  });

  it('refuses member and synchronized property writes on a group synced from on-premises', async () => {
    const synced = groups.find((g) => g.onPremisesSyncEnabled === true)!;
    const res = await request(sut.app)
      .post(`/v1.0/groups/${synced.id}/members/$ref`)
      .send(ref(userIds[60]!))
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'Request_BadRequest', message: ON_PREM });
    await request(sut.app).patch(`/v1.0/groups/${synced.id}`).send({ displayName: 'Renamed' }).expect(400);
    // Cloud-side owners stay writable.
    await request(sut.app).post(`/v1.0/groups/${synced.id}/owners/$ref`).send(ref(userIds[60]!)).expect(204);
  });

  it('refuses synchronized property writes on a synced user, but not cloud-only ones', async () => {
    const tenant = sut.world.directory(sut.tenantId)!;
    const synced = userIds
      .slice(40)
      .map((id) => tenant.userByIdOrUpn(id)!)
      .find(
        (u) => u['onPremisesSyncEnabled'] === true && tenant.roleTemplateIdsOf(String(u['id'])).length === 0,
      )!;
    const res = await request(sut.app)
      .patch(`/v1.0/users/${String(synced['id'])}`)
      .send({ jobTitle: 'Changed in the cloud' })
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'Request_BadRequest', message: ON_PREM });
    await request(sut.app)
      .patch(`/v1.0/users/${String(synced['id'])}`)
      .send({ usageLocation: 'NL', otherMails: ['someone@example.com'] })
      .expect(204);
    // Cloud group memberships of a synced user still work.
    const g = cloudSecurityGroup();
    if ((await members(g.id)).includes(String(synced['id']))) return;
    await request(sut.app)
      .post(`/v1.0/groups/${g.id}/members/$ref`)
      .send(ref(String(synced['id'])))
      .expect(204);
  });

  describe('PATCH members@odata.bind', () => {
    it('adds up to 20 members in one request', async () => {
      const g = cloudSecurityGroup();
      const newcomers = (await nonMember(g.id)).slice(0, 3);
      await request(sut.app)
        .patch(`/v1.0/groups/${g.id}`)
        .send({ description: 'Restored', 'members@odata.bind': newcomers.map(bind) })
        .expect(204);
      expect(await members(g.id)).toEqual(expect.arrayContaining(newcomers));
      const read = await request(sut.app).get(`/v1.0/groups/${g.id}`).expect(200);
      expect(read.body.description).toBe('Restored');
      expect(read.body).not.toHaveProperty('members@odata.bind');
    });

    it('refuses more than 20, and adds none when one reference is wrong', async () => {
      const g = cloudSecurityGroup();
      const before = await members(g.id);
      const candidates = await nonMember(g.id);
      await request(sut.app)
        .patch(`/v1.0/groups/${g.id}`)
        .send({ 'members@odata.bind': candidates.slice(0, 21).map(bind) })
        .expect(400);
      const missing = await request(sut.app)
        .patch(`/v1.0/groups/${g.id}`)
        .send({ 'members@odata.bind': [bind(candidates[0]!), bind('00000000-0000-4000-8000-00000000abcd')] })
        .expect(404);
      expect(missing.body.error.code).toBe('Request_ResourceNotFound');
      await request(sut.app)
        .patch(`/v1.0/groups/${g.id}`)
        .send({ 'members@odata.bind': [bind(candidates[0]!), bind(before[0]!)] })
        .expect(400);
      expect((await members(g.id)).sort()).toEqual([...before].sort());
      await request(sut.app)
        .patch(`/v1.0/groups/${g.id}`)
        .send({ 'owners@odata.bind': [bind(candidates[0]!)] })
        .expect(400);
    });
  });

  it('needs RoleManagement.ReadWrite.Directory to change a role-assignable group', async () => {
    const tier0 = groups.find((g) => g.isAssignableToRole === true)!;
    const [outsider] = await nonMember(tier0.id);
    sut.roles = ['GroupMember.ReadWrite.All'];
    const denied = await request(sut.app)
      .post(`/v1.0/groups/${tier0.id}/members/$ref`)
      .send(ref(outsider!))
      .expect(403);
    expect(denied.body.error).toMatchObject(DENIED);
    sut.roles = ['GroupMember.ReadWrite.All', 'RoleManagement.ReadWrite.Directory'];
    await request(sut.app).post(`/v1.0/groups/${tier0.id}/members/$ref`).send(ref(outsider!)).expect(204);
  });

  it('sets and removes a manager by reference', async () => {
    const [user, manager] = [userIds[70]!, userIds[71]!];
    await request(sut.app)
      .put(`/v1.0/users/${user}/manager/$ref`)
      .send({ '@odata.id': `https://graph.microsoft.com/v1.0/users/${manager}` })
      .expect(204);
    const read = await request(sut.app).get(`/v1.0/users/${user}/manager`).expect(200);
    expect(read.body.id).toBe(manager);
    await request(sut.app)
      .put(`/v1.0/users/${user}/manager/$ref`)
      .send(ref('00000000-0000-4000-8000-00000000abcd'))
      .expect(404);
    await request(sut.app).delete(`/v1.0/users/${user}/manager/$ref`).expect(204);
    await request(sut.app).get(`/v1.0/users/${user}/manager`).expect(404);
  });

  it('refuses a duplicate app role assignment with 400', async () => {
    const graph = await request(sut.app)
      .get("/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')")
      .expect(200);
    const sps = await request(sut.app).get('/v1.0/servicePrincipals?$top=10').expect(200);
    const client = sps.body.value[6].id;
    const held = await request(sut.app)
      .get(`/v1.0/servicePrincipals/${client}/appRoleAssignments`)
      .expect(200);
    const free = (graph.body.appRoles as Array<{ id: string }>).find(
      (r) => !held.body.value.some((a: { appRoleId: string }) => a.appRoleId === r.id),
    )!;
    const body = { principalId: client, resourceId: graph.body.id, appRoleId: free.id };
    await request(sut.app)
      .post(`/v1.0/servicePrincipals/${graph.body.id}/appRoleAssignedTo`)
      .send(body)
      .expect(201);
    const res = await request(sut.app)
      .post(`/v1.0/servicePrincipals/${graph.body.id}/appRoleAssignedTo`)
      .send(body)
      .expect(400);
    expect(res.body.error).toMatchObject({
      code: 'Request_BadRequest',
      message: 'Permission being assigned already exists on the object.',
    });
  });

  it('refuses a second delegated grant for the same client, resource, consent type and principal with 409', async () => {
    const sps = await request(sut.app).get('/v1.0/servicePrincipals?$top=20').expect(200);
    const grants = await request(sut.app).get('/v1.0/oauth2PermissionGrants?$top=999').expect(200);
    const client = (sps.body.value as Array<{ id: string }>)
      .slice(3)
      .find((sp) => !grants.body.value.some((g: { clientId: string }) => g.clientId === sp.id))!;
    const body = {
      clientId: client.id,
      resourceId: sps.body.value[0].id,
      consentType: 'AllPrincipals',
      scope: 'User.Read',
    };
    await request(sut.app).post('/v1.0/oauth2PermissionGrants').send(body).expect(201);
    const res = await request(sut.app)
      .post('/v1.0/oauth2PermissionGrants')
      .send({ ...body, scope: 'Mail.Read' })
      .expect(409);
    expect(res.body.error).toMatchObject({
      code: 'Request_MultipleObjectsWithSameKeyValue',
      message: 'Permission entry already exists.',
    });
    await request(sut.app)
      .post('/v1.0/oauth2PermissionGrants')
      .send({ ...body, consentType: 'Principal', principalId: userIds[45] })
      .expect(201);
  });
});
