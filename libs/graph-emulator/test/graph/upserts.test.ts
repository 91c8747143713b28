import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

describe(`${createGraphRouter.name}: upserts by alternate key`, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph();
  });

  describe("PATCH /applications(uniqueName='...')", () => {
    it('answers 404 without Prefer: create-if-missing, creates (201) with it, then updates (204)', async () => {
      const url = "/v1.0/applications(uniqueName='restored-app-1')";
      const missing = await request(sut.app).patch(url).send({ displayName: 'Restored app' }).expect(404);
      expect(missing.body.error.code).toBe('Request_ResourceNotFound');

      const created = await request(sut.app)
        .patch(url)
        .set('Prefer', 'create-if-missing')
        .send({ displayName: 'Restored app', signInAudience: 'AzureADMyOrg' })
        .expect(201);
      expect(created.body).toMatchObject({
        '@odata.context': expect.stringContaining('$metadata#applications/$entity'),
        uniqueName: 'restored-app-1',
        displayName: 'Restored app',
        appId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });

      const updated = await request(sut.app)
        .patch(url)
        .set('Prefer', 'create-if-missing')
        .send({ displayName: 'Restored app (renamed)' })
        .expect(204);
      expect(updated.body).toEqual({});
      const read = await request(sut.app).get(url).expect(200);
      expect(read.body).toMatchObject({ id: created.body.id, displayName: 'Restored app (renamed)' });
      await request(sut.app).patch(url).send({ notes: 'Without the header' }).expect(204);
    });

    it('keeps uniqueName immutable after creation', async () => {
      const created = await request(sut.app)
        .post('/v1.0/applications')
        .send({ displayName: 'Keyed', uniqueName: 'keyed-app' })
        .expect(201);
      const res = await request(sut.app)
        .patch(`/v1.0/applications/${created.body.id}`)
        .send({ uniqueName: 'other' })
        .expect(400);
      expect(res.body.error.message).toBe("Property 'uniqueName' is read-only and cannot be set.");
      await request(sut.app)
        .patch("/v1.0/applications(uniqueName='keyed-app')")
        .send({ uniqueName: 'keyed-app' })
        .expect(400);
    });

    it('refuses a uniqueName held by an active or soft-deleted application with 400', async () => {
      const created = await request(sut.app)
        .post('/v1.0/applications')
        .send({ displayName: 'Original', uniqueName: 'taken-name' })
        .expect(201);
      const duplicate = await request(sut.app)
        .post('/v1.0/applications')
        .send({ displayName: 'Copy', uniqueName: 'TAKEN-NAME' })
        .expect(400);
      expect(duplicate.body.error).toMatchObject({
        code: 'Request_BadRequest',
        details: [expect.objectContaining({ code: 'ObjectConflict', target: 'uniqueName' })],
      });
      await request(sut.app).delete(`/v1.0/applications/${created.body.id}`).expect(204);
      const reserved = await request(sut.app)
        .patch("/v1.0/applications(uniqueName='taken-name')")
        .set('Prefer', 'create-if-missing')
        .send({ displayName: 'Copy' })
        .expect(400);
      expect(reserved.body.error.code).toBe('Request_BadRequest');
      await request(sut.app).delete(`/v1.0/directory/deletedItems/${created.body.id}`).expect(204);
      await request(sut.app)
        .patch("/v1.0/applications(uniqueName='taken-name')")
        .set('Prefer', 'create-if-missing')
        .send({ displayName: 'Copy' })
        .expect(201);
    });

    it('still validates the body of a create', async () => {
      await request(sut.app)
        .patch("/v1.0/applications(uniqueName='no-name')")
        .set('Prefer', 'create-if-missing')
        .send({ notes: 'no displayName' })
        .expect(400);
      await request(sut.app)
        .patch("/v1.0/applications(uniqueName='with-id')")
        .set('Prefer', 'create-if-missing')
        .send({ displayName: 'x', appId: '11111111-1111-4111-8111-111111111111' })
        .expect(400);
    });
  });

  describe("PATCH /servicePrincipals(appId='...')", () => {
    it('creates the service principal of an application once, then updates it', async () => {
      const app = await request(sut.app)
        .post('/v1.0/applications')
        .send({ displayName: 'Needs an SP' })
        .expect(201);
      const url = `/v1.0/servicePrincipals(appId='${app.body.appId}')`;
      await request(sut.app).patch(url).send({ notes: 'x' }).expect(404);
      const created = await request(sut.app)
        .patch(url)
        .set('Prefer', 'create-if-missing')
        .send({ displayName: 'Needs an SP' })
        .expect(201);
      expect(created.body).toMatchObject({ appId: app.body.appId, appDisplayName: 'Needs an SP' });
      await request(sut.app)
        .patch(url)
        .set('Prefer', 'create-if-missing')
        .send({ notes: 'Updated', appRoleAssignmentRequired: true })
        .expect(204);
      const read = await request(sut.app).get(url).expect(200);
      expect(read.body).toMatchObject({
        id: created.body.id,
        notes: 'Updated',
        appRoleAssignmentRequired: true,
      });
      await request(sut.app).patch(url).send({ appId: '11111111-1111-4111-8111-111111111111' }).expect(400);
    });

    it('refuses to create one for an appId no application has', async () => {
      await request(sut.app)
        .patch("/v1.0/servicePrincipals(appId='11111111-1111-4111-8111-111111111111')")
        .set('Prefer', 'create-if-missing')
        .send({})
        .expect(400);
    });
  });
});
