import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { ALL_ROLES, buildTestGraph, type TestGraph } from './graph-test-app';

describe(`${createGraphRouter.name}: directory extension values`, () => {
  let sut: TestGraph;
  let costCenter: string;
  let projectCode: string;
  const directory = () => sut.world.directory(sut.tenantId)!;
  const userOf = (ordinal: number) => directory().gen.id('users', ordinal);
  const groupOf = (ordinal: number) => directory().gen.id('groups', ordinal);

  beforeEach(() => {
    sut = buildTestGraph();
    sut.roles = [...ALL_ROLES, 'Directory.Read.All'];
    const appId = String(directory().gen.generate('applications', 1)['appId']).replace(/-/g, '');
    costCenter = `extension_${appId}_costCenter`;
    projectCode = `extension_${appId}_projectCode`;
  });

  it('lists every extension definition of the tenant with Directory.Read.All only, filtered by isSyncedFromOnPremises', async () => {
    const res = await request(sut.app)
      .post('/v1.0/directoryObjects/getAvailableExtensionProperties')
      .send({})
      .expect(200);
    expect(res.body['@odata.context']).toContain('Collection(microsoft.graph.extensionProperty)');
    expect(res.body.value).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: costCenter, targetObjects: ['User'], isSyncedFromOnPremises: false }),
        expect.objectContaining({ name: projectCode, targetObjects: ['Group'] }),
      ]),
    );
    const synced = await request(sut.app)
      .post('/v1.0/directoryObjects/getAvailableExtensionProperties')
      .send({ isSyncedFromOnPremises: true })
      .expect(200);
    expect(synced.body.value).toEqual([]);
    await request(sut.app)
      .post('/v1.0/directoryObjects/getAvailableExtensionProperties')
      .send({ isSyncedFromOnPremises: 'yes' })
      .expect(400);
    await request(sut.app)
      .post('/v1.0/directoryObjects/getAvailableExtensionProperties')
      .send({ other: true })
      .expect(400);

    sut.roles = ALL_ROLES;
    const denied = await request(sut.app)
      .post('/v1.0/directoryObjects/getAvailableExtensionProperties')
      .send({})
      .expect(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
  });

  it('returns generated values only when $select names the extension: lists, single reads and delta', async () => {
    const plain = await request(sut.app)
      .get(`/v1.0/users/${userOf(2)}`)
      .expect(200);
    expect(plain.body[costCenter]).toBeUndefined();
    const listed = await request(sut.app)
      .get(`/v1.0/users?$select=id,displayName,${costCenter}&$top=999`)
      .expect(200);
    const carrying = (listed.body.value as Array<Record<string, unknown>>).filter((u) => costCenter in u);
    expect(carrying.length).toBeGreaterThan(0);
    expect(carrying.map((u) => u['id'])).toContain(userOf(2));
    expect(carrying.every((u) => /^CC-\d{4}$/.test(String(u[costCenter])))).toBe(true);
    // Users without a value carry no property at all.
    expect(listed.body.value.find((u: { id: string }) => u.id === userOf(3))).not.toHaveProperty(costCenter);

    const single = await request(sut.app)
      .get(`/v1.0/users/${userOf(2)}?$select=id,${costCenter}`)
      .expect(200);
    expect(single.body[costCenter]).toBe(carrying.find((u) => u['id'] === userOf(2))![costCenter]);

    const groups = await request(sut.app).get(`/v1.0/groups?$select=id,${projectCode}`).expect(200);
    expect(groups.body.value.find((g: { id: string }) => g.id === groupOf(0))[projectCode]).toMatch(
      /^PRJ-\d{5}$/,
    );
    const unselected = await request(sut.app).get('/v1.0/groups').expect(200);
    expect(unselected.body.value.every((g: Record<string, unknown>) => !(projectCode in g))).toBe(true);

    const delta = await request(sut.app)
      .get(`/v1.0/users/delta?$select=id,${costCenter}`)
      .set('Prefer', 'odata.maxpagesize=999')
      .expect(200);
    expect(delta.body.value.find((u: { id: string }) => u.id === userOf(2))[costCenter]).toMatch(/^CC-/);
  });

  it('writes values with PATCH (null removes one), reports the change through delta, and refuses undefined extensions', async () => {
    const start = await request(sut.app)
      .get(`/v1.0/groups/delta?$select=id,${projectCode}&$deltatoken=latest`)
      .expect(200);
    await request(sut.app)
      .patch(`/v1.0/groups/${groupOf(1)}`)
      .send({ [projectCode]: 'PRJ-00042' })
      .expect(204);
    const link = new URL(String(start.body['@odata.deltaLink']));
    const changes = await request(sut.app).get(`${link.pathname}${link.search}`).expect(200);
    expect(changes.body.value).toEqual([{ id: groupOf(1), [projectCode]: 'PRJ-00042' }]);

    await request(sut.app)
      .patch(`/v1.0/users/${userOf(2)}`)
      .send({ [costCenter]: null })
      .expect(204);
    const cleared = await request(sut.app)
      .get(`/v1.0/users/${userOf(2)}?$select=id,${costCenter}`)
      .expect(200);
    expect(cleared.body).not.toHaveProperty(costCenter);

    // A group extension on a user, an extension nobody defined, a value of the wrong type.
    const wrongTarget = await request(sut.app)
      .patch(`/v1.0/users/${userOf(2)}`)
      .send({ [projectCode]: 'PRJ-1' })
      .expect(400);
    expect(wrongTarget.body.error.code).toBe('Request_BadRequest');
    await request(sut.app)
      .patch(`/v1.0/users/${userOf(2)}`)
      .send({ extension_0123456789abcdef0123456789abcdef_nothing: 'x' })
      .expect(400);
    await request(sut.app)
      .patch(`/v1.0/users/${userOf(2)}`)
      .send({ [costCenter]: 42 })
      .expect(400);
  });

  it("hides an extension's values while its application is deleted, and brings them back with it", async () => {
    const app = directory().gen.id('applications', 1);
    const read = async () =>
      (
        await request(sut.app)
          .get(`/v1.0/users/${userOf(2)}?$select=id,${costCenter}`)
          .expect(200)
      ).body;
    const before = (await read())[costCenter];
    expect(before).toMatch(/^CC-/);
    await request(sut.app).delete(`/v1.0/applications/${app}`).expect(204);
    expect(await read()).not.toHaveProperty(costCenter);
    await request(sut.app)
      .patch(`/v1.0/users/${userOf(2)}`)
      .send({ [costCenter]: 'CC-1' })
      .expect(400);
    const available = await request(sut.app)
      .post('/v1.0/directoryObjects/getAvailableExtensionProperties')
      .send({})
      .expect(200);
    expect(available.body.value).toEqual([]);
    await request(sut.app).post(`/v1.0/directory/deletedItems/${app}/restore`).send({}).expect(200);
    expect((await read())[costCenter]).toBe(before);
  });

  it('writes values on a new extension of a new application, and creates users carrying one', async () => {
    const app = await request(sut.app).post('/v1.0/applications').send({ displayName: 'Badges' }).expect(201);
    const created = await request(sut.app)
      .post(`/v1.0/applications/${app.body.id}/extensionProperties`)
      .send({ name: 'badge', dataType: 'Integer', targetObjects: ['User'] })
      .expect(201);
    const badge = String(created.body.name);
    expect(badge).toBe(`extension_${String(app.body.appId).replace(/-/g, '')}_badge`);
    const user = await request(sut.app)
      .post('/v1.0/users')
      .send({
        accountEnabled: true,
        displayName: 'New',
        mailNickname: 'new',
        userPrincipalName: `new@${directory().spec.domain}`,
        passwordProfile: { password: 'P@ssw0rd-1234' },
        [badge]: 7,
      })
      .expect(201);
    const read = await request(sut.app).get(`/v1.0/users/${user.body.id}?$select=${badge}`).expect(200);
    expect(read.body[badge]).toBe(7);
  });
});

describe(`${createGraphRouter.name}: delegated permission classifications`, () => {
  let sut: TestGraph;
  const graphSp = () => sut.world.directory(sut.tenantId)!.gen.id('servicePrincipals', 0);
  const url = () => `/v1.0/servicePrincipals/${graphSp()}/delegatedPermissionClassifications`;
  const EMAIL = '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0';
  const USER_READ = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
  const USER_READ_ALL = 'a154be20-db9c-4678-8ab7-66f6cc099a59';

  beforeEach(() => {
    sut = buildTestGraph();
    sut.roles = [...ALL_ROLES, 'Policy.ReadWrite.PermissionGrant'];
  });

  it("publishes Microsoft Graph's delegated permissions and lists the generated low-impact sign-in classifications", async () => {
    const sp = await request(sut.app).get(`/v1.0/servicePrincipals/${graphSp()}`).expect(200);
    expect(sp.body.oauth2PermissionScopes).toContainEqual(
      expect.objectContaining({ id: USER_READ, value: 'User.Read', type: 'User', isEnabled: true }),
    );
    const listed = await request(sut.app).get(url()).expect(200);
    expect(listed.body.value.map((c: { permissionName: string }) => c.permissionName).sort()).toEqual([
      'email',
      'offline_access',
      'openid',
      'profile',
    ]);
    expect(listed.body.value[0]).toEqual({
      id: expect.any(String),
      permissionId: expect.any(String),
      permissionName: expect.any(String),
      classification: 'low',
    });
    // By appId too.
    await request(sut.app)
      .get(
        "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/delegatedPermissionClassifications",
      )
      .expect(200);
  });

  it('classifies a permission users may consent to (201), refuses admin-only, unknown and duplicate ones, and deletes (204)', async () => {
    const created = await request(sut.app)
      .post(url())
      .send({ permissionId: USER_READ, permissionName: 'User.Read', classification: 'low' })
      .expect(201);
    expect(created.body).toMatchObject({
      permissionId: USER_READ,
      permissionName: 'User.Read',
      classification: 'low',
    });
    expect(created.body).not.toHaveProperty('servicePrincipalId');

    await request(sut.app).post(url()).send({ permissionId: USER_READ, classification: 'low' }).expect(400);
    await request(sut.app)
      .post(url())
      .send({ permissionId: USER_READ_ALL, classification: 'low' })
      .expect(400);
    await request(sut.app)
      .post(url())
      .send({ permissionId: '00000000-0000-4000-8000-000000000000', classification: 'low' })
      .expect(400);
    await request(sut.app).post(url()).send({ classification: 'low' }).expect(400);
    await request(sut.app).post(url()).send({ permissionId: USER_READ, classification: 'none' }).expect(400);

    await request(sut.app).delete(`${url()}/${created.body.id}`).expect(204);
    await request(sut.app).delete(`${url()}/${created.body.id}`).expect(404);
    const emailClassification = (await request(sut.app).get(url()).expect(200)).body.value.find(
      (c: { permissionId: string }) => c.permissionId === EMAIL,
    );
    await request(sut.app).delete(`${url()}/${emailClassification.id}`).expect(204);
    expect((await request(sut.app).get(url()).expect(200)).body.value).toHaveLength(3);
  });

  it('reads with Application.Read.All and writes with Policy.ReadWrite.PermissionGrant only', async () => {
    sut.roles = ['Application.Read.All'];
    await request(sut.app).get(url()).expect(200);
    const denied = await request(sut.app)
      .post(url())
      .send({ permissionId: USER_READ, classification: 'low' })
      .expect(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
    sut.roles = ['Application.ReadWrite.All'];
    await request(sut.app).post(url()).send({ permissionId: USER_READ, classification: 'low' }).expect(403);
    sut.roles = ['User.Read.All'];
    await request(sut.app).get(url()).expect(403);
  });
});
