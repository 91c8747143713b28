import type { Json } from '../directory/object-collection';
import type { SoftDeletableCollection } from '../directory/soft-delete';
import type { AuditHint, GraphRequest, GraphResponse } from './graph-core';

export interface AuditShape {
  category: string;
  activity: string;
  type: string;
  service?: string;
}

const NOUNS: Record<string, { noun: string; category: string; type: string; service?: string }> = {
  users: { noun: 'user', category: 'UserManagement', type: 'User' },
  groups: { noun: 'group', category: 'GroupManagement', type: 'Group' },
  applications: { noun: 'application', category: 'ApplicationManagement', type: 'Application' },
  serviceprincipals: {
    noun: 'service principal',
    category: 'ApplicationManagement',
    type: 'ServicePrincipal',
  },
  oauth2permissiongrants: {
    noun: 'delegated permission grant',
    category: 'ApplicationManagement',
    type: 'ServicePrincipal',
  },
  devices: { noun: 'device', category: 'Device', type: 'Device' },
  administrativeunits: {
    noun: 'administrative unit',
    category: 'AdministrativeUnit',
    type: 'AdministrativeUnit',
  },
  roledefinitions: { noun: 'role definition', category: 'RoleManagement', type: 'Role' },
  policies: {
    noun: 'conditional access policy',
    category: 'Policy',
    type: 'Policy',
    service: 'Conditional Access',
  },
  namedlocations: {
    noun: 'named location',
    category: 'Policy',
    type: 'Policy',
    service: 'Conditional Access',
  },
  // "Add policy", "Update policy", "Delete policy" (category Policy):
  // https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities
  claimsmappingpolicies: { noun: 'policy', category: 'Policy', type: 'Policy' },
  homerealmdiscoverypolicies: { noun: 'policy', category: 'Policy', type: 'Policy' },
  tokenissuancepolicies: { noun: 'policy', category: 'Policy', type: 'Policy' },
  tokenlifetimepolicies: { noun: 'policy', category: 'Policy', type: 'Policy' },
  appmanagementpolicies: { noun: 'policy', category: 'Policy', type: 'Policy' },
  authenticationstrengthpolicies: {
    noun: 'authentication strength policy',
    category: 'Policy',
    type: 'Policy',
    service: 'Conditional Access',
  },
};

const BIN_NOUNS: Record<SoftDeletableCollection, string> = {
  users: 'users',
  groups: 'groups',
  applications: 'applications',
  servicePrincipals: 'serviceprincipals',
  administrativeUnits: 'administrativeunits',
  conditionalAccessPolicies: 'policies',
  namedLocations: 'namedlocations',
  roleDefinitions: 'roledefinitions',
};

/**
 * The audit entry of a restore from, or a permanent delete in, a recycle bin, named as Entra ID names them
 * ("Restore user", "Hard delete user", "Restore application", ...).
 * https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities
 */
export function binAudit(
  collection: SoftDeletableCollection,
  op: 'restore' | 'purge',
  targetId: string,
): AuditHint {
  const entry = NOUNS[BIN_NOUNS[collection]]!;
  return {
    category: entry.category,
    activity: `${op === 'restore' ? 'Restore' : 'Hard delete'} ${entry.noun}`,
    type: entry.type,
    ...(entry.service ? { service: entry.service } : {}),
    targetId,
  };
}

const VERB: Record<string, string> = { POST: 'Add', PATCH: 'Update', PUT: 'Update', DELETE: 'Delete' };

/** Maps a successful directory write to the audit activity Entra ID logs for it (Intune keeps its own audit). */
export function auditShapeOf(method: string, segments: string[]): AuditShape | undefined {
  const s = segments.map((x) => x.toLowerCase());
  if (s[0] === 'devicemanagement') return undefined;
  if (s[0] === 'directory' && s[1] === 'deleteditems') {
    return {
      category: 'DirectoryManagement',
      activity: s[3] === 'restore' ? 'Restore directory object' : 'Hard delete directory object',
      type: 'Other',
    };
  }
  if (s[0] === 'rolemanagement' && s[2] === 'roleassignments') {
    return {
      category: 'RoleManagement',
      activity: method === 'POST' ? 'Add member to role' : 'Remove member from role',
      type: 'Role',
    };
  }
  const base =
    s[0] === 'directory' || s[0] === 'identity' || s[0] === 'rolemanagement'
      ? s.slice(s[0] === 'directory' ? 1 : 2)
      : s[0] === 'policies'
        ? s.slice(1)
        : s;
  const entry = NOUNS[base[0] ?? ''];
  if (!entry) return undefined;
  const child = base[2];
  if (child === 'members' || child === 'owners') {
    const role = child === 'members' ? 'member' : 'owner';
    return {
      category: entry.category,
      activity: method === 'POST' ? `Add ${role} to ${entry.noun}` : `Remove ${role} from ${entry.noun}`,
      type: entry.type,
    };
  }
  if (child === 'manager')
    return {
      category: 'UserManagement',
      activity: method === 'DELETE' ? 'Remove user manager' : 'Set user manager',
      type: 'User',
    };
  if (child === 'approleassignedto' || child === 'approleassignments') {
    return {
      category: 'ApplicationManagement',
      activity:
        method === 'POST'
          ? 'Add app role assignment to service principal'
          : 'Remove app role assignment from service principal',
      type: 'ServicePrincipal',
    };
  }
  if (child === 'scopedrolemembers')
    return { category: 'RoleManagement', activity: 'Add scoped member to role', type: 'Role' };
  if (child !== undefined) return undefined;
  return {
    category: entry.category,
    activity: `${VERB[method] ?? method} ${entry.noun}`,
    type: entry.type,
    service: entry.service,
  };
}

/** Every successful directory write appears in the tenant's directory audit log, initiated by the calling app. */
export function auditWrite(req: GraphRequest, segments: string[], response: GraphResponse): void {
  if (req.method === 'GET' || response.status >= 300) return;
  let hints = response.audit;
  if (!hints) {
    // An upsert that created its object (201) is an Add.
    const method = req.method === 'PATCH' && response.status === 201 ? 'POST' : req.method;
    const shape = auditShapeOf(method, segments);
    if (!shape) return;
    const body = (response.body ?? {}) as Json;
    // The written object: the created one, else the first id in the path (`/identity/conditionalAccess/policies/{id}`).
    const pathId = segments.find((x) =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(x),
    );
    const targetId = typeof body['id'] === 'string' ? body['id'] : (pathId ?? segments[1] ?? '');
    hints = [{ ...shape, targetId }];
  }
  const sp = req.ctx.kind === 'app' ? req.tenant.servicePrincipalByAppId(req.ctx.appId) : undefined;
  for (const hint of hints) {
    req.tenant.recordAudit({
      category: hint.category,
      activityDisplayName: hint.activity,
      operationType: /^(Add|Restore)/.test(hint.activity)
        ? 'Add'
        : /^(Delete|Hard delete|Remove)/.test(hint.activity)
          ? 'Delete'
          : 'Update',
      result: 'success',
      loggedByService: hint.service ?? 'Core Directory',
      initiatedBy:
        req.ctx.kind === 'app'
          ? { app: { appId: req.ctx.appId, displayName: String(sp?.['displayName'] ?? req.ctx.appId) } }
          : { user: { id: req.ctx.userId ?? '', userPrincipalName: '' } },
      targetResources: [{ id: hint.targetId, type: hint.type }],
    });
  }
}
