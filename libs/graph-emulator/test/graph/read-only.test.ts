import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

const readOnly = (p: string) => `Property '${p}' is read-only and cannot be set.`;

describe(`${createGraphRouter.name}: documented read-only properties`, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph();
  });

  it.each([
    'assignedPlans',
    'provisionedPlans',
    'licenseAssignmentStates',
    'legalAgeGroupClassification',
    'imAddresses',
    'signInSessionsValidFromDateTime',
    'securityIdentifier',
    'onPremisesSyncEnabled',
    'onPremisesDistinguishedName',
    'proxyAddresses',
    'creationType',
  ])('refuses the user property %s on update', async (property) => {
    const users = await request(sut.app).get('/v1.0/users?$top=50&$select=id').expect(200);
    const res = await request(sut.app)
      .patch(`/v1.0/users/${users.body.value[42].id}`)
      .send({ [property]: [] })
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'Request_BadRequest', message: readOnly(property) });
  });

  it('keeps writable the user properties the docs do not mark read-only', async () => {
    const users = await request(sut.app)
      .get('/v1.0/users?$top=50&$select=id,onPremisesSyncEnabled')
      .expect(200);
    const cloud = users.body.value
      .slice(40)
      .find((u: { onPremisesSyncEnabled: boolean | null }) => !u.onPremisesSyncEnabled);
    await request(sut.app)
      .patch(`/v1.0/users/${cloud.id}`)
      .send({ externalUserState: null, employeeType: 'Contractor' })
      .expect(204);
  });

  it('refuses read-only application and service principal properties', async () => {
    const apps = await request(sut.app).get('/v1.0/applications?$top=2').expect(200);
    const app = apps.body.value[0];
    const template = await request(sut.app)
      .post('/v1.0/applications')
      .send({ displayName: 'x', applicationTemplateId: '8adf8e6e-67b2-4cf2-a259-e3dc5476c621' })
      .expect(400);
    expect(template.body.error.message).toBe(readOnly('applicationTemplateId'));
    const secrets = await request(sut.app)
      .patch(`/v1.0/applications/${app.id}`)
      .send({ passwordCredentials: app.passwordCredentials })
      .expect(400);
    expect(secrets.body.error.message).toBe(readOnly('passwordCredentials'));
    const sp = await request(sut.app).get(`/v1.0/servicePrincipals(appId='${app.appId}')`).expect(200);
    const spSecrets = await request(sut.app)
      .patch(`/v1.0/servicePrincipals/${sp.body.id}`)
      .send({ passwordCredentials: [] })
      .expect(400);
    expect(spSecrets.body.error.message).toBe(readOnly('passwordCredentials'));
  });

  it('refuses read-only named location and settings catalog properties', async () => {
    const locations = await request(sut.app)
      .get('/v1.0/identity/conditionalAccess/namedLocations')
      .expect(200);
    const res = await request(sut.app)
      .patch(`/v1.0/identity/conditionalAccess/namedLocations/${locations.body.value[1].id}`)
      .send({ '@odata.type': locations.body.value[1]['@odata.type'], deletedDateTime: null })
      .expect(400);
    expect(res.body.error.message).toBe(readOnly('deletedDateTime'));
    const catalog = await request(sut.app)
      .post('/beta/deviceManagement/configurationPolicies')
      .send({ name: 'x', platforms: 'windows10', technologies: 'mdm', isAssigned: true })
      .expect(400);
    expect(catalog.body.error.message).toBe(readOnly('isAssigned'));
  });

  describe('devices', () => {
    const device = {
      accountEnabled: true,
      alternativeSecurityIds: [{ type: 2, key: 'base64Y3YxN2E1MWFlYw==' }],
      deviceId: '4c299165-6e8f-4b45-a5ba-c5d250a707ff',
      displayName: 'Restored laptop',
      operatingSystem: 'Windows',
      operatingSystemVersion: '10.0.22631',
    };

    it('cannot be created by an application', async () => {
      const res = await request(sut.app).post('/v1.0/devices').send(device).expect(403);
      expect(res.body.error.code).toBe('Authorization_RequestDenied');
    });

    it('is created on behalf of a signed-in user with its deviceId, which is immutable afterwards', async () => {
      sut.signedInUserId = sut.world.listSignInUsers(sut.tenantId, 1)[0]!.id;
      sut.roles = ['Directory.AccessAsUser.All', 'Device.ReadWrite.All'];
      const created = await request(sut.app).post('/v1.0/devices').send(device).expect(201);
      expect(created.body).toMatchObject({ deviceId: device.deviceId, displayName: 'Restored laptop' });
      await request(sut.app)
        .post('/v1.0/devices')
        .send({ ...device, deviceId: undefined })
        .expect(400);
      const res = await request(sut.app)
        .patch(`/v1.0/devices/${created.body.id}`)
        .send({ deviceId: '00000000-0000-4000-8000-000000000001' })
        .expect(400);
      expect(res.body.error.message).toBe(readOnly('deviceId'));
    });
  });
});
