import request from 'supertest';
import { createGraphRouter } from '../../src/graph/graph-router';
import { ALL_ROLES, buildTestGraph, type TestGraph } from './graph-test-app';

type Json = Record<string, unknown>;

const MOBILE = '3179e48a-750b-4051-897c-87b9720928f7';
const ALTERNATE_MOBILE = 'b6332ec1-7057-4abe-9331-3d72feddfe41';
const EMAIL = '3ddfcfc8-9383-446f-83cc-3ab9be4be18f';
const PHONE = '#microsoft.graph.phoneAuthenticationMethod';
const DENIED = {
  code: 'Authorization_RequestDenied',
  message: 'Insufficient privileges to complete the operation.',
};
const WITHOUT_METHODS = ALL_ROLES.filter((r) => !r.startsWith('UserAuthenticationMethod.'));

describe(`${createGraphRouter.name}: users' authentication methods and sponsors`, () => {
  let sut: TestGraph;

  beforeEach(() => {
    sut = buildTestGraph({ users: 120 });
  });

  const users = async (filter: string): Promise<Json[]> =>
    (
      await request(sut.app)
        .get(`/v1.0/users?$filter=${encodeURIComponent(filter)}&$select=id&$top=999`)
        .expect(200)
    ).body.value;
  const methods = async (userId: string): Promise<Json[]> =>
    (await request(sut.app).get(`/v1.0/users/${userId}/authentication/methods`).expect(200)).body.value;
  /** Generated members until one has the method `has` asks for. */
  async function memberWith(has: (methods: Json[]) => boolean): Promise<string> {
    // From the last: the first members hold privileged roles, which User.ReadWrite.All cannot delete.
    for (const user of (await users("userType eq 'Member'")).reverse()) {
      if (has(await methods(String(user['id'])))) return String(user['id']);
    }
    throw new Error('no generated member has such methods');
  }
  const phoneOf = (list: Json[], phoneType: string) =>
    list.find((m) => m['@odata.type'] === PHONE && m['phoneType'] === phoneType);

  it('lists the generated methods, polymorphic with their kinds, and never a secret', async () => {
    const all: Json[] = [];
    for (const user of await users("userType eq 'Member'")) all.push(...(await methods(String(user['id']))));
    const kinds = new Set(all.map((m) => m['@odata.type']));
    expect(kinds).toEqual(
      new Set([
        '#microsoft.graph.passwordAuthenticationMethod',
        PHONE,
        '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
        '#microsoft.graph.emailAuthenticationMethod',
        '#microsoft.graph.fido2AuthenticationMethod',
        '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
      ]),
    );
    for (const password of all.filter(
      (m) => m['@odata.type'] === '#microsoft.graph.passwordAuthenticationMethod',
    ))
      expect(password).toMatchObject({ id: '28c10230-6103-485e-b985-444c60001490', password: null });
    for (const phone of all.filter((m) => m['@odata.type'] === PHONE))
      expect(String(phone['phoneNumber'])).toMatch(/^\+1 \d{10}(x\d+)?$/);
    const [guest] = await users("userType eq 'Guest'");
    expect(await methods(String(guest!['id']))).toEqual([]);
  });

  it('needs UserAuthenticationMethod.Read.All to list methods, and a write permission to add one', async () => {
    const userId = String((await users("userType eq 'Member'"))[0]!['id']);
    sut.roles = WITHOUT_METHODS;
    const denied = await request(sut.app).get(`/v1.0/users/${userId}/authentication/methods`).expect(403);
    expect(denied.body.error).toMatchObject(DENIED);
    sut.roles = [...WITHOUT_METHODS, 'UserAuthenticationMethod.Read.All'];
    await request(sut.app).get(`/v1.0/users/${userId}/authentication/methods`).expect(200);
    await request(sut.app)
      .post(`/v1.0/users/${userId}/authentication/emailMethods`)
      .send({ emailAddress: 'someone@example.com' })
      .expect(403);
  });

  it('adds, changes and deletes phone methods with the ids Graph fixes per phone type', async () => {
    const userId = await memberWith((list) => phoneOf(list, 'mobile') === undefined);
    const base = `/v1.0/users/${userId}/authentication/phoneMethods`;
    // An alternate mobile needs a mobile phone first.
    const early = await request(sut.app)
      .post(base)
      .send({ phoneNumber: '+1 4255550101', phoneType: 'alternateMobile' })
      .expect(400);
    expect(early.body.error.code).toBe('badRequest');
    const created = await request(sut.app)
      .post(base)
      .send({ phoneNumber: '+1 2065550100', phoneType: 'mobile' })
      .expect(201);
    expect(created.body).toMatchObject({ '@odata.type': PHONE, id: MOBILE, phoneType: 'mobile' });
    const twice = await request(sut.app)
      .post(base)
      .send({ phoneNumber: '+1 2065550199', phoneType: 'mobile' })
      .expect(400);
    expect(twice.body.error.message).toMatch(/already exists/);
    await request(sut.app)
      .post(base)
      .send({ phoneNumber: '+1 4255550101', phoneType: 'alternateMobile' })
      .expect(201);

    await request(sut.app).patch(`${base}/${MOBILE}`).send({ phoneNumber: '+44 2071234567' }).expect(204);
    const mobile = (await request(sut.app).get(`${base}/${MOBILE}`).expect(200)).body;
    expect(mobile).toMatchObject({ phoneNumber: '+44 2071234567', phoneType: 'mobile' });

    await request(sut.app).delete(`${base}/${ALTERNATE_MOBILE}`).expect(204);
    await request(sut.app).delete(`${base}/${ALTERNATE_MOBILE}`).expect(404);
    expect(phoneOf(await methods(userId), 'alternateMobile')).toBeUndefined();
    expect(phoneOf(await methods(userId), 'mobile')).toBeDefined();
  });

  it.each([
    [{ phoneNumber: '2065550100', phoneType: 'mobile' }, /format/],
    [{ phoneNumber: '+1 206-555-0100', phoneType: 'mobile' }, /format/],
    [{ phoneNumber: '+1 2065550100', phoneType: 'pager' }, /phoneType/],
  ])('refuses phone method %j', async (body, message) => {
    const userId = await memberWith((list) => phoneOf(list, 'mobile') === undefined);
    const answer = await request(sut.app)
      .post(`/v1.0/users/${userId}/authentication/phoneMethods`)
      .send(body)
      .expect(400);
    expect(answer.body.error.message).toMatch(message);
  });

  it('keeps one email method per user, with its fixed id', async () => {
    const userId = await memberWith((list) => !list.some((m) => m['id'] === EMAIL));
    const base = `/v1.0/users/${userId}/authentication/emailMethods`;
    await request(sut.app).post(base).send({ emailAddress: 'not-an-address' }).expect(400);
    const created = await request(sut.app).post(base).send({ emailAddress: 'reset@example.com' }).expect(201);
    expect(created.body).toMatchObject({ id: EMAIL, emailAddress: 'reset@example.com' });
    await request(sut.app).post(base).send({ emailAddress: 'other@example.com' }).expect(400);
    await request(sut.app).patch(`${base}/${EMAIL}`).send({ emailAddress: 'other@example.com' }).expect(204);
    expect((await request(sut.app).get(`${base}/${EMAIL}`).expect(200)).body.emailAddress).toBe(
      'other@example.com',
    );
    await request(sut.app).delete(`${base}/${EMAIL}`).expect(204);
    expect((await methods(userId)).some((m) => m['id'] === EMAIL)).toBe(false);
  });

  it('serves the kinds a user registers themselves read-only', async () => {
    const userId = await memberWith((list) =>
      list.some((m) => m['@odata.type'] === '#microsoft.graph.fido2AuthenticationMethod'),
    );
    const keys = (await request(sut.app).get(`/v1.0/users/${userId}/authentication/fido2Methods`).expect(200))
      .body.value as Json[];
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k['@odata.type'] === '#microsoft.graph.fido2AuthenticationMethod')).toBe(true);
    await request(sut.app)
      .get(`/v1.0/users/${userId}/authentication/fido2Methods/${String(keys[0]!['id'])}`)
      .expect(200);
    await request(sut.app).post(`/v1.0/users/${userId}/authentication/fido2Methods`).send({}).expect(405);
  });

  it("keeps a user's methods through deletion and restore from the recycle bin", async () => {
    const userId = await memberWith((list) => phoneOf(list, 'mobile') !== undefined);
    const before = await methods(userId);
    await request(sut.app).delete(`/v1.0/users/${userId}`).expect(204);
    await request(sut.app).get(`/v1.0/users/${userId}/authentication/methods`).expect(404);
    await request(sut.app).post(`/v1.0/directory/deletedItems/${userId}/restore`).expect(200);
    expect(await methods(userId)).toEqual(before);
  });

  it("lists a guest's sponsors and adds and removes sponsor links", async () => {
    const guestId = String((await users("userType eq 'Guest'"))[0]!['id']);
    const sponsors = async (): Promise<Json[]> =>
      (await request(sut.app).get(`/v1.0/users/${guestId}/sponsors`).expect(200)).body.value;
    const generated = await sponsors();
    expect(generated.length).toBeGreaterThan(0);
    expect(generated[0]).toMatchObject({ '@odata.type': '#microsoft.graph.user', id: expect.any(String) });
    const group = (await request(sut.app).get('/v1.0/groups?$select=id&$top=1').expect(200)).body.value[0];
    const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${String(group.id)}` };
    await request(sut.app).post(`/v1.0/users/${guestId}/sponsors/$ref`).send(ref).expect(204);
    const again = await request(sut.app).post(`/v1.0/users/${guestId}/sponsors/$ref`).send(ref).expect(400);
    expect(again.body.error.message).toMatch(/already exist/);
    expect((await sponsors()).map((s) => s['id'])).toContain(group.id);
    await request(sut.app)
      .delete(`/v1.0/users/${guestId}/sponsors/${String(generated[0]!['id'])}/$ref`)
      .expect(204);
    expect((await sponsors()).map((s) => s['id'])).toEqual([
      ...generated.slice(1).map((s) => s['id']),
      group.id,
    ]);
    await request(sut.app)
      .delete(`/v1.0/users/${guestId}/sponsors/${String(generated[0]!['id'])}/$ref`)
      .expect(404);

    sut.roles = ['User.Read.All'];
    await request(sut.app).post(`/v1.0/users/${guestId}/sponsors/$ref`).send(ref).expect(403);
  });

  it('drops a deleted sponsor from the list', async () => {
    const guestId = String((await users("userType eq 'Guest'"))[0]!['id']);
    const members = await users("userType eq 'Member'");
    const sponsorId = String(members[members.length - 1]!['id']);
    await request(sut.app)
      .post(`/v1.0/users/${guestId}/sponsors/$ref`)
      .send({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${sponsorId}` })
      .expect(204);
    const sponsors = async (): Promise<unknown[]> =>
      ((await request(sut.app).get(`/v1.0/users/${guestId}/sponsors`).expect(200)).body.value as Json[]).map(
        (s) => s['id'],
      );
    expect(await sponsors()).toContain(sponsorId);
    await request(sut.app).delete(`/v1.0/users/${sponsorId}`).expect(204);
    expect(await sponsors()).not.toContain(sponsorId);
  });
});
