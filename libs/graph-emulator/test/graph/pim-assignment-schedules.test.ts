import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const SCHEDULES = '/v1.0/roleManagement/directory/roleAssignmentSchedules';
const REQUESTS = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';

interface Schedule {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  scheduleInfo: { expiration: { type: string; endDateTime: string | null } };
}

describe(`${createGraphRouter.name}: PIM active assignment schedules`, () => {
  let sut: TestGraph;
  let principalId: string;

  beforeEach(async () => {
    sut = buildTestGraph();
    const users = await request(sut.app).get('/v1.0/users?$top=60&$select=id').expect(200);
    principalId = users.body.value[55].id;
  });

  const schedules = async (filter?: string) =>
    (
      await request(sut.app)
        .get(filter ? `${SCHEDULES}?$filter=${filter}` : SCHEDULES)
        .expect(200)
    ).body.value as Schedule[];

  it('lists one schedule per active role assignment, some of them time-limited', async () => {
    const assignments = (
      await request(sut.app).get('/v1.0/roleManagement/directory/roleAssignments').expect(200)
    ).body.value as Array<{ id: string; principalId: string; roleDefinitionId: string }>;
    const listed = await schedules();
    const link = (a: { principalId: string; roleDefinitionId: string }) =>
      `${a.principalId}|${a.roleDefinitionId}`;
    expect(listed.map(link).sort()).toEqual(assignments.map(link).sort());
    const limited = listed.filter((s) => s.scheduleInfo.expiration.type === 'afterDateTime');
    expect(limited).toHaveLength(3);
    for (const s of limited)
      expect(Date.parse(s.scheduleInfo.expiration.endDateTime!)).toBeGreaterThan(sut.clock.now());
    const permanent = listed.find((s) => s.scheduleInfo.expiration.type === 'noExpiration')!;
    expect(assignments.map((a) => a.id)).toContain(permanent.id);
    await request(sut.app).get(`${SCHEDULES}/${limited[0]!.id}`).expect(200);
  });

  it('drops a time-limited assignment once its schedule has ended', async () => {
    const limited = (await schedules()).filter((s) => s.scheduleInfo.expiration.type !== 'noExpiration');
    const last = Math.max(...limited.map((s) => Date.parse(s.scheduleInfo.expiration.endDateTime!)));
    sut.clock.set(last + 1000);
    expect((await schedules()).filter((s) => s.scheduleInfo.expiration.type !== 'noExpiration')).toEqual([]);
  });

  it('assigns a time-limited role with adminAssign: a role assignment and its schedule; adminRemove removes both', async () => {
    const scheduleInfo = {
      startDateTime: '2026-11-01T00:00:00Z',
      expiration: { type: 'afterDateTime', endDateTime: '2027-02-01T00:00:00Z' },
    };
    const base = { principalId, roleDefinitionId: HELPDESK_ADMINISTRATOR, directoryScopeId: '/' };
    const created = await request(sut.app)
      .post(REQUESTS)
      .send({ ...base, action: 'adminAssign', justification: 'Restored', scheduleInfo })
      .expect(201);
    expect(created.body).toMatchObject({
      '@odata.context': expect.stringContaining('roleAssignmentScheduleRequests/$entity'),
      action: 'adminAssign',
      status: 'Provisioned',
      scheduleInfo: { startDateTime: '2026-11-01T00:00:00Z', expiration: scheduleInfo.expiration },
    });
    expect(await schedules(`principalId eq '${principalId}'`)).toEqual([
      expect.objectContaining({
        id: created.body.targetScheduleId,
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
        scheduleInfo: expect.objectContaining({
          expiration: expect.objectContaining({ endDateTime: '2027-02-01T00:00:00Z' }),
        }),
      }),
    ]);
    const assignments = await request(sut.app)
      .get(`/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${principalId}'`)
      .expect(200);
    expect(assignments.body.value).toHaveLength(1);
    const duplicate = await request(sut.app)
      .post(REQUESTS)
      .send({ ...base, action: 'adminAssign' })
      .expect(400);
    expect(duplicate.body.error.code).toBe('RoleAssignmentExists');

    await request(sut.app)
      .post(REQUESTS)
      .send({ ...base, action: 'adminRemove' })
      .expect(201);
    expect(await schedules(`principalId eq '${principalId}'`)).toEqual([]);
  });

  it('a permanent adminAssign is listed with noExpiration', async () => {
    await request(sut.app)
      .post(REQUESTS)
      .send({
        action: 'adminAssign',
        principalId,
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
        directoryScopeId: '/',
      })
      .expect(201);
    const [only] = await schedules(`principalId eq '${principalId}'`);
    expect(only!.scheduleInfo.expiration.type).toBe('noExpiration');
  });

  it('reads with RoleAssignmentSchedule.Read.Directory, refuses other permissions', async () => {
    sut.roles = ['RoleEligibilitySchedule.Read.Directory'];
    const denied = await request(sut.app).get(SCHEDULES).expect(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
    await request(sut.app)
      .post(REQUESTS)
      .send({
        action: 'adminAssign',
        principalId,
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
        directoryScopeId: '/',
      })
      .expect(403);
    sut.roles = ['RoleAssignmentSchedule.Read.Directory'];
    await request(sut.app).get(SCHEDULES).expect(200);
  });

  it('rejects $top as the list does', async () => {
    await request(sut.app).get(`${SCHEDULES}?$top=5`).expect(400);
  });

  it('answers 400 AadPremiumLicenseRequired in a tenant without Entra ID P2', async () => {
    sut.tenant = sut.world.listTenants()[1]!.tenantId;
    const list = await request(sut.app).get(SCHEDULES).expect(400);
    expect(list.body.error.code).toBe('AadPremiumLicenseRequired');
  });
});
