import type { Json } from '../../directory/object-collection';
import {
  directoryRolePolicies,
  directoryRolePolicyAssignments,
  RULE_PROPERTIES,
  type RolePolicy,
} from '../../directory/role-management-policies';
import { GraphHttpError } from '../../shared/graph-error';
import {
  arraySource,
  contextUrl,
  getEntity,
  listCollection,
  noContent,
  notFound,
  ok,
  requireBody,
  type GraphRequest,
  type PageSize,
  type RouteDef,
} from '../graph-core';
import { badRequest, parseFilter } from '../odata';
import { RESOURCE_TYPES } from '../resource-types';

/**
 * PIM role management policies of directory roles and their assignments to roles.
 * Reads, least privileged first: https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicies,
 * https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicyassignments
 */
const POLICY_READ = [
  'RoleManagementPolicy.Read.Directory',
  'RoleManagement.Read.Directory',
  'RoleManagement.Read.All',
  'RoleManagementPolicy.ReadWrite.Directory',
  'RoleManagement.ReadWrite.Directory',
];
/** https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update */
const POLICY_WRITE = ['RoleManagementPolicy.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'];

const PAGE: PageSize = { default: 100, max: 100, noTop: true };
const POLICY = RESOURCE_TYPES.unifiedRoleManagementPolicy;
const ASSIGNMENT = RESOURCE_TYPES.unifiedRoleManagementPolicyAssignment;
const RULE = RESOURCE_TYPES.unifiedRoleManagementPolicyRule;

const POLICY_PROPERTIES = new Set([
  'id',
  'description',
  'displayName',
  'isOrganizationDefault',
  'lastModifiedBy',
  'lastModifiedDateTime',
  'scopeId',
  'scopeType',
]);
const ASSIGNMENT_PROPERTIES = new Set(['id', 'policyId', 'roleDefinitionId', 'scopeId', 'scopeType']);

/**
 * Both lists need `$filter` on `scopeId` and `scopeType` (`/` and `Directory` or `DirectoryRole` for directory
 * roles); the documented error code is not given, Graph reports a request it cannot route to a PIM provider as
 * 400 UnknownError carrying `MissingProvider` (https://github.com/microsoftgraph/microsoft-graph-docs/issues/20060).
 * Group-scoped policies (PIM for groups) are not emulated: such a filter lists nothing.
 */
function requireScope(req: GraphRequest): { directory: boolean; scopeType: string } {
  const raw = req.query.get('$filter');
  const missing = () =>
    new GraphHttpError(
      400,
      'UnknownError',
      JSON.stringify({
        errorCode: 'MissingProvider',
        message: 'The provider is missing.',
        instanceAnnotations: [],
      }),
    );
  if (raw === null || raw.trim() === '') throw missing();
  const filter = parseFilter(raw);
  const value = (property: string) =>
    filter.joiner === 'and'
      ? filter.clauses.find((c) => c.property === property && c.op === 'eq')?.value
      : undefined;
  const scopeId = value('scopeId');
  const scopeType = value('scopeType');
  if (typeof scopeId !== 'string' || typeof scopeType !== 'string') throw missing();
  if (scopeType === 'Group') return { directory: false, scopeType };
  if (scopeId !== '/' || (scopeType !== 'Directory' && scopeType !== 'DirectoryRole')) throw missing();
  return { directory: true, scopeType };
}

function findPolicy(req: GraphRequest, id: string): RolePolicy {
  const found = directoryRolePolicies(req.tenant).find(
    (p) => String(p.policy['id']).toLowerCase() === id.toLowerCase(),
  );
  if (!found) throw notFound(id);
  return found;
}

/** `$expand=rules` (optionally `rules($select=id)`) of a policy. */
function expandRules(policy: Json, options: string): Json[] {
  const rules = (policy['rules'] as Json[] | undefined) ?? [];
  const select = /\$select=([^;)]*)/
    .exec(options)?.[1]
    ?.split(',')
    .map((p) => p.trim());
  if (!select) return rules;
  return rules.map((rule) => {
    const out: Json = { '@odata.type': rule['@odata.type'] };
    for (const p of select) if (p in rule) out[p] = rule[p];
    return out;
  });
}

function listPolicies(req: GraphRequest) {
  const scope = requireScope(req);
  const policies = scope.directory ? directoryRolePolicies(req.tenant).map((p) => p.policy) : [];
  return listCollection(req, {
    entitySet: 'policies/roleManagementPolicies',
    type: POLICY,
    source: arraySource(policies),
    page: PAGE,
    filters: { scopeId: ['eq'], scopeType: ['eq'], isOrganizationDefault: ['eq', 'ne'] },
    known: POLICY_PROPERTIES,
    present: (p) => ({ ...p, scopeType: scope.scopeType }),
    expand: { rules: expandRules, effectiveRules: expandRules },
  });
}

function listPolicyAssignments(req: GraphRequest) {
  const scope = requireScope(req);
  const policies = scope.directory ? directoryRolePolicies(req.tenant) : [];
  const byId = new Map(policies.map((p) => [String(p.policy['id']), p.policy] as const));
  return listCollection(req, {
    entitySet: 'policies/roleManagementPolicyAssignments',
    type: ASSIGNMENT,
    source: arraySource(scope.directory ? directoryRolePolicyAssignments(req.tenant) : []),
    present: (a) => ({ ...a, scopeType: scope.scopeType }),
    page: PAGE,
    filters: { scopeId: ['eq'], scopeType: ['eq'], roleDefinitionId: ['eq'], policyId: ['eq'] },
    known: ASSIGNMENT_PROPERTIES,
    expand: {
      policy: (a, options) => {
        const policy = byId.get(String(a['policyId']));
        if (!policy) return null;
        const { rules: _rules, effectiveRules: _effective, ...shown } = policy;
        return /\$expand=rules/.test(options) ? { ...shown, rules: expandRules(policy, '') } : shown;
      },
    },
  });
}

function getPolicyAssignment(req: GraphRequest, id: string) {
  const found = directoryRolePolicyAssignments(req.tenant).find(
    (a) => String(a['id']).toLowerCase() === id.toLowerCase(),
  );
  return getEntity(req, found, id, ASSIGNMENT, 'policies/roleManagementPolicyAssignments', {
    known: ASSIGNMENT_PROPERTIES,
    expand: { policy: (a) => findPolicy(req, String(a['policyId'])).policy },
  });
}

function ruleOf(policy: Json, ruleId: string): Json {
  const rule = ((policy['rules'] as Json[] | undefined) ?? []).find((r) => r['id'] === ruleId);
  if (!rule) throw notFound(ruleId);
  return rule;
}

/**
 * `PATCH /policies/roleManagementPolicies/{id}/rules/{ruleId}`: the body names the rule's type
 * (`@odata.type`, required) and the properties that type can have written; 204. The changed rules are kept
 * per role (roleManagementPolicyRules).
 */
function updateRule(req: GraphRequest, policyId: string, ruleId: string) {
  const { roleDefinitionId, policy } = findPolicy(req, policyId);
  const rule = ruleOf(policy, ruleId);
  const body = requireBody(req);
  const type = body['@odata.type'];
  if (typeof type !== 'string')
    throw badRequest("The '@odata.type' of the rule is required in the request body.");
  if (type !== rule['@odata.type'])
    throw badRequest(
      `The rule '${ruleId}' is of type '${String(rule['@odata.type']).slice(1)}', not '${type}'.`,
    );
  if (body['id'] !== undefined && body['id'] !== ruleId)
    throw badRequest(
      `Invalid value specified for property 'id' of resource 'UnifiedRoleManagementPolicyRule'.`,
    );
  const writable = new Set(['id', 'target', ...(RULE_PROPERTIES[type] ?? [])]);
  for (const p of Object.keys(body)) {
    if (p.startsWith('@odata.')) continue;
    if (!writable.has(p)) throw badRequest(`Property '${p}' does not exist on type '${type.slice(1)}'.`);
  }
  if (type.endsWith('ExpirationRule') && body['isExpirationRequired'] === true) {
    const duration = body['maximumDuration'] ?? rule['maximumDuration'];
    if (typeof duration !== 'string' || !/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.test(duration))
      throw badRequest(
        "Invalid value specified for property 'maximumDuration' of resource 'UnifiedRoleManagementPolicyExpirationRule'.",
      );
  }
  const changed: Json = { ...rule };
  for (const [p, v] of Object.entries(body)) if (!p.startsWith('@odata.') && p !== 'id') changed[p] = v;
  const rules = ((policy['rules'] as Json[]) ?? []).map((r) => (r['id'] === ruleId ? changed : r));
  const now = req.tenant.nowIso();
  const sp = req.ctx.kind === 'app' ? req.tenant.servicePrincipalByAppId(req.ctx.appId) : undefined;
  const lastModifiedBy = { displayName: sp?.['displayName'] ?? null, id: null };
  const stored = [...req.tenant.collection('roleManagementPolicyRules').values()].find(
    (s) => String(s['roleDefinitionId']).toLowerCase() === roleDefinitionId.toLowerCase(),
  );
  if (stored)
    req.tenant.update('roleManagementPolicyRules', String(stored['id']), {
      rules,
      lastModifiedDateTime: now,
      lastModifiedBy,
    });
  else
    req.tenant.create('roleManagementPolicyRules', {
      roleDefinitionId,
      rules,
      lastModifiedDateTime: now,
      lastModifiedBy,
    });
  // PIM's audit activity for a changed role setting: https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities
  return {
    ...noContent(),
    audit: [
      {
        category: 'RoleManagement',
        activity: 'Update role setting in PIM',
        type: 'Role',
        service: 'PIM',
        targetId: roleDefinitionId,
      },
    ],
  };
}

export const roleManagementPolicyRoutes: RouteDef[] = [
  { method: 'GET', path: '/policies/roleManagementPolicies', permissions: POLICY_READ, handle: listPolicies },
  {
    method: 'GET',
    path: '/policies/roleManagementPolicies/{id}',
    permissions: POLICY_READ,
    handle: (req, { id }) =>
      getEntity(req, findPolicy(req, id!).policy, id!, POLICY, 'policies/roleManagementPolicies', {
        known: POLICY_PROPERTIES,
        expand: { rules: expandRules, effectiveRules: expandRules },
      }),
  },
  {
    method: 'GET',
    path: '/policies/roleManagementPolicies/{id}/rules',
    permissions: POLICY_READ,
    handle: (req, { id }) => {
      const { policy } = findPolicy(req, id!);
      return ok({
        '@odata.context': contextUrl(req, `policies/roleManagementPolicies('${id!}')/rules`),
        value: (policy['rules'] as Json[] | undefined) ?? [],
      });
    },
  },
  {
    method: 'GET',
    path: '/policies/roleManagementPolicies/{id}/rules/{ruleId}',
    permissions: POLICY_READ,
    handle: (req, { id, ruleId }) =>
      getEntity(
        req,
        ruleOf(findPolicy(req, id!).policy, ruleId!),
        ruleId!,
        RULE,
        `policies/roleManagementPolicies('${id!}')/rules`,
      ),
  },
  {
    method: 'PATCH',
    path: '/policies/roleManagementPolicies/{id}/rules/{ruleId}',
    permissions: POLICY_WRITE,
    handle: (req, { id, ruleId }) => updateRule(req, id!, ruleId!),
  },
  {
    method: 'GET',
    path: '/policies/roleManagementPolicyAssignments',
    permissions: POLICY_READ,
    handle: listPolicyAssignments,
  },
  {
    method: 'GET',
    path: '/policies/roleManagementPolicyAssignments/{id}',
    permissions: POLICY_READ,
    handle: (req, { id }) => getPolicyAssignment(req, id!),
  },
];
