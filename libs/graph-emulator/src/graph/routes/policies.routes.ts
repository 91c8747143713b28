import type { Json } from '../../directory/object-collection';
import { GraphHttpError } from '../../shared/graph-error';
import {
  arraySource,
  contextUrl,
  listCollection,
  noContent,
  ok,
  requireBody,
  type GraphRequest,
  type PageSize,
  type RouteDef,
} from '../graph-core';
import { badRequest } from '../odata';
import { RESOURCE_TYPES } from '../resource-types';
import { binRoutes } from './bins';
import { crudRoutes, findIn } from './crud';

const POLICY_READ = ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'];
/** CA writes need Policy.ReadWrite.ConditionalAccess (and Policy.Read.All). https://learn.microsoft.com/graph/api/conditionalaccessroot-post-policies */
const POLICY_WRITE = ['Policy.ReadWrite.ConditionalAccess'];
const STRENGTH_READ = [
  'Policy.Read.AuthenticationMethod',
  'Policy.Read.All',
  'Policy.ReadWrite.ConditionalAccess',
  'Policy.ReadWrite.AuthenticationMethod',
];
const STRENGTH_WRITE = ['Policy.ReadWrite.ConditionalAccess', 'Policy.ReadWrite.AuthenticationMethod'];
const INTUNE_READ = ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All'];
const INTUNE_WRITE = ['DeviceManagementConfiguration.ReadWrite.All'];
const SMALL_PAGE: PageSize = { default: 1000, max: 1000 };
const INTUNE_PAGE: PageSize = { default: 1000, max: 1000 };
const INTUNE_READ_ONLY = ['id', 'createdDateTime', 'lastModifiedDateTime', 'version'];

function stampPolicy(req: GraphRequest, op: 'create' | 'update'): Json {
  return op === 'create'
    ? { createdDateTime: req.tenant.nowIso(), modifiedDateTime: req.tenant.nowIso() }
    : { modifiedDateTime: req.tenant.nowIso() };
}

function stampIntune(req: GraphRequest, op: 'create' | 'update'): Json {
  return op === 'create'
    ? { createdDateTime: req.tenant.nowIso(), lastModifiedDateTime: req.tenant.nowIso(), version: 1 }
    : { lastModifiedDateTime: req.tenant.nowIso() };
}

function assignmentsOf(obj: Json): Json[] {
  return (obj['assignments'] as Json[] | undefined) ?? [];
}

/** `GET .../{id}/assignments` and `POST .../{id}/assign` for an Intune policy collection. */
function intuneChildren(
  base: string,
  collection: 'deviceConfigurations' | 'configurationPolicies' | 'deviceCompliancePolicies',
  versions?: readonly ('v1.0' | 'beta')[],
): RouteDef[] {
  return [
    {
      method: 'GET',
      path: `${base}/{id}/assignments`,
      permissions: INTUNE_READ,
      versions,
      handle: (req, { id }) =>
        listCollection(req, {
          entitySet: `${base.slice(1)}('${id!}')/assignments`,
          type: RESOURCE_TYPES.directoryObject,
          source: arraySource(assignmentsOf(findIn(req, collection, id!))),
          page: INTUNE_PAGE,
        }),
    },
    {
      method: 'POST',
      path: `${base}/{id}/assign`,
      permissions: INTUNE_WRITE,
      versions,
      handle: (req, { id }) => {
        const obj = findIn(req, collection, id!);
        const body = requireBody(req);
        const key = 'assignments';
        const list = body[key];
        if (!Array.isArray(list)) throw badRequest(`The request body must contain an '${key}' array.`);
        const assignments = (list as Json[]).map((a) => {
          const target = a['target'] as Json | undefined;
          if (!target || typeof target['@odata.type'] !== 'string')
            throw badRequest('Each assignment needs a target with an @odata.type.');
          const groupId = target['groupId'];
          if (typeof groupId === 'string' && !req.tenant.collection('groups').has(groupId))
            throw badRequest(`Group '${groupId}' was not found.`);
          return {
            id: `${String(obj['id'])}_${typeof groupId === 'string' ? groupId : 'adadadad-808e-44e2-905a-0b7873a8a531'}`,
            ...(collection === 'configurationPolicies' ? { source: 'direct', sourceId: obj['id'] } : {}),
            target,
          };
        });
        req.tenant.update(collection, String(obj['id']), {
          assignments,
          lastModifiedDateTime: req.tenant.nowIso(),
        });
        return collection === 'configurationPolicies'
          ? noContent()
          : ok({
              '@odata.context': contextUrl(req, 'Collection(microsoft.graph.deviceConfigurationAssignment)'),
              value: assignments,
            });
      },
    },
  ];
}

export const policyRoutes: RouteDef[] = [
  ...crudRoutes({
    path: '/identity/conditionalAccess/policies',
    collection: 'conditionalAccessPolicies',
    type: RESOURCE_TYPES.conditionalAccessPolicy,
    entitySet: 'identity/conditionalAccess/policies',
    read: POLICY_READ,
    write: POLICY_WRITE,
    page: SMALL_PAGE,
    filters: { id: ['eq'], state: ['eq'], displayName: ['eq'] },
    // https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy
    readOnly: ['id', 'createdDateTime', 'modifiedDateTime', 'deletedDateTime', 'templateId'],
    required: ['displayName', 'state', 'conditions'],
    stamp: stampPolicy,
    writeAlsoRequires: ['Policy.Read.All'],
    onCreate: (_req, body) => {
      if (!['enabled', 'disabled', 'enabledForReportingButNotEnforced'].includes(String(body['state'])))
        throw badRequest(
          "Invalid value specified for property 'state' of resource 'ConditionalAccessPolicy'.",
        );
      // Every policy targets users and applications: https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset
      const conditions = body['conditions'] as Json | null;
      if (
        typeof conditions !== 'object' ||
        conditions === null ||
        typeof conditions['users'] !== 'object' ||
        typeof conditions['applications'] !== 'object'
      ) {
        throw badRequest(
          "Invalid value specified for property 'conditions' of resource 'ConditionalAccessPolicy': users and applications are required.",
        );
      }
      return { templateId: null, grantControls: null, sessionControls: null, ...body };
    },
  }),
  ...crudRoutes({
    path: '/identity/conditionalAccess/namedLocations',
    collection: 'namedLocations',
    type: RESOURCE_TYPES.namedLocation,
    entitySet: 'identity/conditionalAccess/namedLocations',
    read: POLICY_READ,
    write: POLICY_WRITE,
    page: SMALL_PAGE,
    filters: { id: ['eq'], displayName: ['eq'] },
    // https://learn.microsoft.com/graph/api/resources/namedlocation
    readOnly: ['id', 'createdDateTime', 'modifiedDateTime', 'deletedDateTime'],
    required: ['displayName'],
    stamp: stampPolicy,
    writeAlsoRequires: ['Policy.Read.All'],
    guard: (obj, op) => {
      // A location marked trusted must be untrusted (PATCH isTrusted false) before it can be deleted
      // (https://github.com/MicrosoftDocs/azure-docs/pull/108713). The service's exact message is not documented.
      if (op === 'delete' && obj['isTrusted'] === true)
        throw badRequest(
          'A trusted named location cannot be deleted. Set isTrusted to false before deleting it.',
          'Request_BadRequest',
        );
    },
    onCreate: (_req, body) => {
      // The subtype is required on create: https://learn.microsoft.com/graph/api/conditionalaccessroot-post-namedlocations
      if (
        body['@odata.type'] !== '#microsoft.graph.ipNamedLocation' &&
        body['@odata.type'] !== '#microsoft.graph.countryNamedLocation'
      ) {
        throw badRequest(
          "A named location must be created with '@odata.type' '#microsoft.graph.ipNamedLocation' or '#microsoft.graph.countryNamedLocation'.",
        );
      }
      return body;
    },
  }),
  /*
   * Deleted Conditional Access policies and named locations (policyDeletableItem, 30-day window). The pages
   * are documented in beta (https://learn.microsoft.com/graph/api/conditionalaccesspolicy-restore?view=graph-rest-beta,
   * https://learn.microsoft.com/graph/api/resources/namedlocation?view=graph-rest-beta) while the v1.0 SDKs already
   * ship `deletedItems` (New/Update-MgIdentityConditionalAccessDeletedItemPolicy), so both versions serve them.
   * Their permission tables name no permission ("Not supported" in every row), so the Conditional Access
   * permissions apply.
   */
  ...binRoutes({
    path: '/identity/conditionalAccess/deletedItems/policies',
    collection: 'conditionalAccessPolicies',
    type: RESOURCE_TYPES.conditionalAccessPolicy,
    liveEntitySet: 'identity/conditionalAccess/policies',
    read: POLICY_READ,
    write: POLICY_WRITE,
    writeAlsoRequires: ['Policy.Read.All'],
    page: SMALL_PAGE,
  }),
  ...binRoutes({
    path: '/identity/conditionalAccess/deletedItems/namedLocations',
    collection: 'namedLocations',
    type: RESOURCE_TYPES.namedLocation,
    liveEntitySet: 'identity/conditionalAccess/namedLocations',
    read: POLICY_READ,
    write: POLICY_WRITE,
    writeAlsoRequires: ['Policy.Read.All'],
    page: SMALL_PAGE,
  }),
  ...crudRoutes({
    path: '/policies/authenticationStrengthPolicies',
    collection: 'authenticationStrengthPolicies',
    type: RESOURCE_TYPES.authenticationStrengthPolicy,
    entitySet: 'policies/authenticationStrengthPolicies',
    read: STRENGTH_READ,
    write: STRENGTH_WRITE,
    page: SMALL_PAGE,
    filters: { id: ['eq'], policyType: ['eq'] },
    readOnly: ['id', 'createdDateTime', 'modifiedDateTime', 'policyType', 'requirementsSatisfied'],
    required: ['displayName', 'allowedCombinations'],
    stamp: stampPolicy,
    onCreate: (_req, body) => ({
      description: null,
      ...body,
      policyType: 'custom',
      requirementsSatisfied: 'mfa',
    }),
    guard: (obj) => {
      // Built-in authentication strengths cannot be updated or deleted.
      if (obj['policyType'] === 'builtIn')
        throw new GraphHttpError(
          400,
          'badRequest',
          'Built-in authentication strength policies cannot be modified.',
        );
    },
  }),
  ...crudRoutes({
    path: '/deviceManagement/deviceConfigurations',
    collection: 'deviceConfigurations',
    type: RESOURCE_TYPES.deviceConfiguration,
    entitySet: 'deviceManagement/deviceConfigurations',
    read: INTUNE_READ,
    write: INTUNE_WRITE,
    page: INTUNE_PAGE,
    filters: { id: ['eq'], displayName: ['eq'] },
    readOnly: INTUNE_READ_ONLY,
    required: ['displayName', '@odata.type'],
    stamp: stampIntune,
    expand: () => ({ assignments: (obj) => assignmentsOf(obj) }),
    onCreate: (_req, body) => ({ description: null, assignments: [], ...body }),
  }),
  ...intuneChildren('/deviceManagement/deviceConfigurations', 'deviceConfigurations'),
  // Settings catalog is beta only: https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicy?view=graph-rest-beta
  ...crudRoutes({
    path: '/deviceManagement/configurationPolicies',
    collection: 'configurationPolicies',
    type: RESOURCE_TYPES.deviceManagementConfigurationPolicy,
    entitySet: 'deviceManagement/configurationPolicies',
    read: INTUNE_READ,
    write: INTUNE_WRITE,
    page: { default: 25, max: 1000 },
    versions: ['beta'],
    filters: { id: ['eq'], name: ['eq'], platforms: ['eq'] },
    // https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicy?view=graph-rest-beta
    readOnly: [
      'id',
      'createdDateTime',
      'lastModifiedDateTime',
      'settingCount',
      'creationSource',
      'isAssigned',
    ],
    required: ['name', 'platforms', 'technologies'],
    stamp: (req, op) =>
      op === 'create'
        ? { createdDateTime: req.tenant.nowIso(), lastModifiedDateTime: req.tenant.nowIso() }
        : { lastModifiedDateTime: req.tenant.nowIso() },
    expand: () => ({
      settings: (obj) => (obj['settings'] as Json[] | undefined) ?? [],
      assignments: (obj) => assignmentsOf(obj),
    }),
    onCreate: (_req, body) => ({
      description: null,
      roleScopeTagIds: ['0'],
      templateReference: {
        templateId: '',
        templateFamily: 'none',
        templateDisplayName: null,
        templateDisplayVersion: null,
      },
      assignments: [],
      settings: [],
      ...body,
      settingCount: Array.isArray(body['settings']) ? body['settings'].length : 0,
    }),
  }),
  {
    method: 'GET',
    path: '/deviceManagement/configurationPolicies/{id}/settings',
    permissions: INTUNE_READ,
    versions: ['beta'],
    handle: (req, { id }) =>
      listCollection(req, {
        entitySet: `deviceManagement/configurationPolicies('${id!}')/settings`,
        type: RESOURCE_TYPES.directoryObject,
        source: arraySource(
          (findIn(req, 'configurationPolicies', id!)['settings'] as Json[] | undefined) ?? [],
        ),
        page: INTUNE_PAGE,
      }),
  },
  ...intuneChildren('/deviceManagement/configurationPolicies', 'configurationPolicies', ['beta']),
  ...crudRoutes({
    path: '/deviceManagement/deviceCompliancePolicies',
    collection: 'deviceCompliancePolicies',
    type: RESOURCE_TYPES.deviceCompliancePolicy,
    entitySet: 'deviceManagement/deviceCompliancePolicies',
    read: INTUNE_READ,
    write: INTUNE_WRITE,
    page: INTUNE_PAGE,
    filters: { id: ['eq'], displayName: ['eq'] },
    readOnly: INTUNE_READ_ONLY,
    required: ['displayName', '@odata.type'],
    stamp: stampIntune,
    expand: () => ({
      assignments: (obj) => assignmentsOf(obj),
      scheduledActionsForRule: (obj, options) => {
        const rules = (obj['scheduledActionsForRule'] as Json[] | undefined) ?? [];
        return /scheduledActionConfigurations/.test(options)
          ? rules
          : rules.map(({ scheduledActionConfigurations: _c, ...rest }) => rest);
      },
    }),
    onCreate: (_req, body) => {
      // A compliance policy must be created with its scheduled actions: https://learn.microsoft.com/graph/api/intune-deviceconfig-windows10compliancepolicy-create
      const rules = body['scheduledActionsForRule'];
      if (!Array.isArray(rules) || rules.length === 0)
        throw badRequest(
          'scheduledActionsForRule is required when creating a compliance policy.',
          'BadRequest',
        );
      return {
        description: null,
        assignments: [],
        ...body,
        scheduledActionsForRule: (rules as Json[]).map((r) => ({
          id: crypto.randomUUID(),
          ruleName: r['ruleName'] ?? 'PasswordRequired',
          scheduledActionConfigurations: (
            (r['scheduledActionConfigurations'] as Json[] | undefined) ?? []
          ).map((c) => ({ id: crypto.randomUUID(), notificationMessageCCList: [], ...c })),
        })),
      };
    },
  }),
  ...intuneChildren('/deviceManagement/deviceCompliancePolicies', 'deviceCompliancePolicies'),
  {
    method: 'GET',
    path: '/deviceManagement/deviceCompliancePolicies/{id}/scheduledActionsForRule',
    permissions: INTUNE_READ,
    handle: (req, { id }) => {
      const rules =
        (findIn(req, 'deviceCompliancePolicies', id!)['scheduledActionsForRule'] as Json[] | undefined) ?? [];
      const expand = /scheduledActionConfigurations/.test(req.query.get('$expand') ?? '');
      const items = expand ? rules : rules.map(({ scheduledActionConfigurations: _c, ...rest }) => rest);
      return ok({
        '@odata.context': contextUrl(
          req,
          `deviceManagement/deviceCompliancePolicies('${id!}')/scheduledActionsForRule`,
        ),
        value: items,
      });
    },
  },
];
