import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

function conflict(property: string) {
  const message = `Another object with the same value for property ${property} already exists.`;
  return {
    code: 'Request_BadRequest',
    message,
    details: expect.arrayContaining([{ code: 'ObjectConflict', message, target: property }]),
  };
}

describe(`${createGraphRouter.name}: uniqueness conflicts`, () => {
  let sut: TestGraph;
  let domain: string;

  beforeEach(() => {
    sut = buildTestGraph();
    domain = sut.world.getTenant(sut.tenantId)!.defaultDomain;
  });

  const newUser = (upn: string, extra: Record<string, unknown> = {}) => ({
    accountEnabled: true,
    displayName: upn,
    mailNickname: upn.split('@')[0],
    userPrincipalName: upn,
    passwordProfile: { password: 'Restore-1234!', forceChangePasswordNextSignIn: true },
    ...extra,
  });

  /** Users from position 40 on hold no admin roles and can be deleted and restored with User.ReadWrite.All. */
  async function ordinaryUsers(): Promise<Array<{ id: string; userPrincipalName: string; mail: string }>> {
    const res = await request(sut.app)
      .get('/v1.0/users?$top=80&$select=id,userPrincipalName,mail,userType')
      .expect(200);
    return res.body.value
      .slice(40)
      .filter((u: { userType: string }) => u.userType === 'Member')
      .filter((u: { id: string }) => sut.world.directory(sut.tenantId)!.roleTemplateIdsOf(u.id).length === 0);
  }

  it('refuses a new user with a taken userPrincipalName, with the ObjectConflict detail', async () => {
    const [taken] = await ordinaryUsers();
    const res = await request(sut.app)
      .post('/v1.0/users')
      .send(newUser(taken!.userPrincipalName))
      .expect(400);
    expect(res.body.error).toMatchObject(conflict('userPrincipalName'));
    expect(res.body.error.details).toHaveLength(1);
    expect(res.body.error.innerError['request-id']).toEqual(expect.any(String));
  });

  it('refuses renaming a user to a taken userPrincipalName, but not to its own', async () => {
    const [a, b] = await ordinaryUsers();
    const res = await request(sut.app)
      .patch(`/v1.0/users/${a!.id}`)
      .send({ userPrincipalName: b!.userPrincipalName.toUpperCase() })
      .expect(400);
    expect(res.body.error).toMatchObject(conflict('userPrincipalName'));
    await request(sut.app)
      .patch(`/v1.0/users/${a!.id}`)
      .send({ userPrincipalName: a!.userPrincipalName })
      .expect(204);
  });

  it('refuses a mail address another object holds as a proxy address, and adds a free one to proxyAddresses', async () => {
    const [a, b] = await ordinaryUsers();
    const res = await request(sut.app).patch(`/v1.0/users/${a!.id}`).send({ mail: b!.mail }).expect(400);
    expect(res.body.error).toMatchObject(conflict('proxyAddresses'));
    expect(res.body.error.details.map((d: { code: string }) => d.code)).toEqual([
      'ObjectConflict',
      'ConflictingObjects',
    ]);
    await request(sut.app)
      .post('/v1.0/users')
      .send(newUser(`fresh@${domain}`, { mail: b!.mail }))
      .expect(400);
    await request(sut.app)
      .patch(`/v1.0/users/${a!.id}`)
      .send({ mail: `alias.a@${domain}` })
      .expect(204);
    const read = await request(sut.app).get(`/v1.0/users/${a!.id}?$select=mail,proxyAddresses`).expect(200);
    expect(read.body.mail).toBe(`alias.a@${domain}`);
    expect(read.body.proxyAddresses[0]).toBe(`SMTP:alias.a@${domain}`);
    expect(read.body.proxyAddresses).toContain(`smtp:${a!.userPrincipalName}`);
    // The old address is free again, the new one is taken.
    await request(sut.app)
      .patch(`/v1.0/users/${b!.id}`)
      .send({ mail: `alias.a@${domain}` })
      .expect(400);
  });

  it('refuses a Microsoft 365 group whose mailNickname another group uses', async () => {
    const groups = await request(sut.app).get('/v1.0/groups?$top=30').expect(200);
    const unified = groups.body.value.find((g: { groupTypes: string[] }) => g.groupTypes.includes('Unified'));
    const body = {
      displayName: 'Copy',
      mailEnabled: true,
      securityEnabled: false,
      groupTypes: ['Unified'],
      mailNickname: unified.mailNickname,
    };
    const res = await request(sut.app).post('/v1.0/groups').send(body).expect(400);
    expect(res.body.error).toMatchObject(conflict('mailNickname'));
    // Security groups do not need a unique mailNickname.
    await request(sut.app)
      .post('/v1.0/groups')
      .send({ ...body, mailEnabled: false, securityEnabled: true, groupTypes: [] })
      .expect(201);
  });

  it('refuses identifierUris used by another application, active or soft-deleted', async () => {
    const apps = await request(sut.app).get('/v1.0/applications?$top=10').expect(200);
    const withUri = apps.body.value.find((a: { identifierUris: string[] }) => a.identifierUris.length > 0);
    const res = await request(sut.app)
      .post('/v1.0/applications')
      .send({ displayName: 'Copy', identifierUris: [withUri.identifierUris[0].toUpperCase()] })
      .expect(400);
    expect(res.body.error).toMatchObject(conflict('identifierUris'));
    await request(sut.app).delete(`/v1.0/applications/${withUri.id}`).expect(204);
    await request(sut.app)
      .post('/v1.0/applications')
      .send({ displayName: 'Copy', identifierUris: withUri.identifierUris })
      .expect(400);
    await request(sut.app).delete(`/v1.0/directory/deletedItems/${withUri.id}`).expect(204);
    const created = await request(sut.app)
      .post('/v1.0/applications')
      .send({ displayName: 'Copy', identifierUris: withUri.identifierUris })
      .expect(201);
    await request(sut.app)
      .patch(`/v1.0/applications/${created.body.id}`)
      .send({ identifierUris: withUri.identifierUris })
      .expect(204);
  });

  describe('restoring a deleted user', () => {
    it('refuses when its userPrincipalName is taken, and restores under newUserPrincipalName', async () => {
      const [user] = await ordinaryUsers();
      await request(sut.app).delete(`/v1.0/users/${user!.id}`).expect(204);
      // The soft-deleted user's name is not reserved.
      await request(sut.app).post('/v1.0/users').send(newUser(user!.userPrincipalName)).expect(201);
      const refused = await request(sut.app)
        .post(`/v1.0/directory/deletedItems/${user!.id}/restore`)
        .expect(400);
      expect(refused.body.error).toMatchObject(conflict('userPrincipalName'));

      const foreign = await request(sut.app)
        .post(`/v1.0/directory/deletedItems/${user!.id}/restore`)
        .send({ newUserPrincipalName: 'back@elsewhere.example.com' })
        .expect(400);
      expect(foreign.body.error.message).toContain('verified domain');

      // Its primary SMTP address (the old UPN) is now another user's proxy address.
      const proxy = await request(sut.app)
        .post(`/v1.0/directory/deletedItems/${user!.id}/restore`)
        .send({ newUserPrincipalName: `back@${domain}` })
        .expect(400);
      expect(proxy.body.error).toMatchObject(conflict('proxyAddresses'));

      const restored = await request(sut.app)
        .post(`/v1.0/directory/deletedItems/${user!.id}/restore`)
        .send({ newUserPrincipalName: `back@${domain}`, autoReconcileProxyConflict: true })
        .expect(200);
      expect(restored.body).toMatchObject({
        '@odata.type': '#microsoft.graph.user',
        id: user!.id,
        userPrincipalName: `back@${domain}`,
        deletedDateTime: null,
      });
      expect(restored.body.proxyAddresses.map((p: string) => p.toLowerCase())).not.toContain(
        `smtp:${user!.userPrincipalName.toLowerCase()}`,
      );
      const byNewName = await request(sut.app).get(`/v1.0/users/back@${domain}`).expect(200);
      expect(byNewName.body.id).toBe(user!.id);
    });

    it('rejects an unknown property in the restore body', async () => {
      const [user] = await ordinaryUsers();
      await request(sut.app).delete(`/v1.0/users/${user!.id}`).expect(204);
      await request(sut.app)
        .post(`/v1.0/directory/deletedItems/${user!.id}/restore`)
        .send({ newName: 'x' })
        .expect(400);
      await request(sut.app).post(`/v1.0/directory/deletedItems/${user!.id}/restore`).send({}).expect(200);
    });
  });
});
