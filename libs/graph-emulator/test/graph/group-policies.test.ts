import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { ALL_ROLES, buildTestGraph, type TestGraph } from './graph-test-app';

const GROUP_UNIFIED = '62375ab9-6b52-47ed-826b-58e47e0e304b';
const GROUP_UNIFIED_GUEST = '08d542b9-071f-4e16-94b0-74abb372e3d9';

type Setting = { id: string; templateId: string; values: Array<{ name: string; value: string }> };
type Group = { id: string; groupTypes: string[] };

describe(`${createGraphRouter.name}: group settings, lifecycle policies, authentication contexts`, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph();
    sut.roles = [...ALL_ROLES, 'GroupSettings.ReadWrite.All', 'Directory.ReadWrite.All'];
  });

  async function groupsOfKind(unified: boolean): Promise<Group[]> {
    const res = await request(sut.app).get('/v1.0/groups?$select=id,groupTypes&$top=999').expect(200);
    return (res.body.value as Group[]).filter((g) => g.groupTypes.includes('Unified') === unified);
  }

  it('serves the documented group setting templates with their default values', async () => {
    const res = await request(sut.app).get('/v1.0/groupSettingTemplates').expect(200);
    const unified = res.body.value.find((t: { id: string }) => t.id === GROUP_UNIFIED);
    expect(unified.displayName).toBe('Group.Unified');
    expect(unified.values).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'EnableGroupCreation',
          type: 'System.Boolean',
          defaultValue: 'true',
        }),
        expect.objectContaining({ name: 'PrefixSuffixNamingRequirement', defaultValue: '' }),
      ]),
    );
    const guest = await request(sut.app)
      .get(`/v1.0/groupSettingTemplates/${GROUP_UNIFIED_GUEST}`)
      .expect(200);
    expect(guest.body.displayName).toBe('Group.Unified.Guest');
  });

  it('holds one tenant-wide setting per template: a second one is refused, an update keeps the others', async () => {
    const list = await request(sut.app).get('/v1.0/groupSettings').expect(200);
    const setting = (list.body.value as Setting[]).find((s) => s.templateId === GROUP_UNIFIED)!;
    const value = (name: string, s: Setting) => s.values.find((v) => v.name === name)?.value;
    expect(value('PrefixSuffixNamingRequirement', setting)).toBe('GRP_[GroupName]_[Department]');
    const second = await request(sut.app)
      .post('/v1.0/groupSettings')
      .send({ templateId: GROUP_UNIFIED, values: [{ name: 'EnableGroupCreation', value: 'true' }] })
      .expect(400);
    expect(second.body.error.code).toBe('Request_BadRequest');
    await request(sut.app)
      .post('/v1.0/groupSettings')
      .send({ templateId: GROUP_UNIFIED_GUEST, values: [] })
      .expect(400);
    await request(sut.app)
      .patch(`/v1.0/groupSettings/${setting.id}`)
      .send({ values: [{ name: 'AllowToAddGuests', value: 'false' }] })
      .expect(204);
    const after = await request(sut.app).get(`/v1.0/groupSettings/${setting.id}`).expect(200);
    expect(value('AllowToAddGuests', after.body)).toBe('false');
    expect(value('PrefixSuffixNamingRequirement', after.body)).toBe('GRP_[GroupName]_[Department]');
    await request(sut.app).delete(`/v1.0/groupSettings/${setting.id}`).expect(204);
    const made = await request(sut.app)
      .post('/v1.0/groupSettings')
      .send({ templateId: GROUP_UNIFIED, values: [{ name: 'EnableGroupCreation', value: 'false' }] })
      .expect(201);
    expect(made.body.displayName).toBe('Group.Unified');
    expect(value('EnableGroupCreation', made.body)).toBe('false');
    expect(value('AllowGuestsToAccessGroups', made.body)).toBe('true');
  });

  it('allows the guest setting only on Microsoft 365 groups, one per group', async () => {
    const [unified, other] = await groupsOfKind(true);
    const [security] = await groupsOfKind(false);
    const generated = await request(sut.app).get(`/v1.0/groups/${unified!.id}/settings`).expect(200);
    expect(generated.body.value).toEqual([
      expect.objectContaining({
        templateId: GROUP_UNIFIED_GUEST,
        values: [{ name: 'AllowToAddGuests', value: 'false' }],
      }),
    ]);
    const body = { templateId: GROUP_UNIFIED_GUEST, values: [{ name: 'AllowToAddGuests', value: 'false' }] };
    await request(sut.app).post(`/v1.0/groups/${security!.id}/settings`).send(body).expect(400);
    await request(sut.app).post(`/v1.0/groups/${unified!.id}/settings`).send(body).expect(400);
    await request(sut.app)
      .post(`/v1.0/groups/${other!.id}/settings`)
      .send({ templateId: GROUP_UNIFIED, values: [] })
      .expect(400);
    const made = await request(sut.app).post(`/v1.0/groups/${other!.id}/settings`).send(body).expect(201);
    await request(sut.app)
      .patch(`/v1.0/groups/${other!.id}/settings/${made.body.id}`)
      .send({ values: [{ name: 'AllowToAddGuests', value: 'true' }] })
      .expect(204);
    const read = await request(sut.app).get(`/v1.0/groups/${other!.id}/settings/${made.body.id}`).expect(200);
    expect(read.body.values).toEqual([{ name: 'AllowToAddGuests', value: 'true' }]);
  });

  it('keeps one lifecycle policy whose Selected groups are read through each group', async () => {
    const list = await request(sut.app).get('/v1.0/groupLifecyclePolicies').expect(200);
    expect(list.body.value).toEqual([
      expect.objectContaining({ groupLifetimeInDays: 180, managedGroupTypes: 'Selected' }),
    ]);
    const policy = list.body.value[0] as { id: string };
    await request(sut.app)
      .post('/v1.0/groupLifecyclePolicies')
      .send({ groupLifetimeInDays: 365, managedGroupTypes: 'All', alternateNotificationEmails: '' })
      .expect(400);
    const under: string[] = [];
    for (const group of await groupsOfKind(true)) {
      const res = await request(sut.app).get(`/v1.0/groups/${group.id}/groupLifecyclePolicies`).expect(200);
      expect(res.body.value.map((p: { id: string }) => p.id)).toEqual(
        res.body.value.length ? [policy.id] : [],
      );
      if (res.body.value.length > 0) under.push(group.id);
    }
    // The generated tenant puts its first three Microsoft 365 groups under the policy.
    expect(under).toHaveLength(3);
    const outside = under[0]!;
    const action = (name: string) =>
      request(sut.app)
        .post(`/v1.0/groupLifecyclePolicies/${policy.id}/${name}`)
        .send({ groupId: outside })
        .expect(200);
    const appliedTo = async () =>
      (await request(sut.app).get(`/v1.0/groups/${outside}/groupLifecyclePolicies`).expect(200)).body.value;
    expect((await action('removeGroup')).body.value).toBe(true);
    expect(await appliedTo()).toEqual([]);
    expect((await action('addGroup')).body.value).toBe(true);
    expect(await appliedTo()).toHaveLength(1);
    expect((await action('addGroup')).body.value).toBe(false);
    await request(sut.app)
      .patch(`/v1.0/groupLifecyclePolicies/${policy.id}`)
      .send({ managedGroupTypes: 'All' })
      .expect(200);
    await request(sut.app)
      .post(`/v1.0/groupLifecyclePolicies/${policy.id}/addGroup`)
      .send({ groupId: outside })
      .expect(400);
    await request(sut.app)
      .patch(`/v1.0/groupLifecyclePolicies/${policy.id}`)
      .send({ managedGroupTypes: 'Some' })
      .expect(400);
  });

  it('upserts authentication contexts c1..c99 with PATCH, and a policy names c1', async () => {
    const list = await request(sut.app)
      .get('/v1.0/identity/conditionalAccess/authenticationContextClassReferences')
      .expect(200);
    expect(list.body.value.map((c: { id: string; displayName: string }) => [c.id, c.displayName])).toEqual([
      ['c1', 'Require trusted device'],
      ['c2', 'Sensitive apps'],
    ]);
    const policies = await request(sut.app).get('/v1.0/identity/conditionalAccess/policies').expect(200);
    expect(
      policies.body.value.filter(
        (p: { conditions: { applications: { includeAuthenticationContextClassReferences: string[] } } }) =>
          p.conditions.applications.includeAuthenticationContextClassReferences.includes('c1'),
      ),
    ).toHaveLength(1);
    const path = '/v1.0/identity/conditionalAccess/authenticationContextClassReferences';
    await request(sut.app)
      .patch(`${path}/c7`)
      .send({ displayName: 'Step-up', isAvailable: true })
      .expect(204);
    await request(sut.app).patch(`${path}/c1`).send({ description: 'Changed' }).expect(204);
    await request(sut.app).patch(`${path}/c100`).send({}).expect(400);
    expect((await request(sut.app).get(`${path}/c7`).expect(200)).body).toEqual(
      expect.objectContaining({ id: 'c7', displayName: 'Step-up', isAvailable: true, description: null }),
    );
    expect((await request(sut.app).get(`${path}/c1`).expect(200)).body).toEqual(
      expect.objectContaining({ displayName: 'Require trusted device', description: 'Changed' }),
    );
  });

  it('enforces the documented permissions', async () => {
    sut.roles = ['Group.Read.All'];
    await request(sut.app).get('/v1.0/groupSettings').expect(200);
    const denied = await request(sut.app).get('/v1.0/groupLifecyclePolicies').expect(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
    sut.roles = ['Group.ReadWrite.All'];
    await request(sut.app).post('/v1.0/groupSettings').send({ templateId: GROUP_UNIFIED }).expect(403);
    sut.roles = ['Policy.Read.All'];
    await request(sut.app)
      .get('/v1.0/identity/conditionalAccess/authenticationContextClassReferences')
      .expect(200);
    await request(sut.app)
      .patch('/v1.0/identity/conditionalAccess/authenticationContextClassReferences/c3')
      .send({})
      .expect(403);
  });
});
