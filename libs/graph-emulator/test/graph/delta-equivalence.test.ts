import express from 'express';
import request from 'supertest';
import { createTenantControlRouter } from '../../src/control/tenant-control.router';
import { createGraphRouter } from '../../src/graph/graph-router';
import { buildTestGraph, type TestGraph } from './graph-test-app';

type Item = Record<string, unknown> & { id: string };

function local(link: string): string {
  const url = new URL(link);
  return url.pathname + url.search;
}

/** A delta client as the documentation describes it: merge items, drop @removed, apply members@delta. */
class DeltaMirror {
  readonly objects = new Map<string, Item>();
  readonly members = new Map<string, Set<string>>();
  deltaLink = '';

  constructor(private readonly sut: TestGraph) {}

  async sync(start: string): Promise<number> {
    let url = start;
    let seen = 0;
    for (;;) {
      const res: request.Response = await request(this.sut.app).get(url).expect(200);
      for (const item of res.body.value as Item[]) {
        seen++;
        if (item['@removed']) {
          this.objects.delete(item.id);
          this.members.delete(item.id);
          continue;
        }
        const { 'members@delta': delta, 'manager@delta': manager, ...props } = item;
        if (Array.isArray(manager)) {
          const current = (manager as Item[]).find((m) => !m['@removed']);
          props['manager'] = current ? current.id : null;
        }
        this.objects.set(item.id, { ...(this.objects.get(item.id) ?? {}), ...props } as Item);
        if (Array.isArray(delta)) {
          const set = this.members.get(item.id) ?? new Set<string>();
          for (const m of delta as Item[]) {
            if (m['@removed']) set.delete(m.id);
            else set.add(m.id);
          }
          this.members.set(item.id, set);
        }
      }
      if (res.body['@odata.deltaLink']) {
        this.deltaLink = local(res.body['@odata.deltaLink']);
        return seen;
      }
      url = local(res.body['@odata.nextLink']);
    }
  }
}

describe(`${createGraphRouter.name}: incremental delta equals a full read`, () => {
  it('mirrors users and group memberships through a sequence of changes', async () => {
    const sut = buildTestGraph({ users: 300 });
    const control = express();
    control.use('/_emulator/tenants', createTenantControlRouter(sut.world));
    const change = (body: object) =>
      request(control).post(`/_emulator/tenants/${sut.tenantId}/changes`).send(body).expect(200);
    const users = new DeltaMirror(sut);
    const groups = new DeltaMirror(sut);
    await users.sync('/v1.0/users/delta?$select=displayName,jobTitle,manager');
    await groups.sync('/v1.0/groups/delta?$select=displayName,members');

    // Skip the first users: they hold admin roles, whose deletion needs a privileged role.
    const all = [...users.objects.keys()].slice(30);
    const groupIds = [...groups.objects.keys()];
    await change({ action: 'changePercent', collection: 'users', percent: 5 });
    // A manager with direct reports leaves; another user gets a new manager.
    const tenant = sut.world.directory(sut.tenantId)!;
    const manager = all.find((id) => tenant.directReports(id).length > 1)!;
    const [report] = tenant.directReports(manager);
    await request(sut.app).delete(`/v1.0/users/${manager}`).expect(204);
    expect(tenant.manager(report!)).toBeUndefined();
    await request(sut.app)
      .put(`/v1.0/users/${all[9]}/manager/$ref`)
      .send({ '@odata.id': `https://graph.microsoft.com/v1.0/users/${all[10]}` })
      .expect(204);
    // Synced users keep jobTitle on-premises; change a cloud-only user's.
    const cloudOnly = all
      .slice(11)
      .find((id) => tenant.userByIdOrUpn(id)!['onPremisesSyncEnabled'] !== true)!;
    await request(sut.app).patch(`/v1.0/users/${cloudOnly}`).send({ jobTitle: 'Auditor' }).expect(204);
    await request(sut.app).delete(`/v1.0/users/${all[4]}`).expect(204);
    await request(sut.app).delete(`/v1.0/users/${all[5]}`).expect(204);
    await request(sut.app).post(`/v1.0/directory/deletedItems/${all[5]}/restore`).expect(200);
    const created = await request(sut.app)
      .post('/v1.0/users')
      .send({
        accountEnabled: true,
        displayName: 'New Hire',
        mailNickname: 'newhire',
        userPrincipalName: `newhire@${sut.world.getTenant(sut.tenantId)!.defaultDomain}`,
        passwordProfile: { password: 'x' },
      })
      .expect(201);
    const group = await request(sut.app)
      .post('/v1.0/groups')
      .send({
        displayName: 'Project X',
        mailEnabled: false,
        mailNickname: 'projectx',
        securityEnabled: true,
        'members@odata.bind': [`https://graph.microsoft.com/v1.0/directoryObjects/${created.body.id}`],
      })
      .expect(201);
    await change({ action: 'addMember', id: group.body.id, memberId: all[7] });
    await change({ action: 'addMember', id: groupIds[1], memberId: all[8] });
    const someMember = [...groups.members.get(groupIds[2]!)!][0]!;
    await change({ action: 'removeMember', id: groupIds[2], memberId: someMember });
    await request(sut.app).delete(`/v1.0/groups/${groupIds[3]}`).expect(204);
    await change({
      action: 'update',
      collection: 'groups',
      id: groupIds[1],
      patch: { displayName: 'Renamed' },
    });

    await users.sync(users.deltaLink);
    await groups.sync(groups.deltaLink);

    const truthUsers = (
      await request(control).get(`/_emulator/tenants/${sut.tenantId}/truth/users`).expect(200)
    ).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Item);
    expect([...users.objects.keys()].sort()).toEqual(truthUsers.map((u) => u.id).sort());
    for (const u of truthUsers) {
      expect(users.objects.get(u.id)).toMatchObject({
        displayName: u['displayName'],
        jobTitle: u['jobTitle'],
      });
      expect(users.objects.get(u.id)!['manager'] ?? null).toBe((u['manager'] as Item | null)?.id ?? null);
    }

    const truthGroups = (
      await request(control).get(`/_emulator/tenants/${sut.tenantId}/truth/groups`).expect(200)
    ).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Item);
    expect([...groups.objects.keys()].sort()).toEqual(truthGroups.map((g) => g.id).sort());
    for (const g of truthGroups) {
      expect([...(groups.members.get(g.id) ?? [])].sort()).toEqual(
        (g['members'] as Item[]).map((m) => m.id).sort(),
      );
      expect(groups.objects.get(g.id)!['displayName']).toBe(g['displayName']);
    }
    // Some forty HTTP round trips on a shared, loaded machine.
  }, 30_000);
});
