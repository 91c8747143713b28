import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { ALL_ROLES, buildTestGraph, type TestGraph } from './graph-test-app';

const policyRef = (kind: string, id: string) => ({
  '@odata.id': `https://graph.microsoft.com/v1.0/policies/${kind}/${id}`,
});
const DENIED = {
  code: 'Authorization_RequestDenied',
  message: 'Insufficient privileges to complete the operation.',
};
const ROLES = [
  ...ALL_ROLES,
  'Policy.Read.ApplicationConfiguration',
  'Policy.ReadWrite.ApplicationConfiguration',
];

interface Policy {
  id: string;
  displayName: string;
  definition?: string[];
  appliesTo?: unknown;
}

describe(`${createGraphRouter.name}: application and service principal policies`, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph();
    sut.roles = ROLES;
  });

  const list = async (kind: string): Promise<Policy[]> =>
    (await request(sut.app).get(`/v1.0/policies/${kind}`).expect(200)).body.value;
  const appliesTo = async (kind: string, id: string): Promise<Array<{ id: string; '@odata.type': string }>> =>
    (await request(sut.app).get(`/v1.0/policies/${kind}/${id}/appliesTo?$select=id`).expect(200)).body.value;
  const applicationIds = async (): Promise<string[]> =>
    (await request(sut.app).get('/v1.0/applications?$select=id&$top=999').expect(200)).body.value.map(
      (a: { id: string }) => a.id,
    );

  it('serves the generated policies without their assignments inline, and what each applies to', async () => {
    const [lifetime] = await list('tokenLifetimePolicies');
    expect(lifetime).toMatchObject({ displayName: 'Long-running jobs', isOrganizationDefault: false });
    expect(JSON.parse(lifetime!.definition![0]!)).toEqual({
      TokenLifetimePolicy: { Version: 1, AccessTokenLifetime: '4:00:00' },
    });
    expect(lifetime).not.toHaveProperty('appliesTo');
    const targets = await appliesTo('tokenLifetimePolicies', lifetime!.id);
    expect(targets).toEqual([{ '@odata.type': '#microsoft.graph.application', id: expect.any(String) }]);

    const [claims] = await list('claimsMappingPolicies');
    expect((await appliesTo('claimsMappingPolicies', claims!.id))[0]).toMatchObject({
      '@odata.type': '#microsoft.graph.servicePrincipal',
    });
    const [management] = await list('appManagementPolicies');
    expect(management).toMatchObject({
      isEnabled: true,
      restrictions: { passwordCredentials: [{ restrictionType: 'passwordLifetime', maxLifetime: 'P90D' }] },
    });
    expect(await list('homeRealmDiscoveryPolicies')).toHaveLength(1);
    expect(await list('tokenIssuancePolicies')).toHaveLength(1);
  });

  it('needs a policy read permission for the lists and Application.Read.All as well for appliesTo', async () => {
    const [lifetime] = await list('tokenLifetimePolicies');
    sut.roles = ['Application.Read.All'];
    expect(
      (await request(sut.app).get('/v1.0/policies/tokenLifetimePolicies').expect(403)).body.error,
    ).toMatchObject(DENIED);
    sut.roles = ['Policy.Read.All'];
    await request(sut.app).get('/v1.0/policies/tokenLifetimePolicies').expect(200);
    await request(sut.app).get(`/v1.0/policies/tokenLifetimePolicies/${lifetime!.id}/appliesTo`).expect(403);
    sut.roles = ['Policy.Read.ApplicationConfiguration'];
    await request(sut.app).get('/v1.0/policies/appManagementPolicies').expect(200);
    await request(sut.app)
      .post('/v1.0/policies/tokenLifetimePolicies')
      .send({ displayName: 'x', definition: ['{}'] })
      .expect(403);
  });

  it('creates, updates and deletes a policy; server-owned properties and appliesTo are refused in writes', async () => {
    const created = (
      await request(sut.app)
        .post('/v1.0/policies/tokenLifetimePolicies')
        .send({ displayName: 'Short', definition: ['{"TokenLifetimePolicy":{"Version":1}}'] })
        .expect(201)
    ).body;
    expect(created).toMatchObject({ displayName: 'Short', isOrganizationDefault: false });
    expect(created).not.toHaveProperty('appliesTo');
    await request(sut.app)
      .patch(`/v1.0/policies/tokenLifetimePolicies/${created.id}`)
      .send({ displayName: 'Shorter' })
      .expect(204);
    expect((await list('tokenLifetimePolicies')).map((p) => p.displayName)).toContain('Shorter');
    await request(sut.app)
      .patch(`/v1.0/policies/tokenLifetimePolicies/${created.id}`)
      .send({ appliesTo: [] })
      .expect(400);
    await request(sut.app)
      .post('/v1.0/policies/tokenLifetimePolicies')
      .send({ displayName: 'No definition' })
      .expect(400);
    await request(sut.app).delete(`/v1.0/policies/tokenLifetimePolicies/${created.id}`).expect(204);
    await request(sut.app).get(`/v1.0/policies/tokenLifetimePolicies/${created.id}`).expect(404);
  });

  it('assigns from the application side, one policy of a kind per application, and removes it', async () => {
    const [lifetime] = await list('tokenLifetimePolicies');
    const holder = (await appliesTo('tokenLifetimePolicies', lifetime!.id))[0]!.id;
    const other = (await applicationIds()).find((id) => id !== holder)!;
    await request(sut.app)
      .post(`/v1.0/applications/${other}/tokenLifetimePolicies/$ref`)
      .send(policyRef('tokenLifetimePolicies', lifetime!.id))
      .expect(204);
    expect((await appliesTo('tokenLifetimePolicies', lifetime!.id)).map((t) => t.id).sort()).toEqual(
      [holder, other].sort(),
    );
    const again = await request(sut.app)
      .post(`/v1.0/applications/${other}/tokenLifetimePolicies/$ref`)
      .send(policyRef('tokenLifetimePolicies', lifetime!.id))
      .expect(400);
    expect(again.body.error.message).toMatch(/already exist/);

    const second = (
      await request(sut.app)
        .post('/v1.0/policies/tokenLifetimePolicies')
        .send({ displayName: 'Second', definition: ['{}'] })
        .expect(201)
    ).body;
    const refused = await request(sut.app)
      .post(`/v1.0/applications/${other}/tokenLifetimePolicies/$ref`)
      .send(policyRef('tokenLifetimePolicies', second.id))
      .expect(400);
    expect(refused.body.error.code).toBe('Request_MultipleObjectsWithSameKeyValue');

    const listed = (
      await request(sut.app).get(`/v1.0/applications/${other}/tokenLifetimePolicies`).expect(200)
    ).body.value;
    expect(listed.map((p: Policy) => p.id)).toEqual([lifetime!.id]);
    await request(sut.app)
      .delete(`/v1.0/applications/${other}/tokenLifetimePolicies/${lifetime!.id}/$ref`)
      .expect(204);
    await request(sut.app)
      .delete(`/v1.0/applications/${other}/tokenLifetimePolicies/${lifetime!.id}/$ref`)
      .expect(404);
    expect((await appliesTo('tokenLifetimePolicies', lifetime!.id)).map((t) => t.id)).toEqual([holder]);
  });

  it('serves assignments only on the object kinds Graph documents, with the assignment permissions', async () => {
    const [claims] = await list('claimsMappingPolicies');
    const [app] = await applicationIds();
    // Claims mapping policies are assigned to service principals only: applications have no such navigation.
    const unknown = await request(sut.app)
      .post(`/v1.0/applications/${app}/claimsMappingPolicies/$ref`)
      .send(policyRef('claimsMappingPolicies', claims!.id))
      .expect(400);
    expect(unknown.body.error.message).toMatch(/^Resource not found for the segment/);
    sut.roles = ['Policy.Read.All'];
    const issuanceId = (await list('tokenIssuancePolicies'))[0]!.id;
    await request(sut.app)
      .post(`/v1.0/applications/${app}/tokenIssuancePolicies/$ref`)
      .send(policyRef('tokenIssuancePolicies', issuanceId))
      .expect(403);
    sut.roles = ['Application.ReadWrite.All'];
    await request(sut.app)
      .post(`/v1.0/applications/${app}/tokenIssuancePolicies/$ref`)
      .send(policyRef('tokenIssuancePolicies', issuanceId))
      .expect(403);
  });

  it('assigns claims mapping and app management policies to service principals, and records policy writes in the audit log', async () => {
    const [claims] = await list('claimsMappingPolicies');
    const [current] = await appliesTo('claimsMappingPolicies', claims!.id);
    const others = (
      await request(sut.app)
        .get('/v1.0/servicePrincipals?$select=id,appOwnerOrganizationId&$top=999')
        .expect(200)
    ).body.value as Array<{ id: string }>;
    const other = others.find((p) => p.id !== current!.id)!;
    await request(sut.app)
      .post(`/v1.0/servicePrincipals/${other.id}/claimsMappingPolicies/$ref`)
      .send(policyRef('claimsMappingPolicies', claims!.id))
      .expect(204);
    const [management] = await list('appManagementPolicies');
    await request(sut.app)
      .post(`/v1.0/servicePrincipals/${other.id}/appManagementPolicies/$ref`)
      .send(policyRef('appManagementPolicies', management!.id))
      .expect(204);
    const targets = await appliesTo('appManagementPolicies', management!.id);
    expect(targets.map((t) => t['@odata.type']).sort()).toEqual([
      '#microsoft.graph.application',
      '#microsoft.graph.servicePrincipal',
    ]);
    expect((await appliesTo('claimsMappingPolicies', claims!.id)).map((t) => t.id)).toContain(other.id);

    await request(sut.app)
      .patch(`/v1.0/policies/claimsMappingPolicies/${claims!.id}`)
      .send({ description: 'Changed' })
      .expect(204);
    const audits = (
      await request(sut.app)
        .get("/v1.0/auditLogs/directoryAudits?$filter=category eq 'Policy'&$top=1000")
        .expect(200)
    ).body.value as Array<{ activityDisplayName: string; targetResources: Array<{ id: string }> }>;
    expect(audits.map((a) => [a.activityDisplayName, a.targetResources[0]?.id])).toContainEqual([
      'Update policy',
      claims!.id,
    ]);
  });

  it('drops a deleted application from appliesTo', async () => {
    const [lifetime] = await list('tokenLifetimePolicies');
    const holder = (await appliesTo('tokenLifetimePolicies', lifetime!.id))[0]!.id;
    await request(sut.app).delete(`/v1.0/applications/${holder}`).expect(204);
    expect(await appliesTo('tokenLifetimePolicies', lifetime!.id)).toEqual([]);
  });
});
