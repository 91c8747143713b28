import type { ObjectTypeKey } from '@entra-backup/common';
import {
  type GraphBatchOptions,
  type GraphBatchRequest,
  type GraphBatchResponse,
  GraphClient,
  GraphClientFactory,
  type GraphDeltaOptions,
  type GraphDeltaPage,
  type GraphMetricsSnapshot,
  type GraphPage,
  type GraphPageOptions,
  type GraphRequestOptions,
} from '@entra-backup/graph';
import { BackupService } from '../../src/modules/backup';
import { requiredAppRoles } from '../../src/modules/exporters';
import { RestoreService } from '../../src/modules/restore/restore.service';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';

jest.setTimeout(120_000);

type Json = Record<string, unknown>;

/**
 * Graph as a restore sees it when its process dies right after Graph answered a create: the
 * create is made, and its answer is lost before the restore can record it.
 */
class AnswerLostClient extends GraphClient {
  constructor(
    private readonly inner: GraphClient,
    private readonly lose: (request: GraphBatchRequest) => boolean,
    private readonly lost: { once: boolean },
  ) {
    super();
  }
  get tenantId(): string {
    return this.inner.tenantId;
  }
  get<T>(path: string, options?: GraphRequestOptions): Promise<T> {
    return this.inner.get<T>(path, options);
  }
  pages<T>(path: string, options?: GraphPageOptions): AsyncIterable<GraphPage<T>> {
    return this.inner.pages<T>(path, options);
  }
  listAll<T>(path: string, options?: GraphRequestOptions): Promise<T[]> {
    return this.inner.listAll<T>(path, options);
  }
  delta<T>(initialPath: string, options?: GraphDeltaOptions): AsyncIterable<GraphDeltaPage<T>> {
    return this.inner.delta<T>(initialPath, options);
  }
  async batch(
    requests: readonly GraphBatchRequest[],
    options?: GraphBatchOptions,
  ): Promise<Map<string, GraphBatchResponse>> {
    const answers = await this.inner.batch(requests, options);
    if (!this.lost.once && requests.some(this.lose)) {
      this.lost.once = true;
      throw new Error('The process running the restore stopped');
    }
    return answers;
  }
  post<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T | undefined> {
    return this.inner.post<T>(path, body, options);
  }
  patch<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T | undefined> {
    return this.inner.patch<T>(path, body, options);
  }
  put<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T | undefined> {
    return this.inner.put<T>(path, body, options);
  }
  delete(path: string, options?: GraphRequestOptions): Promise<void> {
    return this.inner.delete(path, options);
  }
  metrics(): GraphMetricsSnapshot {
    return this.inner.metrics();
  }
}

class AnswerLostFactory extends GraphClientFactory {
  private readonly lost = { once: false };

  constructor(
    private readonly inner: GraphClientFactory,
    private readonly lose: (request: GraphBatchRequest) => boolean,
  ) {
    super();
  }
  forTenant(tenantId: string): GraphClient {
    return new AnswerLostClient(this.inner.forTenant(tenantId), this.lose, this.lost);
  }
  getGrantedAppRoles(tenantId: string): Promise<string[]> {
    return this.inner.getGrantedAppRoles(tenantId);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * A restore interrupted at the worst moments and resumed: right after Graph made an object but
 * before the restore recorded it, and during the backup it takes before its first write.
 */
describe(`${RestoreService.name} resuming an interrupted restore`, () => {
  let h: BackupEngineHarness;
  let tenant: string;
  let sut: RestoreService;
  let graph: GraphClientFactory;

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 40 });
    tenant = h.tenants[0]!;
    h.consent(tenant, requiredAppRoles());
    sut = h.app.get(RestoreService);
    graph = h.graph.inner;
  });

  afterEach(() => {
    h.graph.inner = graph;
  });

  afterAll(async () => {
    await h.close();
  });

  async function backup(types: ObjectTypeKey[]): Promise<string> {
    const summary = await h.app
      .get(BackupService)
      .runBackup(tenant, { types, trigger: 'cli', actor: 'cli:test' });
    expect(summary.status).toBe('completed');
    return summary.snapshotId!;
  }

  /** Plans a restore, runs it until Graph's answer to the first POST to `createPath` is lost, and resumes it. */
  async function restoreLosingAnswer(
    snapshotId: string,
    types: ObjectTypeKey[],
    createPath: string,
    kind: 'recreate' | 'addLink' = 'recreate',
  ): Promise<{ restoreId: string; resumed: Awaited<ReturnType<RestoreService['resume']>> }> {
    const plan = await sut.createPlan(tenant, { snapshotId, types }, { actor: 'cli:test' });
    expect(plan.byAction[kind]).toBeGreaterThanOrEqual(1);
    h.graph.inner = new AnswerLostFactory(graph, (r) => r.method === 'POST' && r.url === createPath);
    await expect(sut.executePlan(tenant, plan.planId, { actor: 'cli:test' })).rejects.toThrow(
      'The process running the restore stopped',
    );
    h.graph.inner = graph;
    const { restoreId, status } = (await sut.listRestores(tenant, { page: 1, pageSize: 1 })).items[0]!;
    expect(status).toBe('interrupted');
    return { restoreId, resumed: await sut.resume(restoreId, { actor: 'cli:test' }) };
  }

  function cloudUsers(users: Json[], privileged: Set<string>): Json[] {
    return users.filter((u) => u['onPremisesSyncEnabled'] !== true && !privileged.has(String(u['id'])));
  }

  it('adopts a user Graph made before the restore could record it, without making it twice', async () => {
    const snapshotId = await backup(['users']);
    const privileged = new Set(
      (await h.truth(tenant, 'roleAssignments')).map((a) => String(a['principalId'])),
    );
    const victim = cloudUsers(await h.truth(tenant, 'users'), privileged)[3]!;
    const client = h.graph.forTenant(tenant);
    await client.delete(`/users/${String(victim['id'])}`);
    await client.delete(`/directory/deletedItems/${String(victim['id'])}`);

    const { resumed } = await restoreLosingAnswer(snapshotId, ['users'], '/users');

    expect(resumed).toMatchObject({ status: 'completed', counts: { recreated: 1, failed: 0 } });
    const namesakes = (await h.truth(tenant, 'users')).filter(
      (u) => u['userPrincipalName'] === victim['userPrincipalName'],
    );
    expect(namesakes.map((u) => u['id'])).toEqual([resumed.idMap[String(victim['id'])]]);
  });

  it('adds a role assignment once when the answer to its create was lost', async () => {
    const snapshotId = await backup(['customRoles']);
    const custom = new Set(
      (await h.truth(tenant, 'roleDefinitions')).filter((r) => r['isBuiltIn'] === false).map((r) => r['id']),
    );
    const assignment = (await h.truth(tenant, 'roleAssignments')).find((a) =>
      custom.has(a['roleDefinitionId']),
    )!;
    await h.graph
      .forTenant(tenant)
      .delete(`/roleManagement/directory/roleAssignments/${String(assignment['id'])}`);

    const { resumed } = await restoreLosingAnswer(
      snapshotId,
      ['customRoles'],
      '/roleManagement/directory/roleAssignments',
      'addLink',
    );

    expect(resumed).toMatchObject({ status: 'completed', counts: { linksAdded: 1, failed: 0 } });
    const same = (await h.truth(tenant, 'roleAssignments')).filter(
      (a) =>
        a['principalId'] === assignment['principalId'] &&
        a['roleDefinitionId'] === assignment['roleDefinitionId'] &&
        a['directoryScopeId'] === assignment['directoryScopeId'],
    );
    expect(same).toHaveLength(1);
  });

  /*
   * Known gap: the temporary password of a user adopted on resume was made by the process that
   * died; it was never sealed, so it is lost and nobody can sign in as the user. Fix: when the
   * executor adopts a user (findCreated), set a new temporary password on it (PATCH passwordProfile)
   * and seal that one, as a create does. Remove `.failing` then.
   */
  it('hands out the temporary password of a user adopted on resume', async () => {
    const snapshotId = await backup(['users']);
    const privileged = new Set(
      (await h.truth(tenant, 'roleAssignments')).map((a) => String(a['principalId'])),
    );
    const victim = cloudUsers(await h.truth(tenant, 'users'), privileged)[4]!;
    const client = h.graph.forTenant(tenant);
    await client.delete(`/users/${String(victim['id'])}`);
    await client.delete(`/directory/deletedItems/${String(victim['id'])}`);

    const { restoreId, resumed } = await restoreLosingAnswer(snapshotId, ['users'], '/users');

    expect(resumed.status).toBe('completed');
    await expect(sut.takeCredentials(tenant, restoreId, 'cli:test')).resolves.toEqual([
      expect.objectContaining({ id: victim['id'], temporaryPassword: expect.any(String) }),
    ]);
  });

  it('makes a Conditional Access policy once when the answer to its create was lost', async () => {
    const snapshotId = await backup(['conditionalAccessPolicies']);
    const policy = (await h.truth(tenant, 'conditionalAccessPolicies'))[0]!;
    const id = String(policy['id']);
    // Deleted for good (out of its recycle bin too), so the restore creates it anew.
    await h.graph.forTenant(tenant).delete(`/identity/conditionalAccess/policies/${id}`);
    await h.graph
      .forTenant(tenant)
      .delete(`/identity/conditionalAccess/deletedItems/policies/${id}`, { version: 'beta' });

    const { resumed } = await restoreLosingAnswer(
      snapshotId,
      ['conditionalAccessPolicies'],
      '/identity/conditionalAccess/policies',
    );

    expect(resumed.status).toBe('completed');
    const namesakes = (await h.truth(tenant, 'conditionalAccessPolicies')).filter(
      (p) => p['displayName'] === policy['displayName'],
    );
    expect(namesakes).toHaveLength(1);
  });

  it('takes the backup that undoes the restore when it was interrupted while taking it', async () => {
    const snapshotId = await backup(['users']);
    await h.graph
      .forTenant(tenant)
      .patch(`/users/${String((await h.truth(tenant, 'users'))[2]!['id'])}`, { jobTitle: 'Changed' });
    const plan = await sut.createPlan(tenant, { snapshotId, types: ['users'] }, { actor: 'cli:test' });
    const stop = new AbortController();

    await expect(
      sut.executePlan(tenant, plan.planId, {
        actor: 'cli:test',
        signal: stop.signal,
        // Stopped as soon as it starts: in the backup taken before the first write.
        onProgress: (event) => {
          if (event.kind === 'restore-started') stop.abort(new Error('Stopped by the operator'));
        },
      }),
    ).rejects.toThrow();
    const { restoreId } = (await sut.listRestores(tenant, { page: 1, pageSize: 1 })).items[0]!;
    const resumed = await sut.resume(restoreId, { actor: 'cli:test' });

    expect(resumed.status).toBe('completed');
    expect(resumed.preRestoreSnapshotId).toEqual(expect.any(String));
  });
});
