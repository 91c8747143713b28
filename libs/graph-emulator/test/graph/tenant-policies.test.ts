import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { ALL_ROLES, buildTestGraph, type TestGraph } from './graph-test-app';

const WRITE_ROLES = [
  'Policy.ReadWrite.Authorization',
  'Policy.ReadWrite.SecurityDefaults',
  'Policy.ReadWrite.AuthenticationMethod',
  'Policy.ReadWrite.CrossTenantAccess',
  'Policy.ReadWrite.ConsentRequest',
  'Policy.Read.PermissionGrant',
  'Policy.ReadWrite.ApplicationConfiguration',
];
const PARTNER = '0f4f2b7e-7c1a-4a3e-9a5d-2d7c9c1e8b11';

describe(`${createGraphRouter.name}: tenant-wide policies`, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph();
    sut.roles = [...ALL_ROLES, ...WRITE_ROLES];
  });

  it('serves each policy as one object under Graph id, or none where Graph documents none', async () => {
    const authorization = await request(sut.app).get('/v1.0/policies/authorizationPolicy').expect(200);
    expect(authorization.body).toMatchObject({
      id: 'authorizationPolicy',
      defaultUserRolePermissions: expect.objectContaining({
        permissionGrantPoliciesAssigned: expect.any(Array),
      }),
    });
    expect(authorization.body.value).toBeUndefined();
    const defaults = await request(sut.app)
      .get('/v1.0/policies/identitySecurityDefaultsEnforcementPolicy')
      .expect(200);
    expect(defaults.body.id).toBe('00000000-0000-0000-0000-000000000005');
    const consent = await request(sut.app).get('/v1.0/policies/adminConsentRequestPolicy').expect(200);
    expect(consent.body).not.toHaveProperty('id');
    expect(consent.body.version).toBe(0);
    const methods = await request(sut.app).get('/v1.0/policies/authenticationMethodsPolicy').expect(200);
    expect(methods.body.authenticationMethodConfigurations.map((c: { id: string }) => c.id)).toContain(
      'Fido2',
    );
    const partners = await request(sut.app)
      .get('/v1.0/policies/crossTenantAccessPolicy/partners')
      .expect(200);
    expect(partners.body.value).toHaveLength(2);
    expect(partners.body.value[0]).not.toHaveProperty('id');
    const grants = await request(sut.app).get('/v1.0/policies/permissionGrantPolicies').expect(200);
    expect(grants.body.value.map((p: { id: string }) => p.id)).toContain('microsoft-user-default-low');
    expect(grants.body.value[0].includes.length).toBeGreaterThan(0);
    await request(sut.app).get('/v1.0/policies/defaultAppManagementPolicy').expect(200);
  });

  it('reads with Policy.Read.All, but permission grant policies only with their own permission', async () => {
    sut.roles = ['Policy.Read.All'];
    await request(sut.app).get('/v1.0/policies/authorizationPolicy').expect(200);
    await request(sut.app).get('/v1.0/policies/crossTenantAccessPolicy/default').expect(200);
    const denied = await request(sut.app).get('/v1.0/policies/permissionGrantPolicies').expect(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
    await request(sut.app)
      .patch('/v1.0/policies/authorizationPolicy')
      .send({ allowInvitesFrom: 'none' })
      .expect(403);
  });

  it('updates a policy in place with its own write permission, keeping what the body leaves out, and rejects read-only properties', async () => {
    sut.roles = ['Policy.Read.All', 'Policy.ReadWrite.Authorization', 'Policy.ReadWrite.SecurityDefaults'];
    await request(sut.app)
      .patch('/v1.0/policies/authorizationPolicy')
      .send({ allowInvitesFrom: 'none' })
      .expect(204);
    const after = await request(sut.app).get('/v1.0/policies/authorizationPolicy').expect(200);
    expect(after.body).toMatchObject({
      id: 'authorizationPolicy',
      allowInvitesFrom: 'none',
      allowedToUseSSPR: true,
    });
    const readOnly = await request(sut.app)
      .patch('/v1.0/policies/identitySecurityDefaultsEnforcementPolicy')
      .send({ displayName: 'Mine', isEnabled: false })
      .expect(400);
    expect(readOnly.body.error.message).toBe("Property 'displayName' is read-only and cannot be set.");
    await request(sut.app)
      .patch('/v1.0/policies/authorizationPolicy')
      .send({ notAProperty: true })
      .expect(400);
    // Security defaults need their own permission, not the authorization one.
    sut.roles = ['Policy.Read.All', 'Policy.ReadWrite.Authorization'];
    await request(sut.app)
      .patch('/v1.0/policies/identitySecurityDefaultsEnforcementPolicy')
      .send({ isEnabled: false })
      .expect(403);
  });

  it('replaces the admin consent request policy with PUT; PATCH is not a route', async () => {
    await request(sut.app)
      .put('/v1.0/policies/adminConsentRequestPolicy')
      .send({
        isEnabled: false,
        notifyReviewers: true,
        remindersEnabled: false,
        requestDurationInDays: 7,
        reviewers: [],
      })
      .expect(204);
    const after = await request(sut.app).get('/v1.0/policies/adminConsentRequestPolicy').expect(200);
    expect(after.body).toMatchObject({
      isEnabled: false,
      requestDurationInDays: 7,
      reviewers: [],
      version: 0,
    });
    await request(sut.app)
      .put('/v1.0/policies/adminConsentRequestPolicy')
      .send({ version: 2, isEnabled: true })
      .expect(400);
    const patch = await request(sut.app)
      .patch('/v1.0/policies/adminConsentRequestPolicy')
      .send({ isEnabled: true });
    expect(patch.status).toBeGreaterThanOrEqual(400);
  });

  it('writes method configurations one by one, never through the policy', async () => {
    await request(sut.app)
      .patch('/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms')
      .send({ '@odata.type': '#microsoft.graph.smsAuthenticationMethodConfiguration', state: 'enabled' })
      .expect(204);
    const sms = await request(sut.app)
      .get('/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms')
      .expect(200);
    expect(sms.body.state).toBe('enabled');
    await request(sut.app)
      .patch('/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms')
      .send({ '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', state: 'enabled' })
      .expect(400);
    await request(sut.app)
      .patch('/v1.0/policies/authenticationMethodsPolicy')
      .send({ authenticationMethodConfigurations: [] })
      .expect(400);
    await request(sut.app)
      .patch('/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/nope')
      .send({ state: 'enabled' })
      .expect(404);
  });

  it('creates, updates and deletes partner configurations by tenant id; a second one for a tenant is a conflict', async () => {
    const made = await request(sut.app)
      .post('/v1.0/policies/crossTenantAccessPolicy/partners')
      .send({ tenantId: PARTNER, isServiceProvider: true })
      .expect(201);
    expect(made.body).toMatchObject({ tenantId: PARTNER, isServiceProvider: true });
    expect(made.body).not.toHaveProperty('id');
    const again = await request(sut.app)
      .post('/v1.0/policies/crossTenantAccessPolicy/partners')
      .send({ tenantId: PARTNER })
      .expect(409);
    expect(again.body.error.code).toBe('Request_MultipleObjectsWithSameKeyValue');
    await request(sut.app)
      .patch(`/v1.0/policies/crossTenantAccessPolicy/partners/${PARTNER}`)
      .send({ isServiceProvider: false })
      .expect(204);
    await request(sut.app)
      .patch(`/v1.0/policies/crossTenantAccessPolicy/partners/${PARTNER}`)
      .send({ isInMultiTenantOrganization: true })
      .expect(400);
    await request(sut.app).delete(`/v1.0/policies/crossTenantAccessPolicy/partners/${PARTNER}`).expect(204);
    await request(sut.app).get(`/v1.0/policies/crossTenantAccessPolicy/partners/${PARTNER}`).expect(404);
  });

  it('creates custom permission grant policies under the given id with condition sets added one by one; built-ins cannot change', async () => {
    sut.roles = [...ALL_ROLES, 'Policy.ReadWrite.PermissionGrant'];
    const made = await request(sut.app)
      .post('/v1.0/policies/permissionGrantPolicies')
      .send({ id: 'my-policy', displayName: 'Mine' })
      .expect(201);
    expect(made.body).toMatchObject({ id: 'my-policy', includes: [], excludes: [] });
    await request(sut.app)
      .post('/v1.0/policies/permissionGrantPolicies')
      .send({ id: 'my-policy', displayName: 'Again' })
      .expect(409);
    await request(sut.app)
      .post('/v1.0/policies/permissionGrantPolicies')
      .send({ id: 'microsoft-mine', displayName: 'Reserved' })
      .expect(400);
    const set = await request(sut.app)
      .post('/v1.0/policies/permissionGrantPolicies/my-policy/includes')
      .send({ permissionType: 'delegated', permissionClassification: 'low' })
      .expect(201);
    expect(set.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const read = await request(sut.app).get('/v1.0/policies/permissionGrantPolicies/my-policy').expect(200);
    expect(read.body.includes).toEqual([
      expect.objectContaining({ id: set.body.id, permissionClassification: 'low' }),
    ]);
    await request(sut.app)
      .delete(`/v1.0/policies/permissionGrantPolicies/my-policy/includes/${String(set.body.id)}`)
      .expect(204);
    await request(sut.app)
      .patch('/v1.0/policies/permissionGrantPolicies/my-policy')
      .send({ includes: [] })
      .expect(400);
    await request(sut.app)
      .patch('/v1.0/policies/permissionGrantPolicies/microsoft-user-default-low')
      .send({ description: 'Changed' })
      .expect(403);
    await request(sut.app).delete('/v1.0/policies/permissionGrantPolicies/my-policy').expect(204);
    await request(sut.app).get('/v1.0/policies/permissionGrantPolicies/my-policy').expect(404);
    sut.roles = [...ALL_ROLES, 'Policy.Read.PermissionGrant'];
    await request(sut.app)
      .post('/v1.0/policies/permissionGrantPolicies')
      .send({ id: 'other', displayName: 'Other' })
      .expect(403);
  });
});
