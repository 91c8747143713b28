import type { ObjectTypeKey, RestoreActionKind, RestoreUnrecoverable } from '@entra-backup/common';
import type { CollectionSpec } from '../../exporters/descriptor';
import { DESCRIPTORS } from '../../exporters/registry';
import { type CollectionRestore, type LinkSpec, RestorePhase } from '../../exporters/restore-spec';
import { canonicalJson } from '../../backup-storage/codec/canonical-json';
import type { ActionLink, NewActionRecord } from '../../../persistence/repositories/restore.repository';

export type StoredObject = Readonly<Record<string, unknown>>;

/** Objects of one collection of a snapshot, by id. */
export type CollectionReader = (
  type: ObjectTypeKey,
  collection: string,
) => Promise<Map<string, StoredObject>>;

export interface PlanSelection {
  readonly types: readonly ObjectTypeKey[];
  readonly ids?: ReadonlySet<string>;
  readonly properties?: readonly string[];
  readonly relationships: boolean;
  readonly removeNew: boolean;
  /** Restoring into another tenant: everything is re-created, nothing live is removed. */
  readonly crossTenant: boolean;
}

export interface PlanInput {
  readonly selection: PlanSelection;
  /** The snapshot being restored. */
  readonly source: CollectionReader;
  /** The target's live state (a fresh backup of it); null for a type it does not hold. */
  readonly live: CollectionReader;
  /** Types the live state holds. */
  readonly liveTypes: ReadonlySet<ObjectTypeKey>;
  /** Ids in a collection's recycle bin in the target (empty when it has none). */
  readonly recycleBin: (type: ObjectTypeKey, collection: string) => Promise<ReadonlySet<string>>;
}

export interface PlanOutput {
  readonly actions: NewActionRecord[];
  readonly unrecoverable: RestoreUnrecoverable[];
}

type Draft = Omit<NewActionRecord, 'seq'>;

/** Relationship properties and embedded child lists: never written as properties. */
function nonProperties(collection: CollectionSpec): Set<string> {
  const names = new Set<string>(['@odata.type']);
  for (const child of collection.children ?? []) names.add(child.name);
  for (const link of collection.restore?.links ?? []) names.add(link.relation);
  for (const embedded of collection.embeddedAssignments ?? []) names.add(embedded.relation);
  return names;
}

/** Never compared: the type annotation. */
const UNCOMPARED: ReadonlySet<string> = new Set(['@odata.type']);

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

/**
 * Computes a restore plan: compares the snapshot with the target's live state and the recycle
 * bins, type by type in dependency order, and lists what to bring back, re-create, update,
 * link, unlink and skip. Pure: all reading is done through the input's readers.
 */
export class RestorePlanner {
  private readonly drafts: Draft[] = [];
  private readonly unrecoverable: RestoreUnrecoverable[] = [];
  /** Source ids that will exist again after the restore (recycle bin or re-created). */
  private readonly reborn = new Set<string>();
  /** Source ids that will get a new id. */
  private readonly recreated = new Set<string>();
  /** Live ids per collection (of the types the live state holds). */
  private readonly liveIds = new Map<string, Set<string>>();
  /**
   * Links of the objects, planned once every object's fate is known: a link to an object that
   * comes back is added whether that object is listed before or after the one holding the link.
   */
  private readonly ownLinks: Array<() => void> = [];

  constructor(private readonly input: PlanInput) {}

  async plan(): Promise<PlanOutput> {
    const { selection } = this.input;
    const selectedTypes = new Set(selection.types);
    for (const type of selection.types) {
      const archive = ARCHIVE_REASONS[type];
      if (archive !== undefined && selection.ids === undefined) this.skipType(type, archive);
      const writable = DESCRIPTORS[type].collections.some((c) => c.restore ?? c.assignments);
      if (archive === undefined && !writable && selection.ids === undefined)
        this.skipType(
          type,
          'This product cannot write this type back yet: it is kept in backups and exports only',
        );
    }
    // Collections in dependency order across types, so that whatever references an object is
    // planned after the object's own fate (restored, re-created) is known.
    const collections = selection.types
      .flatMap((type) => DESCRIPTORS[type].collections.map((collection) => ({ type, collection })))
      .filter((c) => c.collection.restore !== undefined)
      .sort((a, b) => a.collection.restore!.phase - b.collection.restore!.phase);
    for (const { type, collection } of collections)
      await this.planObjects(type, collection, collection.restore!);
    for (const planLinks of this.ownLinks) planLinks();
    if (selection.properties === undefined) {
      for (const type of selection.types) {
        for (const collection of DESCRIPTORS[type].collections) {
          if (collection.assignments) await this.planAssignments(type, collection);
          for (const embedded of collection.embeddedAssignments ?? [])
            await this.planEmbeddedAssignments(type, collection, embedded);
        }
      }
      if (selection.relationships && this.reborn.size > 0) await this.planLinksToReborn(selectedTypes);
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
    return { actions, unrecoverable: this.unrecoverable };
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

  private async liveOf(type: ObjectTypeKey, collection: string): Promise<Map<string, StoredObject> | null> {
    if (!this.input.liveTypes.has(type)) return null;
    const live = await this.input.live(type, collection);
    this.liveIds.set(collection, new Set(live.keys()));
    return live;
  }

  private async planObjects(
    type: ObjectTypeKey,
    collection: CollectionSpec,
    spec: CollectionRestore,
  ): Promise<void> {
    const { selection } = this.input;
    const source = await this.input.source(type, collection.name);
    const live = (await this.liveOf(type, collection.name)) ?? new Map<string, StoredObject>();
    const bin = selection.crossTenant
      ? new Set<string>()
      : spec.recycleBin
        ? await this.input.recycleBin(type, collection.name)
        : new Set<string>();
    const skipped = nonProperties(collection);
    const selected = (id: string) => selection.ids === undefined || selection.ids.has(id);

    for (const [id, stored] of source) {
      if (!selected(id)) continue;
      const unwritable = spec.unwritable?.(stored) ?? null;
      const current = selection.crossTenant ? undefined : live.get(id);
      const base = {
        phase: spec.phase,
        typeKey: type,
        collection: collection.name,
        objectId: id,
        displayName: nameOf(stored),
      };
      if (current === undefined) {
        if (selection.properties !== undefined) {
          this.skip(
            base,
            'The object does not exist in the target: restore the whole object, not single properties',
          );
          continue;
        }
        if (unwritable !== null) {
          this.skip(base, unwritable);
          continue;
        }
        if (bin.has(id)) {
          this.push({
            ...base,
            kind: 'restoreDeleted',
            properties: [],
            link: null,
            reason: null,
            detail: null,
          });
          this.reborn.add(id);
        } else if (spec.createPath === undefined) {
          this.skip(base, spec.cannotCreate ?? 'Microsoft Graph cannot re-create this object');
          continue;
        } else {
          const caveat = spec.caveat?.(stored) ?? null;
          const safe = spec.safeState !== undefined && this.referencesRecreated(stored);
          this.push({
            ...base,
            kind: 'recreate',
            properties: writable(stored, spec, skipped, 'create'),
            link: null,
            reason: safe ? SAFE_STATE_REASON : caveat,
            detail: safe ? { safeState: true } : null,
          });
          if (safe) {
            this.push({
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
          this.recreated.add(id.toLowerCase());
          // A re-created application gets a new application (client) id as well.
          if (spec.readOnly.includes('appId') && typeof stored['appId'] === 'string')
            this.recreated.add(stored['appId'].toLowerCase());
        }
        if (selection.relationships)
          this.ownLinks.push(() => this.planOwnLinks(base, spec, stored, undefined));
        continue;
      }
      // The object exists: write what differs.
      if (unwritable !== null) {
        // Its properties and its links alike are mastered elsewhere (on-premises, built in).
        if (differs(stored, current, UNCOMPARED)) this.skip(base, unwritable);
        continue;
      }
      const candidates = selection.properties ?? Object.keys({ ...stored, ...current });
      const changed = candidates.filter(
        (p) => !skipped.has(p) && !spec.readOnly.includes(p) && !sameValue(stored[p], current[p]),
      );
      // Properties that name an object the restore re-creates must be rewritten with its new id.
      for (const p of this.recreated.size === 0 ? [] : candidates) {
        if (
          !skipped.has(p) &&
          !spec.readOnly.includes(p) &&
          !changed.includes(p) &&
          this.referencesRecreated(stored[p])
        )
          changed.push(p);
      }
      const createOnly = changed.filter((p) => spec.createOnly?.includes(p));
      const updatable = changed.filter((p) => !spec.createOnly?.includes(p) && stored[p] !== undefined);
      if (updatable.length > 0) {
        if (spec.cannotUpdate !== undefined) this.skip(base, spec.cannotUpdate);
        else
          this.push({
            ...base,
            kind: 'update',
            properties: updatable.sort(),
            link: null,
            reason: null,
            detail: null,
          });
      }
      if (createOnly.length > 0) {
        const reason = `${createOnly.join(', ')} can only be set when the object is created`;
        this.skip({ ...base }, reason, createOnly);
      }
      if (selection.relationships && selection.properties === undefined)
        this.ownLinks.push(() => this.planOwnLinks(base, spec, stored, current));
    }

    if (selection.removeNew && !selection.crossTenant && selection.ids === undefined) {
      for (const [id, current] of live) {
        if (source.has(id) || (spec.unwritable?.(current) ?? null) !== null) continue;
        this.push({
          phase: RestorePhase.REMOVE_NEW,
          kind: 'remove',
          typeKey: type,
          collection: collection.name,
          objectId: id,
          displayName: nameOf(current),
          properties: [],
          link: null,
          reason: 'Created after the snapshot',
          detail: null,
        });
      }
    }
  }

  /** Links of one object: what the snapshot has and the live object lacks, and the reverse. */
  private planOwnLinks(
    base: {
      phase: number;
      typeKey: ObjectTypeKey;
      collection: string;
      objectId: string;
      displayName: string | null;
    },
    spec: CollectionRestore,
    stored: StoredObject,
    current: StoredObject | undefined,
  ): void {
    for (const link of spec.links ?? []) {
      const wanted = references(stored[link.relation]);
      const have =
        current === undefined ? new Map<string, string | null>() : references(current[link.relation]);
      const rewired = [...wanted.keys()].some((id) => this.recreated.has(id.toLowerCase()));
      if (sameKeys(wanted, have) && !rewired) continue;
      const unwritable = link.unwritable?.(stored) ?? null;
      if (unwritable !== null) {
        this.skip({ ...base, phase: link.phase }, `${link.relation}: ${unwritable}`, [link.relation]);
        continue;
      }
      for (const [targetId, targetType] of wanted) {
        // A link to an object that gets a new id never exists yet, whatever a stale read says.
        if (have.has(targetId) && !this.recreated.has(targetId.toLowerCase())) continue;
        this.addLink(base, link, targetId, targetType);
      }
      if (!this.input.selection.crossTenant) {
        for (const [targetId, targetType] of have) {
          if (wanted.has(targetId)) continue;
          this.push({
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
    }
  }

  private addLink(
    base: { typeKey: ObjectTypeKey; collection: string; objectId: string; displayName: string | null },
    link: LinkSpec,
    targetId: string,
    targetType: string | null,
  ): void {
    const target = targetType === null ? undefined : REFERENCE_COLLECTIONS[targetType];
    const liveTargets = target === undefined ? undefined : this.liveIds.get(target.collection);
    // A target that is neither live nor coming back cannot be linked: report it instead of failing
    // later. In another tenant nothing of the snapshot is live: only what this restore re-creates.
    const { crossTenant } = this.input.selection;
    const missing =
      !this.reborn.has(targetId) &&
      (crossTenant || (liveTargets !== undefined && !liveTargets.has(targetId)));
    this.push({
      ...base,
      phase: link.phase,
      kind: missing ? 'skip' : 'addLink',
      properties: [link.relation],
      link: { relation: link.relation, targetId, targetType },
      reason: !missing
        ? null
        : crossTenant
          ? `${link.relation}: ${targetId} is not part of this restore, so it does not exist in the target tenant`
          : `${link.relation}: ${targetId} no longer exists in the target and is not part of this restore`,
      detail: null,
    });
  }

  /** Assignment collections (role assignments, eligibilities, grants): matched by what they connect. */
  private async planAssignments(type: ObjectTypeKey, collection: CollectionSpec): Promise<void> {
    const assignments = collection.assignments;
    if (assignments === undefined) return;
    const source = [...(await this.input.source(type, collection.name)).values()];
    const live = this.input.liveTypes.has(type)
      ? [...(await this.input.live(type, collection.name)).values()]
      : [];
    this.diffAssignments(
      type,
      collection.name,
      assignments.phase,
      assignments.assignment.key,
      assignments.assignment.principal,
      source,
      live,
      collection.name,
      assignments.assignment.updatable,
    );
  }

  private async planEmbeddedAssignments(
    type: ObjectTypeKey,
    collection: CollectionSpec,
    embedded: NonNullable<CollectionSpec['embeddedAssignments']>[number],
  ): Promise<void> {
    const flatten = (objects: Map<string, StoredObject>) =>
      [...objects.values()].flatMap((o) =>
        Array.isArray(o[embedded.relation]) ? (o[embedded.relation] as StoredObject[]) : [],
      );
    const source = flatten(await this.input.source(type, collection.name));
    const live = this.input.liveTypes.has(type) ? flatten(await this.input.live(type, collection.name)) : [];
    this.diffAssignments(
      type,
      collection.name,
      embedded.phase,
      embedded.assignment.key,
      embedded.assignment.principal,
      source,
      live,
      embedded.relation,
      embedded.assignment.updatable,
    );
  }

  private diffAssignments(
    type: ObjectTypeKey,
    collection: string,
    phase: number,
    key: readonly string[],
    principal: string,
    source: StoredObject[],
    live: StoredObject[],
    relation: string,
    updatable: readonly string[] | undefined,
  ): void {
    const { selection } = this.input;
    const keyOf = (a: StoredObject) => key.map((k) => String(a[k] ?? '')).join('|');
    const touches = (a: StoredObject) =>
      selection.ids === undefined ||
      key.some((k) => typeof a[k] === 'string' && selection.ids!.has(a[k] as string)) ||
      selection.ids.has(String(a['id']));
    const liveByKey = new Map(selection.crossTenant ? [] : live.map((a) => [keyOf(a), a] as const));
    const sourceKeys = new Set(source.map(keyOf));
    for (const a of source) {
      if (!touches(a)) continue;
      const current = liveByKey.get(keyOf(a));
      const linked = String(a[principal] ?? '');
      const base = {
        phase,
        typeKey: type,
        collection,
        displayName: nameOf(a),
        properties: [relation],
        reason: null,
      };
      if (current === undefined) {
        this.push({
          ...base,
          kind: 'addLink',
          objectId: String(a['id']),
          link: { relation, targetId: linked, targetType: null },
          detail: { assignment: a },
        });
      } else if (updatable !== undefined) {
        const changed = updatable.filter((p) => !sameValue(a[p], current[p]));
        if (changed.length > 0)
          this.push({
            ...base,
            kind: 'update',
            objectId: String(a['id']),
            properties: changed,
            link: null,
            detail: { liveId: current['id'] },
          });
      }
    }
    if (selection.crossTenant) return;
    for (const current of live) {
      if (sourceKeys.has(keyOf(current)) || !touches(current)) continue;
      this.push({
        phase,
        typeKey: type,
        collection,
        displayName: nameOf(current),
        properties: [relation],
        reason: null,
        kind: 'removeLink',
        objectId: String(current['id']),
        link: { relation, targetId: String(current[principal] ?? ''), targetType: null },
        detail: { live: current },
      });
    }
  }

  /**
   * Links held by objects outside the selection that point at an object the restore brings back
   * (a re-created user's groups): added so the object returns with its relationships.
   */
  private async planLinksToReborn(selectedTypes: ReadonlySet<ObjectTypeKey>): Promise<void> {
    for (const type of Object.keys(DESCRIPTORS) as ObjectTypeKey[]) {
      if (selectedTypes.has(type) && this.input.selection.ids === undefined) continue;
      for (const collection of DESCRIPTORS[type].collections) {
        const spec = collection.restore;
        if (spec?.links === undefined) continue;
        const source = await this.input.source(type, collection.name);
        const live = this.input.liveTypes.has(type)
          ? await this.input.live(type, collection.name)
          : undefined;
        for (const [id, stored] of source) {
          if (this.input.selection.ids?.has(id)) continue;
          const current = live?.get(id);
          if (live !== undefined && current === undefined) continue;
          for (const link of spec.links) {
            if ((link.unwritable?.(stored) ?? null) !== null) continue;
            const have = references(current?.[link.relation]);
            for (const [targetId, targetType] of references(stored[link.relation])) {
              if (!this.reborn.has(targetId) || have.has(targetId)) continue;
              this.addLink(
                { typeKey: type, collection: collection.name, objectId: id, displayName: nameOf(stored) },
                link,
                targetId,
                targetType,
              );
            }
          }
        }
      }
      if (selectedTypes.has(type)) continue;
      for (const collection of DESCRIPTORS[type].collections) {
        if (collection.assignments) await this.planAssignmentsOfReborn(type, collection);
      }
    }
  }

  private async planAssignmentsOfReborn(type: ObjectTypeKey, collection: CollectionSpec): Promise<void> {
    const assignments = collection.assignments!;
    const source = [...(await this.input.source(type, collection.name)).values()].filter((a) =>
      assignments.assignment.key.some((k) => typeof a[k] === 'string' && this.reborn.has(a[k] as string)),
    );
    if (source.length === 0) return;
    for (const a of source) {
      this.push({
        phase: assignments.phase,
        typeKey: type,
        collection: collection.name,
        displayName: nameOf(a),
        properties: [collection.name],
        reason: null,
        kind: 'addLink',
        objectId: String(a['id']),
        link: {
          relation: collection.name,
          targetId: String(a[assignments.assignment.principal] ?? ''),
          targetType: null,
        },
        detail: { assignment: a },
      });
    }
  }

  private push(draft: Draft): void {
    this.drafts.push(draft);
  }

  /** Whether a value names (by id or appId) an object the restore re-creates. */
  private referencesRecreated(value: unknown): boolean {
    if (this.recreated.size === 0 || value === undefined || value === null) return false;
    for (const guid of JSON.stringify(value).match(GUID_PATTERN) ?? []) {
      if (this.recreated.has(guid.toLowerCase())) return true;
    }
    return false;
  }

  private skip(
    base: {
      phase: number;
      typeKey: ObjectTypeKey;
      collection: string;
      objectId: string;
      displayName: string | null;
    },
    reason: string,
    properties: string[] = [],
  ): void {
    this.drafts.push({ ...base, kind: 'skip', properties, link: null, reason, detail: null });
    this.unrecoverable.push({ type: base.typeKey, id: base.objectId, displayName: base.displayName, reason });
  }
}

/** The properties of a stored object a create writes. */
export function writable(
  stored: StoredObject,
  spec: CollectionRestore,
  skipped: ReadonlySet<string>,
  _mode: 'create',
): string[] {
  return Object.keys(stored)
    .filter(
      (p) => !skipped.has(p) && !spec.readOnly.includes(p) && stored[p] !== null && stored[p] !== undefined,
    )
    .sort();
}

function differs(a: StoredObject, b: StoredObject, skipped: ReadonlySet<string>): boolean {
  for (const p of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!skipped.has(p) && !sameValue(a[p], b[p])) return true;
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

function sameKeys(a: Map<string, unknown>, b: Map<string, unknown>): boolean {
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type { ActionLink };
