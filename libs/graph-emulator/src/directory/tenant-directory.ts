import { randomUUID } from 'node:crypto';
import type { DirectoryUserSummary } from '../shared/graph-context';
import type { AuditEventInput, EmulatorClock, SignInEventInput } from '../shared/world-port';
import { ActivityLog } from './activity-log';
import { GLOBAL_ADMINISTRATOR, GRAPH_APP_ROLES, MICROSOFT_GRAPH_APP_ID } from './catalog';
import { ObjectCollection, type Json } from './object-collection';
import { DAY_MS, type CollectionName, type ResolvedTenantSpec, TenantGenerator } from './tenant-generator';

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
  collection: DirectoryObjectCollection;
  object: Json;
  deletedAt: number;
}

/** Thrown by store operations; the Graph layer maps it to an HTTP error. */
export class DirectoryError extends Error {
  constructor(
    readonly kind: 'notFound' | 'conflict' | 'badRequest',
    message: string,
  ) {
    super(message);
  }
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

  constructor(
    seed: number,
    readonly spec: ResolvedTenantSpec,
    epoch: number,
    readonly clock: EmulatorClock,
  ) {
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

  addRelated(
    relation: 'members' | 'owners',
    collection: CollectionName,
    ownerId: string,
    memberId: string,
  ): void {
    const owner = this.collection(collection).get(ownerId);
    if (!owner)
      throw new DirectoryError(
        'notFound',
        `Resource '${ownerId}' does not exist or one of its queried reference-property objects are not present.`,
      );
    const member = this.resolve(memberId);
    if (!member)
      throw new DirectoryError(
        'notFound',
        `Resource '${memberId}' does not exist or one of its queried reference-property objects are not present.`,
      );
    const current = this.rawRelated(relation, collection, ownerId);
    if (current.some((id) => id.toLowerCase() === memberId.toLowerCase()) && this.exists(memberId)) {
      throw new DirectoryError(
        'badRequest',
        "One or more added object references already exist for the following modified properties: 'members'.",
      );
    }
    if (relation === 'members' && collection === 'groups') {
      const groupTypes = (owner['groupTypes'] as string[] | undefined) ?? [];
      if (groupTypes.includes('DynamicMembership'))
        throw new DirectoryError('badRequest', 'Insufficient privileges to complete the operation.');
      if (
        member.collection === 'groups' &&
        this.wouldCycle(String(owner['id']), String(member.object['id']))
      ) {
        throw new DirectoryError('badRequest', 'Adding this group would create a circular group membership.');
      }
    }
    this.setRelated(relation, ownerId, [
      ...current.filter((id) => id.toLowerCase() !== memberId.toLowerCase()),
      String(member.object['id']),
    ]);
    this.append(collection, String(owner['id']), 'upsert', {
      relation,
      id: String(member.object['id']),
      odataType: ODATA_TYPES[member.collection],
      removed: false,
    });
  }

  removeRelated(
    relation: 'members' | 'owners',
    collection: CollectionName,
    ownerId: string,
    memberId: string,
  ): void {
    const owner = this.collection(collection).get(ownerId);
    if (!owner)
      throw new DirectoryError(
        'notFound',
        `Resource '${ownerId}' does not exist or one of its queried reference-property objects are not present.`,
      );
    const current = this.rawRelated(relation, collection, ownerId);
    if (!current.some((id) => id.toLowerCase() === memberId.toLowerCase()) || !this.exists(memberId)) {
      throw new DirectoryError(
        'notFound',
        `Resource '${memberId}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    const member = this.resolve(memberId);
    this.setRelated(
      relation,
      ownerId,
      current.filter((id) => id.toLowerCase() !== memberId.toLowerCase()),
    );
    this.append(collection, String(owner['id']), 'upsert', {
      relation,
      id: memberId.toLowerCase(),
      odataType: member ? ODATA_TYPES[member.collection] : '#microsoft.graph.directoryObject',
      removed: true,
    });
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
    this.append(collection, id, 'upsert');
    return this.collection(collection).get(id)!;
  }

  update(collection: CollectionName, id: string, patch: Json): Json {
    const c = this.collection(collection);
    const current = c.get(id);
    if (!current)
      throw new DirectoryError(
        'notFound',
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    const next = { ...current, ...patch, id: current['id'] };
    c.put(next);
    if (collection === 'users' && typeof patch['userPrincipalName'] === 'string')
      this.upnIndex.set(patch['userPrincipalName'].toLowerCase(), String(current['id']));
    this.append(collection, String(current['id']), 'upsert');
    return c.get(id)!;
  }

  /** Documented soft-delete rules: users, Microsoft 365 groups, applications, service principals
   * and administrative units go to deletedItems for 30 days; security groups and the rest are gone.
   * https://learn.microsoft.com/graph/api/directory-deleteditems-restore */
  isSoftDeleted(collection: CollectionName, object: Json): boolean {
    if (collection === 'groups')
      return ((object['groupTypes'] as string[] | undefined) ?? []).includes('Unified');
    return ['users', 'applications', 'servicePrincipals', 'administrativeUnits'].includes(collection);
  }

  remove(collection: CollectionName, id: string): { soft: boolean } {
    const c = this.collection(collection);
    const object = c.get(id);
    if (!object)
      throw new DirectoryError(
        'notFound',
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
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
        collection: collection as DirectoryObjectCollection,
        object: { ...object, deletedDateTime: this.nowIso() },
        deletedAt: this.clock.now(),
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

  deletedItems(collection?: DirectoryObjectCollection): DeletedItem[] {
    this.purgeExpired();
    return [...this.deleted.values()].filter((d) => collection === undefined || d.collection === collection);
  }

  deletedItem(id: string): DeletedItem | undefined {
    this.purgeExpired();
    return this.deleted.get(id.toLowerCase());
  }

  restore(id: string): DeletedItem {
    const item = this.deletedItem(id);
    if (!item)
      throw new DirectoryError(
        'notFound',
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    if (item.collection === 'users') {
      // A restored user keeps its userPrincipalName, which must still be free.
      const holder = this.userByIdOrUpn(String(item.object['userPrincipalName']));
      if (holder && holder['id'] !== item.object['id']) {
        throw new DirectoryError(
          'badRequest',
          'Another object with the same value for property userPrincipalName already exists.',
        );
      }
    }
    this.deleted.delete(String(item.object['id']));
    const object: Json = { ...item.object, deletedDateTime: null };
    this.collection(item.collection).put(object);
    this.append(item.collection, String(object['id']), 'upsert');
    this.logMembershipOf(String(object['id']), item.collection, false);
    return { ...item, object };
  }

  /** Permanent delete from deletedItems (administrative units cannot be purged this way). */
  purge(id: string): void {
    const item = this.deletedItem(id);
    if (!item)
      throw new DirectoryError(
        'notFound',
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    if (item.collection === 'administrativeUnits')
      throw new DirectoryError(
        'badRequest',
        'Administrative units cannot be permanently deleted; they are purged automatically after 30 days.',
      );
    this.deleted.delete(String(item.object['id']));
    this.append(item.collection, String(item.object['id']), 'deleted');
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
