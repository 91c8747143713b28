import type { ObjectTypeKey } from '@entra-backup/common';
import type { GraphApiVersion, GraphClient, GraphErrorKind } from '@entra-backup/graph';
import type { BrowseSpec } from './browse-spec';
import type { ExtensionTarget } from './directory-extensions';
import type { AssignmentRestore, CollectionRestore } from './restore-spec';

/** A Graph object as the backup stores it: JSON with a string `id`. */
export type GraphObject = { readonly id: string } & Readonly<Record<string, unknown>>;

/**
 * A relationship captured per object and embedded under its Graph navigation-property name
 * (`members`, `owners`, `manager`, `assignments`, ...). Fetched with JSON batching, 20 objects per
 * envelope, and paged when a child list carries a nextLink.
 */
export interface ChildSpec {
  /** The navigation property, also the name the children are embedded under. */
  readonly name: string;
  /** Path of the child list relative to the version root, e.g. `/groups/{id}/members`. */
  readonly path: (parentId: string) => string;
  readonly select?: readonly string[];
  readonly expand?: string;
  /** `$top` for the child list; omitted where Graph rejects it. */
  readonly top?: number;
  /**
   * Directory-object references (members, owners): kept as `{ '@odata.type', id }` only, so a
   * member's own edits do not create a new version of every group it belongs to.
   */
  readonly reference?: boolean;
  /**
   * The "child" is a property of the object itself that Graph returns in full only on a
   * single-object GET with `$select` (an application's `keyCredentials` with each certificate's
   * `key`, null on lists): `path` is the object's own path, and the property read there replaces
   * the listed one.
   */
  readonly singleObjectProperty?: boolean;
  /**
   * Read only for objects where this holds (applications that have certificates at all; group-specific
   * settings exist for Microsoft 365 groups only); the others are not asked, and carry no such property.
   */
  readonly when?: (object: GraphObject) => boolean;
}

/** How the engine reads a collection that supports change tracking (delta query). */
export interface DeltaSpec {
  /** e.g. `/users/delta`. */
  readonly path: string;
  /** `$select` of the delta query; determines which changes are reported (e.g. `members`). */
  readonly select: readonly string[];
  /**
   * Enumerate a full sync through the delta query itself (its initial round returns every object
   * with the selected properties) instead of the list endpoint. Used when the delta query also
   * returns a relationship inline (users' `manager@delta`), which saves one request per object.
   */
  readonly enumerateWithDelta?: boolean;
  /** Page size requested with `Prefer: odata.maxpagesize` (delta rejects `$top`). */
  readonly maxPageSize: number;
}

export interface LogSpec {
  /** The time property the incremental `$filter` uses (`createdDateTime`, `activityDateTime`). */
  readonly timeProperty: string;
}

/** Keeps only objects that reference an object of another collection of the same type. */
export interface ReferenceFilter {
  /** Property holding the reference, e.g. `roleDefinitionId`. */
  readonly property: string;
  /** Collection (of the same descriptor, read earlier) whose ids are allowed. */
  readonly collection: string;
  /**
   * Allowed are the values of this property of that collection's kept objects instead of their ids:
   * a role's PIM policy is kept when a kept policy assignment names it (`policyId`).
   */
  readonly through?: string;
}

/**
 * A collection Graph has no tenant-wide list of: it lists it per object of another collection (a
 * user's authentication methods; a group's PIM schedules, where `$filter=groupId eq '…'` is
 * required). See `CollectionSpec.perObjectOf`.
 */
export interface PerObjectSpec {
  /** The owners' collection: of the same descriptor, and listed before this one. */
  readonly collection: string;
  /** One owner's list, relative to the version root, with any query Graph requires. */
  readonly path: (ownerId: string) => string;
  /** Only owners for which this holds have such a list (role-assignable groups); the others are not asked. */
  readonly when?: (owner: Readonly<Record<string, unknown>>) => boolean;
  /**
   * The property naming the owner on each item (`userId`, `groupId`); set by the engine where
   * Graph's items do not carry it, so restore and browse know whose item it is.
   */
  readonly ownerKey: string;
  /** Keeps only the items this holds for (after `normalize`); the others are not stored. */
  readonly keep?: (item: Readonly<Record<string, unknown>>) => boolean;
  /**
   * `everyRun`: every owner's list is read on every run, for lists whose changes the owners' delta
   * query does not report and that few owners have. `withOwner`: an incremental run reads the lists
   * of the owners it saw change only (a list changed on its own waits for the next full run: the
   * first, a reconciliation or a manual full backup), for lists every owner has (100,000 users).
   */
  readonly refresh: 'everyRun' | 'withOwner';
}

export interface CollectionSpec {
  /** Named after the Graph collection (`users`, `roleAssignments`, `namedLocations`, ...). */
  readonly name: string;
  readonly version: GraphApiVersion;
  /** The list path relative to the version root. */
  readonly path: string;
  /**
   * Full `$select` where Graph's default property set is partial (users!). Omitted when the
   * default set is already complete or the type is polymorphic (`$select` would drop subtype
   * properties).
   */
  readonly select?: readonly string[];
  /**
   * The directory objects whose extension values this collection carries (`User`, `Group`). Graph
   * returns an extension value only when `$select` names it, and the names exist only at run time:
   * the engine reads the tenant's extension definitions once per run
   * (`POST /directoryObjects/getAvailableExtensionProperties`, Directory.Read.All) and adds those
   * targeting these objects to `select` and `delta.select`. Without that permission the values
   * are skipped with the reason (their last captured values carried over); the collection is still
   * backed up. Unset values are not stored, so a new extension changes no object.
   */
  readonly extensionsFor?: ExtensionTarget;
  readonly filter?: string;
  readonly expand?: string;
  /**
   * The path names one object, not a list (`/policies/authorizationPolicy`): read with one GET and
   * stored as a collection of that one object. Graph documents no `id` on some of them (the
   * admin consent request policy, the cross-tenant access default), so an object without one is
   * stored under the collection's name: its id then stays the same in every snapshot and tenant,
   * which is what compare and restore match objects by. Restore updates it in place (`itemPath`
   * ignores the id); it can be neither created nor deleted.
   */
  readonly singleton?: boolean;
  /** Maximum page size Graph accepts for this list, sent as `$top`. */
  readonly pageSize: number;
  /** Whether Graph accepts `$top` on this list at all. */
  readonly supportsTop: boolean;
  readonly delta?: DeltaSpec;
  readonly children?: readonly ChildSpec[];
  /** Only keep objects referencing an object of another collection (role assignments per role kind). */
  readonly keepReferencing?: ReferenceFilter;
  /**
   * Listed per object of another collection instead of through `path` (which then only names the
   * collection in messages). Item ids must be unique across owners; where Graph's are not (fixed
   * ids per method type), `normalize` composes one with the owner key.
   */
  readonly perObjectOf?: PerObjectSpec;
  /** Append-only log collections (sign-ins, audits): incremental by time watermark. */
  readonly log?: LogSpec;
  /**
   * Objects of this collection can be members, owners, managers or assignees of other objects
   * (users, groups, service principals, devices). Graph drops a deleted principal from every
   * relationship (and gives a restored one its memberships back) without reporting the holders in
   * their own delta query, so when a run sees one removed or restored the engine re-reads every
   * stored object whose relationships name it (see the engine's consequence phase).
   */
  readonly principal?: boolean;
  /**
   * Graph answers meaning the collection cannot exist in this tenant (PIM eligibility without an
   * Entra ID P2 licence): the collection is stored as empty instead of failing the type.
   */
  readonly emptyWhen?: readonly SkipRule[];
  /** Optional per-object transformation applied to list and re-read results alike. */
  readonly normalize?: (object: Record<string, unknown>) => Record<string, unknown>;
  /** How the collection's objects are written back; absent for read-only collections. */
  readonly restore?: CollectionRestore;
  /** The collection holds relationships (role assignments, grants) rather than objects. */
  readonly assignments?: AssignmentRestore;
  /** Table columns, search fields and relationships of the portal's browse and object pages. */
  readonly browse?: BrowseSpec;
  /**
   * Relationships embedded in each object as a child list (a resource's `appRoleAssignedTo`, an
   * application's federated identity credentials), restored item by item. `parentKey`: the items
   * do not name their parent (federated identity credentials), so the restore plan gives each one
   * the parent's id under this name (rewired like any id when the parent is re-created).
   * `permissions.write`: application permissions writing these items needs beyond the type's own
   * (classifications: Policy.ReadWrite.PermissionGrant); admin consent asks for them, and a target
   * whose consent lacks them gets only these items left out of a restore, with the reason.
   */
  readonly embeddedAssignments?: readonly (AssignmentRestore & {
    readonly relation: string;
    readonly parentKey?: string;
    readonly permissions?: { readonly write: readonly string[] };
  })[];
  /**
   * Application permissions this collection needs beyond its type's own (`Descriptor.permissions`),
   * least-privileged per Microsoft's documentation of the list (read) and write (restore) calls.
   * Admin consent asks for them with the type's; a tenant whose consent lacks a collection's read
   * permissions gets that collection skipped with the reason, while the rest of the type is backed up.
   */
  readonly permissions?: {
    readonly read: readonly string[];
    readonly write: readonly string[];
  };
}

/** A Graph answer that means "this type does not apply to this tenant", not a failure. */
export interface SkipRule {
  readonly kind?: GraphErrorKind;
  readonly status?: number;
  readonly code?: string;
  /** Shown to the admin as the type's skip reason. */
  readonly reason: string;
}

/** What a hook can use during one run of its type. */
export interface HookContext {
  readonly client: GraphClient;
  readonly signal: AbortSignal | undefined;
  /** The collection's objects as stored in the previous snapshot (empty on a first backup). */
  previousObjects(collection: string): AsyncIterable<{ readonly id: string; readonly object: unknown }>;
  /**
   * Secrets of the type that earlier runs read but no committed snapshot holds (an interrupted
   * run's BitLocker keys), by object id.
   */
  secretsReadBefore(): Promise<ReadonlyMap<string, string>>;
  /** Keeps secrets just read durably (sealed at rest), so a run killed later does not lose them. */
  rememberSecrets(reads: ReadonlyArray<readonly [objectId: string, value: string]>): Promise<void>;
  /** Adds to the type's figures (e.g. BitLocker key reads). */
  count(figure: 'bitlockerKeyReads', amount: number): void;
}

/** Per-run state of a hook: enriches every page of the primary collection before it is stored. */
export interface PageHook {
  enrichPage(objects: readonly GraphObject[]): Promise<GraphObject[]>;
}

/** For the rare type that needs code beyond the declarative description (BitLocker keys). */
export type DescriptorHook = (context: HookContext) => Promise<PageHook>;

export interface Descriptor {
  readonly key: ObjectTypeKey;
  /** The first collection is the primary one (`counts` and export `<typeKey>.jsonl`). */
  readonly collections: readonly [CollectionSpec, ...CollectionSpec[]];
  /** Least-privileged application permissions (graph-reference §0). */
  readonly permissions: {
    readonly read: readonly string[];
    /** Needed to restore; empty for archive-only types (logs, BitLocker keys). */
    readonly write: readonly string[];
  };
  readonly skipWhen: readonly SkipRule[];
  /**
   * Properties holding secrets. Payloads are always encrypted at rest; these are additionally
   * never logged and exported only on explicit request.
   */
  readonly secretFields: readonly string[];
  readonly hook?: DescriptorHook;
}

export function primaryCollection(descriptor: Descriptor): CollectionSpec {
  return descriptor.collections[0];
}

/** Keeps `@odata.type` and `id` of a directory-object reference. */
export function toReference(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (typeof record['id'] !== 'string') return null;
  return {
    '@odata.type':
      typeof record['@odata.type'] === 'string' ? record['@odata.type'] : '#microsoft.graph.directoryObject',
    id: record['id'],
  };
}

/** Drops response annotations (`@odata.context`, `@odata.etag`, ...) but keeps `@odata.type`. */
export function withoutAnnotations(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(object)) {
    if (name.startsWith('@odata.') && name !== '@odata.type') continue;
    if (name.endsWith('@odata.context') || name.endsWith('@odata.navigationLink')) continue;
    if (name.endsWith('@odata.associationLink') || name.endsWith('@odata.nextLink')) continue;
    out[name] = value;
  }
  return out;
}
