import type { GraphApiVersion } from '@entra-backup/graph';

/**
 * Where a collection sits in a restore's dependency order (lower first), after
 * restore-reference §4: what others reference is written before what references it.
 */
export enum RestorePhase {
  /** Tenant-wide policies (authorization, security defaults, cross-tenant access, ...), updated in place. */
  TENANT_POLICIES = 5,
  POLICY_OBJECTS = 10,
  USERS = 20,
  MANAGERS = 25,
  /** Phone and email methods registered for users again, once the users exist. */
  AUTHENTICATION_METHODS = 26,
  GROUPS = 30,
  GROUP_LINKS = 35,
  /** Guests' sponsors are users or groups: after both exist. */
  SPONSORS = 36,
  ADMINISTRATIVE_UNITS = 40,
  ADMINISTRATIVE_UNIT_LINKS = 45,
  ROLE_DEFINITIONS = 50,
  /** The PIM settings of each role, once a re-created custom role (and so its new policy) exists. */
  ROLE_POLICIES = 55,
  /** Claims mapping, home realm discovery, token and app management policies. */
  APPLICATION_POLICIES = 60,
  APPLICATIONS = 70,
  APPLICATION_LINKS = 75,
  /** Users' and groups' directory extension values, once the applications defining them have them again. */
  EXTENSION_VALUES = 76,
  SERVICE_PRINCIPALS = 80,
  SERVICE_PRINCIPAL_LINKS = 85,
  /** Policies re-assigned to the applications and service principals they applied to, once both exist. */
  APPLICATION_POLICY_LINKS = 86,
  /** After every kind of principal (service principals too) and scope (units, applications). */
  ROLE_ASSIGNMENTS = 87,
  APP_ROLE_ASSIGNMENTS = 90,
  PERMISSION_GRANTS = 91,
  CONDITIONAL_ACCESS = 100,
  INTUNE = 110,
  DEVICES = 120,
  REMOVE_NEW = 150,
  CONDITIONAL_ACCESS_STATE = 200,
}

/** How a restore's progress names each step; a `Record`, so a new phase without a name does not compile. */
export const RESTORE_PHASE_NAMES: Readonly<Record<RestorePhase, string>> = {
  [RestorePhase.TENANT_POLICIES]: 'tenant-wide policies',
  [RestorePhase.POLICY_OBJECTS]: 'named locations and authentication strengths',
  [RestorePhase.USERS]: 'users',
  [RestorePhase.MANAGERS]: 'managers',
  [RestorePhase.AUTHENTICATION_METHODS]: 'authentication methods',
  [RestorePhase.GROUPS]: 'groups',
  [RestorePhase.GROUP_LINKS]: 'group members and owners',
  [RestorePhase.SPONSORS]: 'sponsors',
  [RestorePhase.ADMINISTRATIVE_UNITS]: 'administrative units',
  [RestorePhase.ADMINISTRATIVE_UNIT_LINKS]: 'administrative unit members',
  [RestorePhase.ROLE_DEFINITIONS]: 'custom roles',
  [RestorePhase.ROLE_POLICIES]: 'PIM role settings',
  [RestorePhase.APPLICATION_POLICIES]: 'application and service principal policies',
  [RestorePhase.APPLICATIONS]: 'applications',
  [RestorePhase.APPLICATION_LINKS]: 'application owners',
  [RestorePhase.EXTENSION_VALUES]: 'directory extension values',
  [RestorePhase.SERVICE_PRINCIPALS]: 'service principals',
  [RestorePhase.SERVICE_PRINCIPAL_LINKS]: 'service principal owners',
  [RestorePhase.APPLICATION_POLICY_LINKS]: 'policy assignments of applications and service principals',
  [RestorePhase.ROLE_ASSIGNMENTS]: 'role assignments',
  [RestorePhase.APP_ROLE_ASSIGNMENTS]: 'app role assignments',
  [RestorePhase.PERMISSION_GRANTS]: 'delegated permission grants',
  [RestorePhase.CONDITIONAL_ACCESS]: 'Conditional Access policies',
  [RestorePhase.INTUNE]: 'Intune policies',
  [RestorePhase.DEVICES]: 'devices',
  [RestorePhase.REMOVE_NEW]: 'objects created after the snapshot',
  [RestorePhase.CONDITIONAL_ACCESS_STATE]: 'Conditional Access states',
};

/** A recycle bin where deleted objects of the collection wait 30 days (restore-reference §1). */
export interface RecycleBinSpec {
  readonly version: GraphApiVersion;
  /** Lists the bin, e.g. `/directory/deletedItems/microsoft.graph.user`. */
  readonly list: string;
  /** Restores one item: same id, and per Graph its links. */
  readonly restore: (id: string) => string;
}

/** A relationship held as a list of directory-object references (members, owners) or one (manager). */
export interface LinkSpec {
  /** The embedded property of the stored object (`members`, `owners`, `manager`). */
  readonly relation: string;
  readonly phase: RestorePhase;
  /** One target at most (the manager): added with PUT, removed without naming the target. */
  readonly single?: boolean;
  /**
   * Adds up to 20 links in one PATCH of the parent with `<relation>@odata.bind`
   * (https://learn.microsoft.com/graph/api/group-update); otherwise one `$ref` request per link.
   */
  readonly bindInPatch?: boolean;
  /** The `$ref` collection of a link, e.g. `/groups/{id}/members`. */
  readonly refPath: (parentId: string) => string;
  /** Objects whose links cannot be written, with why (dynamic membership, synchronised groups). */
  readonly unwritable?: (parent: Readonly<Record<string, unknown>>) => string | null;
  /**
   * A link read from one side and written from the other: a policy's `appliesTo` is read on the
   * policy but assigned with `POST /applications/{id}/tokenLifetimePolicies/$ref`. Gets the parent's
   * and the target's ids (both rewired) and the target's `@odata.type`; replaces `refPath`'s writes.
   */
  readonly writeFromTarget?: (
    mode: 'add' | 'remove',
    parentId: string,
    targetId: string,
    targetType: string | null,
  ) => GraphWrite;
}

/**
 * Objects that are relationships themselves (role assignments, app role assignments, grants):
 * matched between snapshot and target by what they connect, not by id, since a re-created one
 * gets a new id.
 */
export interface AssignmentSpec {
  /** The connected ids that identify one assignment (after id rewiring). */
  readonly key: readonly string[];
  /** Where the stored assignments are: a collection of their own, or embedded in a parent. */
  readonly embeddedIn?: string;
  /** The referenced principal, for reports. */
  readonly principal: string;
  /** Creates one: method, path and body from the stored assignment (ids already rewired). */
  readonly add: (assignment: Readonly<Record<string, unknown>>) => GraphWrite;
  /** Removes a live one. */
  readonly remove: (assignment: Readonly<Record<string, unknown>>) => GraphWrite;
  /** Properties that may differ on an assignment with the same key and are written with PATCH. */
  readonly updatable?: readonly string[];
  /** The PATCH path of a live assignment (its id, and for embedded ones its parent under `parentKey`). */
  readonly update?: (live: Readonly<Record<string, unknown>>) => string;
  /**
   * Only the assignments this holds for are this collection's to restore, on both sides (the
   * time-limited active role assignments of `roleAssignmentSchedules`; permanent ones come back
   * through `roleAssignments`).
   */
  readonly only?: (assignment: Readonly<Record<string, unknown>>) => boolean;
  /**
   * Assignments with the same key as an object of another collection of the type (for which
   * `when` holds, on the same side) are restored by that collection instead: a time-limited active
   * role assignment is not written back as a permanent role assignment.
   */
  readonly deferTo?: {
    readonly collection: string;
    readonly when: (other: Readonly<Record<string, unknown>>) => boolean;
  };
  /** Why a stored assignment cannot come back at the restore's time (its schedule ended), or null. */
  readonly lapsed?: (assignment: Readonly<Record<string, unknown>>, now: Date) => string | null;
  /**
   * Why an assignment can never be written through Graph (a FIDO2 key the user must register
   * again), or null: kept as a record only. One the target lacks is reported as not restored with
   * this reason; one the target holds is left alone, whether or not the snapshot has it, since
   * what cannot be put back is not taken away either.
   */
  readonly unwritable?: (assignment: Readonly<Record<string, unknown>>) => string | null;
}

export interface GraphWrite {
  readonly method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
}

/** Context of building a create body. */
export interface CreateContext {
  /** A fresh temporary password for a re-created user (never stored in plaintext). */
  temporaryPassword(): string;
}

/**
 * How a collection's objects are written back. Properties not listed as read-only or
 * create-only are written on update when they differ; relationships (`links`) and embedded
 * assignments are never sent as properties.
 */
export interface CollectionRestore {
  readonly phase: RestorePhase;
  /** POST path of a re-creation; absent when Graph cannot create one (reason in `cannotCreate`). */
  readonly createPath?: string;
  readonly cannotCreate?: string;
  /**
   * Graph creates a missing object with its own id through a PATCH of `itemPath` (an upsert, e.g.
   * authentication contexts `c1`..`c99`): a re-created object keeps its id, so nothing that names
   * it needs rewiring.
   */
  readonly upsert?: boolean;
  /** Path of one object for PATCH and DELETE. */
  readonly itemPath: (id: string) => string;
  /**
   * Graph updates the object with PUT, which replaces it (the admin consent request policy:
   * https://learn.microsoft.com/graph/api/adminconsentrequestpolicy-update): an update sends every
   * writable stored property, not only those that differ.
   */
  readonly replace?: boolean;
  /** Why objects of this collection cannot be updated at all (e.g. built-in role definitions). */
  readonly cannotUpdate?: string;
  /** Server-owned or derived properties: never written (Graph answers 400 "read-only"). */
  readonly readOnly: readonly string[];
  /** Settable only when the object is created (e.g. `isAssignableToRole`, `uniqueName`). */
  readonly createOnly?: readonly string[];
  /**
   * Properties Graph refuses in the create request but accepts in a later PATCH (the group's
   * Exchange settings: https://learn.microsoft.com/graph/api/group-post-groups).
   */
  readonly afterCreate?: readonly string[];
  readonly recycleBin?: RecycleBinSpec;
  readonly links?: readonly LinkSpec[];
  /** Why an object cannot be written back at all (synchronised from on-premises, built-in), or null. */
  readonly unwritable?: (object: Readonly<Record<string, unknown>>) => string | null;
  /** Adds what a create needs beyond the stored properties (a password, a block action). */
  readonly prepareCreate?: (
    body: Record<string, unknown>,
    stored: Readonly<Record<string, unknown>>,
    context: CreateContext,
  ) => Record<string, unknown>;
  /**
   * A `$filter` that finds the object a create made, for a restore resumed after it died
   * between the create and recording the new id: so nothing is created twice.
   */
  readonly findCreated?: (body: Readonly<Record<string, unknown>>) => string | null;
  /**
   * The same as `findCreated` for lists Graph cannot filter (Conditional Access policies, few
   * per tenant): the list is read and matched here.
   */
  readonly matchCreated?: (
    body: Readonly<Record<string, unknown>>,
  ) => ((candidate: Readonly<Record<string, unknown>>) => boolean) | null;
  /**
   * Written in a safe state first when the object references objects the restore re-creates,
   * and switched to its snapshot state as the restore's last step (Conditional Access).
   */
  readonly safeState?: { readonly property: string; readonly value: unknown };
  /**
   * Properties that may name other objects by id or appId (not through links): re-written with
   * the new ids when a restore re-creates what they name, even on an object that did not change.
   */
  readonly referencesIn?: readonly string[];
  /**
   * Properties written in a later phase by an update of their own, also after a re-creation or a
   * restore from the recycle bin: directory extension values, which Graph accepts only once the
   * extension they belong to is defined (a restore re-creates definitions with their applications,
   * in `APPLICATION_LINKS`).
   */
  readonly deferred?: { readonly matches: (property: string) => boolean; readonly phase: RestorePhase };
  /** Child lists (captured with the backup's child reads) that are written as properties. */
  readonly childProperties?: readonly string[];
  /**
   * Properties written by a request of their own instead of the object's PATCH (Intune
   * assignments through `assign`), also right after a re-creation; a list property may take one
   * request per item (a permission grant policy's condition sets).
   */
  readonly propertyWriters?: Readonly<
    Record<string, (id: string, value: unknown) => GraphWrite | readonly GraphWrite[]>
  >;
  /**
   * List properties written one item at a time, each item by a request of its own and never in the
   * object's own PATCH: a PIM policy's rules (one PATCH per rule, only the items that differ from
   * the target's, matched by `key`), the authentication methods policy's method configurations
   * (each stored one written after the policy's own properties). `write` gets the object's id in
   * the target.
   */
  readonly itemWriters?: Readonly<
    Record<
      string,
      {
        readonly key: string;
        readonly write: (id: string, item: Readonly<Record<string, unknown>>) => GraphWrite;
      }
    >
  >;
  /**
   * Objects Graph makes and deletes itself with the object they belong to, one each (a role's PIM
   * policy): a restore never creates nor removes them, only updates them (`itemWriters`). They are
   * found in the target through their owner, not by id: a re-created custom role gets a new policy
   * under a new id, and policy ids differ between tenants.
   */
  readonly ownedBy?: {
    /** The collection of the same type tying each object to its owner (the policy assignments). */
    readonly collection: string;
    /** The tie's property naming this collection's object (`policyId`). */
    readonly object: string;
    /** The tie's property naming the owner (`roleDefinitionId`); rewired when the owner is re-created. */
    readonly owner: string;
    /** The collection of the same type holding the owners, for names in the plan. */
    readonly owners: string;
    /** Lists the tie of one owner in the target (the owner's new id, after its re-creation). */
    readonly find: (ownerId: string) => { readonly path: string; readonly filter: string };
  };
  /**
   * Properties of an existing object that cannot be written back as stored, with why (certificates
   * backed up without their public key): left out of its update and reported.
   */
  readonly unwritableProperties?: Readonly<
    Record<string, (object: Readonly<Record<string, unknown>>) => string | null>
  >;
  /**
   * What identifies the object across tenants (a user's sign-in name, a service principal's
   * appId): restoring into another tenant, an object with the same key there is used, not
   * created again. Computed after the domain map applies.
   */
  readonly naturalKey?: (object: Readonly<Record<string, unknown>>) => string | null;
  /** Whether an object found by its natural key in another tenant is updated to the snapshot's state. */
  readonly updateAdopted?: boolean;
  /** Notes for objects whose restore is incomplete by nature (client secrets), or null. */
  readonly caveat?: (object: Readonly<Record<string, unknown>>) => string | null;
}

/** An assignment collection's restore. */
export interface AssignmentRestore {
  readonly phase: RestorePhase;
  readonly assignment: AssignmentSpec;
}
