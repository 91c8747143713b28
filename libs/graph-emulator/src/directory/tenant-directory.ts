import { randomUUID } from 'node:crypto';
import type { DirectoryUserSummary } from '../shared/graph-context';
import type { AuditEventInput, EmulatorClock, SignInEventInput } from '../shared/world-port';
import { ActivityLog } from './activity-log';
import { GLOBAL_ADMINISTRATOR, GRAPH_APP_ROLES, MICROSOFT_GRAPH_APP_ID } from './catalog';
import { ObjectCollection, type Json } from './object-collection';
import {
  resolveSoftDelete,
  softDeleteTypeOf,
  type SoftDeletableCollection,
  type SoftDeleteOptions,
} from './soft-delete';
import { DAY_MS, type CollectionName, type ResolvedTenantSpec, TenantGenerator } from './tenant-generator';
import type { GraphErrorDetail } from '../shared/graph-error';

/** Directory object collections that can be members, owners or deleted items. */
export type DirectoryObjectCollection =
  'users' | 'groups' | 'devices' | 'servicePrincipals' | 'applications' | 'administrativeUnits';
const DIRECTORY_OBJECT_COLLECTIONS: readonly DirectoryObjectCollection[] = [
  'users',
  'groups',
  'devices',
  'servicePrincipals',
  'applications',
  'administrativeUnits',
];

export const ODATA_TYPES: Record<DirectoryObjectCollection, string> = {
  users: '#microsoft.graph.user',
  groups: '#microsoft.graph.group',
  devices: '#microsoft.graph.device',
  servicePrincipals: '#microsoft.graph.servicePrincipal',
  applications: '#microsoft.graph.application',
  administrativeUnits: '#microsoft.graph.administrativeUnit',
};

export type RelationName = 'members' | 'owners' | 'manager';

export interface ChangeEntry {
  seq: number;
  collection: CollectionName;
  id: string;
  /** upsert = created/updated/restored; softDeleted = moved to deletedItems; deleted = gone for good. */
  kind: 'upsert' | 'softDeleted' | 'deleted';
  at: number;
  member?: { relation: 'members' | 'owners' | 'manager'; id: string; odataType: string; removed: boolean };
}

export interface DeletedItem {
  collection: SoftDeletableCollection;
  /** The object as the bin lists it, with `deletedDateTime`. */
  object: Json;
  deletedAt: number;
  /** Whether the live object carries `deletedDateTime` (directory objects) or only its bin entry does (policies). */
  liveHasDeletedDateTime: boolean;
}

/** Thrown by store operations; the Graph layer maps it to an HTTP error. */
export class DirectoryError extends Error {
  constructor(
    readonly kind: 'notFound' | 'conflict' | 'badRequest' | 'forbidden',
    message: string,
    readonly details?: readonly GraphErrorDetail[],
  ) {
    super(message);
  }
}

/**
 * A uniqueness violation as the directory reports it: 400 Request_BadRequest with an ObjectConflict detail
 * naming the property (https://github.com/microsoftgraph/microsoft-graph-docs/issues/1508); proxy address
 * conflicts add a ConflictingObjects detail (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/8421).
 */
export function objectConflict(property: string): DirectoryError {
  const message = `Another object with the same value for property ${property} already exists.`;
  const details: GraphErrorDetail[] = [{ code: 'ObjectConflict', message, target: property }];
  if (property === 'proxyAddresses') details.push({ code: 'ConflictingObjects', message, target: property });
  return new DirectoryError('badRequest', message, details);
}

/** Optional body of `POST /directory/deletedItems/{id}/restore` for users. https://learn.microsoft.com/graph/api/directory-deleteditems-restore */
export interface RestoreOptions {
  newUserPrincipalName?: string;
  autoReconcileProxyConflict?: boolean;
}

/** Directory object collections served by `/directory/deletedItems`. */
export function isDirectoryObjectCollection(c: string): c is DirectoryObjectCollection {
  return (DIRECTORY_OBJECT_COLLECTIONS as readonly string[]).includes(c);
}

/** The SMTP addresses an object holds (`proxyAddresses` without the prefix, and `mail`), lower-cased. */
export function addressesOf(object: Json): string[] {
  const out = new Set<string>();
  for (const p of (object['proxyAddresses'] as unknown[] | undefined) ?? []) {
    if (typeof p === 'string' && /^smtp:/i.test(p)) out.add(p.slice(5).toLowerCase());
  }
  if (typeof object['mail'] === 'string' && object['mail'] !== '') out.add(object['mail'].toLowerCase());
  return [...out];
}

function notFoundError(id: string): DirectoryError {
  return new DirectoryError(
    'notFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/**
 * Writes to properties that synchronization owns on objects synced from on-premises Active Directory.
 * https://learn.microsoft.com/graph/api/user-update (synced users), https://learn.microsoft.com/entra/identity/hybrid/connect/reference-connect-sync-attributes-synchronized
 */
export function onPremisesMastered(): DirectoryError {
  return new DirectoryError(
    'badRequest',
    'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
  );
}

/** Soft-deleted objects stay restorable this long. https://learn.microsoft.com/graph/api/resources/directory */
export const SOFT_DELETE_RETENTION_MS = 30 * DAY_MS;

/**
 * One emulated tenant: the generated base (never materialised) plus an overlay of every change,
 * an append-only change log with a per-tenant sequence number (delta reads it), deleted items,
 * and the sign-in and audit logs.
 */
export class TenantDirectory {
  readonly gen: TenantGenerator;
  private collectionsCache = new Map<CollectionName, ObjectCollection>();
  private readonly relationOverrides = new Map<string, string[]>();
  private readonly deleted = new Map<string, DeletedItem>();
  readonly changes: ChangeEntry[] = [];
  readonly signIns: ActivityLog;
  readonly directoryAudits: ActivityLog;
  premium: boolean;
  /** Delta tokens issued at or before this sequence must resync (410), per collection. */
  readonly resyncBefore = new Map<CollectionName, number>();
  /** Overlay of UPNs changed or created, for lookups by userPrincipalName. */
  private readonly upnIndex = new Map<string, string>();
  /** SMTP address -> holder id over users and groups, built on the first uniqueness check. */
  private addressIndex: Map<string, string> | undefined;
  /** Creation time of objects created through the store (replication-delay faults use it). */
  private readonly createdAt = new Map<string, number>();
  readonly softDelete: SoftDeleteOptions;

  constructor(
    seed: number,
    readonly spec: ResolvedTenantSpec,
    epoch: number,
    readonly clock: EmulatorClock,
    softDelete: Partial<SoftDeleteOptions> = {},
  ) {
    this.softDelete = resolveSoftDelete(softDelete);
    this.gen = new TenantGenerator(seed, spec, epoch);
    this.premium = spec.premium;
    const u = spec.users;
    this.signIns = new ActivityLog(
      this.gen,
      'signIns',
      Math.min(120, Math.max(1, Math.ceil(u / 100))),
      clock,
    );
    this.directoryAudits = new ActivityLog(
      this.gen,
      'directoryAudits',
      Math.min(40, Math.max(1, Math.ceil(u / 400))),
      clock,
    );
  }

  get tenantId(): string {
    return this.spec.tenantId;
  }

  get seq(): number {
    return this.changes.length;
  }

  collection(name: CollectionName): ObjectCollection {
    let c = this.collectionsCache.get(name);
    if (!c) {
      c = new ObjectCollection(name, this.gen.counts[name], this.gen.scheme(name), (o) =>
        this.gen.generate(name, o),
      );
      this.collectionsCache.set(name, c);
    }
    return c;
  }

  // ------------------------------------------------------------ lookups

  resolve(id: string): { collection: DirectoryObjectCollection; object: Json } | undefined {
    for (const name of DIRECTORY_OBJECT_COLLECTIONS) {
      const object = this.collection(name).get(id);
      if (object) return { collection: name, object };
    }
    return undefined;
  }

  /** The collection an id lives in, without generating the object (cheap: ids decode to ordinals). */
  kindOf(id: string): DirectoryObjectCollection | undefined {
    return DIRECTORY_OBJECT_COLLECTIONS.find((name) => this.collection(name).has(id));
  }

  exists(id: string): boolean {
    return DIRECTORY_OBJECT_COLLECTIONS.some((name) => this.collection(name).has(id));
  }

  userByIdOrUpn(idOrUpn: string): Json | undefined {
    const users = this.collection('users');
    if (!idOrUpn.includes('@')) return users.get(idOrUpn);
    const lower = idOrUpn.toLowerCase();
    const indexed = this.upnIndex.get(lower);
    if (indexed) {
      const user = users.get(indexed);
      if (user && String(user['userPrincipalName']).toLowerCase() === lower) return user;
    }
    const ordinal = this.gen.userOrdinalByUpn(lower);
    if (ordinal === undefined) return undefined;
    const user = users.get(users.idAt(ordinal));
    return user && String(user['userPrincipalName']).toLowerCase() === lower ? user : undefined;
  }

  // ------------------------------------------------------------ relationships

  private relationKey(relation: RelationName, ownerId: string): string {
    return `${relation}:${ownerId.toLowerCase()}`;
  }

  private baseRelation(relation: RelationName, collection: CollectionName, ownerId: string): string[] {
    const ordinal = this.collection(collection).ordinalOf(ownerId);
    if (ordinal === undefined) return [];
    if (relation === 'manager') {
      const m = collection === 'users' ? this.gen.managerOrdinal(ordinal) : undefined;
      return m === undefined ? [] : [this.gen.id('users', m)];
    }
    if (collection === 'groups')
      return relation === 'members' ? this.gen.groupMembers(ordinal) : this.gen.groupOwners(ordinal);
    if (collection === 'administrativeUnits')
      return relation === 'members' ? this.gen.administrativeUnitMembers(ordinal) : [];
    if (collection === 'applications')
      return relation === 'owners' ? this.gen.applicationOwners(ordinal) : [];
    if (collection === 'servicePrincipals')
      return relation === 'owners' ? this.gen.servicePrincipalOwners(ordinal) : [];
    return [];
  }

  /** Current related ids, without objects that no longer exist (deleted members disappear). */
  related(relation: RelationName, collection: CollectionName, ownerId: string): string[] {
    const ids =
      this.relationOverrides.get(this.relationKey(relation, ownerId)) ??
      this.baseRelation(relation, collection, ownerId);
    return ids.filter((id) => this.exists(id));
  }

  private rawRelated(relation: RelationName, collection: CollectionName, ownerId: string): string[] {
    return (
      this.relationOverrides.get(this.relationKey(relation, ownerId)) ??
      this.baseRelation(relation, collection, ownerId)
    );
  }

  private setRelated(relation: RelationName, ownerId: string, ids: string[]): void {
    this.relationOverrides.set(this.relationKey(relation, ownerId), ids);
  }

  /**
   * Adds members or owners. All references are checked before any is added: an error adds nothing, as
   * Graph documents for `members@odata.bind`. https://learn.microsoft.com/graph/api/group-post-members
   */
  addRelated(
    relation: 'members' | 'owners',
    collection: CollectionName,
    ownerId: string,
    memberIds: string | readonly string[],
  ): void {
    const ids = typeof memberIds === 'string' ? [memberIds] : memberIds;
    const owner = this.requireOwner(collection, ownerId);
    this.checkMembershipWritable(relation, collection, owner);
    const current = this.rawRelated(relation, collection, ownerId);
    const seen = new Set<string>();
    const members: Array<{ collection: DirectoryObjectCollection; object: Json }> = [];
    for (const memberId of ids) {
      const member = this.resolve(memberId);
      if (!member) throw notFoundError(memberId);
      const key = memberId.toLowerCase();
      // The same reference twice in one request, or a reference that is already there.
      if (seen.has(key) || (current.some((id) => id.toLowerCase() === key) && this.exists(memberId)))
        throw new DirectoryError(
          'badRequest',
          `One or more added object references already exist for the following modified properties: '${relation}'.`,
        );
      seen.add(key);
      if (
        relation === 'members' &&
        collection === 'groups' &&
        member.collection === 'groups' &&
        this.wouldCycle(String(owner['id']), String(member.object['id']))
      ) {
        throw new DirectoryError('badRequest', 'Adding this group would create a circular group membership.');
      }
      members.push(member);
    }
    const added = members.map((m) => String(m.object['id']));
    this.setRelated(relation, ownerId, [
      ...current.filter((id) => !added.some((a) => a === id.toLowerCase())),
      ...added,
    ]);
    for (const member of members) {
      this.append(collection, String(owner['id']), 'upsert', {
        relation,
        id: String(member.object['id']),
        odataType: ODATA_TYPES[member.collection],
        removed: false,
      });
    }
  }

  removeRelated(
    relation: 'members' | 'owners',
    collection: CollectionName,
    ownerId: string,
    memberId: string,
  ): void {
    const owner = this.requireOwner(collection, ownerId);
    this.checkMembershipWritable(relation, collection, owner);
    const member = this.resolve(memberId);
    if (!member) throw notFoundError(memberId);
    const current = this.rawRelated(relation, collection, ownerId);
    if (!current.some((id) => id.toLowerCase() === memberId.toLowerCase())) {
      // https://learn.microsoft.com/graph/api/group-delete-members: the reference must exist.
      throw new DirectoryError(
        'badRequest',
        `One or more removed object references do not exist for the following modified properties: '${relation}'.`,
      );
    }
    this.setRelated(
      relation,
      ownerId,
      current.filter((id) => id.toLowerCase() !== memberId.toLowerCase()),
    );
    this.append(collection, String(owner['id']), 'upsert', {
      relation,
      id: memberId.toLowerCase(),
      odataType: ODATA_TYPES[member.collection],
      removed: true,
    });
  }

  private requireOwner(collection: CollectionName, ownerId: string): Json {
    const owner = this.collection(collection).get(ownerId);
    if (!owner) throw notFoundError(ownerId);
    return owner;
  }

  /**
   * Membership that Graph cannot change: dynamic groups (the rule decides) and distribution or mail-enabled
   * security groups (managed in Exchange) answer 403 Authorization_RequestDenied
   * (https://learn.microsoft.com/graph/api/group-post-members,
   * https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership); groups synchronized from
   * on-premises Active Directory keep their membership there and answer 400.
   */
  private checkMembershipWritable(
    relation: 'members' | 'owners',
    collection: CollectionName,
    owner: Json,
  ): void {
    if (relation !== 'members' || collection !== 'groups') return;
    const types = (owner['groupTypes'] as string[] | undefined) ?? [];
    if (types.includes('DynamicMembership') || (owner['mailEnabled'] === true && !types.includes('Unified')))
      throw new DirectoryError('forbidden', 'Insufficient privileges to complete the operation.');
    if (owner['onPremisesSyncEnabled'] === true) throw onPremisesMastered();
  }

  /** Groups whose membership lists an object (generated or changed membership). */
  groupsContaining(memberId: string): string[] {
    const key = memberId.toLowerCase();
    const found = this.resolveBase(key);
    const groups = this.collection('groups');
    const result: string[] = [];
    for (let g = 0; g < groups.positions; g++) {
      const groupId = g < groups.baseCount ? groups.idAt(g) : (groups.at(g)?.['id'] as string | undefined);
      if (!groupId) continue;
      const override = this.relationOverrides.get(this.relationKey('members', groupId));
      if (override) {
        if (override.some((m) => m.toLowerCase() === key)) result.push(groupId);
      } else if (
        found &&
        g < groups.baseCount &&
        this.gen.groupContains(g, found.collection, found.ordinal)
      ) {
        result.push(groupId);
      }
    }
    return result;
  }

  /** The generated collection and ordinal of an id, for objects that can be generated group members. */
  private resolveBase(
    id: string,
  ): { collection: 'users' | 'groups' | 'devices'; ordinal: number } | undefined {
    for (const collection of ['users', 'groups', 'devices'] as const) {
      const ordinal = this.collection(collection).ordinalOf(id);
      if (ordinal !== undefined) return { collection, ordinal };
    }
    return undefined;
  }

  /**
   * Deleting or restoring a member changes the membership of its groups; group delta reports it as
   * members@delta. https://learn.microsoft.com/graph/delta-query-groups
   */
  /** Users whose manager is this user (generated tree or changed). */
  directReports(managerId: string): string[] {
    const key = managerId.toLowerCase();
    const users = this.collection('users');
    const reports: string[] = [];
    const consider = (id: string) => {
      const override = this.relationOverrides.get(this.relationKey('manager', id));
      const current = override ? override[0] : this.baseRelation('manager', 'users', id)[0];
      if (current === key) reports.push(id);
    };
    const ordinal = users.ordinalOf(key);
    if (ordinal !== undefined) {
      // Generated reports sit below the manager in the fan-out-8 tree, possibly under guests (who have no reports).
      const stack = [ordinal];
      while (stack.length > 0) {
        const parent = stack.pop()!;
        for (let c = parent * 8 + 1; c <= parent * 8 + 8 && c < users.baseCount; c++) {
          if (this.gen.isGuest(c)) stack.push(c);
          else consider(users.idAt(c));
        }
      }
    }
    for (const [relKey, value] of this.relationOverrides) {
      if (!relKey.startsWith('manager:') || value[0] !== key) continue;
      const id = relKey.slice('manager:'.length);
      if (users.ordinalOf(id) === undefined || !reports.includes(id)) reports.push(id);
    }
    return [...new Set(reports)];
  }

  private logMembershipOf(id: string, collection: CollectionName, removed: boolean): void {
    if (collection === 'users') {
      // Direct reports lose (or regain) their manager; users delta reports it as manager@delta.
      for (const report of this.directReports(id)) {
        this.append('users', report, 'upsert', {
          relation: 'manager',
          id: id.toLowerCase(),
          odataType: ODATA_TYPES.users,
          removed,
        });
      }
    }
    if (!['users', 'groups', 'devices', 'servicePrincipals'].includes(collection)) return;
    const odataType = ODATA_TYPES[collection as DirectoryObjectCollection];
    for (const groupId of this.groupsContaining(id)) {
      if (groupId.toLowerCase() === id.toLowerCase()) continue;
      this.append('groups', groupId, 'upsert', {
        relation: 'members',
        id: id.toLowerCase(),
        odataType,
        removed,
      });
    }
  }

  private wouldCycle(groupId: string, candidateId: string): boolean {
    const seen = new Set<string>();
    const stack = [candidateId];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (current.toLowerCase() === groupId.toLowerCase()) return true;
      if (seen.has(current)) continue;
      seen.add(current);
      for (const id of this.related('members', 'groups', current))
        if (this.collection('groups').has(id)) stack.push(id);
    }
    return false;
  }

  manager(userId: string): string | undefined {
    return this.related('manager', 'users', userId)[0];
  }

  setManager(userId: string, managerId: string | undefined): void {
    if (!this.collection('users').has(userId))
      throw new DirectoryError(
        'notFound',
        `Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`,
      );
    if (managerId !== undefined) {
      if (!this.collection('users').has(managerId))
        throw new DirectoryError(
          'notFound',
          `Resource '${managerId}' does not exist or one of its queried reference-property objects are not present.`,
        );
      let cursor: string | undefined = managerId;
      for (let hops = 0; cursor && hops < 10_000; hops++) {
        if (cursor.toLowerCase() === userId.toLowerCase())
          throw new DirectoryError(
            'badRequest',
            'Setting this manager would create a circular management chain.',
          );
        cursor = this.manager(cursor);
      }
    }
    const previous = this.manager(userId);
    this.setRelated('manager', userId, managerId ? [managerId.toLowerCase()] : []);
    if (previous && previous !== managerId?.toLowerCase()) {
      this.append('users', userId.toLowerCase(), 'upsert', {
        relation: 'manager',
        id: previous,
        odataType: ODATA_TYPES.users,
        removed: true,
      });
    }
    if (managerId) {
      this.append('users', userId.toLowerCase(), 'upsert', {
        relation: 'manager',
        id: managerId.toLowerCase(),
        odataType: ODATA_TYPES.users,
        removed: false,
      });
    } else if (!previous) this.append('users', userId.toLowerCase(), 'upsert');
  }

  // ------------------------------------------------------------ writes

  append(
    collection: CollectionName,
    id: string,
    kind: ChangeEntry['kind'],
    member?: ChangeEntry['member'],
  ): void {
    this.changes.push({
      seq: this.changes.length + 1,
      collection,
      id: id.toLowerCase(),
      kind,
      at: this.clock.now(),
      member,
    });
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  create(collection: CollectionName, object: Json): Json {
    const id = typeof object['id'] === 'string' ? object['id'].toLowerCase() : randomUUID();
    const stored: Json = { ...object, id };
    this.collection(collection).put(stored);
    if (collection === 'users') this.upnIndex.set(String(stored['userPrincipalName']).toLowerCase(), id);
    this.noteAddresses(collection, stored);
    this.createdAt.set(id, this.clock.now());
    this.append(collection, id, 'upsert');
    return this.collection(collection).get(id)!;
  }

  /** When an object created through the store was created (emulator clock); undefined for generated ones. */
  createdAtOf(id: string): number | undefined {
    return this.createdAt.get(id.toLowerCase());
  }

  update(collection: CollectionName, id: string, patch: Json): Json {
    const c = this.collection(collection);
    const current = c.get(id);
    if (!current) throw notFoundError(id);
    const next = { ...current, ...patch, id: current['id'] };
    c.put(next);
    if (collection === 'users' && typeof patch['userPrincipalName'] === 'string')
      this.upnIndex.set(patch['userPrincipalName'].toLowerCase(), String(current['id']));
    this.noteAddresses(collection, next);
    this.append(collection, String(current['id']), 'upsert');
    return c.get(id)!;
  }

  // ------------------------------------------------------------ uniqueness

  private noteAddresses(collection: CollectionName, object: Json): void {
    if (!this.addressIndex || (collection !== 'users' && collection !== 'groups')) return;
    for (const address of addressesOf(object)) this.addressIndex.set(address, String(object['id']));
  }

  /**
   * The active user or group holding an SMTP address (in `proxyAddresses` or `mail`). proxyAddresses are
   * unique across directory objects: https://learn.microsoft.com/graph/api/resources/user#mail-and-proxyaddresses-properties
   */
  addressHolder(address: string): { collection: 'users' | 'groups'; object: Json } | undefined {
    if (!this.addressIndex) {
      const index = new Map<string, string>();
      for (const name of ['users', 'groups'] as const)
        for (const o of this.collection(name).values())
          for (const a of addressesOf(o)) index.set(a, String(o['id']));
      this.addressIndex = index;
    }
    const key = address.toLowerCase();
    const id = this.addressIndex.get(key);
    if (id === undefined) return undefined;
    for (const name of ['users', 'groups'] as const) {
      const object = this.collection(name).get(id);
      if (object && addressesOf(object).includes(key)) return { collection: name, object };
    }
    // The holder changed its addresses or was deleted since.
    this.addressIndex.delete(key);
    return undefined;
  }

  /** Throws the documented conflict when another active object holds one of the addresses. */
  checkAddresses(addresses: readonly string[], selfId?: string): void {
    for (const address of addresses) {
      const holder = this.addressHolder(address);
      if (holder && String(holder.object['id']) !== selfId?.toLowerCase())
        throw objectConflict('proxyAddresses');
    }
  }

  /** An active user holding the UPN, other than `selfId`. */
  checkUserPrincipalName(upn: string, selfId?: string): void {
    const holder = this.userByIdOrUpn(upn);
    if (holder && String(holder['id']) !== selfId?.toLowerCase()) throw objectConflict('userPrincipalName');
  }

  // ------------------------------------------------------------ deletion and recycle bins

  /**
   * Whether deleting this object moves it to a recycle bin (30 days) rather than deleting it for good,
   * per type and the tenant's soft-delete switches (see soft-delete.ts for the documentation).
   */
  isSoftDeleted(collection: CollectionName, object: Json): boolean {
    const type = softDeleteTypeOf(collection, object);
    return type !== undefined && this.softDelete[type];
  }

  remove(collection: CollectionName, id: string): { soft: boolean } {
    const c = this.collection(collection);
    const object = c.get(id);
    if (!object) throw notFoundError(id);
    const soft = this.isSoftDeleted(collection, object);
    c.remove(id);
    if (collection === 'applications') {
      // Deleting an app registration also deletes its service principal; restoring the app does not bring it back.
      // https://learn.microsoft.com/graph/api/directory-deleteditems-restore
      const sp = this.servicePrincipalByAppId(String(object['appId']));
      if (sp) this.remove('servicePrincipals', String(sp['id']));
    }
    const key = String(object['id']);
    this.logMembershipOf(key, collection, true);
    if (collection === 'users' || collection === 'groups' || collection === 'servicePrincipals')
      this.removeAssignmentsOf(key, collection === 'servicePrincipals');
    if (soft) {
      this.deleted.set(key, {
        collection: collection as SoftDeletableCollection,
        object: { ...object, deletedDateTime: this.nowIso() },
        deletedAt: this.clock.now(),
        liveHasDeletedDateTime: 'deletedDateTime' in object,
      });
      this.append(collection, key, 'softDeleted');
    } else {
      this.append(collection, key, 'deleted');
    }
    return { soft };
  }

  /**
   * Deleting a principal deletes its directory role assignments and eligibilities and its app role
   * assignments (and, for a service principal, the assignments to it as a resource); restoring the
   * principal does not bring them back, so Graph never lists an assignment of a deleted principal.
   * https://learn.microsoft.com/entra/fundamentals/users-restore
   */
  private removeAssignmentsOf(principalId: string, isResource: boolean): void {
    const id = principalId.toLowerCase();
    for (const name of ['roleAssignments', 'roleEligibilitySchedules', 'appRoleAssignments'] as const) {
      const doomed = [...this.collection(name).values()]
        .filter(
          (a) =>
            String(a['principalId']).toLowerCase() === id ||
            (isResource && name === 'appRoleAssignments' && String(a['resourceId']).toLowerCase() === id),
        )
        .map((a) => String(a['id']));
      for (const assignmentId of doomed) this.remove(name, assignmentId);
    }
  }

  /** Objects in the recycle bins (every bin, or one collection's), oldest deletion first. */
  deletedItems(collection?: SoftDeletableCollection): DeletedItem[] {
    this.purgeExpired();
    return [...this.deleted.values()].filter((d) => collection === undefined || d.collection === collection);
  }

  /** A deleted object of any bin, or only of the given collections. */
  deletedItem(id: string, collections?: readonly SoftDeletableCollection[]): DeletedItem | undefined {
    this.purgeExpired();
    const item = this.deleted.get(id.toLowerCase());
    return item && (!collections || collections.includes(item.collection)) ? item : undefined;
  }

  /**
   * Restores a soft-deleted object with its id and links (members, owners, memberships, manager). A user's
   * userPrincipalName and proxy addresses must still be free; `newUserPrincipalName` and
   * `autoReconcileProxyConflict` resolve conflicts as documented for
   * https://learn.microsoft.com/graph/api/directory-deleteditems-restore
   */
  restore(id: string, options: RestoreOptions = {}): DeletedItem {
    const item = this.deletedItem(id);
    if (!item) throw notFoundError(id);
    const restored: Json = { ...item.object };
    if (item.collection === 'users') {
      const upn = options.newUserPrincipalName ?? String(restored['userPrincipalName']);
      this.checkUserPrincipalName(upn, String(restored['id']));
      if (options.newUserPrincipalName !== undefined) restored['userPrincipalName'] = upn;
      const conflicting = addressesOf(restored).filter((a) => {
        const holder = this.addressHolder(a);
        return holder !== undefined && holder.object['id'] !== restored['id'];
      });
      if (conflicting.length > 0) {
        if (options.autoReconcileProxyConflict !== true) throw objectConflict('proxyAddresses');
        // The conflicting proxy addresses are removed from the restored user.
        restored['proxyAddresses'] = ((restored['proxyAddresses'] as string[] | undefined) ?? []).filter(
          (p) => !conflicting.includes(p.replace(/^smtp:/i, '').toLowerCase()),
        );
        if (typeof restored['mail'] === 'string' && conflicting.includes(restored['mail'].toLowerCase()))
          restored['mail'] = null;
      }
    }
    this.deleted.delete(String(item.object['id']));
    const object: Json = { ...restored, deletedDateTime: null };
    if (item.liveHasDeletedDateTime) this.collection(item.collection).put(object);
    else {
      const { deletedDateTime: _deleted, ...live } = object;
      this.collection(item.collection).put(live);
    }
    if (item.collection === 'users')
      this.upnIndex.set(String(object['userPrincipalName']).toLowerCase(), String(object['id']));
    this.noteAddresses(item.collection, object);
    this.append(item.collection, String(object['id']), 'upsert');
    this.logMembershipOf(String(object['id']), item.collection, false);
    return { ...item, object };
  }

  /**
   * Permanent delete from a recycle bin. Administrative units cannot be purged through deletedItems
   * (https://learn.microsoft.com/graph/api/directory-deleteditems-delete); `force` (control API) can.
   */
  purge(
    id: string,
    options: { force?: boolean; collections?: readonly SoftDeletableCollection[] } = {},
  ): DeletedItem {
    const item = this.deletedItem(id, options.collections);
    if (!item) throw notFoundError(id);
    if (item.collection === 'administrativeUnits' && options.force !== true)
      throw new DirectoryError(
        'badRequest',
        'Administrative units cannot be permanently deleted; they are purged automatically after 30 days.',
      );
    this.deleted.delete(String(item.object['id']));
    this.append(item.collection, String(item.object['id']), 'deleted');
    return item;
  }

  private purgeExpired(): void {
    const cutoff = this.clock.now() - SOFT_DELETE_RETENTION_MS;
    for (const [id, item] of this.deleted) {
      if (item.deletedAt <= cutoff) {
        this.deleted.delete(id);
        this.append(item.collection, id, 'deleted');
      }
    }
  }

  // ------------------------------------------------------------ roles and consent

  /**
   * Scoped role memberships of administrative units are the role assignments scoped to them, seen from the
   * unit: one store, so a restore through either API cannot duplicate them.
   * https://learn.microsoft.com/graph/api/resources/scopedrolemembership
   */
  scopedRoleMembers(auId?: string): Json[] {
    const defs = this.collection('roleDefinitions');
    const result: Json[] = [];
    for (const a of this.collection('roleAssignments').values()) {
      const scope = String(a['directoryScopeId']);
      if (!scope.startsWith('/administrativeUnits/')) continue;
      const unit = scope.slice('/administrativeUnits/'.length);
      if (auId !== undefined && unit !== auId.toLowerCase()) continue;
      const principal = this.resolve(String(a['principalId']));
      const def = defs.get(String(a['roleDefinitionId']));
      if (!principal || !def) continue;
      result.push({
        id: a['id'],
        administrativeUnitId: unit,
        roleId: this.gen.directoryRoleId(String(def['templateId'])),
        roleMemberInfo: { id: principal.object['id'], displayName: principal.object['displayName'] ?? null },
      });
    }
    return result;
  }

  roleTemplateIdsOf(principalId: string): string[] {
    const defs = this.collection('roleDefinitions');
    const ids = new Set<string>();
    for (const a of this.collection('roleAssignments').values()) {
      if (
        String(a['principalId']).toLowerCase() !== principalId.toLowerCase() ||
        a['directoryScopeId'] !== '/'
      )
        continue;
      const def = defs.get(String(a['roleDefinitionId']));
      if (def) ids.add(String(def['templateId']));
    }
    return [...ids];
  }

  userSummary(user: Json): DirectoryUserSummary {
    return {
      id: String(user['id']),
      userPrincipalName: String(user['userPrincipalName']),
      displayName: String(user['displayName']),
      roleTemplateIds: this.roleTemplateIdsOf(String(user['id'])),
    };
  }

  listSignInUsers(limit: number): DirectoryUserSummary[] {
    const admins = new Set<string>();
    for (const a of this.collection('roleAssignments').values()) {
      if (a['directoryScopeId'] === '/' && this.collection('users').has(String(a['principalId'])))
        admins.add(String(a['principalId']));
    }
    const result: DirectoryUserSummary[] = [];
    const globalAdmins = [...admins].filter((id) =>
      this.roleTemplateIdsOf(id).includes(GLOBAL_ADMINISTRATOR),
    );
    const ordered = [...globalAdmins, ...[...admins].filter((id) => !globalAdmins.includes(id))];
    for (const id of ordered) {
      if (result.length >= limit) return result;
      const user = this.collection('users').get(id);
      if (user && user['accountEnabled'] !== false) result.push(this.userSummary(user));
    }
    for (const user of this.collection('users').values()) {
      if (result.length >= limit) break;
      if (admins.has(String(user['id'])) || user['accountEnabled'] === false || user['userType'] === 'Guest')
        continue;
      result.push(this.userSummary(user));
    }
    return result;
  }

  servicePrincipalByAppId(appId: string): Json | undefined {
    for (const sp of this.collection('servicePrincipals').values()) {
      if (String(sp['appId']).toLowerCase() === appId.toLowerCase()) return sp;
    }
    return undefined;
  }

  graphServicePrincipal(): Json {
    const sp = this.servicePrincipalByAppId(MICROSOFT_GRAPH_APP_ID);
    if (!sp) throw new DirectoryError('notFound', 'Microsoft Graph service principal is missing.');
    return sp;
  }

  applyAdminConsent(app: { appId: string; displayName: string }, appRoles: string[]): void {
    let sp = this.servicePrincipalByAppId(app.appId);
    if (!sp) {
      sp = this.create('servicePrincipals', {
        accountEnabled: true,
        addIns: [],
        alternativeNames: [],
        appDescription: null,
        appDisplayName: app.displayName,
        appId: app.appId,
        applicationTemplateId: null,
        appOwnerOrganizationId: null,
        appRoleAssignmentRequired: false,
        appRoles: [],
        createdDateTime: this.nowIso(),
        deletedDateTime: null,
        description: null,
        disabledByMicrosoftStatus: null,
        displayName: app.displayName,
        homepage: null,
        info: null,
        keyCredentials: [],
        loginUrl: null,
        logoutUrl: null,
        notes: null,
        notificationEmailAddresses: [],
        oauth2PermissionScopes: [],
        passwordCredentials: [],
        preferredSingleSignOnMode: null,
        replyUrls: [],
        servicePrincipalNames: [app.appId],
        servicePrincipalType: 'Application',
        signInAudience: 'AzureADMultipleOrgs',
        tags: [],
        tokenEncryptionKeyId: null,
      });
    }
    const graph = this.graphServicePrincipal();
    const existing = new Set(
      [...this.collection('appRoleAssignments').values()]
        .filter((a) => a['principalId'] === sp['id'] && a['resourceId'] === graph['id'])
        .map((a) => String(a['appRoleId'])),
    );
    for (const value of appRoles) {
      const role = GRAPH_APP_ROLES.find((r) => r.value === value);
      if (!role || existing.has(role.id)) continue;
      this.create('appRoleAssignments', {
        appRoleId: role.id,
        createdDateTime: this.nowIso(),
        deletedDateTime: null,
        principalDisplayName: sp['displayName'],
        principalId: sp['id'],
        principalType: 'ServicePrincipal',
        resourceDisplayName: graph['displayName'],
        resourceId: graph['id'],
      });
    }
  }

  grantedAppRoles(appId: string): string[] {
    const sp = this.servicePrincipalByAppId(appId);
    if (!sp) return [];
    const graph = this.graphServicePrincipal();
    const values: string[] = [];
    for (const a of this.collection('appRoleAssignments').values()) {
      if (a['principalId'] !== sp['id'] || a['resourceId'] !== graph['id']) continue;
      const role = GRAPH_APP_ROLES.find((r) => r.id === a['appRoleId']);
      if (role) values.push(role.value);
    }
    return values;
  }

  // ------------------------------------------------------------ activity logs

  recordSignIn(input: SignInEventInput): void {
    const user = this.userByIdOrUpn(input.userId);
    const at = this.clock.now();
    this.signIns.record(
      this.signIns.signInFrom(input, randomUUID(), at, {
        displayName: String(user?.['displayName'] ?? ''),
        upn: String(user?.['userPrincipalName'] ?? ''),
      }),
      at,
    );
  }

  recordAudit(input: AuditEventInput): void {
    const at = this.clock.now();
    this.directoryAudits.record(this.directoryAudits.auditFrom(input, `Directory_${randomUUID()}`, at), at);
  }

  /** Generates N events "now" (control API), spread over the last few seconds. */
  generateActivity(kind: 'signIns' | 'directoryAudits', count: number): void {
    const now = this.clock.now();
    for (let i = 0; i < count; i++) {
      const userOrdinal = (i * 7919) % this.gen.counts.users;
      const user = this.gen.user(userOrdinal);
      const at = now - (count - i);
      if (kind === 'signIns') {
        this.signIns.record(
          this.signIns.signInFrom(
            {
              userId: String(user['id']),
              appId: '00000003-0000-0ff1-ce00-000000000000',
              appDisplayName: 'Office 365 SharePoint Online',
              ipAddress: `52.160.1.${i % 250}`,
              errorCode: 0,
            },
            randomUUID(),
            at,
            { displayName: String(user['displayName']), upn: String(user['userPrincipalName']) },
          ),
          at,
        );
      } else {
        this.directoryAudits.record(
          this.directoryAudits.auditFrom(
            {
              category: 'UserManagement',
              activityDisplayName: 'Update user',
              operationType: 'Update',
              result: 'success',
              loggedByService: 'Core Directory',
              initiatedBy: {
                user: { id: String(user['id']), userPrincipalName: String(user['userPrincipalName']) },
              },
              targetResources: [{ id: String(user['id']), type: 'User' }],
            },
            `Directory_${randomUUID()}`,
            at,
          ),
          at,
        );
      }
    }
  }

  retentionMs(): number {
    return (this.premium ? 30 : 7) * DAY_MS;
  }
}
