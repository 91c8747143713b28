import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

describe(`${createGraphRouter.name}: object types`, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph();
  });

  it('serves built-in role definitions with their real template ids and Global Admin assignments', async () => {
    const defs = await request(sut.app)
      .get('/v1.0/roleManagement/directory/roleDefinitions?$filter=isBuiltIn eq true')
      .expect(200);
    const ids = defs.body.value.map((d: { id: string }) => d.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        '62e90394-69f5-4237-9190-012177145e10',
        'e8611ab8-c189-46e8-94e1-60213ab1f814',
        'fe930be7-5e62-47db-91af-98c3a49a38b1',
      ]),
    );
    expect(ids.length).toBeGreaterThanOrEqual(30);
    const custom = await request(sut.app)
      .get('/v1.0/roleManagement/directory/roleDefinitions?$filter=isBuiltIn eq false')
      .expect(200);
    expect(custom.body.value.length).toBeGreaterThan(0);
    const gas = await request(sut.app)
      .get(
        "/v1.0/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'&$expand=principal",
      )
      .expect(200);
    expect(gas.body.value.length).toBeGreaterThanOrEqual(2);
    expect(gas.body.value[0].principal['@odata.type']).toBe('#microsoft.graph.user');
    for (const path of ['roleAssignments', 'roleEligibilitySchedules']) {
      const top = await request(sut.app).get(`/v1.0/roleManagement/directory/${path}?$top=5`).expect(400);
      expect(top.body.error.code).toBe('Request_UnsupportedQuery');
    }
    await request(sut.app)
      .patch('/v1.0/roleManagement/directory/roleDefinitions/62e90394-69f5-4237-9190-012177145e10')
      .send({ displayName: 'x' })
      .expect(400);
    const eligible = await request(sut.app)
      .get('/v1.0/roleManagement/directory/roleEligibilitySchedules')
      .expect(200);
    expect(eligible.body.value.length).toBeGreaterThan(0);
  });

  it('exposes Microsoft Graph service principal with real app role ids and app role assignments', async () => {
    const sps = await request(sut.app)
      .get("/v1.0/servicePrincipals?$filter=appId eq '00000003-0000-0000-c000-000000000000'")
      .expect(200);
    const graph = sps.body.value[0];
    expect(graph.appRoles.find((r: { value: string }) => r.value === 'User.Read.All').id).toBe(
      'df021288-bdef-4463-88db-98f22de89214',
    );
    const assignedTo = await request(sut.app)
      .get(`/v1.0/servicePrincipals/${graph.id}/appRoleAssignedTo`)
      .expect(200);
    expect(assignedTo.body.value.length).toBeGreaterThan(0);
    const expanded = await request(sut.app)
      .get('/v1.0/servicePrincipals?$top=10&$expand=appRoleAssignments')
      .expect(200);
    expect(
      expanded.body.value.some((sp: { appRoleAssignments: Array<{ resourceId: string }> }) =>
        sp.appRoleAssignments.some((a) => a.resourceId === graph.id),
      ),
    ).toBe(true);
    const grants = await request(sut.app).get('/v1.0/oauth2PermissionGrants').expect(200);
    expect(grants.body.value[0]).toHaveProperty('scope');
  });

  it("returns app registrations' add-ins and service principal lock on $select, and locks new registrations", async () => {
    const list = await request(sut.app)
      .get('/v1.0/applications?$select=id,addIns,servicePrincipalLockConfiguration')
      .expect(200);
    expect(list.body.value[0]).toEqual({
      id: expect.any(String),
      addIns: [],
      servicePrincipalLockConfiguration: expect.objectContaining({ isEnabled: true, allProperties: true }),
    });
    const created = await request(sut.app)
      .post('/v1.0/applications')
      .send({ displayName: 'New app' })
      .expect(201);
    expect(created.body.servicePrincipalLockConfiguration).toMatchObject({ isEnabled: true });
  });

  it('serves Conditional Access policies that reference named locations and roles', async () => {
    const policies = await request(sut.app).get('/v1.0/identity/conditionalAccess/policies').expect(200);
    const locations = await request(sut.app)
      .get('/v1.0/identity/conditionalAccess/namedLocations')
      .expect(200);
    expect(locations.body.value.map((l: Record<string, string>) => l['@odata.type'])).toEqual(
      expect.arrayContaining(['#microsoft.graph.ipNamedLocation', '#microsoft.graph.countryNamedLocation']),
    );
    const text = JSON.stringify(policies.body.value);
    expect(text).toContain('62e90394-69f5-4237-9190-012177145e10');
    expect(text).toContain(locations.body.value[0].id);
    const strengths = await request(sut.app).get('/v1.0/policies/authenticationStrengthPolicies').expect(200);
    expect(strengths.body.value.map((s: { policyType: string }) => s.policyType)).toEqual(
      expect.arrayContaining(['builtIn', 'custom']),
    );
  });

  it('serves Intune policies with assignments, scheduled actions and beta-only settings catalog', async () => {
    const configs = await request(sut.app)
      .get('/v1.0/deviceManagement/deviceConfigurations?$expand=assignments')
      .expect(200);
    expect(configs.body.value[0]['@odata.type']).toMatch(/^#microsoft\.graph\./);
    expect(configs.body.value[0].assignments.length).toBeGreaterThan(0);
    const compliance = await request(sut.app)
      .get(
        '/v1.0/deviceManagement/deviceCompliancePolicies?$expand=assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)',
      )
      .expect(200);
    expect(
      compliance.body.value[0].scheduledActionsForRule[0].scheduledActionConfigurations[0].actionType,
    ).toBe('block');
    await request(sut.app).get('/v1.0/deviceManagement/configurationPolicies').expect(400);
    const catalog = await request(sut.app)
      .get('/beta/deviceManagement/configurationPolicies?$expand=settings,assignments')
      .expect(200);
    expect(catalog.body.value[0].settings[0].settingInstance['@odata.type']).toBe(
      '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
    );
    await request(sut.app)
      .post('/v1.0/deviceManagement/deviceCompliancePolicies')
      .send({ '@odata.type': '#microsoft.graph.windows10CompliancePolicy', displayName: 'No actions' })
      .expect(400);
  });

  it('serves administrative units with members and scoped role members', async () => {
    const aus = await request(sut.app).get('/v1.0/directory/administrativeUnits').expect(200);
    const beta = await request(sut.app).get('/beta/administrativeUnits').expect(200);
    expect(beta.body.value.map((a: { id: string }) => a.id)).toEqual(
      aus.body.value.map((a: { id: string }) => a.id),
    );
    await request(sut.app).get('/v1.0/administrativeUnits').expect(400);
    const au = aus.body.value[0];
    const members = await request(sut.app)
      .get(`/v1.0/directory/administrativeUnits/${au.id}/members`)
      .expect(200);
    expect(members.body.value.length).toBeGreaterThan(0);
    const scoped = await request(sut.app)
      .get(`/v1.0/directory/administrativeUnits/${au.id}/scopedRoleMembers`)
      .expect(200);
    expect(scoped.body.value[0].roleMemberInfo.id).toMatch(/^[0-9a-f-]{36}$/);
    // The same assignment is visible as an AU-scoped role assignment.
    const assignments = await request(sut.app)
      .get(
        `/v1.0/roleManagement/directory/roleAssignments?$filter=directoryScopeId eq '/administrativeUnits/${au.id}'`,
      )
      .expect(200);
    expect(assignments.body.value.map((a: { id: string }) => a.id)).toEqual(
      scoped.body.value.map((s: { id: string }) => s.id),
    );
    const users = await request(sut.app).get('/v1.0/users?$top=40&$select=id').expect(200);
    const added = await request(sut.app)
      .post(`/v1.0/directory/administrativeUnits/${au.id}/scopedRoleMembers`)
      .send({ roleId: scoped.body.value[0].roleId, roleMemberInfo: { id: users.body.value[35].id } })
      .expect(201);
    await request(sut.app)
      .post(`/v1.0/directory/administrativeUnits/${au.id}/scopedRoleMembers`)
      .send({ roleId: scoped.body.value[0].roleId, roleMemberInfo: { id: users.body.value[35].id } })
      .expect(400);
    await request(sut.app)
      .delete(`/v1.0/directory/administrativeUnits/${au.id}/scopedRoleMembers/${added.body.id}`)
      .expect(204);
  });

  it('lists sign-ins newest first within 1000 per page and answers 403 for a non-premium tenant', async () => {
    const res = await request(sut.app).get('/v1.0/auditLogs/signIns?$top=50').expect(200);
    const times = res.body.value.map((s: { createdDateTime: string }) => Date.parse(s.createdDateTime));
    expect(times).toEqual([...times].sort((a: number, b: number) => b - a));
    expect(res.body['@odata.nextLink']).toBeDefined();
    await request(sut.app).get('/v1.0/auditLogs/signIns?$top=1001').expect(400);
    sut.tenant = sut.world.listTenants()[1]!.tenantId;
    const denied = await request(sut.app).get('/v1.0/auditLogs/signIns').expect(403);
    expect(denied.body.error.code).toBe('Authentication_RequestFromNonPremiumTenantOrB2CTenant');
  });

  it('filters directory audits by activityDateTime window', async () => {
    const since = new Date(sut.clock.now() - 2 * 3_600_000).toISOString();
    const res = await request(sut.app)
      .get(`/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge ${since}`)
      .expect(200);
    expect(res.body.value.length).toBeGreaterThan(0);
    for (const a of res.body.value)
      expect(Date.parse(a.activityDateTime)).toBeGreaterThanOrEqual(Date.parse(since));
  });

  it('returns BitLocker keys only one at a time with $select=key, and audits each read', async () => {
    const list = await request(sut.app).get('/v1.0/informationProtection/bitlocker/recoveryKeys').expect(200);
    expect(list.body.value[0]).not.toHaveProperty('key');
    await request(sut.app).get('/v1.0/informationProtection/bitlocker/recoveryKeys?$select=key').expect(400);
    const top = await request(sut.app)
      .get('/v1.0/informationProtection/bitlocker/recoveryKeys?$top=5')
      .expect(400);
    expect(top.body.error.code).toBe('Request_UnsupportedQuery');
    const id = list.body.value[0].id;
    const key = await request(sut.app)
      .get(`/v1.0/informationProtection/bitlocker/recoveryKeys/${id}?$select=key`)
      .expect(200);
    expect(key.body).toMatchObject({
      id,
      deviceId: list.body.value[0].deviceId,
      volumeType: 'operatingSystemVolume',
    });
    expect(key.body.key).toMatch(/^(\d{6}-){7}\d{6}$/);
    const audits = await request(sut.app)
      .get("/v1.0/auditLogs/directoryAudits?$filter=category eq 'KeyManagement'")
      .expect(200);
    expect(audits.body.value).toHaveLength(1);
    expect(audits.body.value[0].activityDisplayName).toBe('Read BitLocker key');
    sut.roles = ['BitlockerKey.ReadBasic.All'];
    await request(sut.app)
      .get(`/v1.0/informationProtection/bitlocker/recoveryKeys/${id}?$select=key`)
      .expect(403);
  });

  it('lists only activated directory roles with their members', async () => {
    const roles = await request(sut.app).get('/v1.0/directoryRoles').expect(200);
    const ga = roles.body.value.find(
      (r: { roleTemplateId: string }) => r.roleTemplateId === '62e90394-69f5-4237-9190-012177145e10',
    );
    const members = await request(sut.app).get(`/v1.0/directoryRoles/${ga.id}/members`).expect(200);
    expect(members.body.value.length).toBeGreaterThanOrEqual(2);
    await request(sut.app)
      .get("/v1.0/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')")
      .expect(200);
  });
});
