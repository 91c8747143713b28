import type { BackupProgressEvent, ObjectTypeKey } from '@entra-backup/common';
import {
  type GraphBatchRequest,
  type GraphBatchResponse,
  GraphClient,
  type GraphDeltaOptions,
  type GraphDeltaPage,
  type GraphMetricsSnapshot,
  type GraphPage,
  GraphRequestError,
} from '@entra-backup/graph';
import type { Descriptor, GraphObject } from './descriptor';
import { bitlockerKeysDescriptor } from './descriptors/bitlocker-keys.descriptor';
import { usersDescriptor } from './descriptors/users.descriptor';
import { EXTENSION_LOOKUP_PATH } from './directory-extensions';
import {
  type EngineRunRequest,
  ExportEngine,
  type PreviousState,
  type SnapshotSink,
  type StoredObjectKey,
  withQuery,
} from './engine';

type Json = Record<string, unknown>;

/** A strict double of the Graph client: only scripted paths answer, everything else throws. */
class FakeGraphClient extends GraphClient {
  readonly tenantId = '00000000-0000-4000-8000-000000000001';
  readonly lists = new Map<string, Array<Partial<GraphPage<Json>> & { items: Json[] }>>();
  readonly deltas = new Map<
    string,
    (options: GraphDeltaOptions) => Array<Partial<GraphDeltaPage<Json>> & { items: Json[] }>
  >();
  batchAnswer: (request: GraphBatchRequest) => Omit<GraphBatchResponse, 'id' | 'headers'> = () => ({
    status: 404,
  });
  readonly requested: string[] = [];
  readonly batched: string[] = [];
  failOn?: { path: string; error: GraphRequestError };

  /** Single objects by path (`/policies/authorizationPolicy`); any other GET throws. */
  readonly objects = new Map<string, Json>();

  get<T>(path: string): Promise<T> {
    this.requested.push(path);
    if (this.failOn?.path === path) return Promise.reject(this.failOn.error);
    const object = this.objects.get(path);
    if (!object) throw new Error(`Unexpected get ${path}`);
    return Promise.resolve(object as T);
  }

  readonly signals = new Map<string, AbortSignal | undefined>();
  /** Lists that answer only once their promise resolves (a request waiting on a rate limit). */
  readonly held = new Map<string, Promise<void>>();

  async *pages<T>(path: string, options: { signal?: AbortSignal } = {}): AsyncIterable<GraphPage<T>> {
    this.requested.push(path);
    this.signals.set(path, options.signal);
    await this.held.get(path);
    if (this.failOn?.path === path) throw this.failOn.error;
    const pages = this.lists.get(path);
    if (!pages) throw new Error(`Unexpected list ${path}`);
    for (const [index, page] of pages.entries()) {
      yield { pageIndex: index, restarted: false, ...page } as GraphPage<T>;
    }
  }

  listAll<T>(): Promise<T[]> {
    throw new Error('listAll is not expected');
  }

  async *delta<T>(path: string, options: GraphDeltaOptions = {}): AsyncIterable<GraphDeltaPage<T>> {
    this.requested.push(options.deltaLink ?? path);
    const round = this.deltas.get(path);
    if (!round) throw new Error(`Unexpected delta ${path}`);
    for (const [index, page] of round(options).entries()) {
      yield {
        pageIndex: index,
        restarted: false,
        fullSync: options.deltaLink === undefined,
        ...page,
      } as GraphDeltaPage<T>;
    }
  }

  batch(requests: readonly GraphBatchRequest[]): Promise<Map<string, GraphBatchResponse>> {
    return Promise.resolve(
      new Map(
        requests.map((r) => {
          this.batched.push(r.url);
          return [r.id, { id: r.id, headers: {}, ...this.batchAnswer(r) }];
        }),
      ),
    );
  }

  /** Directory extension definitions `getAvailableExtensionProperties` answers (or its error). */
  extensionDefinitions: Json[] | GraphRequestError = [];
  readonly posted: Array<{ path: string; body: unknown }> = [];

  post<T>(path: string, body: unknown): Promise<T | undefined> {
    if (path !== EXTENSION_LOOKUP_PATH) throw new Error(`post ${path} is not expected`);
    this.posted.push({ path, body });
    const answer = this.extensionDefinitions;
    if (answer instanceof GraphRequestError) return Promise.reject(answer);
    return Promise.resolve({ value: answer } as T);
  }
  patch<T>(): Promise<T | undefined> {
    throw new Error('patch is not expected');
  }
  put<T>(): Promise<T | undefined> {
    throw new Error('put is not expected');
  }
  delete(): Promise<void> {
    throw new Error('delete is not expected');
  }

  metrics(): GraphMetricsSnapshot {
    return {
      requests: this.requested.length + Math.ceil(this.batched.length / 20),
      retries: 1,
      throttledResponses: 0,
      throttledWaits: 2,
      throttledWaitMs: 300,
      bytesReceived: 0,
    };
  }
}

/** Records what the engine writes, in order. */
class RecordingSink implements SnapshotSink {
  readonly puts: Array<{ type: string; collection: string; object: GraphObject }> = [];
  readonly removes: Array<{ type: string; collection: string; id: string }> = [];
  readonly restarts: string[] = [];
  readonly logs: Array<{ type: string; collection: string; ids: string[] }> = [];
  readonly deltaLinks = new Map<string, string>();
  readonly watermarks = new Map<string, string>();
  readonly ended = new Map<
    string,
    { status: string; reason?: string; graphCode?: string; requestId?: string; requests: number }
  >();
  /** Puts and type ends in call order (`put groups/g1`, `end groups`). */
  readonly order: string[] = [];
  failPuts = false;

  put(type: ObjectTypeKey, collection: string, object: GraphObject): Promise<void> {
    if (this.failPuts) return Promise.reject(new Error('disk full'));
    this.puts.push({ type, collection, object });
    this.order.push(`put ${type}/${object.id}`);
    return Promise.resolve();
  }
  remove(type: ObjectTypeKey, collection: string, id: string): Promise<void> {
    this.removes.push({ type, collection, id });
    return Promise.resolve();
  }
  /** Like the storage: what the run put or removed in the collection so far is forgotten. */
  restartCollection(type: ObjectTypeKey, collection: string): Promise<void> {
    this.restarts.push(`${type}/${collection}`);
    const other = (e: { type: string; collection: string }) => e.type !== type || e.collection !== collection;
    this.puts.splice(0, this.puts.length, ...this.puts.filter(other));
    this.removes.splice(0, this.removes.length, ...this.removes.filter(other));
    return Promise.resolve();
  }
  /** Like the storage: the collection's staged objects and new deltaLink are dropped. */
  async skipCollection(type: ObjectTypeKey, collection: string): Promise<void> {
    await this.restartCollection(type, collection);
    this.deltaLinks.delete(`${type}/${collection}`);
    this.skipped.push(`${type}/${collection}`);
  }
  readonly skipped: string[] = [];
  appendLogs(type: ObjectTypeKey, collection: string, entries: readonly GraphObject[]): Promise<void> {
    this.logs.push({ type, collection, ids: entries.map((e) => e.id) });
    return Promise.resolve();
  }
  setWatermark(type: ObjectTypeKey, watermark: string): void {
    this.watermarks.set(type, watermark);
  }
  setDeltaLink(type: ObjectTypeKey, collection: string, link: string): void {
    this.deltaLinks.set(`${type}/${collection}`, link);
  }
  completeType(type: ObjectTypeKey, figures: { requests: number }): Promise<void> {
    this.order.push(`end ${type}`);
    this.ended.set(type, { status: 'succeeded', requests: figures.requests });
    return Promise.resolve();
  }
  failType(
    type: ObjectTypeKey,
    failure: { reason: string; graphCode?: string; requestId?: string; requests: number },
  ): Promise<void> {
    this.ended.set(type, { status: 'failed', ...failure });
    return Promise.resolve();
  }
  skipType(type: ObjectTypeKey, reason: string, figures: { requests: number }): Promise<void> {
    this.ended.set(type, { status: 'skipped', reason, requests: figures.requests });
    return Promise.resolve();
  }
}

function previousState(
  state: {
    links?: Record<string, string>;
    watermark?: string;
    objects?: Record<string, Json[]>;
    /** What the browse index says names each principal id now, and in any stored version. */
    referrers?: Record<string, Array<Omit<StoredObjectKey, 'target'>>>;
    formerReferrers?: Record<string, Array<Omit<StoredObjectKey, 'target'>>>;
  } = {},
): PreviousState & { referrerQueries: string[][] } {
  const referrerQueries: string[][] = [];
  return {
    referrerQueries,
    deltaLink: (type, collection) => Promise.resolve(state.links?.[`${type}/${collection}`]),
    watermark: () => Promise.resolve(state.watermark ?? null),
    async *objects(type, collection) {
      for (const object of state.objects?.[`${type}/${collection}`] ?? [])
        yield { id: String(object['id']), object };
    },
    present: (type, collection, ids) => {
      const held = new Set((state.objects?.[`${type}/${collection}`] ?? []).map((o) => String(o['id'])));
      return Promise.resolve(new Set(ids.filter((id) => held.has(id))));
    },
    referrers: (ids, when) => {
      referrerQueries.push([when, ...ids]);
      const source = (when === 'now' ? state.referrers : state.formerReferrers) ?? {};
      return Promise.resolve(ids.flatMap((id) => (source[id] ?? []).map((k) => ({ ...k, target: id }))));
    },
  };
}

const groups: Descriptor = {
  key: 'groups',
  collections: [
    {
      name: 'groups',
      version: 'v1.0',
      path: '/groups',
      select: ['id', 'displayName'],
      pageSize: 999,
      supportsTop: true,
      delta: { path: '/groups/delta', select: ['id', 'displayName', 'members'], maxPageSize: 999 },
      children: [
        { name: 'members', path: (id) => `/groups/${id}/members`, select: ['id'], top: 999, reference: true },
      ],
    },
  ],
  permissions: { read: ['Group.Read.All'], write: [] },
  skipWhen: [{ kind: 'licenseRequired', reason: 'No licence' }],
  secretFields: [],
};

const signIns: Descriptor = {
  key: 'signInLogs',
  collections: [
    {
      name: 'signIns',
      version: 'v1.0',
      path: '/auditLogs/signIns',
      pageSize: 1000,
      supportsTop: true,
      log: { timeProperty: 'createdDateTime' },
    },
  ],
  permissions: { read: ['AuditLog.Read.All'], write: [] },
  skipWhen: [{ kind: 'licenseRequired', reason: 'Sign-in logs need a premium licence' }],
  secretFields: [],
};

/** A principal collection (devices can be group and unit members). */
const devices: Descriptor = {
  key: 'devices',
  collections: [
    {
      name: 'devices',
      principal: true,
      version: 'v1.0',
      path: '/devices',
      select: ['id'],
      pageSize: 999,
      supportsTop: true,
      delta: { path: '/devices/delta', select: ['id'], maxPageSize: 999 },
    },
  ],
  permissions: { read: ['Device.Read.All'], write: [] },
  skipWhen: [],
  secretFields: [],
};
const DEVICES_LATEST = '/devices/delta?$select=id&$deltatoken=latest';

const LIST = '/groups?$select=id,displayName&$top=999';
const LATEST = '/groups/delta?$select=id,displayName,members&$deltatoken=latest';
const fixedClock = { now: () => new Date('2026-11-26T06:00:00Z') };

function graphError(status: number, code: string, kind: GraphRequestError['kind']): GraphRequestError {
  return new GraphRequestError({ kind, method: 'GET', path: '/v1.0/x', status, code, requestId: 'req-42' });
}

describe(ExportEngine.name, () => {
  let client: FakeGraphClient;
  let sink: RecordingSink;
  let events: BackupProgressEvent[];

  beforeEach(() => {
    client = new FakeGraphClient();
    sink = new RecordingSink();
    events = [];
    client.deltas.set(LATEST, () => [{ items: [], deltaLink: 'https://graph/delta?$deltatoken=fresh' }]);
    client.batchAnswer = (r) => {
      const match = /^\/groups\/([^/?]+)\/members/.exec(r.url);
      if (match)
        return {
          status: 200,
          body: {
            value: [{ '@odata.type': '#microsoft.graph.user', id: `${match[1]}-m`, displayName: 'ignored' }],
          },
        };
      const group = /^\/groups\/([^/?]+)\?/.exec(r.url);
      if (group)
        return group[1] === 'gone'
          ? { status: 404 }
          : {
              status: 200,
              body: { '@odata.context': 'x', id: group[1], displayName: `re-read ${group[1]}` },
            };
      return { status: 404 };
    };
  });

  const run = (
    descriptors: Partial<Record<ObjectTypeKey, Descriptor>>,
    request: Partial<EngineRunRequest> & { types: ObjectTypeKey[] },
  ) =>
    new ExportEngine(descriptors as Record<ObjectTypeKey, Descriptor>, fixedClock).run({
      runId: 'run-1',
      mode: 'full',
      clientFor: () => client,
      sink,
      previous: previousState(),
      onProgress: (e) => events.push(e),
      ...request,
    });

  it('streams every page into the snapshot with children embedded as references, and stores a deltaLink taken first', async () => {
    client.lists.set(LIST, [
      { items: [{ id: 'g1', displayName: 'One' }] },
      { items: [{ id: 'g2', displayName: 'Two', '@odata.etag': 'x' }] },
    ]);
    const sut = await run({ groups }, { types: ['groups'] });

    expect(client.requested).toEqual([LATEST, LIST]);
    expect(sink.puts.map((p) => p.object)).toEqual([
      { id: 'g1', displayName: 'One', members: [{ '@odata.type': '#microsoft.graph.user', id: 'g1-m' }] },
      { id: 'g2', displayName: 'Two', members: [{ '@odata.type': '#microsoft.graph.user', id: 'g2-m' }] },
    ]);
    expect(sink.deltaLinks.get('groups/groups')).toBe('https://graph/delta?$deltatoken=fresh');
    expect(sink.ended.get('groups')).toMatchObject({ status: 'succeeded' });
    expect(sut[0]).toMatchObject({
      type: 'groups',
      status: 'succeeded',
      objectsRead: 2,
      retries: 1,
      throttledWaits: 2,
      throttledWaitMs: 300,
    });
    // One latest-token request, one page, one batch for two member lists.
    expect(sut[0]!.minimumRequests).toBe(3);
    expect(events.map((e) => e.kind)).toEqual([
      'type-started',
      'type-progress',
      'type-progress',
      'type-finished',
    ]);
  });

  it('asks for a conditional child list only of the objects it applies to, and embeds it only there', async () => {
    const spec = groups.collections[0];
    const withSettings: Descriptor = {
      ...groups,
      collections: [
        {
          ...spec,
          children: [
            ...(spec.children ?? []),
            {
              name: 'settings',
              path: (id) => `/groups/${id}/settings`,
              when: (group) => group['displayName'] === 'Unified',
            },
          ],
        },
      ],
    };
    const answer = client.batchAnswer;
    client.batchAnswer = (r) =>
      r.url.endsWith('/settings')
        ? { status: 200, body: { value: [{ id: 's1', templateId: 't' }] } }
        : answer(r);
    client.lists.set(LIST, [
      {
        items: [
          { id: 'g1', displayName: 'Unified' },
          { id: 'g2', displayName: 'Security' },
        ],
      },
    ]);
    await run({ groups: withSettings }, { types: ['groups'] });

    expect(client.batched.filter((u) => u.includes('/settings'))).toEqual(['/groups/g1/settings']);
    expect(sink.puts.map((p) => p.object['settings'])).toEqual([[{ id: 's1', templateId: 't' }], undefined]);
  });

  it('reads a property returned in full only on a single-object GET, and only for objects that have it', async () => {
    const withCertificates: Descriptor = {
      ...groups,
      collections: [
        {
          ...groups.collections[0],
          children: [
            ...groups.collections[0].children!,
            {
              name: 'keyCredentials',
              path: (id) => `/groups/${id}`,
              select: ['keyCredentials'],
              singleObjectProperty: true,
              when: (o) => Array.isArray(o['keyCredentials']) && o['keyCredentials'].length > 0,
            },
          ],
        },
      ],
    };
    client.lists.set(LIST, [
      {
        items: [
          { id: 'g1', keyCredentials: [{ keyId: 'k1', key: null }] },
          { id: 'g2', keyCredentials: [] },
        ],
      },
    ]);
    const answer = client.batchAnswer;
    client.batchAnswer = (r) =>
      r.url === '/groups/g1?$select=keyCredentials'
        ? { status: 200, body: { '@odata.context': 'x', keyCredentials: [{ keyId: 'k1', key: 'TUlJQw==' }] } }
        : answer(r);
    await run({ groups: withCertificates }, { types: ['groups'] });

    expect(client.batched.filter((url) => url.includes('keyCredentials'))).toEqual([
      '/groups/g1?$select=keyCredentials',
    ]);
    expect(sink.puts.map((p) => p.object['keyCredentials'])).toEqual([
      [{ keyId: 'k1', key: 'TUlJQw==' }],
      [],
    ]);
  });

  it('starts a collection over when its enumeration restarted on an expired page token: objects seen only before are dropped', async () => {
    client.lists.set(LIST, [
      { items: [{ id: 'g1' }, { id: 'old' }] },
      { items: [{ id: 'g1' }], restarted: true, restartReason: 'expiredPageToken' },
    ]);
    const sut = await run({ groups }, { types: ['groups'] });

    expect(sink.restarts).toEqual(['groups/groups']);
    expect(sink.puts.map((p) => p.object.id)).toEqual(['g1']);
    expect(sink.removes).toEqual([]);
    // The minimum counts the round that counted: one page, one batch of member lists (+ the latest token).
    expect(sut[0]!.minimumRequests).toBe(3);
  });

  it('after a restart in an incremental run, removes what the previous snapshot held and the new round did not list', async () => {
    client.lists.set(LIST, [
      { items: [{ id: 'g1' }, { id: 'old' }] },
      { items: [{ id: 'g1' }], restarted: true, restartReason: 'expiredPageToken' },
    ]);
    const groupsWithoutDelta: Descriptor = {
      ...groups,
      collections: [{ ...groups.collections[0]!, delta: undefined }],
    };
    await run(
      { groups: groupsWithoutDelta },
      {
        types: ['groups'],
        mode: 'incremental',
        previous: previousState({ objects: { 'groups/groups': [{ id: 'g1' }, { id: 'old' }] } }),
      },
    );

    expect(sink.restarts).toEqual(['groups/groups']);
    expect(sink.puts.map((p) => p.object.id)).toEqual(['g1']);
    expect(sink.removes).toEqual([{ type: 'groups', collection: 'groups', id: 'old' }]);
  });

  it('replays a delta round: removes @removed objects, re-reads changed ones with their children, keeps the new deltaLink', async () => {
    client.deltas.set(LATEST, (options) => {
      expect(options.deltaLink).toBe('https://graph/delta?$deltatoken=stored');
      return [
        {
          items: [
            { id: 'g1', 'members@delta': [{ id: 'u9' }] },
            { id: 'g2', '@removed': { reason: 'deleted' } },
          ],
          fullSync: false,
        },
        {
          items: [{ id: 'gone' }, { id: 'g1' }],
          fullSync: false,
          deltaLink: 'https://graph/delta?$deltatoken=next',
        },
      ];
    });
    const previous = previousState({ links: { 'groups/groups': 'https://graph/delta?$deltatoken=stored' } });
    const sut = await run({ groups }, { types: ['groups'], mode: 'incremental', previous });

    expect(sink.removes.map((r) => r.id)).toEqual(['g2', 'gone']);
    expect(sink.puts.map((p) => p.object)).toEqual([
      {
        id: 'g1',
        displayName: 're-read g1',
        members: [{ '@odata.type': '#microsoft.graph.user', id: 'g1-m' }],
      },
      {
        id: 'g1',
        displayName: 're-read g1',
        members: [{ '@odata.type': '#microsoft.graph.user', id: 'g1-m' }],
      },
    ]);
    expect(client.batched).toContain('/groups/g1?$select=id,displayName');
    expect(sink.deltaLinks.get('groups/groups')).toBe('https://graph/delta?$deltatoken=next');
    expect(client.requested).not.toContain(LIST);
    expect(sut[0]!.status).toBe('succeeded');
  });

  it('re-reads changed users through the delta query scoped to their ids, one envelope for many users', async () => {
    const delta = usersDescriptor.collections[0].delta!;
    const select = delta.select.join(',');
    client.deltas.set(withQuery(delta.path, { $select: select, $deltatoken: 'latest' }), () => [
      {
        items: [{ id: 'u1' }, { id: 'u2' }, { id: 'u3', '@removed': { reason: 'changed' } }],
        fullSync: false,
        deltaLink: 'https://graph/users/delta?$deltatoken=next',
      },
    ]);
    client.batchAnswer = (r) => {
      expect(r.url).toContain("$filter=id%20eq%20'u1'%20or%20id%20eq%20'u2'");
      return {
        status: 200,
        body: {
          value: [
            {
              id: 'u1',
              displayName: 'Ada',
              'manager@delta': [{ '@odata.type': '#microsoft.graph.user', id: 'boss' }],
            },
          ],
        },
      };
    };
    const previous = previousState({
      links: { 'users/users': 'https://graph/users/delta?$deltatoken=stored' },
    });
    // The user objects alone: their sponsors and authentication methods are read per user, tested elsewhere.
    const [users] = usersDescriptor.collections;
    const usersOnly = { ...usersDescriptor, collections: [{ ...users, children: [] }] as const };
    const sut = await run({ users: usersOnly }, { types: ['users'], mode: 'incremental', previous });

    expect(client.batched).toHaveLength(1);
    expect(sink.puts.map((p) => p.object)).toEqual([
      { id: 'u1', displayName: 'Ada', manager: { '@odata.type': '#microsoft.graph.user', id: 'boss' } },
    ]);
    // u2 changed and then disappeared before the re-read; u3 was reported removed.
    expect(sink.removes.map((r) => r.id).sort()).toEqual(['u2', 'u3']);
    expect(sut[0]!.minimumRequests).toBe(2);
  });

  it('reads the sponsors of users re-read through the scoped delta query, which does not carry them', async () => {
    const [users] = usersDescriptor.collections;
    const delta = users.delta!;
    client.deltas.set(
      withQuery(delta.path, { $select: delta.select.join(','), $deltatoken: 'latest' }),
      () => [
        { items: [{ id: 'u1' }], fullSync: false, deltaLink: 'https://graph/users/delta?$deltatoken=next' },
      ],
    );
    client.batchAnswer = (r) =>
      r.url.startsWith('/users/u1/sponsors')
        ? {
            status: 200,
            body: { value: [{ '@odata.type': '#microsoft.graph.group', id: 'g9', displayName: 'Hosts' }] },
          }
        : { status: 200, body: { value: [{ id: 'u1', displayName: 'Ada' }] } };
    const previous = previousState({
      links: { 'users/users': 'https://graph/users/delta?$deltatoken=stored' },
    });
    const usersOnly = { ...usersDescriptor, collections: [users] as const };
    const sut = await run({ users: usersOnly }, { types: ['users'], mode: 'incremental', previous });

    expect(sink.puts.map((p) => p.object)).toEqual([
      {
        id: 'u1',
        displayName: 'Ada',
        manager: null,
        sponsors: [{ '@odata.type': '#microsoft.graph.group', id: 'g9' }],
      },
    ]);
    expect(client.batched.map((url) => url.split('?')[0])).toEqual(['/users/delta', '/users/u1/sponsors']);
    expect(sut[0]!.minimumRequests).toBe(3);
  });

  it('falls back to a full enumeration when the stored delta token expired, removing what disappeared', async () => {
    client.deltas.set(LATEST, () => [
      {
        items: [],
        fullSync: true,
        restarted: true,
        restartReason: 'syncStateNotFound',
        deltaLink: 'https://graph/delta?$deltatoken=fallback',
      },
    ]);
    client.lists.set(LIST, [{ items: [{ id: 'g1' }] }]);
    const previous = previousState({
      links: { 'groups/groups': 'https://graph/delta?$deltatoken=expired' },
      objects: { 'groups/groups': [{ id: 'g1' }, { id: 'deleted-meanwhile' }] },
    });
    await run({ groups }, { types: ['groups'], mode: 'incremental', previous });

    expect(sink.puts.map((p) => p.object.id)).toEqual(['g1']);
    expect(sink.removes.map((r) => r.id)).toEqual(['deleted-meanwhile']);
    expect(sink.deltaLinks.get('groups/groups')).toBe('https://graph/delta?$deltatoken=fallback');
  });

  it('reads logs from the watermark minus the overlap (15 minutes: three times the documented latency) and moves the watermark to the newest entry', async () => {
    const path = '/auditLogs/signIns?$top=1000&$filter=createdDateTime%20ge%202026-11-25T23%3A45%3A00Z';
    client.lists.set(path, [
      {
        items: [
          { id: 's2', createdDateTime: '2026-11-26T05:00:00Z' },
          { id: 's1', createdDateTime: '2026-11-26T01:00:00Z' },
        ],
      },
    ]);
    await run(
      { signInLogs: signIns },
      {
        types: ['signInLogs'],
        mode: 'incremental',
        previous: previousState({ watermark: '2026-11-26T00:00:00Z' }),
      },
    );

    expect(sink.logs).toEqual([{ type: 'signInLogs', collection: 'signIns', ids: ['s2', 's1'] }]);
    expect(sink.watermarks.get('signInLogs')).toBe('2026-11-26T05:00:00Z');
  });

  it('reads log types beside the directory types: a log waiting on the reports limit holds no type worker', async () => {
    const signInsPath = '/auditLogs/signIns?$top=1000';
    let release!: () => void;
    client.held.set(signInsPath, new Promise<void>((resolve) => (release = resolve)));
    client.lists.set(signInsPath, [{ items: [{ id: 's1', createdDateTime: '2026-11-26T05:00:00Z' }] }]);
    client.lists.set(LIST, [{ items: [{ id: 'g1', displayName: 'One' }] }]);
    const engine = new ExportEngine(
      { signInLogs: signIns, groups } as Record<ObjectTypeKey, Descriptor>,
      fixedClock,
      {
        typeConcurrency: 1,
        logOverlapMs: 0,
      },
    );
    const running = engine.run({
      runId: 'run-1',
      mode: 'full',
      types: ['signInLogs', 'groups'],
      clientFor: () => client,
      sink,
      previous: previousState(),
    });
    for (let i = 0; i < 50 && !sink.ended.has('groups'); i++) await new Promise((r) => setImmediate(r));

    expect(sink.ended.get('groups')).toMatchObject({ status: 'succeeded' });
    expect(sink.ended.has('signInLogs')).toBe(false);
    release();
    const outcomes = await running;
    expect(outcomes.map((o) => [o.type, o.status])).toEqual([
      ['signInLogs', 'succeeded'],
      ['groups', 'succeeded'],
    ]);
    expect(sink.logs).toEqual([{ type: 'signInLogs', collection: 'signIns', ids: ['s1'] }]);
  });

  it('skips a type on an answer its descriptor lists as not applicable, with reason and Graph code', async () => {
    client.failOn = {
      path: '/auditLogs/signIns?$top=1000',
      error: graphError(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', 'licenseRequired'),
    };
    const sut = await run({ signInLogs: signIns }, { types: ['signInLogs'] });

    expect(sink.ended.get('signInLogs')).toMatchObject({
      status: 'skipped',
      reason: 'Sign-in logs need a premium licence',
    });
    expect(sut[0]).toMatchObject({
      status: 'skipped',
      graphCode: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
      requestId: 'req-42',
    });
  });

  it('fails only the type whose Graph request failed, keeping the others', async () => {
    client.failOn = { path: LIST, error: graphError(403, 'Authorization_RequestDenied', 'forbidden') };
    client.lists.set('/auditLogs/signIns?$top=1000', [
      { items: [{ id: 's1', createdDateTime: '2026-11-26T01:00:00Z' }] },
    ]);
    const sut = await run({ groups, signInLogs: signIns }, { types: ['groups', 'signInLogs'] });

    expect(sut.map((o) => [o.type, o.status])).toEqual([
      ['groups', 'failed'],
      ['signInLogs', 'succeeded'],
    ]);
    expect(sink.ended.get('groups')).toMatchObject({
      status: 'failed',
      graphCode: 'Authorization_RequestDenied',
      requestId: 'req-42',
    });
  });

  it('stores a collection as empty when Graph says it cannot exist in the tenant', async () => {
    const withEligibility: Descriptor = {
      ...groups,
      collections: [
        { ...groups.collections[0], delta: undefined, children: [] },
        {
          name: 'eligibility',
          version: 'v1.0',
          path: '/eligibility',
          pageSize: 999,
          supportsTop: false,
          emptyWhen: [{ status: 400, code: 'AadPremiumLicenseRequired', reason: 'No P2' }],
        },
      ],
    };
    client.lists.set(LIST, [{ items: [{ id: 'g1' }] }]);
    client.failOn = {
      path: '/eligibility',
      error: graphError(400, 'AadPremiumLicenseRequired', 'badRequest'),
    };
    const previous = previousState({
      objects: { 'groups/eligibility': [{ id: 'e1' }], 'groups/groups': [{ id: 'g1' }] },
    });
    const sut = await run({ groups: withEligibility }, { types: ['groups'], mode: 'incremental', previous });

    expect(sut[0]!.status).toBe('succeeded');
    expect(sink.removes).toEqual([{ type: 'groups', collection: 'eligibility', id: 'e1' }]);
  });

  it('lets a storage failure end the whole run instead of blaming a type', async () => {
    client.lists.set(LIST, [{ items: [{ id: 'g1' }] }]);
    sink.failPuts = true;
    await expect(run({ groups }, { types: ['groups'] })).rejects.toThrow('disk full');
  });

  it('cancels the other types once one failed fatally', async () => {
    client.lists.set(LIST, [{ items: [{ id: 'g1' }] }]);
    client.lists.set('/auditLogs/signIns?$top=1000', [{ items: [] }]);
    sink.failPuts = true;
    await expect(run({ groups, signInLogs: signIns }, { types: ['signInLogs', 'groups'] })).rejects.toThrow(
      'disk full',
    );
    const logSignal = client.signals.get('/auditLogs/signIns?$top=1000');
    expect(logSignal?.aborted).toBe(true);
  });

  it('stops at the next page once the run is aborted', async () => {
    client.lists.set(LIST, [{ items: [{ id: 'g1' }] }, { items: [{ id: 'g2' }] }]);
    const controller = new AbortController();
    const cancelling: SnapshotSink = Object.assign(Object.create(sink) as RecordingSink, {
      put: (type: ObjectTypeKey, collection: string, object: GraphObject) => {
        controller.abort(new Error('cancelled by the operator'));
        return sink.put(type, collection, object);
      },
    });
    await expect(
      run({ groups }, { types: ['groups'], sink: cancelling, signal: controller.signal }),
    ).rejects.toThrow('cancelled by the operator');
    expect(sink.puts.map((p) => p.object.id)).toEqual(['g1']);
  });

  it('reads only BitLocker keys the previous snapshot does not hold, and counts the reads', async () => {
    client.lists.set('/informationProtection/bitlocker/recoveryKeys', [
      {
        items: [
          { id: 'k1', deviceId: 'd1' },
          { id: 'k2', deviceId: 'd2' },
          { id: 'k3', deviceId: 'd3' },
        ],
      },
    ]);
    client.batchAnswer = (r) =>
      r.url.startsWith('/informationProtection/bitlocker/recoveryKeys/k3')
        ? { status: 404 }
        : { status: 200, body: { key: `secret-of-${r.url.split('/')[4]!.split('?')[0]}` } };
    const previous = previousState({
      objects: { 'bitlockerKeys/recoveryKeys': [{ id: 'k1', key: 'kept-k1' }] },
    });
    const sut = await run(
      { bitlockerKeys: bitlockerKeysDescriptor },
      { types: ['bitlockerKeys'], mode: 'incremental', previous },
    );

    expect(client.batched).toEqual([
      '/informationProtection/bitlocker/recoveryKeys/k2?$select=key',
      '/informationProtection/bitlocker/recoveryKeys/k3?$select=key',
    ]);
    expect(sink.puts.map((p) => p.object)).toEqual([
      { id: 'k1', deviceId: 'd1', key: 'kept-k1' },
      { id: 'k2', deviceId: 'd2', key: 'secret-of-k2' },
    ]);
    // k3 vanished between the list and the read: it is simply not part of this snapshot.
    expect(sink.puts.some((p) => p.object.id === 'k3')).toBe(false);
    expect(sut[0]!.bitlockerKeyReads).toBe(1);
  });

  describe('consequences of principal removals and restores across types', () => {
    const stored = {
      'groups/groups': 'https://graph/delta?$deltatoken=groups',
      'devices/devices': 'https://graph/delta?$deltatoken=devices',
    };
    const holder = (
      id: string,
      typeKey = 'groups',
      collection = 'groups',
    ): Omit<StoredObjectKey, 'target'> => ({
      typeKey,
      collection,
      objectId: id,
    });

    beforeEach(() => {
      client.deltas.set(LATEST, () => [
        {
          items: [{ id: 'g2', displayName: 'Two' }],
          fullSync: false,
          deltaLink: 'https://graph/delta?g=next',
        },
      ]);
    });

    it('re-reads objects of other types whose relationships named a removed principal, then ends the types', async () => {
      client.deltas.set(DEVICES_LATEST, () => [
        {
          items: [{ id: 'd1', '@removed': { reason: 'deleted' } }],
          fullSync: false,
          deltaLink: 'https://graph/delta?d=next',
        },
      ]);
      const previous = previousState({
        links: stored,
        // g2 changed anyway (re-read once); the units are not part of this run.
        referrers: { d1: [holder('g1'), holder('g2'), holder('u1', 'adminUnits', 'administrativeUnits')] },
      });
      await run({ groups, devices }, { types: ['groups', 'devices'], mode: 'incremental', previous });

      expect(previous.referrerQueries).toEqual([['now', 'd1']]);
      expect(sink.removes).toEqual([{ type: 'devices', collection: 'devices', id: 'd1' }]);
      expect(sink.order.filter((o) => o.startsWith('put groups'))).toEqual([
        'put groups/g2',
        'put groups/g1',
      ]);
      expect(sink.order.indexOf('end groups')).toBeGreaterThan(sink.order.indexOf('put groups/g1'));
      expect(sink.puts.find((p) => p.object.id === 'g1')!.object).toEqual({
        id: 'g1',
        displayName: 're-read g1',
        members: [{ '@odata.type': '#microsoft.graph.user', id: 'g1-m' }],
      });
    });

    it('re-reads what a restored principal belonged to in earlier snapshots, and nothing for one only edited', async () => {
      client.deltas.set(DEVICES_LATEST, () => [
        { items: [{ id: 'd2' }, { id: 'd3' }], fullSync: false, deltaLink: 'https://graph/delta?d=next' },
      ]);
      client.batchAnswer = (r) => {
        const reread = /^\/devices\/delta\?/.test(r.url);
        if (reread) return { status: 200, body: { value: [{ id: 'd2' }, { id: 'd3' }] } };
        const group = /^\/groups\/([^/?]+)/.exec(r.url);
        return group
          ? { status: 200, body: r.url.includes('/members') ? { value: [] } : { id: group[1] } }
          : { status: 404 };
      };
      const previous = previousState({
        links: stored,
        objects: { 'devices/devices': [{ id: 'd3' }] },
        formerReferrers: { d2: [holder('g1')], d3: [holder('g9')] },
      });
      await run({ groups, devices }, { types: ['groups', 'devices'], mode: 'incremental', previous });

      expect(previous.referrerQueries).toEqual([['ever', 'd2']]);
      expect(sink.puts.filter((p) => p.type === 'groups').map((p) => p.object.id)).toEqual(['g2', 'g1']);
    });

    it('ends a type failed when re-reading its objects fails, and the others succeeded', async () => {
      client.deltas.set(DEVICES_LATEST, () => [
        {
          items: [{ id: 'd1', '@removed': { reason: 'deleted' } }],
          fullSync: false,
          deltaLink: 'https://graph/delta?d=next',
        },
      ]);
      const answer = client.batchAnswer;
      client.batchAnswer = (r) =>
        r.url.startsWith('/groups/g1')
          ? { status: 503, error: graphError(503, 'serviceUnavailable', 'server') }
          : answer(r);
      const previous = previousState({ links: stored, referrers: { d1: [holder('g1')] } });
      await run({ groups, devices }, { types: ['groups', 'devices'], mode: 'incremental', previous });

      expect(sink.ended.get('groups')).toMatchObject({ status: 'failed', graphCode: 'serviceUnavailable' });
      expect(sink.ended.get('devices')!.status).toBe('succeeded');
    });

    describe('when the principal type is not backed up', () => {
      const holders: Descriptor = {
        ...groups,
        collections: [
          {
            ...groups.collections[0],
            browse: {
              columns: [],
              search: [],
              relations: [
                {
                  key: 'members',
                  label: 'Members',
                  path: 'members',
                  targets: [{ type: 'devices', collection: 'devices' }],
                },
              ],
            },
          },
        ],
      };
      const TRACKER = 'groups/principals.devices.devices';

      it('follows it with an id-only delta kept under the holding type, and re-reads what its removals and restores changed', async () => {
        client.deltas.set(DEVICES_LATEST, (options) => {
          expect(options.deltaLink).toBe('https://graph/delta?$deltatoken=tracked');
          return [
            {
              items: [{ id: 'd1', '@removed': { reason: 'deleted' } }, { id: 'd2' }],
              fullSync: false,
              deltaLink: 'https://graph/delta?d=tracked-next',
            },
          ];
        });
        const previous = previousState({
          links: {
            'groups/groups': stored['groups/groups'],
            [TRACKER]: 'https://graph/delta?$deltatoken=tracked',
          },
          referrers: { d1: [holder('g1')], d2: [holder('g4')] },
          // g3 named d2 before it was deleted; g4 names it still.
          formerReferrers: { d2: [holder('g3'), holder('g4')] },
        });
        await run({ groups: holders, devices }, { types: ['groups'], mode: 'incremental', previous });

        expect(sink.puts.map((p) => p.object.id)).toEqual(['g2', 'g1', 'g3']);
        expect(sink.deltaLinks.get(TRACKER)).toBe('https://graph/delta?d=tracked-next');
        expect(sink.ended.get('groups')!.status).toBe('succeeded');
      });

      it('leaves the collection unfollowed when the consent lacks its read permission', async () => {
        client.deltas.set(DEVICES_LATEST, () => {
          throw graphError(403, 'Authorization_RequestDenied', 'forbidden');
        });
        const previous = previousState({ links: { 'groups/groups': stored['groups/groups'] } });
        await run({ groups: holders, devices }, { types: ['groups'], mode: 'incremental', previous });

        expect(sink.ended.get('groups')!.status).toBe('succeeded');
        expect(sink.deltaLinks.has(TRACKER)).toBe(false);
      });

      it('only takes a deltaLink the first time', async () => {
        client.deltas.set(DEVICES_LATEST, (options) => {
          expect(options.deltaLink).toBeUndefined();
          return [{ items: [], deltaLink: 'https://graph/delta?d=first' }];
        });
        const previous = previousState({ links: { 'groups/groups': stored['groups/groups'] } });
        await run({ groups: holders, devices }, { types: ['groups'], mode: 'incremental', previous });

        expect(previous.referrerQueries).toEqual([]);
        expect(sink.deltaLinks.get(TRACKER)).toBe('https://graph/delta?d=first');
      });
    });

    it('a reconciliation replays stored deltaLinks for ids only and reports what reported or derived changes explain', async () => {
      client.deltas.set(DEVICES_LATEST, (options) =>
        options.deltaLink === stored['devices/devices']
          ? [
              {
                items: [{ id: 'd1', '@removed': { reason: 'deleted' } }],
                fullSync: false,
                deltaLink: 'https://graph/delta?d=next',
              },
            ]
          : [{ items: [], fullSync: false, deltaLink: 'https://graph/delta?d=after' }],
      );
      client.lists.set('/devices?$select=id&$top=999', [{ items: [{ id: 'd4' }] }]);
      client.lists.set(LIST, [{ items: [{ id: 'g1' }, { id: 'g2' }] }]);
      const previous = previousState({ links: stored, referrers: { d1: [holder('g1')] } });
      const sut = await run(
        { groups, devices },
        { types: ['groups', 'devices'], mode: 'full', reconcile: true, previous },
      );

      expect(
        sut.map((o) => [o.type, Object.fromEntries([...o.explained!].map(([c, ids]) => [c, [...ids]]))]),
      ).toEqual([
        ['groups', { groups: ['g2', 'g1'] }],
        ['devices', { devices: ['d1'] }],
      ]);
      // Nothing was re-read: the full enumeration stored what the tenant holds.
      expect(client.batched.filter((u) => !u.includes('/members'))).toEqual([]);
      // The replay's deltaLink is the next one (no `$deltatoken=latest` round).
      expect(sink.deltaLinks.get('devices/devices')).toBe('https://graph/delta?d=next');
    });
  });

  it('keeps objects named by a property of the objects another collection kept (a role policy by its assignment)', async () => {
    const withPolicies: Descriptor = {
      ...groups,
      collections: [
        groups.collections[0],
        {
          name: 'ties',
          version: 'v1.0',
          path: '/ties',
          pageSize: 100,
          supportsTop: false,
          keepReferencing: { property: 'groupId', collection: 'groups' },
        },
        {
          name: 'policies',
          version: 'v1.0',
          path: '/policies',
          pageSize: 100,
          supportsTop: false,
          keepReferencing: { property: 'id', collection: 'ties', through: 'policyId' },
        },
      ],
    };
    client.lists.set(LIST, [{ items: [{ id: 'g1', displayName: 'One' }] }]);
    client.lists.set('/ties', [
      {
        items: [
          { id: 't1', groupId: 'g1', policyId: 'p1' },
          { id: 't2', groupId: 'other', policyId: 'p2' },
        ],
      },
    ]);
    client.lists.set('/policies', [{ items: [{ id: 'p1' }, { id: 'p2' }, { id: 'p3' }] }]);

    await run({ groups: withPolicies }, { types: ['groups'] });

    expect(sink.puts.map((p) => `${p.collection}/${p.object.id}`)).toEqual([
      'groups/g1',
      'ties/t1',
      'policies/p1',
    ]);
  });

  describe('collections with extra permissions', () => {
    /** Groups plus a collection needing a permission beyond the type's own, and one kept by reference to it. */
    const withSettings: Descriptor = {
      ...groups,
      collections: [
        groups.collections[0],
        {
          name: 'groupSettings',
          version: 'v1.0',
          path: '/groupSettings',
          pageSize: 100,
          supportsTop: false,
          delta: { path: '/groupSettings/delta', select: ['id'], maxPageSize: 100 },
          permissions: { read: ['Directory.Read.All'], write: ['Directory.ReadWrite.All'] },
        },
        {
          name: 'settingOverrides',
          version: 'v1.0',
          path: '/settingOverrides',
          pageSize: 100,
          supportsTop: false,
          keepReferencing: { property: 'settingId', collection: 'groupSettings' },
        },
      ],
    };
    const SETTINGS_LATEST = '/groupSettings/delta?$select=id&$deltatoken=latest';
    const consentLacks =
      "Not backed up: the tenant's consent lacks Directory.Read.All; grant admin consent again in Settings";

    beforeEach(() => {
      client.lists.set(LIST, [{ items: [{ id: 'g1', displayName: 'One' }] }]);
      client.lists.set('/groupSettings', [{ items: [{ id: 's1' }] }]);
      client.lists.set('/settingOverrides', [{ items: [{ id: 'o1', settingId: 's1' }] }]);
      client.deltas.set(SETTINGS_LATEST, () => [{ items: [], deltaLink: 'https://graph/delta?s=fresh' }]);
    });

    it('does not read a collection whose permissions the consent lacks; the type succeeds and names what was skipped', async () => {
      const [sut] = await run(
        { groups: withSettings },
        { types: ['groups'], grantedPermissions: ['Group.Read.All'] },
      );

      expect(sut).toMatchObject({ status: 'succeeded' });
      expect(sut!.skippedCollections).toEqual([
        { collection: 'groupSettings', reason: consentLacks, missingPermissions: ['Directory.Read.All'] },
        { collection: 'settingOverrides', reason: consentLacks, missingPermissions: ['Directory.Read.All'] },
      ]);
      expect(
        client.requested.filter((p) => p.includes('groupSettings') || p.includes('settingOverrides')),
      ).toEqual([]);
      expect(sink.puts.map((p) => `${p.collection}/${p.object.id}`)).toEqual(['groups/g1']);
      expect(sink.skipped).toEqual(['groups/groupSettings', 'groups/settingOverrides']);
      expect(sink.ended.get('groups')).toMatchObject({ status: 'succeeded' });
      expect(sink.deltaLinks.has('groups/groupSettings')).toBe(false);
    });

    it('reads the collection when the consent grants its permissions', async () => {
      const [sut] = await run(
        { groups: withSettings },
        { types: ['groups'], grantedPermissions: ['Directory.Read.All', 'Group.Read.All'] },
      );

      expect(sut!.skippedCollections).toBeUndefined();
      expect(sink.puts.map((p) => `${p.collection}/${p.object.id}`)).toEqual([
        'groups/g1',
        'groupSettings/s1',
        'settingOverrides/o1',
      ]);
      expect(sink.deltaLinks.get('groups/groupSettings')).toBe('https://graph/delta?s=fresh');
    });

    it('skips the collection when Graph denies it despite the recorded consent, keeping its stored deltaLink', async () => {
      client.deltas.set(SETTINGS_LATEST, (options) => {
        if (options.deltaLink !== undefined)
          throw graphError(403, 'Authorization_RequestDenied', 'forbidden');
        return [{ items: [], deltaLink: 'https://graph/delta?s=fresh' }];
      });
      client.deltas.set(LATEST, (options) =>
        options.deltaLink === undefined
          ? []
          : [{ items: [], fullSync: false, deltaLink: 'https://graph/delta?g=2' }],
      );
      const previous = previousState({
        links: {
          'groups/groups': 'https://graph/delta?g=1',
          'groups/groupSettings': 'https://graph/delta?s=1',
        },
        objects: { 'groups/groupSettings': [{ id: 's1' }] },
      });
      const [sut] = await run(
        { groups: withSettings },
        {
          types: ['groups'],
          mode: 'incremental',
          previous,
          grantedPermissions: ['Directory.Read.All', 'Group.Read.All'],
        },
      );

      expect(sut).toMatchObject({ status: 'succeeded' });
      expect(sut!.skippedCollections?.[0]).toEqual({
        collection: 'groupSettings',
        reason:
          "Not backed up: Microsoft Graph denied access (Authorization_RequestDenied); the tenant's consent may lack Directory.Read.All; grant admin consent again in Settings",
        missingPermissions: ['Directory.Read.All'],
      });
      // Nothing removed: the stored objects and deltaLink of the collection stay as they were.
      expect(sink.removes).toEqual([]);
      expect(sink.deltaLinks.has('groups/groupSettings')).toBe(false);
      expect(sink.deltaLinks.get('groups/groups')).toBe('https://graph/delta?g=2');
    });

    it('still fails the type when Graph denies a collection that declares no extra permissions', async () => {
      client.failOn = { path: LIST, error: graphError(403, 'Authorization_RequestDenied', 'forbidden') };
      const [sut] = await run({ groups: withSettings }, { types: ['groups'] });

      expect(sut).toMatchObject({ status: 'failed', graphCode: 'Authorization_RequestDenied' });
      expect(sut!.skippedCollections).toBeUndefined();
    });
  });

  describe('directory extension values', () => {
    const EXT_USER = 'extension_0a1b2c3d4e5f40718293a4b5c6d7e8f9_costCenter';
    const EXT_BOTH = 'extension_00ff00ff00ff40718293a4b5c6d7e8f9_region';
    const EXT_GROUP = 'extension_0a1b2c3d4e5f40718293a4b5c6d7e8f9_projectCode';
    const extUsers: Descriptor = {
      key: 'users',
      collections: [
        {
          name: 'users',
          version: 'v1.0',
          path: '/users',
          select: ['id', 'displayName'],
          extensionsFor: 'User',
          pageSize: 999,
          supportsTop: true,
          delta: {
            path: '/users/delta',
            select: ['id', 'displayName'],
            enumerateWithDelta: true,
            maxPageSize: 999,
          },
        },
      ],
      permissions: { read: ['User.Read.All'], write: [] },
      skipWhen: [],
      secretFields: [],
    };
    const extGroups: Descriptor = {
      key: 'groups',
      collections: [
        {
          name: 'groups',
          version: 'v1.0',
          path: '/groups',
          select: ['id', 'displayName'],
          extensionsFor: 'Group',
          pageSize: 999,
          supportsTop: true,
        },
      ],
      permissions: { read: ['Group.Read.All'], write: [] },
      skipWhen: [],
      secretFields: [],
    };
    const userNames = [EXT_BOTH, EXT_USER].sort();
    const usersDelta = (names: readonly string[]) =>
      withQuery('/users/delta', { $select: ['id', 'displayName', ...names].join(',') });
    const granted = ['User.Read.All', 'Group.Read.All', 'Directory.Read.All'];

    beforeEach(() => {
      client.extensionDefinitions = [
        { name: EXT_USER, targetObjects: ['User'] },
        { name: EXT_GROUP, targetObjects: ['Group'] },
        { name: EXT_BOTH, targetObjects: ['User', 'Group', 'Device'] },
        { name: 'notAnExtensionName', targetObjects: ['User'] },
      ];
    });

    it('selects the extensions targeting each collection, read once per run, and stores only values that are set', async () => {
      client.deltas.set(usersDelta(userNames), () => [
        {
          items: [{ id: 'u1', displayName: 'Ada', [EXT_USER]: 'CC-1', [EXT_BOTH]: null }],
          deltaLink: 'https://graph/users/delta?t=1',
        },
      ]);
      client.lists.set(
        withQuery('/groups', {
          $select: ['id', 'displayName', ...[EXT_BOTH, EXT_GROUP].sort()].join(','),
          $top: '999',
        }),
        [{ items: [{ id: 'g1', displayName: 'Ops', [EXT_GROUP]: 'PRJ-1' }] }],
      );
      const outcomes = await run(
        { users: extUsers, groups: extGroups },
        { types: ['users', 'groups'], grantedPermissions: granted },
      );

      expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded']);
      expect(client.posted).toEqual([{ path: EXTENSION_LOOKUP_PATH, body: {} }]);
      expect(sink.puts.map((p) => p.object)).toEqual(
        expect.arrayContaining([
          { id: 'u1', displayName: 'Ada', [EXT_USER]: 'CC-1' },
          { id: 'g1', displayName: 'Ops', [EXT_GROUP]: 'PRJ-1' },
        ]),
      );
      expect(sink.deltaLinks.get('users/extensionNames.users')).toBe(`names:${userNames.join(',')}`);
      expect(outcomes.every((o) => o.skippedCollections === undefined)).toBe(true);
    });

    it('skips the values without Directory.Read.All, backs the collection up and carries the last captured values over', async () => {
      client.deltas.set(usersDelta([]), () => [
        {
          items: [
            { id: 'u1', displayName: 'Ada Lovelace' },
            { id: 'u2', displayName: 'Grace' },
          ],
          deltaLink: 'https://graph/users/delta?t=1',
        },
      ]);
      const previous = previousState({
        objects: { 'users/users': [{ id: 'u1', displayName: 'Ada', [EXT_USER]: 'CC-1' }, { id: 'u2' }] },
      });
      const [sut] = await run(
        { users: extUsers },
        { types: ['users'], previous, grantedPermissions: ['User.Read.All'] },
      );

      expect(client.posted).toEqual([]);
      expect(sut).toMatchObject({ status: 'succeeded' });
      expect(sut!.skippedCollections).toEqual([
        {
          collection: 'directoryExtensionValues',
          reason: expect.stringContaining("the tenant's consent lacks Directory.Read.All") as string,
          missingPermissions: ['Directory.Read.All'],
        },
      ]);
      expect(sink.skipped).toEqual([]);
      expect(sink.puts.map((p) => p.object)).toEqual([
        { id: 'u1', displayName: 'Ada Lovelace', [EXT_USER]: 'CC-1' },
        { id: 'u2', displayName: 'Grace' },
      ]);
      // The new deltaLink tracks no extension: the next run with the permission enumerates again.
      expect(sink.deltaLinks.get('users/extensionNames.users')).toBe('names:');
    });

    it('skips the values when Graph denies the lookup', async () => {
      client.extensionDefinitions = graphError(403, 'Authorization_RequestDenied', 'forbidden');
      client.deltas.set(usersDelta([]), () => [
        { items: [{ id: 'u1', displayName: 'Ada' }], deltaLink: 'https://graph/users/delta?t=1' },
      ]);
      const [sut] = await run({ users: extUsers }, { types: ['users'], grantedPermissions: granted });

      expect(client.posted).toHaveLength(1);
      expect(sut).toMatchObject({ status: 'succeeded' });
      expect(sut!.skippedCollections?.[0]).toMatchObject({
        collection: 'directoryExtensionValues',
        reason: expect.stringContaining('Authorization_RequestDenied') as string,
      });
    });

    it('enumerates a collection again in an incremental run when the tenant defines other extensions', async () => {
      client.deltas.set(usersDelta(userNames), (options) => {
        expect(options.deltaLink).toBeUndefined();
        return [
          {
            items: [{ id: 'u1', displayName: 'Ada', [EXT_USER]: 'CC-1' }],
            deltaLink: 'https://graph/users/delta?t=2',
          },
        ];
      });
      const previous = previousState({
        links: {
          'users/users': 'https://graph/users/delta?t=stored',
          'users/extensionNames.users': 'names:',
        },
        objects: { 'users/users': [{ id: 'u1', displayName: 'Ada' }, { id: 'u9' }] },
      });
      await run(
        { users: extUsers },
        { types: ['users'], mode: 'incremental', previous, grantedPermissions: granted },
      );

      expect(client.requested).toEqual([usersDelta(userNames)]);
      expect(sink.puts.map((p) => p.object)).toEqual([{ id: 'u1', displayName: 'Ada', [EXT_USER]: 'CC-1' }]);
      expect(sink.removes.map((r) => r.id)).toEqual(['u9']);
      expect(sink.deltaLinks.get('users/users')).toBe('https://graph/users/delta?t=2');
      expect(sink.deltaLinks.get('users/extensionNames.users')).toBe(`names:${userNames.join(',')}`);
    });

    it('replays the stored deltaLink when the extensions are those it was taken with', async () => {
      const latest = withQuery('/users/delta', {
        $select: ['id', 'displayName', ...userNames].join(','),
        $deltatoken: 'latest',
      });
      client.deltas.set(latest, (options) => {
        expect(options.deltaLink).toBe('https://graph/users/delta?t=stored');
        return [{ items: [], fullSync: false, deltaLink: 'https://graph/users/delta?t=3' }];
      });
      const previous = previousState({
        links: {
          'users/users': 'https://graph/users/delta?t=stored',
          'users/extensionNames.users': `names:${userNames.join(',')}`,
        },
      });
      await run(
        { users: extUsers },
        { types: ['users'], mode: 'incremental', previous, grantedPermissions: granted },
      );

      expect(client.requested).toEqual(['https://graph/users/delta?t=stored']);
      expect(sink.puts).toEqual([]);
      expect(sink.deltaLinks.get('users/users')).toBe('https://graph/users/delta?t=3');
    });
  });

  describe('collections listed per object of another collection', () => {
    /** Groups plus their PIM schedules, which Graph lists only per group (`$filter=groupId eq`). */
    const withSchedules = (refresh: 'everyRun' | 'withOwner'): Descriptor => ({
      ...groups,
      collections: [
        groups.collections[0],
        {
          name: 'schedules',
          version: 'v1.0',
          path: '/schedules',
          pageSize: 100,
          supportsTop: false,
          perObjectOf: {
            collection: 'groups',
            path: (id) => `/schedules?$filter=groupId eq '${id}'`,
            when: (group) => group['displayName'] !== 'Plain',
            ownerKey: 'groupId',
            refresh,
          },
          permissions: { read: ['Schedules.Read'], write: [] },
        },
      ],
    });
    const schedulesOf = (url: string) => /^\/schedules\?\$filter=groupId eq '([^']+)'$/.exec(url)?.[1];

    beforeEach(() => {
      const answer = client.batchAnswer;
      client.batchAnswer = (r) => {
        const owner = schedulesOf(r.url);
        if (owner === undefined) return answer(r);
        if (owner === 'vanished') return { status: 404 };
        return { status: 200, body: { value: [{ '@odata.etag': 'x', id: `${owner}-s1` }] } };
      };
    });

    it('reads the list of every owner it applies to in a full run, naming the owner on each item', async () => {
      client.lists.set(LIST, [
        {
          items: [
            { id: 'g1', displayName: 'One' },
            { id: 'g2', displayName: 'Plain' },
            { id: 'vanished', displayName: 'Gone meanwhile' },
          ],
        },
      ]);
      const [sut] = await run({ groups: withSchedules('withOwner') }, { types: ['groups'] });

      expect(sut).toMatchObject({ status: 'succeeded' });
      expect(client.batched.filter((u) => u.startsWith('/schedules'))).toEqual([
        "/schedules?$filter=groupId eq 'g1'",
        "/schedules?$filter=groupId eq 'vanished'",
      ]);
      expect(sink.puts.filter((p) => p.collection === 'schedules').map((p) => p.object)).toEqual([
        { id: 'g1-s1', groupId: 'g1' },
      ]);
    });

    it('stores only the items its filter keeps, after normalising them', async () => {
      client.lists.set(LIST, [{ items: [{ id: 'g1', displayName: 'One' }] }]);
      const spec = withSchedules('everyRun');
      const [groupsSpec, schedules] = spec.collections;
      const filtered: Descriptor = {
        ...spec,
        collections: [
          groupsSpec,
          {
            ...schedules!,
            normalize: (item) => ({ ...item, id: `${String(item['groupId'])}_${String(item['id'])}` }),
            perObjectOf: { ...schedules!.perObjectOf!, keep: (item) => item['id'] !== 'g1_g1-s1' },
          },
        ],
      };
      client.batchAnswer = ((answer) => (r: GraphBatchRequest) =>
        schedulesOf(r.url) === 'g1'
          ? { status: 200, body: { value: [{ id: 'g1-s1' }, { id: 'g1-s2' }] } }
          : answer(r))(client.batchAnswer);
      await run({ groups: filtered }, { types: ['groups'] });

      expect(sink.puts.filter((p) => p.collection === 'schedules').map((p) => p.object)).toEqual([
        { id: 'g1_g1-s2', groupId: 'g1' },
      ]);
    });

    it('in an incremental run reads only the lists of owners that changed, and drops the items of changed and removed owners it did not see', async () => {
      client.deltas.set(LATEST, (options) => [
        {
          items: options.deltaLink === undefined ? [] : [{ id: 'g1' }, { id: 'g2', '@removed': {} }],
          fullSync: false,
          deltaLink: 'https://graph/delta?g=2',
        },
      ]);
      const previous = previousState({
        links: { 'groups/groups': 'https://graph/delta?g=1' },
        objects: {
          'groups/groups': [
            { id: 'g1', displayName: 'One' },
            { id: 'g2', displayName: 'Two' },
            { id: 'g3', displayName: 'Three' },
          ],
          'groups/schedules': [
            { id: 'g1-old', groupId: 'g1' },
            { id: 'g2-s1', groupId: 'g2' },
            { id: 'g3-s1', groupId: 'g3' },
          ],
        },
      });
      await run({ groups: withSchedules('withOwner') }, { types: ['groups'], mode: 'incremental', previous });

      expect(client.batched.filter((u) => u.startsWith('/schedules'))).toEqual([
        "/schedules?$filter=groupId eq 'g1'",
      ]);
      expect(sink.puts.filter((p) => p.collection === 'schedules').map((p) => p.object.id)).toEqual([
        'g1-s1',
      ]);
      expect(sink.removes.filter((r) => r.collection === 'schedules').map((r) => r.id)).toEqual([
        'g1-old',
        'g2-s1',
      ]);
    });

    it("reads every qualifying owner on every run when the owners' changes do not report the lists", async () => {
      client.deltas.set(LATEST, (options) => [
        {
          items: options.deltaLink === undefined ? [] : [{ id: 'g2' }],
          fullSync: false,
          deltaLink: 'https://graph/delta?g=2',
        },
      ]);
      // g2 changed into a group without schedules; g1 and g3 did not change.
      client.batchAnswer = ((answer) => (r: GraphBatchRequest) =>
        r.url.startsWith('/groups/g2?')
          ? { status: 200, body: { id: 'g2', displayName: 'Plain' } }
          : answer(r))(client.batchAnswer);
      const previous = previousState({
        links: { 'groups/groups': 'https://graph/delta?g=1' },
        objects: {
          'groups/groups': [
            { id: 'g1', displayName: 'One' },
            { id: 'g2', displayName: 'Two' },
            { id: 'g3', displayName: 'Plain' },
          ],
          'groups/schedules': [
            { id: 'g1-s1', groupId: 'g1' },
            { id: 'g1-ended', groupId: 'g1' },
            { id: 'g2-s1', groupId: 'g2' },
          ],
        },
      });
      await run({ groups: withSchedules('everyRun') }, { types: ['groups'], mode: 'incremental', previous });

      expect(client.batched.filter((u) => u.startsWith('/schedules'))).toEqual([
        "/schedules?$filter=groupId eq 'g1'",
      ]);
      expect(sink.removes.filter((r) => r.collection === 'schedules').map((r) => r.id)).toEqual([
        'g1-ended',
        'g2-s1',
      ]);
    });

    it('skips the collection, reading nothing, when the consent lacks its permission or its owners were skipped', async () => {
      client.lists.set(LIST, [{ items: [{ id: 'g1', displayName: 'One' }] }]);
      const [sut] = await run(
        { groups: withSchedules('everyRun') },
        { types: ['groups'], grantedPermissions: ['Group.Read.All'] },
      );

      expect(sut!.skippedCollections).toEqual([
        {
          collection: 'schedules',
          reason:
            "Not backed up: the tenant's consent lacks Schedules.Read; grant admin consent again in Settings",
          missingPermissions: ['Schedules.Read'],
        },
      ]);
      expect(client.batched.filter((u) => u.startsWith('/schedules'))).toEqual([]);
    });
  });

  describe('singleton collections', () => {
    const withPolicies: Descriptor = {
      ...groups,
      collections: [
        groups.collections[0],
        {
          name: 'authorizationPolicy',
          version: 'v1.0',
          path: '/policies/authorizationPolicy',
          singleton: true,
          pageSize: 1,
          supportsTop: false,
        },
        {
          name: 'adminConsentRequestPolicy',
          version: 'v1.0',
          path: '/policies/adminConsentRequestPolicy',
          singleton: true,
          pageSize: 1,
          supportsTop: false,
          permissions: { read: ['Policy.Read.All'], write: [] },
        },
      ],
    };

    beforeEach(() => {
      client.lists.set(LIST, [{ items: [{ id: 'g1', displayName: 'One' }] }]);
      client.objects.set('/policies/authorizationPolicy', {
        '@odata.context': 'https://graph/$metadata#policies/authorizationPolicy/$entity',
        id: 'authorizationPolicy',
        allowInvitesFrom: 'everyone',
      });
      // Graph documents this policy without an id.
      client.objects.set('/policies/adminConsentRequestPolicy', { isEnabled: true, version: 0 });
    });

    it('reads each with one GET (no list, no $top) and stores it as a one-object collection, named after the collection when Graph gives no id', async () => {
      const [sut] = await run({ groups: withPolicies }, { types: ['groups'] });

      expect(sut).toMatchObject({ status: 'succeeded' });
      expect(client.requested).toContain('/policies/authorizationPolicy');
      expect(client.requested).toContain('/policies/adminConsentRequestPolicy');
      expect(sink.puts.filter((p) => p.collection !== 'groups').map((p) => [p.collection, p.object])).toEqual(
        [
          ['authorizationPolicy', { id: 'authorizationPolicy', allowInvitesFrom: 'everyone' }],
          ['adminConsentRequestPolicy', { id: 'adminConsentRequestPolicy', isEnabled: true, version: 0 }],
        ],
      );
    });

    it('removes nothing in an incremental run: the one object is read again under the same id', async () => {
      client.deltas.set(LATEST, () => [{ items: [], fullSync: false, deltaLink: 'https://graph/delta?g=2' }]);
      const previous = previousState({
        links: { 'groups/groups': 'https://graph/delta?g=1' },
        objects: {
          'groups/authorizationPolicy': [{ id: 'authorizationPolicy', allowInvitesFrom: 'none' }],
          'groups/adminConsentRequestPolicy': [{ id: 'adminConsentRequestPolicy', isEnabled: false }],
        },
      });
      await run({ groups: withPolicies }, { types: ['groups'], mode: 'incremental', previous });

      expect(sink.removes).toEqual([]);
      expect(sink.puts.map((p) => `${p.collection}/${p.object.id}`)).toEqual([
        'authorizationPolicy/authorizationPolicy',
        'adminConsentRequestPolicy/adminConsentRequestPolicy',
      ]);
    });

    it('skips a singleton whose extra read permission the consent lacks, without asking Graph for it', async () => {
      const [sut] = await run(
        { groups: withPolicies },
        { types: ['groups'], grantedPermissions: ['Group.Read.All'] },
      );

      expect(sut).toMatchObject({ status: 'succeeded' });
      expect(sut!.skippedCollections?.map((c) => c.collection)).toEqual(['adminConsentRequestPolicy']);
      expect(client.requested).not.toContain('/policies/adminConsentRequestPolicy');
      expect(sink.skipped).toEqual(['groups/adminConsentRequestPolicy']);
    });

    it('fails the type when Graph answers an error for a singleton without extra permissions', async () => {
      client.failOn = {
        path: '/policies/authorizationPolicy',
        error: graphError(404, 'Request_ResourceNotFound', 'notFound'),
      };
      const [sut] = await run({ groups: withPolicies }, { types: ['groups'] });

      expect(sut).toMatchObject({ status: 'failed', graphCode: 'Request_ResourceNotFound' });
    });
  });
});
