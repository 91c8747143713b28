import {
  collectionLabel,
  type ObjectTypeKey,
  type RestoreActionKind,
  type RestoreUnrecoverable,
} from '@entra-backup/common';
import { canonicalJson } from '../../backup-storage/codec/canonical-json';
import type { CollectionSpec } from '../../exporters/descriptor';
import { extensionAppId } from '../../exporters/directory-extensions';
import { missingCollectionWrite, missingEmbeddedWrite } from '../../exporters/permissions';
import { DESCRIPTORS } from '../../exporters/registry';
import { type CollectionRestore, type LinkSpec, RestorePhase } from '../../exporters/restore-spec';
import type { IdMapping, NewActionRecord } from '../../../persistence/repositories/restore.repository';

export type StoredObject = Readonly<Record<string, unknown>>;

/** One side of the comparison: the snapshot restored, or the target's live state (a fresh backup). */
export interface SnapshotSide {
  /** Every object of a collection, streamed (bounded memory). */
  all(type: ObjectTypeKey, collection: string): AsyncIterable<readonly [string, StoredObject]>;
  /** Some objects of a collection by id; absent ones are left out. */
  byIds(type: ObjectTypeKey, collection: string, ids: readonly string[]): Promise<Map<string, StoredObject>>;
  /** The ids of a collection's objects (nothing decrypted); empty when the side does not hold the type. */
  ids(type: ObjectTypeKey, collection: string): Promise<ReadonlySet<string>>;
}

/** Ids of one collection only in the snapshot (`onlyA`), only live (`onlyB`), or in both with other content. */
export interface Comparison {
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
  readonly changed: readonly string[];
}

export interface PlanSelection {
  readonly types: readonly ObjectTypeKey[];
  readonly ids?: ReadonlySet<string>;
  readonly properties?: readonly string[];
  readonly relationships: boolean;
  readonly removeNew: boolean;
  /** Restoring into another tenant: everything is re-created, nothing live is removed. */
  readonly crossTenant: boolean;
  /** Restoring into another tenant: maps the domains of names and addresses. */
  readonly mapDomains?: (value: unknown) => unknown;
  /**
   * The application permissions the target grants. A collection whose extra write permissions
   * (`CollectionSpec.permissions`) are not all in it is not written: the plan says so instead.
   * Unset: not checked (the type's own permissions are checked before the restore starts).
   */
  readonly grantedPermissions?: readonly string[];
}

export interface PlanInput {
  readonly selection: PlanSelection;
  readonly source: SnapshotSide;
  readonly live: SnapshotSide;
  /**
   * Restoring into the snapshot's own tenant: what differs between the snapshot and the live
   * state, by `<type>/<collection>`, from stored content hashes (unchanged objects are never
   * decrypted). Null for a restore into another tenant.
   */
  readonly comparison: ReadonlyMap<string, Comparison> | null;
  /** The objects in a collection's recycle bin in the target, by id (empty when it has none). */
  readonly recycleBin: (
    type: ObjectTypeKey,
    collection: string,
  ) => Promise<ReadonlyMap<string, StoredObject>>;
  /** When the plan is made: a schedule that ended before it is not restored. */
  readonly now?: Date;
}

export interface PlanOutput {
  readonly actions: NewActionRecord[];
  readonly unrecoverable: RestoreUnrecoverable[];
  /** Objects of another tenant used instead of re-created (found by their natural key). */
  readonly mappings: IdMapping[];
}

type Draft = Omit<NewActionRecord, 'seq'>;
type Base = Pick<Draft, 'phase' | 'typeKey' | 'collection' | 'objectId' | 'displayName'>;

/** Objects decrypted per round trip to the database. */
const CHUNK = 200;

const GUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

const SAFE_STATE_REASON =
  'Written disabled while objects it references are re-created; its snapshot state is restored last';

const KIND_ORDER: Record<RestoreActionKind, number> = {
  restoreDeleted: 0,
  recreate: 1,
  update: 2,
  removeLink: 3,
  addLink: 4,
  remove: 5,
  skip: 6,
};

/** Types that hold only archives: never written back. */
const ARCHIVE_REASONS: Partial<Record<ObjectTypeKey, string>> = {
  signInLogs: 'Sign-in logs are read-only: Microsoft Graph has no API to write them',
  auditLogs: 'Audit logs are read-only: Microsoft Graph has no API to write them',
  bitlockerKeys: 'BitLocker recovery keys are escrowed by the device itself: Graph cannot write them',
};

/** Microsoft Graph `@odata.type` of a reference → the collection holding such objects. */
const REFERENCE_COLLECTIONS: Record<string, { type: ObjectTypeKey; collection: string }> = {
  '#microsoft.graph.user': { type: 'users', collection: 'users' },
  '#microsoft.graph.group': { type: 'groups', collection: 'groups' },
  '#microsoft.graph.servicePrincipal': { type: 'enterpriseApps', collection: 'servicePrincipals' },
  '#microsoft.graph.device': { type: 'devices', collection: 'devices' },
  '#microsoft.graph.application': { type: 'appRegistrations', collection: 'applications' },
};

const NO_CHANGES: Comparison = { onlyA: [], onlyB: [], changed: [] };

/**
 * Computes a restore plan: compares the snapshot with the target's live state and recycle bins,
 * collection by collection in dependency order, and lists what to bring back, re-create, update,
 * link, unlink and skip. Reads only through its input; memory stays bounded by the changes, not
 * by the tenant's size.
 */
export class RestorePlanner {
  private readonly drafts: Draft[] = [];
  private readonly unrecoverable: RestoreUnrecoverable[] = [];
  /** Source ids that will exist again after the restore (recycle bin or re-created). */
  private readonly reborn = new Set<string>();
  /** Source ids (and appIds) that will get a new id, lower-case. */
  private readonly recreated = new Set<string>();
  private readonly missingCache = new Map<string, ReadonlySet<string>>();
  /** Ids of the objects links can point at, as the target holds them now (same tenant). */
  private readonly liveTargets = new Map<string, ReadonlySet<string>>();
  /** `<collection>/<id>` of objects whose own links were planned. */
  private readonly planned = new Set<string>();
  private readonly adopted: IdMapping[] = [];
  /** Updates of properties written in a later phase (extension values), settled once every object's fate is known. */
  private readonly deferredUpdates: Draft[] = [];
  private readonly pendingLinks: Array<{
    base: Base;
    link: LinkSpec;
    wanted: Map<string, string | null>;
    have: Map<string, string | null>;
    unwritable: string | null;
  }> = [];

  constructor(private readonly input: PlanInput) {}

  async plan(): Promise<PlanOutput> {
    const { selection } = this.input;
    for (const type of selection.types) {
      const archive = ARCHIVE_REASONS[type];
      if (selection.ids !== undefined) continue;
      if (archive !== undefined) this.skipType(type, archive);
      else if (!DESCRIPTORS[type].collections.some((c) => c.restore ?? c.assignments))
        this.skipType(
          type,
          'This product cannot write this type back yet: it is kept in backups and exports only',
        );
    }
    const unwritable = this.unwritableCollections();
    const writable = (type: ObjectTypeKey, collection: CollectionSpec) =>
      !unwritable.has(`${type}/${collection.name}`);
    // Collections in dependency order across types, so whatever references an object is planned
    // after the object's own fate (restored, re-created) is known.
    const collections = selection.types
      .flatMap((type) => DESCRIPTORS[type].collections.map((collection) => ({ type, collection })))
      .filter((c) => c.collection.restore !== undefined && writable(c.type, c.collection))
      .sort((a, b) => a.collection.restore!.phase - b.collection.restore!.phase);
    for (const { type, collection } of collections) {
      if (collection.restore!.ownedBy !== undefined)
        await this.planOwned(type, collection, collection.restore!);
      else await this.planObjects(type, collection, collection.restore!);
    }
    this.planDeferredUpdates();
    await this.loadLiveTargets();
    this.planPendingLinks();
    if (selection.properties === undefined) {
      for (const { type, collection } of collections)
        await this.planRewiring(type, collection, collection.restore!);
      for (const type of selection.types) {
        for (const collection of DESCRIPTORS[type].collections) {
          if (!writable(type, collection)) continue;
          if (collection.assignments) await this.planAssignments(type, collection);
          for (const embedded of collection.embeddedAssignments ?? []) {
            if (this.embeddedUnwritable(type, collection, embedded.relation, embedded.phase)) continue;
            await this.planEmbeddedAssignments(type, collection, embedded);
          }
        }
      }
      if (selection.relationships && this.reborn.size > 0)
        await this.planLinksToReborn(new Set(selection.types));
    }
    const actions = this.drafts
      .sort(
        (a, b) =>
          a.phase - b.phase ||
          KIND_ORDER[a.kind as RestoreActionKind] - KIND_ORDER[b.kind as RestoreActionKind] ||
          compare(a.typeKey, b.typeKey) ||
          compare(a.collection, b.collection) ||
          compare(a.objectId, b.objectId) ||
          compare(a.link?.targetId ?? '', b.link?.targetId ?? ''),
      )
      .map((draft, seq) => ({ ...draft, seq }));
    return { actions, unrecoverable: this.unrecoverable, mappings: this.adopted };
  }

  private comparisonOf(type: ObjectTypeKey, collection: string): Comparison {
    return this.input.comparison?.get(`${type}/${collection}`) ?? NO_CHANGES;
  }

  private selected(id: string): boolean {
    return this.input.selection.ids === undefined || this.input.selection.ids.has(id);
  }

  private async planObjects(
    type: ObjectTypeKey,
    collection: CollectionSpec,
    spec: CollectionRestore,
  ): Promise<void> {
    const { selection, source, live } = this.input;
    const comparison = this.comparisonOf(type, collection.name);
    const missing = comparison.onlyA.filter((id) => this.selected(id));
    // The recycle bin is read only when something is missing (its reads may be rate-limited:
    // Conditional Access allows one request per second per tenant).
    const bin =
      selection.crossTenant || spec.recycleBin === undefined || missing.length === 0
        ? new Map<string, StoredObject>()
        : await this.input.recycleBin(type, collection.name);
    const context = { type, collection, spec, bin, nonProperties: nonProperties(collection) };

    if (selection.crossTenant) {
      // Everything selected is created anew in the other tenant, except what it already has under
      // the same natural key (a user with the mapped sign-in name, Microsoft Graph's service principal).
      const existing = new Map<string, string>();
      if (spec.naturalKey !== undefined) {
        for await (const [id, object] of live.all(type, collection.name)) {
          const key = spec.naturalKey(object);
          if (key !== null) existing.set(key, id);
        }
      }
      const mapped = (object: StoredObject) => (selection.mapDomains?.(object) ?? object) as StoredObject;
      for await (const [id, stored] of source.all(type, collection.name)) {
        if (!this.selected(id)) continue;
        const key = spec.naturalKey?.(mapped(stored)) ?? null;
        const found = key === null ? undefined : existing.get(key);
        // What cannot be written (synchronised from on-premises) is reported, never adopted.
        if (found === undefined || (spec.unwritable?.(stored) ?? null) !== null)
          this.planMissing(context, id, stored);
        else await this.planAdopted(context, id, stored, found);
      }
      return;
    }
    for (const ids of chunks(missing)) {
      const stored = await source.byIds(type, collection.name, ids);
      for (const id of ids) {
        const object = stored.get(id);
        if (object !== undefined) this.planMissing(context, id, object);
      }
    }
    for (const ids of chunks(comparison.changed.filter((id) => this.selected(id)))) {
      const stored = await source.byIds(type, collection.name, ids);
      const current = await live.byIds(type, collection.name, ids);
      for (const id of ids) {
        const a = stored.get(id);
        const b = current.get(id);
        if (a !== undefined && b !== undefined) this.planExisting(context, id, a, b);
      }
    }
    // With `ids`, only the named objects are removed: undoing a restore removes exactly what it
    // brought back or created (their ids are in the undo's selection).
    if (selection.removeNew && selection.properties === undefined) {
      for (const ids of chunks(comparison.onlyB.filter((id) => this.selected(id)))) {
        const current = await live.byIds(type, collection.name, ids);
        for (const [id, object] of current) {
          if ((spec.unwritable?.(object) ?? null) !== null) continue;
          this.drafts.push({
            phase: RestorePhase.REMOVE_NEW,
            kind: 'remove',
            typeKey: type,
            collection: collection.name,
            objectId: id,
            displayName: nameOf(object),
            properties: [],
            link: null,
            reason: 'Created after the snapshot',
            detail: null,
          });
        }
      }
    }
  }

  /**
   * Objects Graph keeps one of per owner (a role's PIM policy): each stored one is matched to the
   * target's through its owner, never by id, and only its list items that differ are written
   * (`itemWriters`). The policy of an owner the restore re-creates does not exist yet: every item
   * is written to it, found through the owner's new id when the action runs.
   */
  private async planOwned(
    type: ObjectTypeKey,
    collection: CollectionSpec,
    spec: CollectionRestore,
  ): Promise<void> {
    const { selection, source, live } = this.input;
    const owned = spec.ownedBy!;
    const writers = spec.itemWriters ?? {};
    const properties = Object.keys(writers).filter(
      (p) => selection.properties === undefined || selection.properties.includes(p),
    );
    if (properties.length === 0) return;
    const ownerOf = new Map<string, string>();
    for await (const [, tie] of source.all(type, owned.collection)) {
      const object = tie[owned.object];
      const owner = tie[owned.owner];
      if (typeof object === 'string' && typeof owner === 'string') ownerOf.set(object, owner);
    }
    // Another tenant has policies of its own ids for the owners it shares (built-in roles).
    const liveOf = new Map<string, string>();
    for await (const [, tie] of live.all(type, owned.collection)) {
      const object = tie[owned.object];
      const owner = tie[owned.owner];
      if (typeof object === 'string' && typeof owner === 'string') liveOf.set(owner.toLowerCase(), object);
    }
    const names = new Map<string, string | null>();
    for await (const [id, owner] of source.all(type, owned.owners)) names.set(id, nameOf(owner));
    const pending: Array<{ id: string; stored: StoredObject; owner: string; liveId: string | undefined }> =
      [];
    for await (const [id, stored] of source.all(type, collection.name)) {
      const owner = ownerOf.get(id);
      if (owner === undefined) continue;
      if (selection.ids !== undefined && !selection.ids.has(id) && !selection.ids.has(owner)) continue;
      const recreated = this.recreated.has(owner.toLowerCase());
      pending.push({ id, stored, owner, liveId: recreated ? undefined : liveOf.get(owner.toLowerCase()) });
    }
    for (let start = 0; start < pending.length; start += CHUNK) {
      const slice = pending.slice(start, start + CHUNK);
      const liveIds = slice.flatMap((p) => (p.liveId === undefined ? [] : [p.liveId]));
      const current = liveIds.length === 0 ? new Map() : await live.byIds(type, collection.name, liveIds);
      for (const { id, stored, owner, liveId } of slice) {
        const base: Base = {
          phase: spec.phase,
          typeKey: type,
          collection: collection.name,
          objectId: id,
          displayName: names.get(owner) ?? nameOf(stored),
        };
        const now = liveId === undefined ? undefined : current.get(liveId);
        // An owner back from the recycle bin or re-created: its policy is found when the action runs.
        if (now === undefined && !this.reborn.has(owner) && !this.recreated.has(owner.toLowerCase())) {
          this.skip(
            base,
            `The role ${owner} it belongs to no longer exists in the target and is not part of this restore`,
          );
          continue;
        }
        const items: Record<string, string[]> = {};
        for (const property of properties) {
          const key = writers[property]!.key;
          const have = new Map(listOf(now?.[property]).map((item) => [String(item[key]), item] as const));
          const changed = listOf(stored[property])
            .filter((item) => {
              const other = have.get(String(item[key]));
              return other === undefined || !sameValue(item, other) || this.referencesRecreated(item);
            })
            .map((item) => String(item[key]));
          if (changed.length > 0) items[property] = changed;
        }
        if (Object.keys(items).length === 0) continue;
        this.planned.add(`${collection.name}/${id}`);
        this.drafts.push({
          ...base,
          kind: 'update',
          properties: Object.keys(items).sort(),
          link: null,
          reason: now === undefined ? 'Written to the policy of the role once the role is back' : null,
          detail: now === undefined ? { owner, items } : { liveId, owner, items },
        });
      }
    }
  }

  /** An object of the snapshot the target no longer has: from the recycle bin, or re-created. */
  private planMissing(
    context: {
      type: ObjectTypeKey;
      collection: CollectionSpec;
      spec: CollectionRestore;
      bin: ReadonlyMap<string, StoredObject>;
      nonProperties: ReadonlySet<string>;
    },
    id: string,
    stored: StoredObject,
  ): void {
    const { type, collection, spec, bin } = context;
    this.planned.add(`${collection.name}/${id}`);
    const base: Base = {
      phase: spec.phase,
      typeKey: type,
      collection: collection.name,
      objectId: id,
      displayName: nameOf(stored),
    };
    if (this.input.selection.properties !== undefined) {
      this.skip(
        base,
        'The object does not exist in the target: restore the whole object, not single properties',
      );
      return;
    }
    const unwritable = spec.unwritable?.(stored) ?? null;
    if (unwritable !== null) {
      this.skip(base, unwritable);
      return;
    }
    // A create-only property naming a re-created object (a service principal's appId) cannot be
    // rewired on a restored object: such an object is created anew instead.
    const pinned = (spec.createOnly ?? []).some((p) => this.referencesRecreated(stored[p]));
    if (bin.has(id) && !pinned) {
      this.drafts.push({
        ...base,
        kind: 'restoreDeleted',
        properties: [],
        link: null,
        reason: null,
        detail: null,
      });
      this.reborn.add(id);
      // Graph keeps the object's links in its recycle bin; the links are ensured anyway (adding one
      // that exists is a no-op), so a restore never depends on what the bin kept.
      // Changed after the snapshot and then deleted, it comes back as it was deleted: what differs
      // from the snapshot is written once it is back.
      const deleted = bin.get(id)!;
      this.pushUpdate(base, spec, updatableDifferences(stored, deleted, spec, context.nonProperties), null);
    } else if (spec.createPath === undefined && spec.upsert !== true) {
      this.skip(base, spec.cannotCreate ?? 'Microsoft Graph cannot re-create this object');
      return;
    } else {
      const caveat = spec.caveat?.(stored) ?? null;
      const safe = spec.safeState !== undefined && this.referencesRecreated(stored);
      const [now, later] = splitDeferred(spec, writableProperties(stored, spec, context.nonProperties));
      this.drafts.push({
        ...base,
        kind: 'recreate',
        properties: now,
        link: null,
        reason: safe ? SAFE_STATE_REASON : caveat,
        detail: safe ? { safeState: true } : null,
      });
      this.pushUpdate(base, spec, later, null);
      if (safe) {
        this.drafts.push({
          ...base,
          phase: RestorePhase.CONDITIONAL_ACCESS_STATE,
          kind: 'update',
          properties: [spec.safeState!.property],
          link: null,
          reason: 'Switches the policy to its snapshot state, last',
          detail: null,
        });
      }
      if (caveat !== null && /without|not restored/.test(caveat))
        this.unrecoverable.push({ type, id, displayName: base.displayName, reason: caveat });
      this.reborn.add(id);
      // An upserted object keeps its id: what names it stays right.
      if (spec.upsert !== true) this.recreated.add(id.toLowerCase());
      // A re-created application gets a new application (client) id as well.
      if (spec.readOnly.includes('appId') && typeof stored['appId'] === 'string')
        this.recreated.add(stored['appId'].toLowerCase());
    }
    if (this.input.selection.relationships) this.planOwnLinks(base, spec, stored, undefined);
  }

  /** An object another tenant already has under the same natural key: used, and brought to the snapshot's state. */
  private async planAdopted(
    context: {
      type: ObjectTypeKey;
      collection: CollectionSpec;
      spec: CollectionRestore;
      nonProperties: ReadonlySet<string>;
    },
    id: string,
    stored: StoredObject,
    liveId: string,
  ): Promise<void> {
    const { type, collection, spec } = context;
    this.adopted.push({ kind: 'id', oldId: id, newId: liveId });
    this.reborn.add(id);
    this.planned.add(`${collection.name}/${id}`);
    const base: Base = {
      phase: spec.phase,
      typeKey: type,
      collection: collection.name,
      objectId: id,
      displayName: nameOf(stored),
    };
    if (spec.updateAdopted === true && (spec.unwritable?.(stored) ?? null) === null) {
      const current = (await this.input.live.byIds(type, collection.name, [liveId])).get(liveId);
      const mapped = (this.input.selection.mapDomains?.(stored) ?? stored) as StoredObject;
      this.pushUpdate(
        base,
        spec,
        updatableDifferences(mapped, current ?? {}, spec, context.nonProperties),
        'Already in the target tenant (same natural key): updated to the snapshot state',
      );
    }
    if (this.input.selection.relationships) this.planOwnLinks(base, spec, stored, undefined);
  }

  /** An object both sides hold with other content: write what differs. */
  private planExisting(
    context: {
      type: ObjectTypeKey;
      collection: CollectionSpec;
      spec: CollectionRestore;
      nonProperties: ReadonlySet<string>;
    },
    id: string,
    stored: StoredObject,
    current: StoredObject,
  ): void {
    const { type, collection, spec, nonProperties: skipped } = context;
    this.planned.add(`${collection.name}/${id}`);
    const { selection } = this.input;
    const base: Base = {
      phase: spec.phase,
      typeKey: type,
      collection: collection.name,
      objectId: id,
      displayName: nameOf(stored),
    };
    const unwritable = spec.unwritable?.(stored) ?? null;
    if (unwritable !== null) {
      // Its properties and its links alike are mastered elsewhere (on-premises, built in).
      if (differs(stored, current)) this.skip(base, unwritable);
      return;
    }
    const candidates = selection.properties ?? [
      ...new Set([...Object.keys(stored), ...Object.keys(current)]),
    ];
    const changed = candidates.filter(
      (p) =>
        !skipped.has(p) &&
        !spec.readOnly.includes(p) &&
        (!sameValue(stored[p], current[p]) || this.referencesRecreated(stored[p])),
    );
    const createOnly = changed.filter((p) => spec.createOnly?.includes(p));
    const blocked = changed.flatMap((p) => {
      const reason = spec.unwritableProperties?.[p]?.(stored) ?? null;
      return reason === null ? [] : [{ property: p, reason }];
    });
    const updatable = changed.filter(
      (p) =>
        !spec.createOnly?.includes(p) && stored[p] !== undefined && !blocked.some((b) => b.property === p),
    );
    if (updatable.length > 0) {
      if (spec.cannotUpdate !== undefined) this.skip(base, spec.cannotUpdate);
      else this.pushUpdate(base, spec, updatable, null);
    }
    if (createOnly.length > 0)
      this.skip(base, `${createOnly.join(', ')} can only be set when the object is created`, createOnly);
    for (const { property, reason } of blocked) this.skip(base, `${property}: ${reason}`, [property]);
    if (selection.relationships && selection.properties === undefined)
      this.planOwnLinks(base, spec, stored, current);
  }

  /**
   * Updates of one object: properties the collection writes later (directory extension values)
   * in an update of their own, in their phase.
   */
  private pushUpdate(base: Base, spec: CollectionRestore, properties: string[], reason: string | null): void {
    const [now, later] = splitDeferred(spec, properties);
    const update = (phase: number, part: string[]): Draft => ({
      ...base,
      phase,
      kind: 'update',
      properties: [...part].sort(),
      link: null,
      reason,
      detail: null,
    });
    if (now.length > 0) this.drafts.push(update(base.phase, now));
    if (later.length > 0) this.deferredUpdates.push(update(spec.deferred!.phase, later));
  }

  /**
   * Extension values are written once their applications have their extensions again. Into
   * another tenant, only the extensions of applications this restore re-creates there exist (under
   * new names): the values of others are reported instead of failing against Graph.
   */
  private planDeferredUpdates(): void {
    for (const draft of this.deferredUpdates) {
      if (!this.input.selection.crossTenant) {
        this.drafts.push(draft);
        continue;
      }
      const ours = (p: string) => {
        const appId = extensionAppId(p);
        return appId !== null && this.recreated.has(appId);
      };
      const kept = draft.properties.filter(ours);
      const dropped = draft.properties.filter((p) => !ours(p));
      if (kept.length > 0) this.drafts.push({ ...draft, properties: kept });
      if (dropped.length > 0)
        this.skip(
          draft,
          `${dropped.join(', ')}: defined by an application this restore does not re-create in the target ` +
            'tenant; restore the application with it to bring these directory extension values',
          dropped,
        );
    }
  }

  /**
   * Unchanged objects whose properties name an object that gets a new id (a Conditional Access
   * policy including a re-created group): those properties are written again, rewired.
   */
  private async planRewiring(
    type: ObjectTypeKey,
    collection: CollectionSpec,
    spec: CollectionRestore,
  ): Promise<void> {
    if (this.recreated.size === 0 || this.input.selection.crossTenant || spec.referencesIn === undefined)
      return;
    const comparison = this.comparisonOf(type, collection.name);
    const handled = new Set([...comparison.onlyA, ...comparison.changed]);
    for await (const [id, stored] of this.input.source.all(type, collection.name)) {
      if (handled.has(id) || !this.selected(id) || (spec.unwritable?.(stored) ?? null) !== null) continue;
      const properties = spec.referencesIn.filter((p) => this.referencesRecreated(stored[p]));
      if (properties.length === 0) continue;
      this.drafts.push({
        phase: spec.phase,
        kind: 'update',
        typeKey: type,
        collection: collection.name,
        objectId: id,
        displayName: nameOf(stored),
        properties,
        link: null,
        reason: 'Names objects the restore re-creates: rewritten with their new ids',
        detail: null,
      });
    }
  }

  /**
   * Links of one object: what the snapshot has and the live object lacks, and the reverse. Only
   * the references are kept here; the links are planned once the fate of every object is known,
   * since a link may point at an object of the same collection that comes back later in the pass.
   */
  private planOwnLinks(
    base: Base,
    spec: CollectionRestore,
    stored: StoredObject,
    current: StoredObject | undefined,
  ): void {
    for (const link of spec.links ?? []) {
      const wanted = references(stored[link.relation]);
      const have =
        current === undefined ? new Map<string, string | null>() : references(current[link.relation]);
      if (wanted.size === 0 && have.size === 0) continue;
      this.pendingLinks.push({ base, link, wanted, have, unwritable: link.unwritable?.(stored) ?? null });
    }
  }

  private planPendingLinks(): void {
    for (const { base, link, wanted, have, unwritable } of this.pendingLinks) {
      const returning = [...wanted.keys()].some((id) => this.reborn.has(id));
      if (sameKeys(wanted, have) && !returning) continue;
      if (unwritable !== null) {
        this.skip({ ...base, phase: link.phase }, `${link.relation}: ${unwritable}`, [link.relation]);
        continue;
      }
      for (const [targetId, targetType] of wanted) {
        // A link to an object that comes back is always ensured (adding an existing link is a no-op):
        // a read taken after its deletion may still list it, and a new id never has the link yet.
        if (have.has(targetId) && !this.reborn.has(targetId)) continue;
        this.addLink(base, link, targetId, targetType);
      }
      if (this.input.selection.crossTenant) continue;
      for (const [targetId, targetType] of have) {
        if (wanted.has(targetId)) continue;
        this.drafts.push({
          ...base,
          phase: link.phase,
          kind: 'removeLink',
          properties: [link.relation],
          link: { relation: link.relation, targetId, targetType },
          reason: null,
          detail: null,
        });
      }
    }
    this.pendingLinks.length = 0;
  }

  private addLink(
    base: Omit<Base, 'phase'>,
    link: LinkSpec,
    targetId: string,
    targetType: string | null,
  ): void {
    const gone = this.targetGone(targetId, targetType);
    this.drafts.push({
      ...base,
      phase: link.phase,
      kind: gone ? 'skip' : 'addLink',
      properties: [link.relation],
      link: { relation: link.relation, targetId, targetType },
      reason: gone
        ? `${link.relation}: ${targetId} no longer exists in the target and is not part of this restore`
        : null,
      detail: null,
    });
    if (gone)
      this.unrecoverable.push({
        type: base.typeKey as ObjectTypeKey,
        id: base.objectId,
        displayName: base.displayName,
        reason: `${link.relation}: ${targetId} no longer exists in the target and is not part of this restore`,
      });
  }

  /** The ids of every kind of object a link can point at, as the target holds them now. */
  private async loadLiveTargets(): Promise<void> {
    const { selection } = this.input;
    // Only links need them: none to plan, none to add for returning objects, nothing to read.
    if (selection.crossTenant || !selection.relationships) return;
    if (this.pendingLinks.length === 0 && this.reborn.size === 0) return;
    for (const { type, collection } of Object.values(REFERENCE_COLLECTIONS)) {
      const ids = await this.input.live.ids(type, collection);
      // A type the backups do not hold tells nothing: its objects are assumed to exist.
      if (ids.size > 0) this.liveTargets.set(collection, ids);
    }
  }

  /** A link target that is neither live nor coming back. */
  private targetGone(targetId: string, targetType: string | null): boolean {
    if (this.reborn.has(targetId)) return false;
    const target = targetType === null ? undefined : REFERENCE_COLLECTIONS[targetType];
    if (target === undefined) return false;
    if (this.input.selection.crossTenant) return true;
    const live = this.liveTargets.get(target.collection);
    if (live !== undefined) return !live.has(targetId);
    return this.missingIn(target.type, target.collection).has(targetId);
  }

  private missingIn(type: ObjectTypeKey, collection: string): ReadonlySet<string> {
    const key = `${type}/${collection}`;
    let missing = this.missingCache.get(key);
    if (missing === undefined) {
      missing = new Set(this.comparisonOf(type, collection).onlyA);
      this.missingCache.set(key, missing);
    }
    return missing;
  }

  /** Assignment collections (role assignments, eligibilities, grants): matched by what they connect. */
  private async planAssignments(type: ObjectTypeKey, collection: CollectionSpec): Promise<void> {
    const restore = collection.assignments!;
    const spec = restore.assignment;
    const sideOf = async (side: SnapshotSide): Promise<StoredObject[]> => {
      let objects = await collect(side.all(type, collection.name));
      if (spec.only) objects = objects.filter(spec.only);
      if (spec.deferTo) {
        const { collection: other, when } = spec.deferTo;
        const keyOf = (a: StoredObject) => spec.key.map((k) => String(a[k] ?? '')).join('|');
        const deferred = new Set((await collect(side.all(type, other))).filter(when).map(keyOf));
        objects = objects.filter((a) => !deferred.has(keyOf(a)));
      }
      return objects;
    };
    let source = await sideOf(this.input.source);
    const live = this.input.selection.crossTenant ? [] : await sideOf(this.input.live);
    if (spec.lapsed) {
      const now = this.input.now ?? new Date();
      const kept: StoredObject[] = [];
      for (const a of source) {
        const reason = spec.lapsed(a, now);
        if (reason === null) kept.push(a);
        else
          this.skip(
            {
              phase: restore.phase,
              typeKey: type,
              collection: collection.name,
              displayName: nameOf(a),
              objectId: String(a['id']),
            },
            reason,
            [collection.name],
          );
      }
      source = kept;
    }
    this.diffAssignments(type, collection.name, restore.phase, spec, source, live, collection.name);
  }

  private async planEmbeddedAssignments(
    type: ObjectTypeKey,
    collection: CollectionSpec,
    embedded: NonNullable<CollectionSpec['embeddedAssignments']>[number],
  ): Promise<void> {
    // Parents the snapshot holds the relation of: a snapshot taken before the relation was backed
    // up (or of an object it was not read for) says nothing about it, so nothing live is removed.
    const known = new Set<string>();
    const flatten = async (side: SnapshotSide, only?: ReadonlySet<string>) => {
      const out: StoredObject[] = [];
      for await (const [id, o] of side.all(type, collection.name)) {
        if (!Array.isArray(o[embedded.relation]) || (only !== undefined && !only.has(id))) continue;
        if (only === undefined) known.add(id);
        const items = o[embedded.relation] as StoredObject[];
        const parentKey = embedded.parentKey;
        out.push(...(parentKey === undefined ? items : items.map((item) => ({ ...item, [parentKey]: id }))));
      }
      return out;
    };
    const source = await flatten(this.input.source);
    const live = this.input.selection.crossTenant ? [] : await flatten(this.input.live, known);
    this.diffAssignments(
      type,
      collection.name,
      embedded.phase,
      embedded.assignment,
      source,
      live,
      embedded.relation,
    );
  }

  private diffAssignments(
    type: ObjectTypeKey,
    collection: string,
    phase: number,
    spec: {
      readonly key: readonly string[];
      readonly principal: string;
      readonly updatable?: readonly string[];
      readonly unwritable?: (assignment: StoredObject) => string | null;
    },
    source: StoredObject[],
    live: StoredObject[],
    relation: string,
  ): void {
    const { selection } = this.input;
    const keyOf = (a: StoredObject) => spec.key.map((k) => String(a[k] ?? '')).join('|');
    const touches = (a: StoredObject) =>
      selection.ids === undefined ||
      selection.ids.has(String(a['id'])) ||
      spec.key.some((k) => typeof a[k] === 'string' && selection.ids!.has(a[k] as string));
    const liveByKey = new Map(live.map((a) => [keyOf(a), a] as const));
    const sourceKeys = new Set(source.map(keyOf));
    for (const a of source) {
      if (!touches(a)) continue;
      const current = liveByKey.get(keyOf(a));
      const base = { phase, typeKey: type, collection, displayName: nameOf(a), objectId: String(a['id']) };
      const rewired = spec.key.some(
        (k) => typeof a[k] === 'string' && this.recreated.has((a[k] as string).toLowerCase()),
      );
      if (current === undefined || rewired) {
        const gone = spec.key.find(
          (k) => typeof a[k] === 'string' && this.assignmentTargetGone(a[k] as string),
        );
        if (gone !== undefined) {
          this.skip(
            base,
            `${relation}: ${String(a[gone])} no longer exists in the target and is not part of this restore`,
            [relation],
          );
          continue;
        }
        // In another tenant, a principal this restore neither creates nor finds there (a user
        // synchronised from on-premises, a type not selected) has no id to write the assignment to.
        const principal = a[spec.principal];
        if (selection.crossTenant && typeof principal === 'string' && !this.reborn.has(principal)) {
          this.skip(
            base,
            `${relation}: ${principal} is not in the target tenant and this restore does not create it`,
            [relation],
          );
          continue;
        }
        const unwritable = spec.unwritable?.(a) ?? null;
        if (unwritable !== null) {
          this.skip(base, `${relation}: ${unwritable}`, [relation]);
          continue;
        }
        this.drafts.push({
          ...base,
          kind: 'addLink',
          properties: [relation],
          link: { relation, targetId: String(a[spec.principal] ?? ''), targetType: null },
          reason: null,
          detail: { assignment: a },
        });
      } else if (spec.updatable !== undefined) {
        const changed = spec.updatable.filter((p) => !sameValue(a[p], current[p]));
        if (changed.length > 0)
          this.drafts.push({
            ...base,
            kind: 'update',
            properties: changed,
            link: null,
            reason: null,
            detail: { liveId: current['id'], live: current, assignment: a, relation },
          });
      }
    }
    if (selection.crossTenant) return;
    for (const current of live) {
      if (sourceKeys.has(keyOf(current)) || !touches(current)) continue;
      if ((spec.unwritable?.(current) ?? null) !== null) continue;
      this.drafts.push({
        phase,
        typeKey: type,
        collection,
        displayName: nameOf(current),
        objectId: String(current['id']),
        kind: 'removeLink',
        properties: [relation],
        link: { relation, targetId: String(current[spec.principal] ?? ''), targetType: null },
        reason: null,
        detail: { live: current },
      });
    }
  }

  /** A principal or resource of an assignment that was deleted for good and is not restored. */
  private assignmentTargetGone(id: string): boolean {
    if (this.reborn.has(id) || this.input.selection.crossTenant) return false;
    for (const { type, collection } of Object.values(REFERENCE_COLLECTIONS)) {
      if (this.missingIn(type, collection).has(id)) return true;
    }
    return false;
  }

  /**
   * Links that point at an object the restore brings back, held by objects the comparison did
   * not otherwise plan: objects of types outside the selection (a re-created user's groups), and
   * objects a read taken after the deletion still shows unchanged (Graph's delta does not report
   * every link a deleted principal loses). Adding a link that exists is a no-op.
   */
  private async planLinksToReborn(selectedTypes: ReadonlySet<ObjectTypeKey>): Promise<void> {
    const { selection, source, live } = this.input;
    for (const type of Object.keys(DESCRIPTORS) as ObjectTypeKey[]) {
      const selectedType = selectedTypes.has(type);
      for (const collection of DESCRIPTORS[type].collections) {
        const spec = collection.restore;
        if (spec?.links === undefined) continue;
        const candidates: Array<[string, StoredObject]> = [];
        const flush = async () => {
          const current = selection.crossTenant
            ? new Map<string, StoredObject>()
            : await live.byIds(
                type,
                collection.name,
                candidates.map(([id]) => id),
              );
          for (const [id, stored] of candidates) {
            const now = current.get(id);
            if (now === undefined && !selection.crossTenant) continue;
            for (const link of spec.links!) {
              if ((link.unwritable?.(stored) ?? null) !== null) continue;
              const have = references(now?.[link.relation]);
              for (const [targetId, targetType] of references(stored[link.relation])) {
                if (!this.reborn.has(targetId)) continue;
                if (have.has(targetId) && !this.reborn.has(targetId)) continue;
                this.addLink(
                  { typeKey: type, collection: collection.name, objectId: id, displayName: nameOf(stored) },
                  link,
                  targetId,
                  targetType,
                );
              }
            }
          }
          candidates.length = 0;
        };
        for await (const [id, stored] of source.all(type, collection.name)) {
          // Objects planned already, and in another tenant objects the restore does not create.
          if (this.planned.has(`${collection.name}/${id}`) || selection.crossTenant) continue;
          const targets = spec.links.some((link) =>
            [...references(stored[link.relation]).keys()].some((t) => this.reborn.has(t)),
          );
          if (!targets) continue;
          candidates.push([id, stored]);
          if (candidates.length >= CHUNK) await flush();
        }
        if (candidates.length > 0) await flush();
      }
      // Into another tenant, relationships of unselected types would name objects it does not have.
      if (selectedType || selection.crossTenant) continue;
      for (const collection of DESCRIPTORS[type].collections) {
        if (collection.assignments === undefined) continue;
        const assignment = collection.assignments.assignment;
        for await (const [, a] of source.all(type, collection.name)) {
          if (!assignment.key.some((k) => typeof a[k] === 'string' && this.reborn.has(a[k] as string)))
            continue;
          if ((assignment.unwritable?.(a) ?? null) !== null) continue;
          this.drafts.push({
            phase: collection.assignments.phase,
            typeKey: type,
            collection: collection.name,
            displayName: nameOf(a),
            objectId: String(a['id']),
            properties: [collection.name],
            reason: null,
            kind: 'addLink',
            link: {
              relation: collection.name,
              targetId: String(a[assignment.principal] ?? ''),
              targetType: null,
            },
            detail: { assignment: a },
          });
        }
      }
    }
  }

  /**
   * Writable collections whose extra write permissions the target's consent lacks: each gets one
   * skip action naming the missing permissions, and nothing of it is planned.
   */
  private unwritableCollections(): Set<string> {
    const { selection } = this.input;
    const out = new Set<string>();
    const granted = selection.grantedPermissions;
    if (granted === undefined) return out;
    for (const type of selection.types) {
      if (ARCHIVE_REASONS[type] !== undefined) continue;
      for (const collection of DESCRIPTORS[type].collections) {
        const writes =
          collection.restore !== undefined ||
          collection.assignments !== undefined ||
          (collection.embeddedAssignments ?? []).length > 0;
        const missing = missingCollectionWrite(type, collection.name, granted);
        if (!writes || missing.length === 0) continue;
        out.add(`${type}/${collection.name}`);
        const reason =
          `Not restored: the target's consent lacks ${missing.join(', ')} needed to write ` +
          `${collectionLabel(collection.name)}; grant admin consent again in Settings`;
        this.drafts.push({
          phase: collection.restore?.phase ?? RestorePhase.POLICY_OBJECTS,
          kind: 'skip',
          typeKey: type,
          collection: collection.name,
          objectId: '*',
          displayName: null,
          properties: [],
          link: null,
          reason,
          detail: null,
        });
        this.unrecoverable.push({ type, id: '*', displayName: null, reason });
      }
    }
    return out;
  }

  /**
   * Embedded items whose extra write permissions the target's consent lacks (delegated permission
   * classifications without Policy.ReadWrite.PermissionGrant): one skip action names them, and
   * the rest of the collection is restored.
   */
  private embeddedUnwritable(
    type: ObjectTypeKey,
    collection: CollectionSpec,
    relation: string,
    phase: RestorePhase,
  ): boolean {
    const granted = this.input.selection.grantedPermissions;
    if (granted === undefined) return false;
    const missing = missingEmbeddedWrite(type, collection.name, relation, granted);
    if (missing.length === 0) return false;
    const reason =
      `Not restored: the target's consent lacks ${missing.join(', ')} needed to write ` +
      `${collectionLabel(relation)}; grant admin consent again in Settings`;
    this.drafts.push({
      phase,
      kind: 'skip',
      typeKey: type,
      collection: collection.name,
      objectId: '*',
      displayName: null,
      properties: [relation],
      link: null,
      reason,
      detail: null,
    });
    this.unrecoverable.push({ type, id: '*', displayName: null, reason });
    return true;
  }

  private skipType(type: ObjectTypeKey, reason: string): void {
    this.drafts.push({
      phase: RestorePhase.POLICY_OBJECTS,
      kind: 'skip',
      typeKey: type,
      collection: DESCRIPTORS[type].collections[0].name,
      objectId: '*',
      displayName: null,
      properties: [],
      link: null,
      reason,
      detail: null,
    });
    this.unrecoverable.push({ type, id: '*', displayName: null, reason });
  }

  private skip(base: Base, reason: string, properties: string[] = []): void {
    this.drafts.push({ ...base, kind: 'skip', properties, link: null, reason, detail: null });
    this.unrecoverable.push({
      type: base.typeKey as ObjectTypeKey,
      id: base.objectId,
      displayName: base.displayName,
      reason,
    });
  }

  /** Whether a value names (by id or appId) an object the restore re-creates. */
  private referencesRecreated(value: unknown): boolean {
    if (this.recreated.size === 0 || value === undefined || value === null) return false;
    for (const guid of JSON.stringify(value).match(GUID_PATTERN) ?? []) {
      if (this.recreated.has(guid.toLowerCase())) return true;
    }
    return false;
  }
}

/** Relationship properties and embedded child lists: never written as properties. */
export function nonProperties(collection: CollectionSpec): Set<string> {
  const names = new Set<string>(['@odata.type']);
  for (const child of collection.children ?? [])
    if (!collection.restore?.childProperties?.includes(child.name)) names.add(child.name);
  for (const link of collection.restore?.links ?? []) names.add(link.relation);
  for (const embedded of collection.embeddedAssignments ?? []) names.add(embedded.relation);
  return names;
}

/** Properties written now, and those the collection writes in a later phase (`CollectionRestore.deferred`). */
function splitDeferred(spec: CollectionRestore, properties: readonly string[]): [string[], string[]] {
  const later = spec.deferred;
  if (later === undefined) return [[...properties], []];
  return [properties.filter((p) => !later.matches(p)), properties.filter((p) => later.matches(p))];
}

/** The properties of a stored object a re-creation writes. */
export function writableProperties(
  stored: StoredObject,
  spec: CollectionRestore,
  skipped: ReadonlySet<string>,
): string[] {
  return Object.keys(stored)
    .filter(
      (p) => !skipped.has(p) && !spec.readOnly.includes(p) && stored[p] !== null && stored[p] !== undefined,
    )
    .sort();
}

/** Properties of `wanted` that `current` holds otherwise (absent means unknown) and a PATCH may write. */
function updatableDifferences(
  wanted: StoredObject,
  current: StoredObject,
  spec: CollectionRestore,
  nonProperties: ReadonlySet<string>,
): string[] {
  return Object.keys(wanted).filter(
    (p) =>
      !nonProperties.has(p) &&
      !spec.readOnly.includes(p) &&
      !(spec.createOnly ?? []).includes(p) &&
      wanted[p] !== undefined &&
      p in current &&
      !sameValue(wanted[p], current[p]) &&
      (spec.unwritableProperties?.[p]?.(wanted) ?? null) === null,
  );
}

function differs(a: StoredObject, b: StoredObject): boolean {
  for (const p of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (p !== '@odata.type' && !sameValue(a[p], b[p])) return true;
  }
  return false;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return canonicalJson(a) === canonicalJson(b);
}

/** Directory-object references of a relationship (a list, one object or null), id → `@odata.type`. */
export function references(value: unknown): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const record = item as Record<string, unknown>;
    if (typeof record['id'] !== 'string') continue;
    out.set(record['id'], typeof record['@odata.type'] === 'string' ? record['@odata.type'] : null);
  }
  return out;
}

function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const key of a.keys()) if (!b.has(key)) return false;
  return true;
}

export function nameOf(object: StoredObject): string | null {
  for (const p of ['displayName', 'name', 'userPrincipalName', 'principalDisplayName']) {
    if (typeof object[p] === 'string') return object[p] as string;
  }
  return null;
}

/** The objects of a list property (absent or not a list: none). */
function listOf(value: unknown): StoredObject[] {
  return Array.isArray(value)
    ? value.filter((v): v is StoredObject => typeof v === 'object' && v !== null && !Array.isArray(v))
    : [];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += CHUNK) yield items.slice(start, start + CHUNK);
}

async function collect(source: AsyncIterable<readonly [string, StoredObject]>): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for await (const [, object] of source) out.push(object);
  return out;
}
