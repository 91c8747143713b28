import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { FaultInjector, type FaultConfigInput } from '../../src/platform/fault-injector';
import { buildTestGraph, type TestGraph } from './graph-test-app';

const NOT_REPLICATED = {
  code: 'Request_BadRequest',
  message: 'The source resource object or one of the objects being referenced do not exist.',
};

function withReplicationFaults(config: FaultConfigInput): TestGraph {
  // The injector reads the test graph's clock, which exists once the graph is built.
  const holder: { sut?: TestGraph } = {};
  const clock = { now: () => holder.sut!.clock.now(), advance: () => {}, set: () => {} };
  const faults = new FaultInjector(clock, config);
  holder.sut = buildTestGraph({
    platform: {
      admitSubRequest: () => ({ allowed: true, headers: {} }),
      replicationLag: (ageMs, id) => faults.replicationLag(ageMs, id),
    },
  });
  return holder.sut;
}

describe(`${createGraphRouter.name}: replication-delay faults`, () => {
  const createGroup = (sut: TestGraph, nick: string) =>
    request(sut.app)
      .post('/v1.0/groups')
      .send({ displayName: nick, mailEnabled: false, mailNickname: nick, securityEnabled: true })
      .expect(201);
  const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

  it('refuses writes that reference a just-created object until the delay has passed', async () => {
    const sut = withReplicationFaults({ replicationDelayMs: 5000, replicationDelayRate: 1 });
    const users = await request(sut.app).get('/v1.0/users?$top=50&$select=id').expect(200);
    const member = users.body.value[45].id;
    const group = await createGroup(sut, 'fresh');

    const refused = await request(sut.app)
      .post(`/v1.0/groups/${group.body.id}/members/$ref`)
      .send(ref(member))
      .expect(400);
    expect(refused.body.error).toMatchObject(NOT_REPLICATED);
    const role = await request(sut.app)
      .post('/v1.0/roleManagement/directory/roleAssignments')
      .send({
        principalId: group.body.id,
        roleDefinitionId: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
        directoryScopeId: '/',
      })
      .expect(400);
    expect(role.body.error).toMatchObject(NOT_REPLICATED);
    // Writes between generated (long replicated) objects are not affected.
    const old = (await request(sut.app).get('/v1.0/groups?$top=20').expect(200)).body.value.find(
      (g: { groupTypes: string[]; securityEnabled: boolean; onPremisesSyncEnabled: boolean | null }) =>
        g.groupTypes.length === 0 && g.securityEnabled && !g.onPremisesSyncEnabled,
    );
    await request(sut.app)
      .post(`/v1.0/groups/${old.id}/owners/$ref`)
      .send(ref(users.body.value[46].id))
      .expect(204);

    sut.clock.advance(5000);
    await request(sut.app).post(`/v1.0/groups/${group.body.id}/members/$ref`).send(ref(member)).expect(204);
  });

  it('can answer 404 instead, inside a $batch item too', async () => {
    const sut = withReplicationFaults({
      replicationDelayMs: 5000,
      replicationDelayRate: 1,
      replicationDelayStatus: 404,
    });
    const users = await request(sut.app).get('/v1.0/users?$top=50&$select=id').expect(200);
    const created = await request(sut.app)
      .post('/v1.0/users')
      .send({
        accountEnabled: true,
        displayName: 'New manager',
        mailNickname: 'newmanager',
        userPrincipalName: `newmanager@${sut.world.getTenant(sut.tenantId)!.defaultDomain}`,
        passwordProfile: { password: 'Restore-1234!' },
      })
      .expect(201);
    const batch = await request(sut.app)
      .post('/v1.0/$batch')
      .send({
        requests: [
          {
            id: '1',
            method: 'PUT',
            url: `/users/${users.body.value[47].id}/manager/$ref`,
            headers: { 'Content-Type': 'application/json' },
            body: { '@odata.id': `https://graph.microsoft.com/v1.0/users/${created.body.id}` },
          },
        ],
      })
      .expect(200);
    expect(batch.body.responses[0]).toMatchObject({
      status: 404,
      body: { error: { code: 'Request_ResourceNotFound' } },
    });
  });

  it('is off by default', async () => {
    const sut = withReplicationFaults({});
    const users = await request(sut.app).get('/v1.0/users?$top=50&$select=id').expect(200);
    const group = await createGroup(sut, 'fresh');
    await request(sut.app)
      .post(`/v1.0/groups/${group.body.id}/members/$ref`)
      .send(ref(users.body.value[45].id))
      .expect(204);
  });
});
