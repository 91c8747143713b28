import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

describe(`${createGraphRouter.name}: application credentials and extension definitions`, () => {
  let sut: TestGraph;
  const appOf = (ordinal: number) => sut.world.directory(sut.tenantId)!.gen.id('applications', ordinal);

  beforeEach(() => {
    sut = buildTestGraph();
  });

  describe('federatedIdentityCredentials', () => {
    it('lists the generated GitHub Actions federation of a seeded application', async () => {
      const res = await request(sut.app)
        .get(`/v1.0/applications/${appOf(2)}/federatedIdentityCredentials`)
        .expect(200);
      expect(res.body.value).toContainEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'github-main',
        issuer: 'https://token.actions.githubusercontent.com',
        subject: 'repo:contoso/app:ref:refs/heads/main',
        audiences: ['api://AzureADTokenExchange'],
        description: 'Deployments from the main branch',
      });
      const none = await request(sut.app)
        .get(`/v1.0/applications/${appOf(3)}/federatedIdentityCredentials`)
        .expect(200);
      expect(none.body.value).toEqual([]);
    });

    it('creates one (201) on a new application, refuses a duplicate name (409) and a second audience (400)', async () => {
      const app = await request(sut.app).post('/v1.0/applications').send({ displayName: 'Fed' }).expect(201);
      const url = `/v1.0/applications/${app.body.id}/federatedIdentityCredentials`;
      expect((await request(sut.app).get(url).expect(200)).body.value).toEqual([]);
      const body = {
        name: 'github-main',
        issuer: 'https://token.actions.githubusercontent.com',
        subject: 'repo:contoso/app:ref:refs/heads/main',
        audiences: ['api://AzureADTokenExchange'],
      };
      const created = await request(sut.app).post(url).send(body).expect(201);
      expect(created.body).toMatchObject({ ...body, description: null });
      const again = await request(sut.app).post(url).send(body).expect(409);
      expect(again.body.error.code).toBe('Request_MultipleObjectsWithSameKeyValue');
      await request(sut.app)
        .post(url)
        .send({ ...body, name: 'other', audiences: ['a', 'b'] })
        .expect(400);
      expect((await request(sut.app).get(url).expect(200)).body.value).toHaveLength(1);
      await request(sut.app).delete(`${url}/${created.body.id}`).expect(204);
      expect((await request(sut.app).get(url).expect(200)).body.value).toEqual([]);
    });

    it('needs an application permission: 403 without, 404 for an unknown application', async () => {
      await request(sut.app)
        .get('/v1.0/applications/00000000-0000-4000-8000-000000000000/federatedIdentityCredentials')
        .expect(404);
      sut.roles = ['User.Read.All'];
      const denied = await request(sut.app)
        .get(`/v1.0/applications/${appOf(2)}/federatedIdentityCredentials`)
        .expect(403);
      expect(denied.body.error.code).toBe('Authorization_RequestDenied');
      sut.roles = ['Application.Read.All'];
      await request(sut.app)
        .post(`/v1.0/applications/${appOf(2)}/federatedIdentityCredentials`)
        .send({ name: 'x' })
        .expect(403);
    });
  });

  describe('extensionProperties', () => {
    it('lists the definitions with their full extension_{appId}_{name} names', async () => {
      const app = (
        await request(sut.app)
          .get(`/v1.0/applications/${appOf(1)}`)
          .expect(200)
      ).body;
      const prefix = `extension_${String(app.appId).replace(/-/g, '')}_`;
      const res = await request(sut.app)
        .get(`/v1.0/applications/${appOf(1)}/extensionProperties`)
        .expect(200);
      expect(
        res.body.value.map((e: { name: string; targetObjects: string[] }) => [e.name, e.targetObjects]),
      ).toEqual([
        [`${prefix}costCenter`, ['User']],
        [`${prefix}projectCode`, ['Group']],
      ]);
    });

    it('creates a definition from its short name under the new application id, refusing duplicates', async () => {
      const app = await request(sut.app).post('/v1.0/applications').send({ displayName: 'Ext' }).expect(201);
      const url = `/v1.0/applications/${app.body.id}/extensionProperties`;
      const created = await request(sut.app)
        .post(url)
        .send({ name: 'costCenter', dataType: 'String', targetObjects: ['User'] })
        .expect(201);
      expect(created.body).toMatchObject({
        name: `extension_${String(app.body.appId).replace(/-/g, '')}_costCenter`,
        dataType: 'String',
        isMultiValued: false,
        isSyncedFromOnPremises: false,
        targetObjects: ['User'],
        appDisplayName: 'Ext',
      });
      await request(sut.app)
        .post(url)
        .send({ name: 'costCenter', dataType: 'String', targetObjects: ['User'] })
        .expect(409);
      await request(sut.app)
        .post(url)
        .send({ name: 'other', dataType: 'Text', targetObjects: ['User'] })
        .expect(400);
      await request(sut.app)
        .post(url)
        .send({ name: 'bad name', dataType: 'String', targetObjects: ['User'] })
        .expect(400);
    });
  });

  describe('keyCredentials', () => {
    it('returns the public certificate only on a single-application read with $select=keyCredentials', async () => {
      const id = appOf(1);
      const list = await request(sut.app)
        .get('/v1.0/applications')
        .query({ $select: 'id,keyCredentials', $filter: `id eq '${id}'` })
        .expect(200);
      expect(list.body.value[0].keyCredentials).toEqual([expect.objectContaining({ key: null })]);
      const plain = await request(sut.app).get(`/v1.0/applications/${id}`).expect(200);
      expect(plain.body.keyCredentials[0].key).toBeNull();
      const selected = await request(sut.app)
        .get(`/v1.0/applications/${id}`)
        .query({ $select: 'keyCredentials' })
        .expect(200);
      expect(selected.body.keyCredentials[0]).toMatchObject({
        key: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
      });
      const delta = await request(sut.app)
        .get('/v1.0/applications/delta')
        .query({ $select: 'keyCredentials', $filter: `id eq '${id}'` })
        .expect(200);
      expect(delta.body.value[0].keyCredentials[0].key).toBeNull();
    });

    it('uploads public certificates with PATCH and refuses a certificate without its key', async () => {
      const app = await request(sut.app).post('/v1.0/applications').send({ displayName: 'Cert' }).expect(201);
      const certificate = {
        displayName: 'CN=cert',
        key: Buffer.from('public certificate').toString('base64'),
        keyId: '0f5e3c2a-1b2c-4d3e-8f40-5a6b7c8d9e0f',
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
      };
      await request(sut.app)
        .patch(`/v1.0/applications/${app.body.id}`)
        .send({ keyCredentials: [{ ...certificate, key: null }] })
        .expect(400);
      await request(sut.app)
        .patch(`/v1.0/applications/${app.body.id}`)
        .send({ keyCredentials: [certificate] })
        .expect(204);
      const read = await request(sut.app)
        .get(`/v1.0/applications/${app.body.id}`)
        .query({ $select: 'keyCredentials' })
        .expect(200);
      expect(read.body.keyCredentials).toEqual([expect.objectContaining({ key: certificate.key })]);
    });
  });
});
