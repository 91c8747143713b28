import { type BrowseSpec, countOf, namedSpec } from '../browse-spec';
import type { SkipRule } from '../descriptor';
import type { CollectionRestore, GraphWrite } from '../restore-spec';
import { odataString, RestorePhase } from './restore.shared';

export const INTUNE_PERMISSIONS = {
  read: ['DeviceManagementConfiguration.Read.All'],
  write: ['DeviceManagementConfiguration.ReadWrite.All'],
} as const;

/**
 * Intune's Graph APIs need an active Intune licence. An unlicensed tenant answers the plain list
 * request with 400 `BadRequest` ("Request not applicable to target tenant."), a generic code, and
 * we never classify by message text; since the engine's Intune requests are fixed and tested
 * against the documented query shapes, a 400 `BadRequest` on them means the tenant has no Intune.
 * A missing permission (403 Authorization_RequestDenied) stays a failure.
 * https://learn.microsoft.com/graph/api/resources/intune-graph-overview
 */
export const INTUNE_SKIP_RULES: readonly SkipRule[] = [
  {
    status: 400,
    code: 'BadRequest',
    reason: 'Intune is not available for this tenant (its Graph API needs an active Intune licence)',
  },
];

/** Server-owned properties of Intune policies: https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-deviceconfiguration */
/** Intune profiles and compliance policies: name, platform (from the polymorphic type), assignments, modified. */
export const INTUNE_BROWSE: BrowseSpec = namedSpec([
  {
    key: 'platform',
    label: 'Platform',
    kind: 'enum',
    value: (o) =>
      typeof o['@odata.type'] === 'string' ? o['@odata.type'].replace('#microsoft.graph.', '') : null,
  },
  { key: 'assignments', label: 'Assignments', kind: 'number', value: countOf('assignments') },
  { key: 'lastModifiedDateTime', label: 'Modified', kind: 'date', value: 'lastModifiedDateTime' },
]);

export const INTUNE_READ_ONLY = ['id', 'createdDateTime', 'lastModifiedDateTime', 'version'] as const;

/**
 * Assignments are written with the policy's `assign` action, which replaces the whole set; only
 * each assignment's `target` is sent (its id is derived by the service).
 * https://learn.microsoft.com/graph/api/intune-deviceconfig-deviceconfiguration-assign
 */
export function assignWriter(collectionPath: string): (id: string, value: unknown) => GraphWrite {
  return (id, value) => ({
    method: 'POST',
    path: `${collectionPath}/${id}/assign`,
    body: {
      assignments: (Array.isArray(value) ? (value as Array<Record<string, unknown>>) : []).map((a) => ({
        target: a['target'],
      })),
    },
  });
}

/** The restore of an Intune policy collection, by display name (`name` for settings catalog). */
export function intuneRestore(
  collectionPath: string,
  nameProperty: 'displayName' | 'name',
  extra: Partial<CollectionRestore> = {},
): CollectionRestore {
  return {
    phase: RestorePhase.INTUNE,
    createPath: collectionPath,
    itemPath: (id) => `${collectionPath}/${id}`,
    readOnly: INTUNE_READ_ONLY,
    referencesIn: ['assignments'],
    propertyWriters: { assignments: assignWriter(collectionPath) },
    findCreated: (body) =>
      typeof body[nameProperty] === 'string'
        ? `${nameProperty} eq '${odataString(body[nameProperty] as string)}'`
        : null,
    ...extra,
  };
}
