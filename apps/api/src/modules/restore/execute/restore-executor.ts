import { randomInt } from 'node:crypto';
import type { ObjectTypeKey } from '@entra-backup/common';
import type {
  GraphApiVersion,
  GraphBatchRequest,
  GraphBatchResponse,
  GraphClient,
} from '@entra-backup/graph';
import type { CollectionSpec } from '../../exporters/descriptor';
import { DESCRIPTORS } from '../../exporters/registry';
import type { CollectionRestore, GraphWrite } from '../../exporters/restore-spec';
import { directoryObjectUrl } from '../../exporters/descriptors/restore.shared';
import type {
  ActionOutcome,
  ActionRecord,
  IdMapping,
  RestoreRepository,
} from '../../../persistence/repositories/restore.repository';
import { nonProperties, type StoredObject, writableProperties } from '../plan/restore-planner';
import { IdRewriter } from './id-rewriter';

/** Reads one object of the source snapshot. */
export type SourceObjectReader = (
  type: ObjectTypeKey,
  collection: string,
  id: string,
) => Promise<StoredObject | null>;

export interface ExecutorDeps {
  readonly client: GraphClient;
  readonly repository: RestoreRepository;
  readonly source: SourceObjectReader;
  /** Seals a temporary password for storage (master key); never stored in plaintext. */
  readonly sealSecret: (text: string) => string;
  readonly now: () => Date;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ExecuteOptions {
  readonly planId: string;
  readonly crossTenant: boolean;
  readonly domainMap: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly onStep?: (step: { phase: number; done: number; failed: number }) => void;
}

/** Actions read and sent per round: whole `$batch` envelopes of 20, several in flight. */
const ROUND = 200;
/**
 * Writes that reference an object created moments ago can fail until directory replication
 * catches up ("The source resource object or one of the objects being referenced do not exist"):
 * https://learn.microsoft.com/graph/api/group-post-members. Retried with growing waits.
 */
const REPLICATION_RETRIES = [1_000, 2_000, 4_000, 8_000, 16_000];

interface Unit {
  readonly actions: ActionRecord[];
  /** Not sent yet (split from a combined write): goes out without waiting. */
  readonly fresh?: boolean;
  readonly request: Omit<GraphBatchRequest, 'id'>;
  readonly version: GraphApiVersion;
  /** Turns the response into outcomes (and id mappings). */
  readonly settle: (response: GraphBatchResponse) => Settled;
}

interface Settled {
  readonly outcomes: ActionOutcome[];
  readonly mappings: IdMapping[];
  /** Worth sending again after a pause (replication delay). */
  readonly retry?: boolean;
  /**
   * Writes that complete the object (properties a create refuses or that have a request of their
   * own); the action is done when they all succeed.
   */
  readonly followUps?: ReadonlyArray<Omit<Unit, 'settle'>>;
  /** Send these instead, one per action (a combined write that cannot tell which part failed). */
  readonly split?: Unit[];
}

/**
 * Runs a plan's pending actions against the target, phase by phase. Every action is marked
 * `started` before its request is sent and settled after, together with the ids it created, so a
 * resumed restore skips what is done and finds what an interrupted create made instead of
 * creating it twice.
 */
export class RestoreExecutor {
  private readonly ids = new IdRewriter();
  /** Source ids of objects whose restore failed, with the failed action. */
  private readonly unavailable = new Map<string, ActionRecord>();

  constructor(private readonly deps: ExecutorDeps) {}

  async run(options: ExecuteOptions): Promise<void> {
    const { repository } = this.deps;
    this.ids.load(await repository.idMap(options.planId));
    for (const failed of await repository.actions(options.planId, { limit: 1_000_000, states: ['failed'] }))
      this.noteFailure(failed);
    let afterSeq = -1;
    for (;;) {
      if (options.signal?.aborted) throw abortError(options.signal);
      const batch = await repository.actions(options.planId, {
        afterSeq,
        limit: ROUND,
        states: ['pending', 'started'],
      });
      if (batch.length === 0) return;
      // Never mix phases or kinds in one round: a later phase may reference what this one creates,
      // and an object restored from the recycle bin is updated only once it is back (the items of
      // one `$batch` run in any order).
      const { phase, kind } = batch[0]!;
      const end = batch.findIndex((a) => a.phase !== phase || a.kind !== kind);
      const round = end < 0 ? batch : batch.slice(0, end);
      await this.runRound(round, options);
      afterSeq = round[round.length - 1]!.seq;
      const figures = round.length;
      options.onStep?.({ phase, done: figures, failed: 0 });
    }
  }

  /** An object that did not come back: actions that need it fail at once, naming it. */
  private noteFailure(action: ActionRecord): void {
    if (action.kind === 'recreate' || action.kind === 'restoreDeleted')
      this.unavailable.set(action.objectId.toLowerCase(), action);
  }

  /** The object an action needs that did not come back, if any. */
  private missingDependency(action: ActionRecord): ActionRecord | undefined {
    if (this.unavailable.size === 0 || action.kind === 'recreate' || action.kind === 'restoreDeleted')
      return undefined;
    const assignment = action.detail?.['assignment'];
    const named = [
      action.objectId,
      action.link?.targetId,
      action.detail?.['owner'],
      ...(typeof assignment === 'object' && assignment !== null ? Object.values(assignment) : []),
    ];
    for (const id of named)
      if (typeof id === 'string') {
        const failed = this.unavailable.get(id.toLowerCase());
        if (failed !== undefined) return failed;
      }
    return undefined;
  }

  private async runRound(actions: ActionRecord[], options: ExecuteOptions): Promise<void> {
    const units: Unit[] = [];
    const immediate: ActionOutcome[] = [];
    const mappings: IdMapping[] = [];
    const bySeq = new Map(actions.map((a) => [a.seq, a]));
    const runnable: ActionRecord[] = [];
    for (const action of actions) {
      const missing = this.missingDependency(action);
      if (missing === undefined) runnable.push(action);
      else
        immediate.push(
          failure(
            action,
            'DependencyFailed',
            `Not written: ${missing.collection} ${missing.objectId}${missing.displayName ? ` (${missing.displayName})` : ''} did not come back (${missing.errorCode ?? 'its restore failed'})`,
          ),
        );
    }
    for (const group of groupLinks(runnable)) {
      try {
        const unit = await this.unitOf(group, options, immediate, mappings);
        if (unit !== null) units.push(unit);
      } catch (error) {
        for (const action of group) immediate.push(failure(action, 'RestoreError', errorText(error)));
      }
    }
    await this.deps.repository.recordOutcomes(options.planId, immediate, mappings);
    this.ids.load(mappings);

    let pending = units;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (options.signal?.aborted) throw abortError(options.signal);
      await this.deps.repository.markStarted(
        options.planId,
        pending.flatMap((u) => u.actions.map((a) => a.seq)),
        this.deps.now(),
      );
      const retry: Unit[] = [];
      const followUps: Unit[] = [];
      for (const [version, group] of byVersion(pending)) {
        const requests = group.map((unit, index) => ({ ...unit.request, id: String(index + 1) }));
        const responses = await this.deps.client.batch(requests, {
          version,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const outcomes: ActionOutcome[] = [];
        const created: IdMapping[] = [];
        group.forEach((unit, index) => {
          const response = responses.get(String(index + 1))!;
          const settled = unit.settle(response);
          if (settled.retry === true && attempt < REPLICATION_RETRIES.length) {
            retry.push(unit);
            return;
          }
          if (settled.split !== undefined) {
            retry.push(...settled.split);
            return;
          }
          outcomes.push(...settled.outcomes);
          created.push(...settled.mappings);
          if (settled.followUps !== undefined && settled.followUps.length > 0)
            followUps.push(
              ...settled.followUps.map((f) => ({ ...f, settle: () => ({ outcomes: [], mappings: [] }) })),
            );
        });
        // Outcomes and created ids are recorded together, right after the answers arrive.
        await this.deps.repository.recordOutcomes(options.planId, outcomes, created);
        for (const outcome of outcomes) {
          const action = bySeq.get(outcome.seq);
          if (outcome.state === 'failed' && action !== undefined)
            this.noteFailure({ ...action, errorCode: outcome.errorCode ?? null });
        }
        this.ids.load(created);
      }
      if (followUps.length > 0) await this.sendFollowUps(followUps, options);
      if (retry.some((unit) => !unit.fresh))
        await this.deps.sleep(REPLICATION_RETRIES[attempt]!, options.signal);
      pending = retry;
    }
  }

  /**
   * Follow-up writes of created or updated objects, in order per object; an action is done when
   * all of its follow-ups succeeded, and fails with the first one that did not.
   */
  private async sendFollowUps(units: Unit[], options: ExecuteOptions): Promise<void> {
    const failed = new Map<number, ActionOutcome>();
    const bySeq = new Map<number, ActionRecord>();
    let pending = units;
    while (pending.length > 0) {
      // One write per object per round keeps each object's writes in order.
      const round: Unit[] = [];
      const later: Unit[] = [];
      const seen = new Set<number>();
      for (const unit of pending) {
        const seq = unit.actions[0]!.seq;
        if (seen.has(seq)) later.push(unit);
        else {
          seen.add(seq);
          round.push(unit);
        }
      }
      for (const [version, group] of byVersion(round)) {
        const responses = await this.deps.client.batch(
          group.map((unit, index) => ({ ...unit.request, id: String(index + 1) })),
          { version, ...(options.signal ? { signal: options.signal } : {}) },
        );
        group.forEach((unit, index) => {
          const response = responses.get(String(index + 1))!;
          for (const action of unit.actions) {
            bySeq.set(action.seq, action);
            if (response.error !== undefined && !failed.has(action.seq))
              failed.set(action.seq, graphFailure(action, response));
          }
        });
      }
      pending = later.filter((unit) => !failed.has(unit.actions[0]!.seq));
    }
    const outcomes = [...bySeq.keys()].map((seq): ActionOutcome => failed.get(seq) ?? { seq, state: 'done' });
    await this.deps.repository.recordOutcomes(options.planId, outcomes, []);
  }

  private async unitOf(
    group: ActionRecord[],
    options: ExecuteOptions,
    immediate: ActionOutcome[],
    mappings: IdMapping[],
  ): Promise<Unit | null> {
    const action = group[0]!;
    const collection = collectionOf(action);
    const version = collection.version;
    switch (action.kind) {
      case 'restoreDeleted':
        return this.restoreDeletedUnit(action, collection);
      case 'recreate':
        return this.recreateUnit(action, collection, options, immediate, mappings);
      case 'update':
        if (collection.restore?.itemWriters !== undefined && action.detail?.['items'] !== undefined)
          return this.itemWritesUnit(action, collection, options, immediate);
        return this.updateUnit(action, collection, options, version);
      case 'addLink':
        return this.addLinkUnit(group, collection, version);
      case 'removeLink':
        return this.removeLinkUnit(action, collection, version);
      case 'remove': {
        const spec = restoreOf(collection);
        return {
          actions: [action],
          version,
          request: { method: 'DELETE', url: spec.itemPath(action.objectId) },
          settle: (r) => settleIdempotentDelete(action, r),
        };
      }
      default:
        immediate.push({ seq: action.seq, state: 'skipped' });
        return null;
    }
  }

  private restoreDeletedUnit(action: ActionRecord, collection: CollectionSpec): Unit {
    const bin = restoreOf(collection).recycleBin!;
    return {
      actions: [action],
      version: bin.version,
      request: { method: 'POST', url: bin.restore(action.objectId), body: {} },
      settle: (r) => {
        // Restored by an earlier attempt that died before recording it.
        if (r.status === 404 && action.state === 'started')
          return { outcomes: [{ seq: action.seq, state: 'done' }], mappings: [] };
        return r.error
          ? { outcomes: [graphFailure(action, r)], mappings: [] }
          : { outcomes: [{ seq: action.seq, state: 'done' }], mappings: [] };
      },
    };
  }

  private async recreateUnit(
    action: ActionRecord,
    collection: CollectionSpec,
    options: ExecuteOptions,
    immediate: ActionOutcome[],
    mappings: IdMapping[],
  ): Promise<Unit | null> {
    const spec = restoreOf(collection);
    const stored = await this.storedOf(action);
    let body = this.rewrite(pick(stored, action.properties), options);
    if (typeof stored['@odata.type'] === 'string') body['@odata.type'] = stored['@odata.type'];
    const later = pick(
      body,
      (spec.afterCreate ?? []).filter((p) => p in body),
    );
    for (const p of Object.keys(later)) delete body[p];
    const written = pick(
      body,
      Object.keys(spec.propertyWriters ?? {}).filter((p) => p in body),
    );
    for (const p of Object.keys(written)) delete body[p];
    let password: string | undefined;
    if (spec.prepareCreate) {
      body = spec.prepareCreate(body, stored, {
        temporaryPassword: () => (password = temporaryPassword()),
      });
    }
    if (action.detail?.['safeState'] === true && spec.safeState)
      body[spec.safeState.property] = spec.safeState.value;
    const completion = (id: string) => this.followUpsOf(action, collection, spec, id, later, written, body);

    // Created by an earlier attempt whose follow-up writes did not all finish: send them again.
    if (action.newId !== null) return this.completionUnit(action, completion(action.newId), immediate);
    // An upsert under the snapshot's id: sending it again after a lost answer is harmless.
    if (spec.upsert === true) {
      const id = action.objectId;
      return {
        actions: [action],
        version: collection.version,
        request: {
          method: 'PATCH',
          url: spec.itemPath(id),
          body,
          headers: { 'content-type': 'application/json' },
        },
        settle: (r) => {
          if (r.error)
            return { outcomes: [graphFailure(action, r)], mappings: [], retry: isReplicationDelay(r) };
          const followUps = completion(id);
          const state = followUps.length === 0 ? 'done' : 'started';
          return { outcomes: [{ seq: action.seq, state, newId: id }], mappings: [], followUps };
        },
      };
    }
    // A create sent by a run that died before recording its answer: find what it made.
    const made = action.state === 'started' ? await this.findCreated(spec, collection, body) : undefined;
    if (made !== undefined) {
      mappings.push(...mappingsOf(action, stored, made));
      const rest = completion(made.id);
      // The password the lost attempt set was never recorded: the adopted user gets a new one.
      if (password !== undefined) {
        rest.unshift({
          actions: [action],
          version: collection.version,
          request: toRequest({
            method: 'PATCH',
            path: spec.itemPath(made.id),
            body: { passwordProfile: body['passwordProfile'] },
          }),
        });
      }
      const sealed = password === undefined ? {} : { sealedSecret: this.deps.sealSecret(password) };
      if (rest.length === 0) {
        immediate.push({ seq: action.seq, state: 'done', newId: made.id, ...sealed });
        return null;
      }
      immediate.push({ seq: action.seq, state: 'started', newId: made.id, ...sealed });
      return this.completionUnit({ ...action, newId: made.id }, rest, immediate);
    }
    return {
      actions: [action],
      version: collection.version,
      request: {
        method: 'POST',
        url: spec.createPath!,
        body,
        headers: { 'content-type': 'application/json' },
      },
      settle: (r) => {
        if (r.error)
          return { outcomes: [graphFailure(action, r)], mappings: [], retry: isReplicationDelay(r) };
        const made = createdOf(collection, r.body);
        const followUps = completion(made.id);
        const outcome: ActionOutcome = {
          seq: action.seq,
          // With writes still to come, the action stays started: a resumed run sends them again.
          state: followUps.length === 0 ? 'done' : 'started',
          newId: made.id,
          ...(password === undefined ? {} : { sealedSecret: this.deps.sealSecret(password) }),
        };
        return { outcomes: [outcome], mappings: mappingsOf(action, stored, made), followUps };
      },
    };
  }

  /** What an earlier attempt's create made, found by the spec's filter or match; undefined when nothing. */
  private async findCreated(
    spec: CollectionRestore,
    collection: CollectionSpec,
    body: Record<string, unknown>,
  ): Promise<{ id: string; appId?: string } | undefined> {
    const filter = spec.findCreated?.(body) ?? null;
    if (filter !== null) {
      const found = await this.deps.client.listAll<{ id: string; appId?: string }>(spec.createPath!, {
        version: collection.version,
        query: { $filter: filter },
      });
      return found[0] === undefined ? undefined : createdOf(collection, found[0]);
    }
    const match = spec.matchCreated?.(body) ?? null;
    if (match === null) return undefined;
    const all = await this.deps.client.listAll<{ id: string; appId?: string } & Record<string, unknown>>(
      spec.createPath!,
      { version: collection.version },
    );
    const candidate = all.map((o) => createdOf(collection, o)).find(match);
    return candidate;
  }

  /** A unit that only completes an object created earlier (its follow-up writes), or null when none remain. */
  private completionUnit(
    action: ActionRecord,
    writes: Array<Omit<Unit, 'settle'>>,
    immediate: ActionOutcome[],
  ): Unit | null {
    const [first, ...rest] = writes;
    if (first === undefined) {
      immediate.push({ seq: action.seq, state: 'done' });
      return null;
    }
    return {
      ...first,
      settle: (r) =>
        r.error
          ? { outcomes: [graphFailure(action, r)], mappings: [] }
          : rest.length === 0
            ? { outcomes: [{ seq: action.seq, state: 'done' }], mappings: [] }
            : { outcomes: [], mappings: [], followUps: rest },
    };
  }

  /** The writes that complete a re-created object: properties refused at creation, and those with their own request. */
  private followUpsOf(
    action: ActionRecord,
    collection: CollectionSpec,
    spec: CollectionRestore,
    newId: string,
    later: Record<string, unknown>,
    written: Record<string, unknown>,
    created: Record<string, unknown>,
  ): Array<Omit<Unit, 'settle'>> {
    const out: Array<Omit<Unit, 'settle'>> = [];
    if (Object.keys(later).length > 0)
      out.push({
        actions: [action],
        version: collection.version,
        request: toRequest({ method: 'PATCH', path: spec.itemPath(newId), body: later }),
      });
    for (const [p, value] of Object.entries(written)) {
      if (p in created || (Array.isArray(value) && value.length === 0)) continue;
      const writes = spec.propertyWriters![p]!(newId, value);
      for (const write of Array.isArray(writes) ? writes : [writes])
        out.push({ actions: [action], version: collection.version, request: toRequest(write as GraphWrite) });
    }
    return out;
  }

  private async updateUnit(
    action: ActionRecord,
    collection: CollectionSpec,
    options: ExecuteOptions,
    version: GraphApiVersion,
  ): Promise<Unit> {
    const relation = action.detail?.['relation'];
    const assignment =
      collection.embeddedAssignments?.find((e) => e.relation === relation)?.assignment ??
      collection.assignments?.assignment;
    if (assignment?.update && typeof action.detail?.['liveId'] === 'string') {
      // Plans made before the live assignment was recorded carry its id only.
      const live = (action.detail['live'] as StoredObject | undefined) ?? { id: action.detail['liveId'] };
      const stored =
        (action.detail['assignment'] as StoredObject | undefined) ?? (await this.storedOf(action));
      return {
        actions: [action],
        version,
        request: {
          method: 'PATCH',
          url: assignment.update(live),
          body: this.rewrite(pick(stored, action.properties), options),
        },
        settle: (r) => settleSimple(action, r),
      };
    }
    const spec = restoreOf(collection);
    const stored = await this.storedOf(action);
    const itemWriters = spec.itemWriters ?? {};
    // A replacing update (PUT) sends the whole writable object; a PATCH only what differs.
    const properties = (
      spec.replace === true ? writableProperties(stored, spec, nonProperties(collection)) : action.properties
    ).filter((p) => !(p in itemWriters));
    const items = action.properties.flatMap((p) => {
      const writer = itemWriters[p];
      const value = stored[p];
      if (writer === undefined || !Array.isArray(value)) return [];
      return value.map((item) => ({
        actions: [action],
        version,
        request: toRequest(
          writer.write(this.ids.id(action.objectId), this.rewrite(item as Record<string, unknown>, options)),
        ),
      }));
    });
    const [first, ...rest] =
      properties.length > 0 || items.length === 0
        ? [
            {
              actions: [action],
              version,
              request: {
                method: spec.replace === true ? ('PUT' as const) : ('PATCH' as const),
                url: spec.itemPath(this.ids.id(action.objectId)),
                body: this.rewrite(pick(stored, properties), options),
              },
            },
            ...items,
          ]
        : items;
    return {
      ...first!,
      settle: (r) => {
        if (r.error || rest.length === 0) return settleSimple(action, r);
        // The item writes follow; the action is done when they all succeeded.
        return { outcomes: [{ seq: action.seq, state: 'started' }], mappings: [], followUps: rest };
      },
    };
  }

  /**
   * Writes the changed items of an object's list properties, one request each (a PIM policy's
   * rules). An object Graph keeps one of per owner is found through the owner (rewired, so a
   * re-created role's new policy) when no live id was planned. The action is done when every write
   * succeeded; a resumed one sends them all again (each write sets the item: sending it twice is harmless).
   */
  private async itemWritesUnit(
    action: ActionRecord,
    collection: CollectionSpec,
    options: ExecuteOptions,
    immediate: ActionOutcome[],
  ): Promise<Unit | null> {
    const spec = restoreOf(collection);
    const stored = await this.storedOf(action);
    let liveId = typeof action.detail?.['liveId'] === 'string' ? action.detail['liveId'] : undefined;
    const owner = action.detail?.['owner'];
    if (liveId === undefined && spec.ownedBy !== undefined && typeof owner === 'string') {
      const { path, filter } = spec.ownedBy.find(this.ids.id(owner));
      const ties = await this.deps.client.listAll<Record<string, unknown>>(path, {
        version: collection.version,
        query: { $filter: filter },
      });
      const found = ties[0]?.[spec.ownedBy.object];
      if (typeof found !== 'string') {
        immediate.push(
          failure(action, 'NotFound', `No ${collection.name} object of ${this.ids.id(owner)} in the target`),
        );
        return null;
      }
      liveId = found;
    }
    if (liveId === undefined) throw new Error(`No live object recorded for ${action.objectId}`);
    const items = action.detail!['items'] as Record<string, string[]>;
    const writes: Array<Omit<Unit, 'settle'>> = [];
    for (const [property, keys] of Object.entries(items)) {
      const writer = spec.itemWriters![property];
      if (writer === undefined) continue;
      const list = Array.isArray(stored[property]) ? (stored[property] as StoredObject[]) : [];
      for (const key of keys) {
        const item = list.find((i) => String(i[writer.key]) === key);
        if (item === undefined) continue;
        writes.push({
          actions: [action],
          version: collection.version,
          request: toRequest(writer.write(liveId, this.rewrite({ ...item }, options))),
        });
      }
    }
    return this.completionUnit(action, writes, immediate);
  }

  private async addLinkUnit(
    group: ActionRecord[],
    collection: CollectionSpec,
    version: GraphApiVersion,
  ): Promise<Unit> {
    const action = group[0]!;
    const assignment = await this.assignmentToAdd(action, collection);
    if (assignment !== null) {
      return {
        actions: [action],
        version,
        request: toRequest(assignment.write),
        settle: (r) => {
          const settled = settleLinkAdd(action, r);
          // A re-created assignment is the snapshot's under a new id: mapped like any object.
          const made = r.body as Record<string, unknown> | undefined;
          const newId = r.error ? undefined : storedIdOf(collection, made, assignment.rewired);
          if (newId === undefined || newId === action.objectId) return settled;
          return { ...settled, mappings: [{ kind: 'id', oldId: action.objectId, newId }] };
        },
      };
    }
    const spec = restoreOf(collection);
    const link = spec.links!.find((l) => l.relation === action.link!.relation)!;
    const parent = this.ids.id(action.objectId);
    if (link.writeFromTarget !== undefined) {
      const target = action.link!;
      return {
        actions: [action],
        version,
        request: toRequest(
          link.writeFromTarget('add', parent, this.ids.id(target.targetId), target.targetType),
        ),
        // The target holds another policy of the kind (one per object): Graph answers with a
        // uniqueness violation, which here is a failure, not the same assignment made before.
        settle: (r) =>
          r.error?.code === 'Request_MultipleObjectsWithSameKeyValue'
            ? { outcomes: [graphFailure(action, r)], mappings: [] }
            : settleLinkAdd(action, r),
      };
    }
    const single = (a: ActionRecord, fresh: boolean): Unit => ({
      actions: [a],
      version,
      fresh,
      request: {
        method: link.single ? 'PUT' : 'POST',
        url: `${link.refPath(parent)}/$ref`,
        body: { '@odata.id': directoryObjectUrl(this.ids.id(a.link!.targetId)) },
        headers: { 'content-type': 'application/json' },
      },
      settle: (r) => settleLinkAdd(a, r),
    });
    if (!link.bindInPatch) return single(action, false);
    return {
      actions: group,
      version,
      request: {
        method: 'PATCH',
        url: spec.itemPath(parent),
        body: {
          [`${link.relation}@odata.bind`]: group.map((a) =>
            directoryObjectUrl(this.ids.id(a.link!.targetId)),
          ),
        },
        headers: { 'content-type': 'application/json' },
      },
      settle: (r) => {
        if (!r.error)
          return { outcomes: group.map((a) => ({ seq: a.seq, state: 'done' as const })), mappings: [] };
        if (isReplicationDelay(r)) return { outcomes: [], mappings: [], retry: true };
        // A link of the twenty already exists (a restored object brought it back) or one target is
        // gone: one request per link tells which, and treats "already exists" as done.
        return { outcomes: [], mappings: [], split: group.map((a) => single(a, true)) };
      },
    };
  }

  private async removeLinkUnit(
    action: ActionRecord,
    collection: CollectionSpec,
    version: GraphApiVersion,
  ): Promise<Unit> {
    const write = this.assignmentRemoval(action, collection);
    if (write !== null) {
      return {
        actions: [action],
        version,
        request: toRequest(write),
        settle: (r) => settleIdempotentDelete(action, r),
      };
    }
    const spec = restoreOf(collection);
    const link = spec.links!.find((l) => l.relation === action.link!.relation)!;
    const parent = this.ids.id(action.objectId);
    if (link.writeFromTarget !== undefined) {
      const target = action.link!;
      return {
        actions: [action],
        version,
        request: toRequest(
          link.writeFromTarget('remove', parent, this.ids.id(target.targetId), target.targetType),
        ),
        settle: (r) => settleIdempotentDelete(action, r),
      };
    }
    const url = link.single
      ? `${link.refPath(parent)}/$ref`
      : `${link.refPath(parent)}/${action.link!.targetId}/$ref`;
    return {
      actions: [action],
      version,
      request: { method: 'DELETE', url },
      settle: (r) => settleIdempotentDelete(action, r),
    };
  }

  /** The removal of a live assignment (role assignment, app role assignment, grant), or null for a plain link. */
  private assignmentRemoval(action: ActionRecord, collection: CollectionSpec): GraphWrite | null {
    const spec =
      collection.assignments?.assignment ??
      collection.embeddedAssignments?.find((e) => e.relation === action.link?.relation)?.assignment;
    if (spec === undefined) return null;
    const live = action.detail?.['live'] as StoredObject | undefined;
    if (live === undefined) throw new Error(`No live assignment recorded for ${action.objectId}`);
    return spec.remove(live);
  }

  /** The creation of an assignment with its stored ids rewired (and that rewired assignment), or null for a plain link. */
  private async assignmentToAdd(
    action: ActionRecord,
    collection: CollectionSpec,
  ): Promise<{ write: GraphWrite; rewired: StoredObject } | null> {
    const spec =
      collection.assignments?.assignment ??
      collection.embeddedAssignments?.find((e) => e.relation === action.link?.relation)?.assignment;
    if (spec === undefined) return null;
    const stored =
      (action.detail?.['assignment'] as StoredObject | undefined) ??
      (await this.deps.source(action.typeKey as ObjectTypeKey, action.collection, action.objectId));
    if (stored === null || stored === undefined)
      throw new Error(`Assignment ${action.objectId} is not in the snapshot`);
    const rewired = this.ids.rewrite(stored) as StoredObject;
    return { write: spec.add(rewired), rewired };
  }

  private async storedOf(action: ActionRecord): Promise<StoredObject> {
    const stored = await this.deps.source(
      action.typeKey as ObjectTypeKey,
      action.collection,
      action.objectId,
    );
    if (stored === null) throw new Error(`${action.collection} ${action.objectId} is not in the snapshot`);
    return stored;
  }

  /** Rewires ids to the target's, and maps domains for a restore into another tenant. */
  private rewrite(body: Record<string, unknown>, options: ExecuteOptions): Record<string, unknown> {
    const rewired = this.ids.rewrite(body) as Record<string, unknown>;
    return options.crossTenant
      ? (mapDomains(rewired, options.domainMap) as Record<string, unknown>)
      : rewired;
  }
}

/**
 * The id the backup stores a created assignment under: Graph's, or for items Graph lists per owner
 * (authentication methods, whose ids repeat across users) the one the collection's `normalize`
 * composes with the owner, so a re-created user's phone maps to its stored id in the next backup.
 */
function storedIdOf(
  collection: CollectionSpec,
  made: Record<string, unknown> | undefined,
  rewired: StoredObject,
): string | undefined {
  if (typeof made?.['id'] !== 'string') return undefined;
  const per = collection.perObjectOf;
  if (per === undefined || collection.normalize === undefined) return made['id'];
  const id = collection.normalize({ ...made, [per.ownerKey]: rewired[per.ownerKey] })['id'];
  return typeof id === 'string' ? id : made['id'];
}

/** Consecutive member additions to one parent travel together (20 per PATCH where Graph allows). */
function groupLinks(actions: ActionRecord[]): ActionRecord[][] {
  const out: ActionRecord[][] = [];
  for (const action of actions) {
    const last = out[out.length - 1];
    const head = last?.[0];
    const collection = collectionOf(action);
    const link = collection.restore?.links?.find((l) => l.relation === action.link?.relation);
    if (
      last !== undefined &&
      head !== undefined &&
      action.kind === 'addLink' &&
      head.kind === 'addLink' &&
      link?.bindInPatch === true &&
      action.state === 'pending' &&
      head.state === 'pending' &&
      head.objectId === action.objectId &&
      head.collection === action.collection &&
      head.link?.relation === action.link?.relation &&
      last.length < 20
    ) {
      last.push(action);
    } else {
      out.push([action]);
    }
  }
  return out;
}

function byVersion(units: Unit[]): Map<GraphApiVersion, Unit[]> {
  const out = new Map<GraphApiVersion, Unit[]>();
  for (const unit of units) {
    const list = out.get(unit.version) ?? [];
    list.push(unit);
    out.set(unit.version, list);
  }
  return out;
}

function collectionOf(action: ActionRecord): CollectionSpec {
  const descriptor = DESCRIPTORS[action.typeKey as ObjectTypeKey];
  const collection = descriptor?.collections.find((c) => c.name === action.collection);
  if (collection === undefined) throw new Error(`Unknown collection ${action.typeKey}/${action.collection}`);
  return collection;
}

function restoreOf(collection: CollectionSpec): CollectionRestore {
  if (collection.restore === undefined) throw new Error(`${collection.name} cannot be restored`);
  return collection.restore;
}

function pick(
  object: Readonly<Record<string, unknown>>,
  properties: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of properties) if (object[p] !== undefined) out[p] = object[p];
  return out;
}

function toRequest(write: GraphWrite): Omit<GraphBatchRequest, 'id'> {
  return {
    method: write.method,
    url: write.path,
    ...(write.body === undefined
      ? {}
      : { body: write.body, headers: { 'content-type': 'application/json' } }),
  };
}

function mappingsOf(
  action: ActionRecord,
  stored: StoredObject,
  made: { id: string; appId?: string },
): IdMapping[] {
  const out: IdMapping[] = [{ kind: 'id', oldId: action.objectId, newId: made.id }];
  if (typeof stored['appId'] === 'string' && typeof made.appId === 'string' && stored['appId'] !== made.appId)
    out.push({ kind: 'appId', oldId: stored['appId'], newId: made.appId });
  return out;
}

/**
 * A created object as the backup names it: normalized like a read (a cross-tenant partner, which
 * Graph keys by `tenantId`, gets that as its id).
 */
function createdOf(
  collection: CollectionSpec,
  body: unknown,
): { id: string; appId?: string } & Record<string, unknown> {
  const object = (body ?? {}) as Record<string, unknown>;
  return (collection.normalize ? collection.normalize(object) : object) as {
    id: string;
    appId?: string;
  } & Record<string, unknown>;
}

function settleSimple(action: ActionRecord, r: GraphBatchResponse): Settled {
  if (!r.error) return { outcomes: [{ seq: action.seq, state: 'done' }], mappings: [] };
  return { outcomes: [graphFailure(action, r)], mappings: [], retry: isReplicationDelay(r) };
}

/** A link that already exists is what the restore wants: done. */
function settleLinkAdd(action: ActionRecord, r: GraphBatchResponse): Settled {
  if (!r.error) return { outcomes: [{ seq: action.seq, state: 'done' }], mappings: [] };
  if (r.status === 400 && /already exist/i.test(r.error.graphMessage ?? ''))
    return { outcomes: [{ seq: action.seq, state: 'done' }], mappings: [] };
  // The same assignment exists, e.g. made by an interrupted attempt whose answer was lost: Graph
  // refuses a second identical role assignment with 400 "A conflicting object ... is present".
  if (
    r.status === 400 &&
    /conflicting object .* is present in the directory/i.test(r.error.graphMessage ?? '')
  )
    return { outcomes: [{ seq: action.seq, state: 'done' }], mappings: [] };
  if (r.status === 409 || (r.status === 400 && r.error.code === 'Request_MultipleObjectsWithSameKeyValue'))
    return { outcomes: [{ seq: action.seq, state: 'done' }], mappings: [] };
  return { outcomes: [graphFailure(action, r)], mappings: [], retry: isReplicationDelay(r) };
}

/** Something already gone is what a removal wants: done. */
function settleIdempotentDelete(action: ActionRecord, r: GraphBatchResponse): Settled {
  if (!r.error || r.status === 404) return { outcomes: [{ seq: action.seq, state: 'done' }], mappings: [] };
  if (r.status === 400 && /do not exist/i.test(r.error.graphMessage ?? ''))
    return { outcomes: [{ seq: action.seq, state: 'done' }], mappings: [] };
  return { outcomes: [graphFailure(action, r)], mappings: [] };
}

/** The directory has not caught up with an object created moments ago. */
function isReplicationDelay(r: GraphBatchResponse): boolean {
  const message = r.error?.graphMessage ?? '';
  return (
    (r.status === 400 &&
      /source resource object or one of the objects being referenced do not exist/i.test(message)) ||
    (r.status === 404 && r.error?.code === 'Request_ResourceNotFound')
  );
}

function graphFailure(action: ActionRecord, r: GraphBatchResponse): ActionOutcome {
  return failure(
    action,
    r.error?.code ?? `HTTP_${r.status}`,
    r.error?.graphMessage ?? r.error?.message ?? `HTTP ${r.status}`,
  );
}

function failure(action: ActionRecord, code: string, message: string): ActionOutcome {
  return { seq: action.seq, state: 'failed', errorCode: code, errorMessage: message };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('The restore was cancelled');
}

/**
 * A temporary password meeting Entra's complexity rules (upper, lower, digit, symbol; 16
 * characters): https://learn.microsoft.com/entra/identity/authentication/concept-password-ban-bad-combined-policy
 */
export function temporaryPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#$%&*+-=?@'];
  const chars = sets.map((set) => set[randomInt(set.length)]!);
  const all = sets.join('');
  while (chars.length < 16) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Maps the domain part of user principal names and mail addresses for a restore into another tenant. */
export function mapDomains(value: unknown, domainMap: Readonly<Record<string, string>>): unknown {
  const entries = Object.entries(domainMap).map(([from, to]) => [from.toLowerCase(), to] as const);
  if (entries.length === 0) return value;
  const mapString = (text: string): string => {
    const at = text.lastIndexOf('@');
    if (at < 0) return text;
    const domain = text.slice(at + 1).toLowerCase();
    const target = entries.find(([from]) => domain === from || domain.endsWith(`.${from}`));
    return target === undefined
      ? text
      : `${text.slice(0, at + 1)}${domain.slice(0, domain.length - target[0].length)}${target[1]}`;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return mapString(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}
