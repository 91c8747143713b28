import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

const BASE = '/v1.0/identityGovernance/privilegedAccess/group';

interface Schedule {
  id: string;
  principalId: string;
  groupId: string;
  accessId: string;
  scheduleInfo: { expiration: { type: string; endDateTime: string | null } };
}

describe(`${createGraphRouter.name}: PIM for Groups`, () => {
  let sut: TestGraph;
  let tier0: string;
  let dynamic: string;
  let principalId: string;

  beforeEach(async () => {
    sut = buildTestGraph();
    sut.roles = [
      'Group.Read.All',
      'User.Read.All',
      'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
      'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
    ];
    const groups = (await request(sut.app).get('/v1.0/groups?$top=999').expect(200)).body.value as Array<
      Record<string, unknown>
    >;
    tier0 = String(groups.find((g) => g['isAssignableToRole'] === true)!['id']);
    dynamic = String(groups.find((g) => String(g['groupTypes']).includes('DynamicMembership'))!['id']);
    principalId = (await request(sut.app).get('/v1.0/users?$top=60&$select=id').expect(200)).body.value[50]
      .id;
  });

  const list = async (kind: string, groupId: string) =>
    (await request(sut.app).get(`${BASE}/${kind}?$filter=groupId eq '${groupId}'`).expect(200)).body
      .value as Schedule[];

  it('lists a group’s eligibilities and one active schedule per member and owner, some time-limited', async () => {
    const eligible = await list('eligibilitySchedules', tier0);
    expect(eligible.map((s) => s.accessId).sort()).toEqual(['member', 'owner']);
    const members = (await request(sut.app).get(`/v1.0/groups/${tier0}/members?$select=id`).expect(200)).body
      .value as Array<{ id: string }>;
    const active = await list('assignmentSchedules', tier0);
    expect(
      active
        .filter((s) => s.accessId === 'member')
        .map((s) => s.principalId)
        .sort(),
    ).toEqual(members.map((m) => m.id).sort());
    expect(active.filter((s) => s.scheduleInfo.expiration.type === 'afterDateTime')).toHaveLength(1);
    // Dynamic groups cannot be managed in PIM: nothing to list.
    expect(await list('assignmentSchedules', dynamic)).toEqual([]);
  });

  it('requires the groupId (or principalId) filter and the documented permissions', async () => {
    await request(sut.app).get(`${BASE}/eligibilitySchedules`).expect(400);
    sut.roles = ['PrivilegedAssignmentSchedule.Read.AzureADGroup'];
    await request(sut.app).get(`${BASE}/eligibilitySchedules?$filter=groupId eq '${tier0}'`).expect(403);
    await request(sut.app).get(`${BASE}/assignmentSchedules?$filter=groupId eq '${tier0}'`).expect(200);
    await request(sut.app)
      .post(`${BASE}/assignmentScheduleRequests`)
      .send({ action: 'adminAssign', principalId, groupId: tier0, accessId: 'member' })
      .expect(403);
  });

  it('assigns time-limited membership with adminAssign (a member and its schedule); adminRemove removes both', async () => {
    const scheduleInfo = {
      startDateTime: '2026-11-01T00:00:00Z',
      expiration: { type: 'afterDateTime', endDateTime: '2027-02-01T00:00:00Z' },
    };
    const base = { principalId, groupId: tier0, accessId: 'member' };
    const created = await request(sut.app)
      .post(`${BASE}/assignmentScheduleRequests`)
      .send({ ...base, action: 'adminAssign', scheduleInfo })
      .expect(201);
    expect(created.body).toMatchObject({ action: 'adminAssign', status: 'Provisioned' });
    expect(
      (await list('assignmentSchedules', tier0)).find((s) => s.principalId === principalId),
    ).toMatchObject({
      scheduleInfo: { expiration: { type: 'afterDateTime', endDateTime: '2027-02-01T00:00:00Z' } },
    });
    const members = (await request(sut.app).get(`/v1.0/groups/${tier0}/members?$select=id`).expect(200)).body
      .value as Array<{ id: string }>;
    expect(members.map((m) => m.id)).toContain(principalId);
    await request(sut.app)
      .post(`${BASE}/assignmentScheduleRequests`)
      .send({ ...base, action: 'adminAssign', scheduleInfo })
      .expect(400);
    await request(sut.app)
      .post(`${BASE}/assignmentScheduleRequests`)
      .send({ ...base, action: 'adminRemove' })
      .expect(201);
    expect((await list('assignmentSchedules', tier0)).some((s) => s.principalId === principalId)).toBe(false);
    await request(sut.app)
      .post(`${BASE}/eligibilityScheduleRequests`)
      .send({ ...base, groupId: dynamic, action: 'adminAssign' })
      .expect(400);
  });

  it('makes and removes an eligibility', async () => {
    const base = { principalId, groupId: tier0, accessId: 'owner' };
    await request(sut.app)
      .post(`${BASE}/eligibilityScheduleRequests`)
      .send({ ...base, action: 'adminAssign' })
      .expect(201);
    expect((await list('eligibilitySchedules', tier0)).some((s) => s.principalId === principalId)).toBe(true);
    await request(sut.app)
      .post(`${BASE}/eligibilityScheduleRequests`)
      .send({ ...base, action: 'adminRemove' })
      .expect(201);
    expect((await list('eligibilitySchedules', tier0)).some((s) => s.principalId === principalId)).toBe(
      false,
    );
  });
});
