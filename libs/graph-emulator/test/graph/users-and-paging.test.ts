import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

describe(`${createGraphRouter.name}: users, groups and paging`, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph();
  });

  it('lists users with the documented default property set and an absolute https nextLink', async () => {
    const res = await request(sut.app).get('/v1.0/users').set('X-Forwarded-Proto', 'https').expect(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body['@odata.context']).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/\$metadata#users$/);
    expect(res.body.value).toHaveLength(100);
    expect(Object.keys(res.body.value[0]).sort()).toEqual(
      [
        'businessPhones',
        'displayName',
        'givenName',
        'id',
        'jobTitle',
        'mail',
        'mobilePhone',
        'officeLocation',
        'preferredLanguage',
        'surname',
        'userPrincipalName',
      ].sort(),
    );
    expect(res.body['@odata.nextLink']).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?\$skiptoken=/);
  });

  it('pages through every user exactly once with $top and $skiptoken', async () => {
    const ids = new Set<string>();
    let url: string | undefined = '/v1.0/users?$top=999&$select=id,accountEnabled';
    let pages = 0;
    while (url) {
      const res: request.Response = await request(sut.app).get(url).expect(200);
      for (const u of res.body.value) ids.add(u.id);
      url = res.body['@odata.nextLink']
        ? new URL(res.body['@odata.nextLink']).pathname + new URL(res.body['@odata.nextLink']).search
        : undefined;
      pages++;
    }
    expect(pages).toBe(1);
    expect(ids.size).toBe(250);
    const small = await request(sut.app).get('/v1.0/users?$top=100').expect(200);
    expect(small.body['@odata.nextLink']).toContain('$top=100');
  });

  it('projects $select exactly and rejects collection-unsupported properties with 501', async () => {
    const res = await request(sut.app)
      .get('/v1.0/users?$select=displayName,department,onPremisesImmutableId')
      .expect(200);
    expect(Object.keys(res.body.value[0]).sort()).toEqual([
      'department',
      'displayName',
      'onPremisesImmutableId',
    ]);
    const skills = await request(sut.app).get('/v1.0/users?$select=skills').expect(501);
    expect(skills.body.error.code).toBe('NotImplemented');
    const single = await request(sut.app)
      .get(
        `/v1.0/users/${res.body.value.length ? (await request(sut.app).get('/v1.0/users?$top=1')).body.value[0].id : ''}?$select=skills,aboutMe`,
      )
      .expect(200);
    expect(single.body).toHaveProperty('skills');
    await request(sut.app).get('/v1.0/users?$select=notAProperty').expect(400);
  });

  it('returns the documented select-only v1.0 user properties, as a real tenant fills them, on the list and in delta', async () => {
    const properties = [
      'assignedPlans',
      'authorizationInfo',
      'consentProvidedForMinor',
      'employeeLeaveDateTime',
      'employeeOrgData',
      'isResourceAccount',
      'legalAgeGroupClassification',
      'licenseAssignmentStates',
      'onPremisesProvisioningErrors',
      'passwordProfile',
      'provisionedPlans',
      'serviceProvisioningErrors',
    ];
    const list = await request(sut.app)
      .get(`/v1.0/users?$select=userType,${properties.join(',')}`)
      .expect(200);
    const member = list.body.value.find((u: { userType: string }) => u.userType === 'Member');
    const guest = list.body.value.find((u: { userType: string }) => u.userType === 'Guest');
    expect(Object.keys(member).sort()).toEqual([...properties, 'userType'].sort());
    expect(member.authorizationInfo).toEqual({ certificateUserIds: [] });
    expect(member.licenseAssignmentStates[0]).toMatchObject({ assignedByGroup: null, state: 'Active' });
    expect(member.assignedPlans.length).toBeGreaterThan(0);
    expect(member.provisionedPlans[0]).toMatchObject({ provisioningStatus: 'Success' });
    expect(guest.assignedPlans).toEqual([]);
    for (const user of list.body.value) {
      expect(user.passwordProfile?.password ?? null).toBeNull();
      expect(user.isResourceAccount).toBeNull();
    }
    const delta = await request(sut.app)
      .get(`/v1.0/users/delta?$select=${properties.join(',')}`)
      .expect(200);
    expect(delta.body.value[0]).toHaveProperty('licenseAssignmentStates');
    const single = await request(sut.app).get(`/v1.0/users/delta?$select=id,mailboxSettings`).expect(501);
    expect(single.body.error.code).toBe('NotImplemented');
  });

  it('knows the beta-only user properties on beta only', async () => {
    const beta = await request(sut.app)
      .get('/beta/users?$select=id,onPremisesSipInfo,refreshTokensValidFromDateTime,deviceKeys')
      .expect(200);
    expect(beta.body.value[0]).toMatchObject({
      onPremisesSipInfo: { isSipEnabled: false },
      refreshTokensValidFromDateTime: expect.stringMatching(/^\d{4}-/),
      deviceKeys: [],
    });
    const v1 = await request(sut.app).get('/v1.0/users?$select=id,onPremisesSipInfo').expect(400);
    expect(v1.body.error.message).toContain("'onPremisesSipInfo'");
    await request(sut.app).get('/v1.0/users/delta?$select=id,refreshTokensValidFromDateTime').expect(400);
    await request(sut.app).get('/beta/users/delta?$select=id,refreshTokensValidFromDateTime').expect(200);
  });

  it("stores a created user's password flags but never returns the password", async () => {
    const created = await request(sut.app)
      .post('/v1.0/users')
      .send({
        accountEnabled: true,
        displayName: 'Pat Example',
        mailNickname: 'pat',
        userPrincipalName: `pat@${sut.world.getTenant(sut.tenantId)!.defaultDomain}`,
        passwordProfile: { password: 'Secret-123456!', forceChangePasswordNextSignIn: true },
      })
      .expect(201);
    const read = await request(sut.app)
      .get(`/v1.0/users/${created.body.id}?$select=passwordProfile,licenseAssignmentStates`)
      .expect(200);
    expect(read.body.passwordProfile).toEqual({
      forceChangePasswordNextSignIn: true,
      forceChangePasswordNextSignInWithMfa: false,
      password: null,
    });
    expect(read.body.licenseAssignmentStates).toEqual([]);
  });

  it('returns the select-only group properties: group-based licences, labels, provisioning options', async () => {
    const res = await request(sut.app)
      .get(
        '/v1.0/groups?$top=999&$select=displayName,groupTypes,assignedLicenses,assignedLabels,licenseProcessingState,resourceBehaviorOptions,resourceProvisioningOptions,serviceProvisioningErrors',
      )
      .expect(200);
    type Group = {
      displayName: string;
      groupTypes: string[];
      assignedLicenses: unknown[];
      resourceProvisioningOptions: string[];
    };
    const groups = res.body.value as Group[];
    const licensing = groups.filter((g) => g.assignedLicenses.length > 0);
    expect(licensing.length).toBeGreaterThan(0);
    expect(licensing.every((g) => g.displayName.includes('-Licensing-'))).toBe(true);
    expect(groups.some((g) => g.resourceProvisioningOptions.includes('Team'))).toBe(true);
    expect(
      groups
        .filter((g) => g.resourceProvisioningOptions.includes('Team'))
        .every((g) => g.groupTypes.includes('Unified')),
    ).toBe(true);
    expect(Object.keys(groups[0]!)).toHaveLength(8);
  });

  it('rejects $top above 999 and unsupported filters', async () => {
    const top = await request(sut.app).get('/v1.0/users?$top=1000').expect(400);
    expect(top.body.error.code).toBe('Request_UnsupportedQuery');
    const filter = await request(sut.app).get("/v1.0/users?$filter=jobTitle eq 'x'").expect(400);
    expect(filter.body.error.code).toBe('Request_UnsupportedQuery');
    expect(filter.body.error.innerError['request-id']).toBeDefined();
  });

  it('counts only with ConsistencyLevel eventual, and only on the first page', async () => {
    const without = await request(sut.app).get('/v1.0/users?$count=true&$top=10').expect(200);
    expect(without.body['@odata.count']).toBeUndefined();
    const withHeader = await request(sut.app)
      .get('/v1.0/users?$count=true&$top=10')
      .set('ConsistencyLevel', 'eventual')
      .expect(200);
    expect(withHeader.body['@odata.count']).toBe(250);
    const next = new URL(withHeader.body['@odata.nextLink']);
    const second = await request(sut.app)
      .get(next.pathname + next.search)
      .set('ConsistencyLevel', 'eventual')
      .expect(200);
    expect(second.body['@odata.count']).toBeUndefined();
    const text = await request(sut.app)
      .get('/v1.0/users/$count')
      .set('ConsistencyLevel', 'eventual')
      .expect(200);
    expect(text.headers['content-type']).toContain('text/plain');
    expect(text.text).toBe('250');
    await request(sut.app).get('/v1.0/users/$count').expect(400);
  });

  it('filters users by id with or, and finds a user by userPrincipalName', async () => {
    const page = await request(sut.app).get('/v1.0/users?$top=3').expect(200);
    const [a, b] = page.body.value;
    const res = await request(sut.app)
      .get(`/v1.0/users?$filter=id eq '${a.id}' or id eq '${b.id}'`)
      .expect(200);
    expect(res.body.value.map((u: { id: string }) => u.id)).toEqual([a.id, b.id]);
    const byUpn = await request(sut.app)
      .get(`/v1.0/users/${encodeURIComponent(a.userPrincipalName)}`)
      .expect(200);
    expect(byUpn.body.id).toBe(a.id);
  });

  it('answers 404 Request_ResourceNotFound with the documented envelope', async () => {
    const res = await request(sut.app)
      .get('/v1.0/users/00000000-0000-0000-0000-000000000001')
      .set('client-request-id', 'abc')
      .expect(404);
    expect(res.body.error.code).toBe('Request_ResourceNotFound');
    expect(res.body.error.message).toBe(
      "Resource '00000000-0000-0000-0000-000000000001' does not exist or one of its queried reference-property objects are not present.",
    );
    expect(res.body.error.innerError['client-request-id']).toBe('abc');
  });

  it('denies a request without a matching application permission', async () => {
    sut.roles = ['Group.Read.All'];
    const res = await request(sut.app).get('/v1.0/users').expect(403);
    expect(res.body.error).toMatchObject({
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
    sut.roles = ['Directory.Read.All'];
    await request(sut.app).get('/v1.0/users').expect(200);
  });

  it('returns group members and owners as typed directory objects', async () => {
    const groups = await request(sut.app).get('/v1.0/groups?$top=20').expect(200);
    const unified = groups.body.value.find((g: { groupTypes: string[] }) => g.groupTypes.includes('Unified'));
    const dynamic = groups.body.value.find((g: { groupTypes: string[] }) =>
      g.groupTypes.includes('DynamicMembership'),
    );
    expect(unified).toBeDefined();
    expect(dynamic.membershipRule).toContain('user.department');
    const members = await request(sut.app).get(`/v1.0/groups/${unified.id}/members`).expect(200);
    expect(members.body.value.length).toBeGreaterThan(0);
    expect(members.body.value[0]['@odata.type']).toBe('#microsoft.graph.user');
    const users = await request(sut.app)
      .get(`/v1.0/groups/${unified.id}/members/microsoft.graph.user`)
      .expect(200);
    expect(
      users.body.value.every((m: Record<string, string>) => m['@odata.type'] === '#microsoft.graph.user'),
    ).toBe(true);
    const none = await request(sut.app)
      .get(`/v1.0/groups/${unified.id}/members/microsoft.graph.device`)
      .expect(200);
    expect(none.body.value).toEqual([]);
    const owners = await request(sut.app).get(`/v1.0/groups/${unified.id}/owners`).expect(200);
    expect(owners.body.value.length).toBeGreaterThan(0);
  });

  it('serves the manager chain without cycles', async () => {
    const users = await request(sut.app).get('/v1.0/users?$top=50').expect(200);
    const child = users.body.value[40];
    const manager = await request(sut.app).get(`/v1.0/users/${child.id}/manager`).expect(200);
    expect(manager.body['@odata.type']).toBe('#microsoft.graph.user');
    const top = await request(sut.app).get(`/v1.0/users/${users.body.value[0].id}/manager`).expect(404);
    expect(top.body.error.code).toBe('Request_ResourceNotFound');
  });

  it('serves signInActivity only on premium tenants, at most 500 per page', async () => {
    const res = await request(sut.app).get('/v1.0/users?$select=id,signInActivity&$top=999').expect(200);
    expect(res.body.value).toHaveLength(250);
    expect(res.body.value[0].signInActivity.lastSignInDateTime).toMatch(/^\d{4}-/);
    const big = buildTestGraph({ users: 700 });
    const page = await request(big.app).get('/v1.0/users?$select=id,signInActivity&$top=999').expect(200);
    expect(page.body.value).toHaveLength(500);
    sut.tenant = sut.world.listTenants()[1]!.tenantId;
    const denied = await request(sut.app).get('/v1.0/users?$select=id,signInActivity').expect(403);
    expect(denied.body.error.code).toBe('Authentication_RequestFromNonPremiumTenantOrB2CTenant');
  });
});
