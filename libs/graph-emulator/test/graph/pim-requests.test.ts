import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const REQUESTS = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';

describe(`${createGraphRouter.name}: PIM eligibility requests`, () => {
  let sut: TestGraph;
  let principalId: string;

  beforeEach(async () => {
    sut = buildTestGraph();
    const users = await request(sut.app).get('/v1.0/users?$top=60&$select=id').expect(200);
    principalId = users.body.value[55].id;
  });

  const eligibilities = async () =>
    (
      await request(sut.app)
        .get(
          `/v1.0/roleManagement/directory/roleEligibilitySchedules?$filter=principalId eq '${principalId}'`,
        )
        .expect(200)
    ).body.value as Array<{ id: string; roleDefinitionId: string; scheduleInfo: unknown }>;

  it('creates an eligibility with adminAssign and removes it with adminRemove', async () => {
    const assign = {
      action: 'adminAssign',
      justification: 'Restored from backup',
      principalId,
      roleDefinitionId: HELPDESK_ADMINISTRATOR,
      directoryScopeId: '/',
      scheduleInfo: {
        startDateTime: '2026-11-20T12:00:00Z',
        expiration: { type: 'afterDateTime', endDateTime: '2027-11-20T12:00:00Z' },
      },
    };
    const created = await request(sut.app).post(REQUESTS).send(assign).expect(201);
    expect(created.body).toMatchObject({
      '@odata.context': expect.stringContaining('roleEligibilityScheduleRequests/$entity'),
      action: 'adminAssign',
      status: 'Provisioned',
      principalId,
      roleDefinitionId: HELPDESK_ADMINISTRATOR,
      directoryScopeId: '/',
      justification: 'Restored from backup',
      isValidationOnly: false,
      createdBy: { application: { id: '11111111-2222-3333-4444-555555555555' } },
      scheduleInfo: { expiration: { type: 'afterDateTime', endDateTime: '2027-11-20T12:00:00Z' } },
    });
    const listed = await eligibilities();
    expect(listed).toEqual([
      expect.objectContaining({
        id: created.body.targetScheduleId,
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
        status: 'Provisioned',
        memberType: 'Direct',
      }),
    ]);

    const duplicate = await request(sut.app).post(REQUESTS).send(assign).expect(400);
    expect(duplicate.body.error.code).toBe('RoleAssignmentExists');

    const removed = await request(sut.app)
      .post(REQUESTS)
      .send({
        action: 'adminRemove',
        principalId,
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
        directoryScopeId: '/',
      })
      .expect(201);
    expect(removed.body).toMatchObject({ action: 'adminRemove', status: 'Revoked', scheduleInfo: null });
    expect(await eligibilities()).toEqual([]);
    const again = await request(sut.app)
      .post(REQUESTS)
      .send({
        action: 'adminRemove',
        principalId,
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
        directoryScopeId: '/',
      })
      .expect(400);
    expect(again.body.error.code).toBe('RoleAssignmentDoesNotExist');
  });

  it('accepts RoleEligibilitySchedule.ReadWrite.Directory, refuses other permissions', async () => {
    const body = {
      action: 'adminAssign',
      principalId,
      roleDefinitionId: HELPDESK_ADMINISTRATOR,
      directoryScopeId: '/',
    };
    sut.roles = ['RoleManagement.Read.Directory'];
    const denied = await request(sut.app).post(REQUESTS).send(body).expect(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
    sut.roles = ['RoleEligibilitySchedule.ReadWrite.Directory'];
    await request(sut.app).post(REQUESTS).send(body).expect(201);
  });

  it('validates the request', async () => {
    const base = { principalId, roleDefinitionId: HELPDESK_ADMINISTRATOR, directoryScopeId: '/' };
    await request(sut.app)
      .post(REQUESTS)
      .send({ ...base, action: 'selfActivate' })
      .expect(400);
    await request(sut.app)
      .post(REQUESTS)
      .send({ ...base, action: 'adminAssign', principalId: '00000000-0000-4000-8000-00000000abcd' })
      .expect(404);
    await request(sut.app)
      .post(REQUESTS)
      .send({ ...base, action: 'adminAssign', roleDefinitionId: '00000000-0000-4000-8000-00000000abcd' })
      .expect(404);
    await request(sut.app)
      .post(REQUESTS)
      .send({ action: 'adminAssign', principalId, roleDefinitionId: HELPDESK_ADMINISTRATOR })
      .expect(400);
    expect(await eligibilities()).toEqual([]);
  });

  it('answers 400 AadPremiumLicenseRequired in a tenant without Entra ID P2, on requests and on the list', async () => {
    sut.tenant = sut.world.listTenants()[1]!.tenantId;
    const users = await request(sut.app).get('/v1.0/users?$top=60&$select=id').expect(200);
    const res = await request(sut.app)
      .post(REQUESTS)
      .send({
        action: 'adminAssign',
        principalId: users.body.value[50].id,
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
        directoryScopeId: '/',
      })
      .expect(400);
    expect(res.body.error.code).toBe('AadPremiumLicenseRequired');
    const list = await request(sut.app)
      .get('/v1.0/roleManagement/directory/roleEligibilitySchedules')
      .expect(400);
    expect(list.body.error.code).toBe('AadPremiumLicenseRequired');
  });
});
