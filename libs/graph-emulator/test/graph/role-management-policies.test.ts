import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const POLICIES = '/v1.0/policies/roleManagementPolicies';
const TIES = '/v1.0/policies/roleManagementPolicyAssignments';
const SCOPE = "scopeId eq '/' and scopeType eq 'DirectoryRole'";

interface Rule {
  '@odata.type': string;
  id: string;
  [key: string]: unknown;
}
interface Policy {
  id: string;
  scopeType: string;
  lastModifiedDateTime: string | null;
  rules?: Rule[];
}
interface Tie {
  id: string;
  policyId: string;
  roleDefinitionId: string;
}

describe(`${createGraphRouter.name}: PIM role management policies`, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph();
  });

  const ties = async (filter = SCOPE) =>
    (await request(sut.app).get(`${TIES}?$filter=${filter}`).expect(200)).body.value as Tie[];
  const policyOf = async (roleDefinitionId: string) => {
    const [tie] = await ties(`${SCOPE} and roleDefinitionId eq '${roleDefinitionId}'`);
    return (await request(sut.app).get(`${POLICIES}/${tie!.policyId}?$expand=rules`).expect(200))
      .body as Policy;
  };

  it('lists one policy per role definition, tied to its role, with the 17 rules only through $expand', async () => {
    const roles = (await request(sut.app).get('/v1.0/roleManagement/directory/roleDefinitions').expect(200))
      .body.value as Array<{ id: string }>;
    const listed = await ties();
    expect(listed.map((t) => t.roleDefinitionId).sort()).toEqual(roles.map((r) => r.id).sort());
    for (const tie of listed) {
      expect(tie.policyId).toMatch(new RegExp(`^DirectoryRole_${sut.tenantId}_[0-9a-f-]{36}$`));
      expect(tie.id).toBe(`${tie.policyId}_${tie.roleDefinitionId}`);
    }
    const plain = (await request(sut.app).get(`${POLICIES}?$filter=${SCOPE}`).expect(200)).body
      .value as Policy[];
    expect(plain).toHaveLength(roles.length);
    expect(plain[0]).not.toHaveProperty('rules');
    const expanded = (await request(sut.app).get(`${POLICIES}?$filter=${SCOPE}&$expand=rules`).expect(200))
      .body.value as Policy[];
    expect(expanded.every((p) => p.rules?.length === 17)).toBe(true);
    expect(new Set(expanded.map((p) => p.id))).toEqual(new Set(listed.map((t) => t.policyId)));
  });

  it('requires the scope filter on both lists', async () => {
    for (const path of [POLICIES, TIES]) {
      const missing = await request(sut.app).get(path).expect(400);
      expect(missing.body.error.code).toBe('UnknownError');
      expect(missing.body.error.message).toContain('MissingProvider');
      await request(sut.app).get(`${path}?$filter=scopeId eq '/'`).expect(400);
    }
  });

  it('serves Microsoft defaults, and the generated changes of Global Administrator', async () => {
    const helpdesk = await policyOf(HELPDESK_ADMINISTRATOR);
    expect(helpdesk.lastModifiedDateTime).toBeNull();
    const rule = (p: Policy, id: string) => p.rules!.find((r) => r.id === id)!;
    expect(rule(helpdesk, 'Expiration_EndUser_Assignment')).toMatchObject({
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
      maximumDuration: 'PT8H',
    });
    const global = await policyOf(GLOBAL_ADMINISTRATOR);
    expect(rule(global, 'Expiration_EndUser_Assignment')['maximumDuration']).toBe('PT2H');
    expect(rule(global, 'Approval_EndUser_Assignment')['setting']).toMatchObject({
      isApprovalRequired: true,
      approvalStages: [{ primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser' }] }],
    });
  });

  it('updates one rule with PATCH (204), checking its type and properties', async () => {
    const policy = await policyOf(HELPDESK_ADMINISTRATOR);
    const url = `${POLICIES}/${policy.id}/rules/Expiration_EndUser_Assignment`;
    const type = '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule';
    await request(sut.app).patch(url).send({ maximumDuration: 'PT1H' }).expect(400);
    await request(sut.app)
      .patch(url)
      .send({ '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule', setting: {} })
      .expect(400);
    await request(sut.app).patch(url).send({ '@odata.type': type, enabledRules: [] }).expect(400);
    await request(sut.app)
      .patch(url)
      .send({
        '@odata.type': type,
        id: 'Expiration_EndUser_Assignment',
        isExpirationRequired: true,
        maximumDuration: 'PT1H30M',
      })
      .expect(204);
    const rule = (await request(sut.app).get(url).expect(200)).body as Rule;
    expect(rule['maximumDuration']).toBe('PT1H30M');
    const after = await policyOf(HELPDESK_ADMINISTRATOR);
    expect(after.lastModifiedDateTime).not.toBeNull();
    expect(after.rules!.filter((r) => r.id !== 'Expiration_EndUser_Assignment')).toEqual(
      policy.rules!.filter((r) => r.id !== 'Expiration_EndUser_Assignment'),
    );
    await request(sut.app)
      .patch(`${POLICIES}/${policy.id}/rules/Nope`)
      .send({ '@odata.type': type })
      .expect(404);
  });

  it('gives a created custom role its own policy with the defaults; its deletion takes the policy along', async () => {
    const created = await request(sut.app)
      .post('/v1.0/roleManagement/directory/roleDefinitions')
      .send({
        displayName: 'Policy Test Role',
        isEnabled: true,
        rolePermissions: [{ allowedResourceActions: ['microsoft.directory/groups/members/read'] }],
      })
      .expect(201);
    const id = created.body.id as string;
    const policy = await policyOf(id);
    expect(policy.rules).toHaveLength(17);
    expect(policy.lastModifiedDateTime).toBeNull();
    await request(sut.app).delete(`/v1.0/roleManagement/directory/roleDefinitions/${id}`).expect(204);
    expect(await ties(`${SCOPE} and roleDefinitionId eq '${id}'`)).toEqual([]);
    await request(sut.app).get(`${POLICIES}/${policy.id}`).expect(404);
  });

  it('enforces the documented permissions', async () => {
    const policy = await policyOf(HELPDESK_ADMINISTRATOR);
    sut.roles = ['RoleManagementPolicy.Read.Directory'];
    await request(sut.app).get(`${POLICIES}?$filter=${SCOPE}`).expect(200);
    const body = {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
      enabledRules: [],
    };
    const url = `${POLICIES}/${policy.id}/rules/Enablement_EndUser_Assignment`;
    await request(sut.app).patch(url).send(body).expect(403);
    sut.roles = ['Group.Read.All'];
    await request(sut.app).get(`${TIES}?$filter=${SCOPE}`).expect(403);
    sut.roles = ['RoleManagementPolicy.ReadWrite.Directory'];
    await request(sut.app).patch(url).send(body).expect(204);
  });
});
