import request from 'supertest';
import type { Json } from '../../src/directory/object-collection';
import type { TenantDirectory } from '../../src/directory/tenant-directory';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const PATH = '/beta/roleManagement/directory/transitiveRoleAssignments';

interface Assignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
}

describe(`${createGraphRouter.name}: transitiveRoleAssignments`, () => {
  let sut: TestGraph;
  let tenant: TenantDirectory;
  let assignable: Json;
  let user: Json;

  const list = (filter: string, query = '$count=true') =>
    request(sut.app)
      .get(`${PATH}?${query}&$filter=${encodeURIComponent(filter)}`)
      .set('ConsistencyLevel', 'eventual');

  beforeEach(() => {
    sut = buildTestGraph({ users: 60 });
    tenant = sut.world.directory(sut.tenantId)!;
    assignable = [...tenant.collection('groups').values()].find((g) => g['isAssignableToRole'] === true)!;
    // A user without role assignments of its own and outside the role-assignable group.
    const assigned = new Set(
      [...tenant.collection('roleAssignments').values()].map((a) => String(a['principalId'])),
    );
    user = [...tenant.collection('users').values()].find(
      (u) =>
        !assigned.has(String(u['id'])) &&
        !tenant.related('members', 'groups', String(assignable['id'])).includes(String(u['id'])),
    )!;
  });

  it('returns the group-based assignments of a role-assignable group member, with the group as principal', async () => {
    const before = await list(`principalId eq '${String(user['id'])}'`).expect(200);
    expect(before.body['@odata.count']).toBe(0);
    expect(before.body.value).toEqual([]);

    await request(sut.app)
      .post(`/v1.0/groups/${String(assignable['id'])}/members/$ref`)
      .send({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${String(user['id'])}` })
      .expect(204);
    const granted = await request(sut.app)
      .post('/v1.0/roleManagement/directory/roleAssignments')
      .send({
        principalId: assignable['id'],
        roleDefinitionId: GLOBAL_ADMINISTRATOR,
        directoryScopeId: '/',
      })
      .expect(201);
    // A group that is not role-assignable confers nothing, even where an assignment names it.
    const plain = [...tenant.collection('groups').values()].find(
      (g) =>
        g['isAssignableToRole'] !== true &&
        !tenant.related('members', 'groups', String(g['id'])).includes(String(user['id'])),
    )!;
    tenant.addRelated('members', 'groups', String(plain['id']), String(user['id']));
    tenant.create('roleAssignments', {
      principalId: plain['id'],
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      directoryScopeId: '/',
      appScopeId: null,
      condition: null,
    });

    const res = await list(`principalId eq '${String(user['id'])}'`).expect(200);

    expect(res.body['@odata.context']).toMatch(
      /\/beta\/\$metadata#roleManagement\/directory\/transitiveRoleAssignments$/,
    );
    const value = res.body.value as Assignment[];
    expect(res.body['@odata.count']).toBe(value.length);
    expect(value.map((a) => a.principalId)).toEqual(value.map(() => assignable['id']));
    expect(value).toContainEqual(
      expect.objectContaining({
        id: granted.body.id,
        principalId: assignable['id'],
        roleDefinitionId: GLOBAL_ADMINISTRATOR,
        directoryScopeId: '/',
      }),
    );
    // The generated role-assignable group already held a role; it is inherited too.
    expect(value.length).toBeGreaterThan(1);

    const narrowed = await list(
      `principalId eq '${String(user['id'])}' and roleDefinitionId eq '${GLOBAL_ADMINISTRATOR}' and directoryScopeId eq '/'`,
    ).expect(200);
    expect((narrowed.body.value as Assignment[]).map((a) => a.id)).toEqual([granted.body.id]);
  });

  it("includes the principal's own assignments", async () => {
    const admin = [...tenant.collection('roleAssignments').values()].find(
      (a) =>
        a['roleDefinitionId'] === GLOBAL_ADMINISTRATOR &&
        tenant.collection('users').has(String(a['principalId'])),
    )!;

    const res = await list(`principalId eq '${String(admin['principalId'])}'`).expect(200);

    expect(res.body.value).toContainEqual(
      expect.objectContaining({ id: admin['id'], principalId: admin['principalId'], directoryScopeId: '/' }),
    );
  });

  it('answers 404 without ConsistencyLevel: eventual and 400 without $count=true or a principalId filter', async () => {
    const filter = encodeURIComponent(`principalId eq '${String(user['id'])}'`);
    await request(sut.app).get(`${PATH}?$count=true&$filter=${filter}`).expect(404);

    const noCount = await list(`principalId eq '${String(user['id'])}'`, '$top=1').expect(400);
    expect(noCount.body.error.code).toBe('Request_UnsupportedQuery');
    const noFilter = await request(sut.app)
      .get(`${PATH}?$count=true`)
      .set('ConsistencyLevel', 'eventual')
      .expect(400);
    expect(noFilter.body.error.code).toBe('Request_UnsupportedQuery');
    const otherFilter = await list(`roleDefinitionId eq '${GLOBAL_ADMINISTRATOR}'`).expect(400);
    expect(otherFilter.body.error.code).toBe('Request_UnsupportedQuery');
    const either = await list(
      `principalId eq '${String(user['id'])}' or roleDefinitionId eq '${GLOBAL_ADMINISTRATOR}'`,
    ).expect(400);
    expect(either.body.error.code).toBe('Request_UnsupportedQuery');
  });

  it('is a beta API', async () => {
    await request(sut.app)
      .get(
        `/v1.0/roleManagement/directory/transitiveRoleAssignments?$count=true&$filter=${encodeURIComponent(`principalId eq '${String(user['id'])}'`)}`,
      )
      .set('ConsistencyLevel', 'eventual')
      .expect(400);
  });

  it('needs a role-management or directory read permission', async () => {
    sut.roles = ['User.Read.All', 'Group.Read.All'];
    const denied = await list(`principalId eq '${String(user['id'])}'`).expect(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');

    sut.roles = ['RoleManagement.Read.Directory'];
    await list(`principalId eq '${String(user['id'])}'`).expect(200);
    sut.roles = ['Directory.Read.All'];
    await list(`principalId eq '${String(user['id'])}'`).expect(200);
  });

  it('pages 100 at a time and counts only on the first page', async () => {
    const scopes = [...tenant.collection('users').values()].slice(0, 50).map((u) => `/${String(u['id'])}`);
    for (const holder of [user['id'], assignable['id']]) {
      for (const scope of scopes) {
        tenant.create('roleAssignments', {
          principalId: holder,
          roleDefinitionId: GLOBAL_ADMINISTRATOR,
          directoryScopeId: scope,
          appScopeId: null,
          condition: null,
        });
      }
    }
    tenant.addRelated('members', 'groups', String(assignable['id']), String(user['id']));

    const first = await list(`principalId eq '${String(user['id'])}'`).expect(200);
    const total = first.body['@odata.count'] as number;
    expect(total).toBeGreaterThan(100);
    expect(first.body.value).toHaveLength(100);
    const next = new URL(String(first.body['@odata.nextLink']));
    const second = await request(sut.app)
      .get(`${next.pathname}${next.search}`)
      .set('ConsistencyLevel', 'eventual')
      .expect(200);
    expect(second.body['@odata.count']).toBeUndefined();
    expect(second.body['@odata.nextLink']).toBeUndefined();
    const ids = [...first.body.value, ...second.body.value].map((a: Assignment) => a.id);
    expect(new Set(ids).size).toBe(total);
  });
});
