/**
 * How a collection is browsed: the table columns an Entra admin expects, the fields a search
 * matches, and the relationships an object page resolves to names. Payloads are encrypted, so
 * these columns are extracted once per stored payload into the browse index (`object_summary`),
 * where search, sort and filters run in the database. Only non-secret display values belong here.
 */
export type BrowseValue = string | number | boolean | null;

export type BrowseColumnKind = 'text' | 'number' | 'boolean' | 'date' | 'enum';

export interface BrowseColumn {
  /** Stable key, used as the API's sort and filter name. */
  readonly key: string;
  readonly label: string;
  readonly kind: BrowseColumnKind;
  /** A dot path into the stored object (`status.errorCode`), or a function for derived values. */
  readonly value: string | ((object: Readonly<Record<string, unknown>>) => BrowseValue);
  /** The values a filter offers; the column is filterable when present. */
  readonly filter?: readonly { readonly value: string; readonly label: string }[];
}

/**
 * A relationship held in the stored object: an embedded reference list (`members`), one id
 * property (`principalId`) or an id list deep in a policy (`conditions.users.includeUsers`).
 */
export interface BrowseRelation {
  readonly key: string;
  readonly label: string;
  /** Dot path to the reference list, id list or id. */
  readonly path: string;
  /** Where the targets live, tried in order; a reference's `@odata.type` narrows it. */
  readonly targets: readonly BrowseTarget[];
  /**
   * Targets are named by their second identifier (`altId`: a Conditional Access policy names
   * applications by appId, a BitLocker key its device by deviceId), not by object id.
   */
  readonly byAltId?: boolean;
  /**
   * In a list of objects, the dot path of the target id (an app role assignment's `resourceId`, a
   * scoped role membership's `roleMemberInfo.id`); default `id`.
   */
  readonly itemId?: string;
  /** How the relation reads from the target's side, e.g. "Member of" for `members`. */
  readonly reverseLabel?: string;
  /**
   * For an assignment object (a role assignment): the target's page lists, instead of the
   * assignment itself, what the assignment's other relation points at (the role).
   */
  readonly reverseShows?: string;
}

export interface BrowseTarget {
  readonly type: string;
  readonly collection: string;
}

export interface BrowseSpec {
  /** Table columns in display order; the first one names the object. At most eight. */
  readonly columns: readonly BrowseColumn[];
  /** Dot paths a search matches (case-insensitive substring); the id always matches too. */
  readonly search: readonly string[];
  /** A second identifier other objects use to name this one (an app's appId, a device's deviceId). */
  readonly altId?: string;
  readonly relations?: readonly BrowseRelation[];
  /** Log collections: the column holding the entry's time (for the time-range view). */
  readonly timeColumn?: string;
}

export const BROWSE_MAX_COLUMNS = 8;

/**
 * Bump when a browse spec changes what it extracts: index rows of an older version are rebuilt
 * at the next start-up (the payloads are re-read once).
 */
export const BROWSE_SPEC_VERSION = 4;

export const USER_TARGET: BrowseTarget = { type: 'users', collection: 'users' };
export const GROUP_TARGET: BrowseTarget = { type: 'groups', collection: 'groups' };
export const DEVICE_TARGET: BrowseTarget = { type: 'devices', collection: 'devices' };
export const SERVICE_PRINCIPAL_TARGET: BrowseTarget = {
  type: 'enterpriseApps',
  collection: 'servicePrincipals',
};
export const APPLICATION_TARGET: BrowseTarget = { type: 'appRegistrations', collection: 'applications' };
export const ROLE_TARGETS: readonly BrowseTarget[] = [
  { type: 'builtInRoles', collection: 'roleDefinitions' },
  { type: 'customRoles', collection: 'roleDefinitions' },
];
export const ADMIN_UNIT_TARGET: BrowseTarget = { type: 'adminUnits', collection: 'administrativeUnits' };
export const NAMED_LOCATION_TARGET: BrowseTarget = {
  type: 'conditionalAccessPolicies',
  collection: 'namedLocations',
};
/** Any directory object a reference may name (members, owners, principals). */
export const DIRECTORY_TARGETS: readonly BrowseTarget[] = [
  USER_TARGET,
  GROUP_TARGET,
  SERVICE_PRINCIPAL_TARGET,
  DEVICE_TARGET,
  APPLICATION_TARGET,
];

/** The value at a dot path, or undefined. */
export function valueAt(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function columnValue(column: BrowseColumn, object: Readonly<Record<string, unknown>>): BrowseValue {
  const raw = typeof column.value === 'string' ? valueAt(object, column.value) : column.value(object);
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return null;
}

/** The ids a relation holds in one object (references, id lists, or one id). */
export function relationIds(relation: BrowseRelation, object: unknown): string[] {
  const raw = valueAt(object, relation.path);
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const ids: string[] = [];
  for (const item of list) {
    if (typeof item === 'string' && item !== '') ids.push(item);
    else if (typeof item === 'object' && item !== null) {
      const id = valueAt(item, relation.itemId ?? 'id');
      if (typeof id === 'string' && id !== '') ids.push(id);
    }
  }
  return ids;
}

/** The first string found at these paths (a name with fallbacks). */
export function firstString(...paths: string[]): (object: Readonly<Record<string, unknown>>) => BrowseValue {
  return (object) => {
    for (const path of paths) {
      const value = valueAt(object, path);
      if (typeof value === 'string' && value !== '') return value;
    }
    return null;
  };
}

/** The length of a list property (member count), or null when the list was not captured. */
export function countOf(path: string): (object: Readonly<Record<string, unknown>>) => BrowseValue {
  return (object) => {
    const value = valueAt(object, path);
    return Array.isArray(value) ? value.length : null;
  };
}

/** A spec for objects known mostly by name (Intune policies, roles, units). */
export function namedSpec(extra: readonly BrowseColumn[] = [], search: readonly string[] = []): BrowseSpec {
  return {
    columns: [
      { key: 'name', label: 'Name', kind: 'text', value: firstString('displayName', 'name') },
      ...extra,
    ],
    search: ['displayName', 'name', ...search],
  };
}
