import request from 'supertest';
import { createGraphRouter, GRAPH_PERMISSIONS } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

describe(createGraphRouter.name, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph();
  });

  describe('restore writes', () => {
    it('recreates a custom role and assigns it, then hides assignments of deleted principals', async () => {
      const role = await request(sut.app)
        .post('/v1.0/roleManagement/directory/roleDefinitions')
        .send({
          displayName: 'Restored role',
          rolePermissions: [{ allowedResourceActions: ['microsoft.directory/groups/members/read'] }],
          isEnabled: true,
        })
        .expect(201);
      expect(role.body).toMatchObject({
        isBuiltIn: false,
        displayName: 'Restored role',
        templateId: role.body.id,
      });
      const users = await request(sut.app).get('/v1.0/users?$top=30').expect(200);
      const principal = users.body.value[25].id;
      const assignment = await request(sut.app)
        .post('/v1.0/roleManagement/directory/roleAssignments')
        .send({ principalId: principal, roleDefinitionId: role.body.id, directoryScopeId: '/' })
        .expect(201);
      await request(sut.app)
        .post('/v1.0/roleManagement/directory/roleAssignments')
        .send({ principalId: principal, roleDefinitionId: role.body.id, directoryScopeId: '/' })
        .expect(400);
      await request(sut.app)
        .post('/v1.0/roleManagement/directory/roleAssignments')
        .send({
          principalId: principal,
          roleDefinitionId: role.body.id,
          directoryScopeId: '/administrativeUnits/00000000-0000-4000-8000-000000000000',
        })
        .expect(404);
      const listed = await request(sut.app)
        .get(`/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${principal}'`)
        .expect(200);
      expect(listed.body.value.map((a: { id: string }) => a.id)).toContain(assignment.body.id);
      await request(sut.app).delete(`/v1.0/users/${principal}`).expect(204);
      const after = await request(sut.app)
        .get(`/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${principal}'`)
        .expect(200);
      expect(after.body.value).toEqual([]);
      await request(sut.app)
        .delete(`/v1.0/roleManagement/directory/roleDefinitions/${role.body.id}`)
        .expect(204);
    });

    it('recreates a security group with members and owners bound at creation, and rejects unknown properties', async () => {
      const users = await request(sut.app).get('/v1.0/users?$top=3').expect(200);
      const [a, b] = users.body.value;
      const created = await request(sut.app)
        .post('/v1.0/groups')
        .send({
          displayName: 'Restored SG',
          mailEnabled: false,
          mailNickname: 'restoredsg',
          securityEnabled: true,
          'members@odata.bind': [`https://graph.microsoft.com/v1.0/directoryObjects/${a.id}`],
          'owners@odata.bind': [`https://graph.microsoft.com/v1.0/users/${b.id}`],
        })
        .expect(201);
      const members = await request(sut.app)
        .get(`/v1.0/groups/${created.body.id}/members?$select=id`)
        .expect(200);
      expect(members.body.value).toEqual([{ '@odata.type': '#microsoft.graph.user', id: a.id }]);
      const owners = await request(sut.app).get(`/v1.0/groups/${created.body.id}/owners`).expect(200);
      expect(owners.body.value[0].id).toBe(b.id);
      const bad = await request(sut.app)
        .patch(`/v1.0/groups/${created.body.id}`)
        .send({ displayNam: 'typo' })
        .expect(400);
      expect(bad.body.error.message).toBe(
        "Property 'displayNam' does not exist on type 'microsoft.graph.group'.",
      );
      const manager = await request(sut.app)
        .get(`/v1.0/users?$top=20&$expand=manager($select=id,displayName)`)
        .expect(200);
      expect(Object.keys(manager.body.value[10].manager).sort()).toEqual([
        '@odata.type',
        'displayName',
        'id',
      ]);
    });

    it('writes a directory audit entry for each successful directory write, initiated by the app', async () => {
      const users = await request(sut.app).get('/v1.0/users?$top=1').expect(200);
      await request(sut.app)
        .patch(`/v1.0/users/${users.body.value[0].id}`)
        .send({ jobTitle: 'Restored' })
        .expect(204);
      await request(sut.app)
        .patch(`/v1.0/users/${users.body.value[0].id}`)
        .send({ createdDateTime: 'x' })
        .expect(400);
      const audits = await request(sut.app)
        .get("/v1.0/auditLogs/directoryAudits?$filter=category eq 'UserManagement'&$top=1000")
        .expect(200);
      const mine = audits.body.value.filter((a: { initiatedBy: { app: unknown } }) => a.initiatedBy.app);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        activityDisplayName: 'Update user',
        operationType: 'Update',
        targetResources: [{ id: users.body.value[0].id, type: 'User' }],
      });
    });

    it('names restores, hard deletes, upserts, PIM requests and bound members as Entra ID audit activities', async () => {
      const users = await request(sut.app).get('/v1.0/users?$top=60&$select=id').expect(200);
      const user = users.body.value[50].id;
      await request(sut.app).delete(`/v1.0/users/${user}`).expect(204);
      await request(sut.app).post(`/v1.0/directory/deletedItems/${user}/restore`).expect(200);
      await request(sut.app).delete(`/v1.0/users/${user}`).expect(204);
      await request(sut.app).delete(`/v1.0/directory/deletedItems/${user}`).expect(204);
      const policies = await request(sut.app).get('/v1.0/identity/conditionalAccess/policies').expect(200);
      const policy = policies.body.value[3].id;
      await request(sut.app).delete(`/v1.0/identity/conditionalAccess/policies/${policy}`).expect(204);
      await request(sut.app)
        .post(`/v1.0/identity/conditionalAccess/deletedItems/policies/${policy}/restore`)
        .expect(200);
      const app = await request(sut.app)
        .patch("/v1.0/applications(uniqueName='audited')")
        .set('Prefer', 'create-if-missing')
        .send({ displayName: 'Audited' })
        .expect(201);
      await request(sut.app)
        .post('/v1.0/roleManagement/directory/roleEligibilityScheduleRequests')
        .send({
          action: 'adminAssign',
          principalId: users.body.value[51].id,
          roleDefinitionId: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
          directoryScopeId: '/',
        })
        .expect(201);
      const group = await request(sut.app)
        .post('/v1.0/groups')
        .send({
          displayName: 'Audited SG',
          mailEnabled: false,
          mailNickname: 'auditedsg',
          securityEnabled: true,
        })
        .expect(201);
      await request(sut.app)
        .patch(`/v1.0/groups/${group.body.id}`)
        .send({
          'members@odata.bind': users.body.value
            .slice(52, 54)
            .map((u: { id: string }) => `https://graph.microsoft.com/v1.0/directoryObjects/${u.id}`),
        })
        .expect(204);

      const audits = await request(sut.app).get('/v1.0/auditLogs/directoryAudits?$top=1000').expect(200);
      const mine = audits.body.value
        .filter((a: { initiatedBy: { app?: unknown } }) => a.initiatedBy.app)
        .map(
          (a: {
            activityDisplayName: string;
            targetResources: Array<{ id: string }>;
            operationType: string;
          }) => [a.activityDisplayName, a.targetResources[0]!.id, a.operationType],
        );
      expect(mine).toEqual(
        expect.arrayContaining([
          ['Restore user', user, 'Add'],
          ['Hard delete user', user, 'Delete'],
          ['Delete conditional access policy', policy, 'Delete'],
          ['Restore conditional access policy', policy, 'Add'],
          ['Add application', app.body.id, 'Add'],
          [
            'Add eligible member to role in PIM completed (permanent)',
            '729827e3-9c14-49f7-bb1b-9608f156bbb8',
            'Add',
          ],
          ['Add member to group', group.body.id, 'Add'],
        ]),
      );
      expect(mine.filter((m: string[]) => m[0] === 'Add member to group')).toHaveLength(2);
    });

    it('requires Policy.Read.All besides Policy.ReadWrite.ConditionalAccess to write CA policies', async () => {
      const body = {
        displayName: 'Restored policy',
        state: 'disabled',
        conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] } },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      };
      sut.roles = ['Policy.ReadWrite.ConditionalAccess'];
      await request(sut.app).post('/v1.0/identity/conditionalAccess/policies').send(body).expect(403);
      sut.roles = ['Policy.ReadWrite.ConditionalAccess', 'Policy.Read.All'];
      await request(sut.app)
        .post('/v1.0/identity/conditionalAccess/policies')
        .send({ ...body, conditions: { users: { includeUsers: ['All'] } } })
        .expect(400);
      const created = await request(sut.app)
        .post('/v1.0/identity/conditionalAccess/policies')
        .send(body)
        .expect(201);
      expect(created.body.createdDateTime).toBeDefined();
      await request(sut.app)
        .patch(`/v1.0/identity/conditionalAccess/policies/${created.body.id}`)
        .send({ state: 'enabled' })
        .expect(204);
      const read = await request(sut.app)
        .get(`/v1.0/identity/conditionalAccess/policies/${created.body.id}`)
        .expect(200);
      expect(read.body.state).toBe('enabled');
      await request(sut.app)
        .patch(`/v1.0/identity/conditionalAccess/policies/${created.body.id}`)
        .send({ id: 'x' })
        .expect(400);
    });

    it('creates named locations only with their subtype', async () => {
      await request(sut.app)
        .post('/v1.0/identity/conditionalAccess/namedLocations')
        .send({ displayName: 'No type' })
        .expect(400);
      const created = await request(sut.app)
        .post('/v1.0/identity/conditionalAccess/namedLocations')
        .send({
          '@odata.type': '#microsoft.graph.countryNamedLocation',
          displayName: 'Nordics',
          countriesAndRegions: ['SE', 'NO'],
          includeUnknownCountriesAndRegions: false,
        })
        .expect(201);
      expect(created.body['@odata.type']).toBe('#microsoft.graph.countryNamedLocation');
    });

    it('recreates a compliance policy and assigns it to a group', async () => {
      const groups = await request(sut.app).get('/v1.0/groups?$top=5').expect(200);
      const created = await request(sut.app)
        .post('/v1.0/deviceManagement/deviceCompliancePolicies')
        .send({
          '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
          displayName: 'Restored compliance',
          passwordRequired: true,
          scheduledActionsForRule: [
            {
              ruleName: 'PasswordRequired',
              scheduledActionConfigurations: [
                { actionType: 'block', gracePeriodHours: 0, notificationTemplateId: '' },
              ],
            },
          ],
        })
        .expect(201);
      await request(sut.app)
        .post(`/v1.0/deviceManagement/deviceCompliancePolicies/${created.body.id}/assign`)
        .send({
          assignments: [
            {
              target: {
                '@odata.type': '#microsoft.graph.groupAssignmentTarget',
                groupId: groups.body.value[1].id,
              },
            },
          ],
        })
        .expect(200);
      const assignments = await request(sut.app)
        .get(`/v1.0/deviceManagement/deviceCompliancePolicies/${created.body.id}/assignments`)
        .expect(200);
      expect(assignments.body.value[0].target.groupId).toBe(groups.body.value[1].id);
      await request(sut.app)
        .post('/v1.0/deviceManagement/deviceConfigurations')
        .send({
          '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
          displayName: 'x',
          version: 3,
        })
        .expect(400);
    });

    it('assigns an app role only with AppRoleAssignment.ReadWrite.All and Application.Read.All', async () => {
      const graph = await request(sut.app)
        .get("/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')")
        .expect(200);
      const sps = await request(sut.app).get('/v1.0/servicePrincipals?$top=10').expect(200);
      const client = sps.body.value[5];
      const body = {
        principalId: client.id,
        resourceId: graph.body.id,
        appRoleId: 'df021288-bdef-4463-88db-98f22de89214',
      };
      sut.roles = ['AppRoleAssignment.ReadWrite.All'];
      await request(sut.app)
        .post(`/v1.0/servicePrincipals/${graph.body.id}/appRoleAssignedTo`)
        .send(body)
        .expect(403);
      sut.roles = ['AppRoleAssignment.ReadWrite.All', 'Application.Read.All'];
      const created = await request(sut.app)
        .post(`/v1.0/servicePrincipals/${graph.body.id}/appRoleAssignedTo`)
        .send(body)
        .expect(201);
      const mine = await request(sut.app)
        .get(`/v1.0/servicePrincipals/${client.id}/appRoleAssignments`)
        .expect(200);
      expect(mine.body.value.map((a: { id: string }) => a.id)).toContain(created.body.id);
      await request(sut.app)
        .post(`/v1.0/servicePrincipals/${graph.body.id}/appRoleAssignedTo`)
        .send({ ...body, appRoleId: '11111111-1111-4111-8111-111111111111' })
        .expect(400);
    });

    it('deletes an application with its service principal and restores them separately', async () => {
      const apps = await request(sut.app).get('/v1.0/applications?$top=1').expect(200);
      const app = apps.body.value[0];
      const sp = await request(sut.app).get(`/v1.0/servicePrincipals(appId='${app.appId}')`).expect(200);
      await request(sut.app).delete(`/v1.0/applications/${app.id}`).expect(204);
      await request(sut.app).get(`/v1.0/servicePrincipals/${sp.body.id}`).expect(404);
      await request(sut.app).post(`/v1.0/directory/deletedItems/${app.id}/restore`).expect(200);
      await request(sut.app).get(`/v1.0/servicePrincipals/${sp.body.id}`).expect(404);
      await request(sut.app).post(`/v1.0/directory/deletedItems/${sp.body.id}/restore`).expect(200);
      await request(sut.app).get(`/v1.0/servicePrincipals/${sp.body.id}`).expect(200);
    });

    it('creates an enterprise app for a multi-tenant app registered in another tenant, but not for a single-tenant one', async () => {
      const other = sut.world.directory(sut.world.listTenants()[1]!.tenantId)!;
      const apps = [...other.collection('applications').values()];
      const multi = apps.find((a) => a['signInAudience'] === 'AzureADMultipleOrgs')!;
      const single = apps.find((a) => a['signInAudience'] === 'AzureADMyOrg')!;
      const created = await request(sut.app)
        .post('/v1.0/servicePrincipals')
        .send({ appId: multi['appId'] })
        .expect(201);
      expect(created.body).toMatchObject({ appId: multi['appId'], displayName: multi['displayName'] });
      await request(sut.app).post('/v1.0/servicePrincipals').send({ appId: multi['appId'] }).expect(409);
      await request(sut.app).post('/v1.0/servicePrincipals').send({ appId: single['appId'] }).expect(400);
    });

    it('never purges administrative units through deletedItems', async () => {
      const aus = await request(sut.app).get('/v1.0/directory/administrativeUnits').expect(200);
      await request(sut.app)
        .delete(`/v1.0/directory/administrativeUnits/${aus.body.value[0].id}`)
        .expect(204);
      await request(sut.app).delete(`/v1.0/directory/deletedItems/${aus.body.value[0].id}`).expect(400);
      const deleted = await request(sut.app)
        .get('/v1.0/directory/deletedItems/microsoft.graph.administrativeUnit')
        .expect(200);
      expect(deleted.body.value).toHaveLength(1);
    });

    it('sees admin consent in service principal delta', async () => {
      const initial = await request(sut.app)
        .get('/v1.0/servicePrincipals/delta?$deltatoken=latest')
        .expect(200);
      sut.world.applyAdminConsent(
        sut.tenantId,
        { appId: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa', displayName: 'Entra Backup' },
        ['User.Read.All'],
      );
      const url = new URL(initial.body['@odata.deltaLink']);
      const delta = await request(sut.app)
        .get(url.pathname + url.search)
        .expect(200);
      expect(delta.body.value.map((s: { appId?: string }) => s.appId)).toContain(
        'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa',
      );
    });
  });

  describe('permission table', () => {
    it('lists every route with least-privileged read permissions first', () => {
      const users = GRAPH_PERMISSIONS.find((p) => p.method === 'GET' && p.path === '/users')!;
      expect(users.permissions[0]).toBe('User.Read.All');
      expect(users.permissions).toContain('Directory.Read.All');
      const signIns = GRAPH_PERMISSIONS.find((p) => p.path === '/auditLogs/signIns')!;
      expect(signIns.permissions).toEqual(['AuditLog.Read.All']);
      const caWrite = GRAPH_PERMISSIONS.find(
        (p) => p.method === 'POST' && p.path === '/identity/conditionalAccess/policies',
      )!;
      expect(caWrite).toMatchObject({
        permissions: ['Policy.ReadWrite.ConditionalAccess'],
        alsoRequires: ['Policy.Read.All'],
      });
      const catalog = GRAPH_PERMISSIONS.find(
        (p) => p.path === '/deviceManagement/configurationPolicies' && p.method === 'GET',
      )!;
      expect(catalog.versions).toEqual(['beta']);
    });
  });
});
