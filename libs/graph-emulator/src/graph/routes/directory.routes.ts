import { randomUUID } from 'node:crypto';
import type { Json } from '../../directory/object-collection';
import { BUILT_IN_ROLES } from '../../directory/catalog';
import type { SoftDeletableCollection } from '../../directory/soft-delete';
import {
  objectConflict,
  type DeletedItem,
  type DirectoryObjectCollection,
  type RestoreOptions,
} from '../../directory/tenant-directory';
import { appLock } from '../../directory/tenant-generator';
import { GraphHttpError } from '../../shared/graph-error';
import { serveDelta } from '../delta';
import { checkCertificateUpload } from '../certificate-keys';
import { COLLECTION_TYPES, knownProperties, presentDirectoryObject } from '../directory-objects';
import {
  arraySource,
  checkReplicated,
  contextUrl,
  DIRECTORY_PAGE,
  fromDirectoryError,
  listCollection,
  nextLink,
  noContent,
  notFound,
  ok,
  parseAllowedFilter,
  parseAllowedSelect,
  parseTop,
  render,
  requireBody,
  type GraphRequest,
  type GraphResponse,
  type PageSize,
  type RouteDef,
} from '../graph-core';
import {
  badRequest,
  decodeToken,
  encodeToken,
  fingerprint,
  matches,
  unsupportedQuery,
  type ParsedFilter,
} from '../odata';
import { RESOURCE_TYPES } from '../resource-types';
import { crudRoutes, findIn } from './crud';
import { addRelatedRef, listRelated, removeRelatedRef } from './relations';
import { binAudit } from '../write-audit';
import { binRoutes } from './bins';
import { requirePimLicence } from './pim.routes';
import { checkUpnDomain, requireSensitiveActionRights } from './users.routes';

const ROLE_READ = [
  'RoleManagement.Read.Directory',
  'RoleManagement.Read.All',
  'Directory.Read.All',
  'RoleManagement.ReadWrite.Directory',
  'Directory.ReadWrite.All',
];
const ROLE_WRITE = ['RoleManagement.ReadWrite.Directory'];
const APP_READ = [
  'Application.Read.All',
  'Application.ReadWrite.OwnedBy',
  'Application.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const APP_WRITE = ['Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy', 'Directory.ReadWrite.All'];
const ASSIGNMENT_WRITE = ['AppRoleAssignment.ReadWrite.All'];
const GRANT_READ = [
  'DelegatedPermissionGrant.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'Application.Read.All',
];
const GRANT_WRITE = ['DelegatedPermissionGrant.ReadWrite.All'];
const DEVICE_READ = [
  'Device.Read.All',
  'Device.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const DEVICE_WRITE = ['Device.ReadWrite.All', 'Directory.ReadWrite.All'];
const AU_READ = [
  'AdministrativeUnit.Read.All',
  'AdministrativeUnit.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const AU_WRITE = ['AdministrativeUnit.ReadWrite.All', 'Directory.ReadWrite.All'];
const DELETED_READ = [
  'User.Read.All',
  'Group.Read.All',
  'Application.Read.All',
  'AdministrativeUnit.Read.All',
  'Directory.Read.All',
  'User.ReadWrite.All',
  'Group.ReadWrite.All',
  'Application.ReadWrite.All',
  'AdministrativeUnit.ReadWrite.All',
  'Directory.ReadWrite.All',
];
const DELETED_WRITE = [
  'User.ReadWrite.All',
  'Group.ReadWrite.All',
  'Application.ReadWrite.All',
  'AdministrativeUnit.ReadWrite.All',
  'Directory.ReadWrite.All',
];
const ORG_READ = ['Organization.Read.All', 'Directory.Read.All', 'User.Read.All', 'Directory.ReadWrite.All'];
/**
 * Role assignments and eligibility schedules support only $filter, $expand and $select:
 * https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments
 */
const ROLE_PAGE: PageSize = { default: 100, max: 999, strict: true, noTop: true };

function principalExpand(req: GraphRequest) {
  return {
    principal: (obj: Json) => presentDirectoryObject(req.tenant, String(obj['principalId'])) ?? null,
    roleDefinition: (obj: Json) =>
      req.tenant.collection('roleDefinitions').get(String(obj['roleDefinitionId'])) ?? null,
  };
}

/** Whether `principalId` is a member of `groupId`, directly or through nested groups. */
function isTransitiveMember(req: GraphRequest, groupId: string, principalId: string): boolean {
  const seen = new Set<string>();
  const stack = [groupId];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    for (const id of req.tenant.related('members', 'groups', current)) {
      if (id.toLowerCase() === principalId) return true;
      if (req.tenant.collection('groups').has(id)) stack.push(id);
    }
  }
  return false;
}

/**
 * beta `transitiveRoleAssignments`: the principal's own role assignments plus those of the
 * role-assignable groups it belongs to (returned with the group as `principalId`). Advanced query
 * only: without `ConsistencyLevel: eventual` the service answers 404, and `$count=true` and a
 * `principalId eq` filter are required.
 * https://learn.microsoft.com/graph/api/rbacapplication-list-transitiveroleassignments?view=graph-rest-beta
 */
function listTransitiveRoleAssignments(req: GraphRequest): GraphResponse {
  if ((req.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual')
    throw notFound('transitiveRoleAssignments');
  for (const p of ['$orderby', '$search', '$skip', '$expand']) {
    if (req.query.has(p)) throw unsupportedQuery(`Query option '${p}' is not supported on this resource.`);
  }
  if (req.query.get('$count') !== 'true')
    throw unsupportedQuery("The query parameter '$count=true' is required on transitiveRoleAssignments.");
  const type = RESOURCE_TYPES.unifiedRoleAssignment;
  const filter = parseAllowedFilter(
    req,
    { principalId: ['eq'], roleDefinitionId: ['eq'], directoryScopeId: ['eq'] },
    type,
  );
  const principalClauses = filter?.clauses.filter((c) => c.property === 'principalId') ?? [];
  if (!filter || filter.joiner !== 'and' || principalClauses.length !== 1)
    throw unsupportedQuery(
      "A filter on 'principalId' with the 'eq' operator is required on transitiveRoleAssignments.",
    );
  const top = parseTop(req, ROLE_PAGE);
  const select = parseAllowedSelect(req, type, knownProperties(req.tenant, 'roleAssignments'), true);
  const principalId = String(principalClauses[0]!.value).toLowerCase();
  const rest: ParsedFilter = {
    joiner: 'and',
    clauses: filter.clauses.filter((c) => c.property !== 'principalId'),
  };
  // Only role-assignable groups can hold role assignments; their members inherit them.
  const viaGroup = new Map<string, boolean>();
  const holds = (holder: string): boolean => {
    if (holder === principalId) return true;
    const group = req.tenant.collection('groups').get(holder);
    if (!group || group['isAssignableToRole'] !== true) return false;
    let member = viaGroup.get(holder);
    if (member === undefined) {
      member = isTransitiveMember(req, holder, principalId);
      viaGroup.set(holder, member);
    }
    return member;
  };
  const items = [...req.tenant.collection('roleAssignments').values()].filter(
    (a) => holds(String(a['principalId']).toLowerCase()) && matches(rest, a),
  );
  const print = fingerprint([req.path, req.query.get('$filter'), req.query.get('$select')]);
  const token = req.query.get('$skiptoken');
  let position = 0;
  if (token !== null) {
    const decoded = decodeToken<{ k: string; p: number; f: string }>(token, 'page');
    if (decoded.f !== print) throw badRequest('The $skiptoken does not belong to this query.');
    position = decoded.p;
  }
  const page = items.slice(position, position + top);
  const body: Json = {
    '@odata.context': contextUrl(
      req,
      select
        ? `roleManagement/directory/transitiveRoleAssignments(${select.join(',')})`
        : 'roleManagement/directory/transitiveRoleAssignments',
    ),
  };
  if (token === null) body['@odata.count'] = items.length;
  if (position + top < items.length)
    body['@odata.nextLink'] = nextLink(req, encodeToken({ k: 'page', p: position + top, f: print }));
  body['value'] = page.map((a) => render(a, type, select));
  return ok(body);
}

/** `$expand` of a directory relationship: at most 20 objects. https://learn.microsoft.com/graph/query-parameters#expand */
function relatedExpand(
  req: GraphRequest,
  relation: 'members' | 'owners',
  collection: 'applications' | 'servicePrincipals' | 'administrativeUnits',
) {
  return (obj: Json) =>
    req.tenant
      .related(relation, collection, String(obj['id']))
      .slice(0, 20)
      .map((id) => presentDirectoryObject(req.tenant, id));
}

function assignmentsExpand(req: GraphRequest, by: 'principalId' | 'resourceId') {
  return (obj: Json) =>
    [...req.tenant.collection('appRoleAssignments').values()].filter((a) => a[by] === obj['id']).slice(0, 20);
}

function multiTenantApp(req: GraphRequest, appId: string): Json | undefined {
  for (const t of req.world.listTenants()) {
    const dir = req.world.directory(t.tenantId);
    const app =
      dir &&
      [...dir.collection('applications').values()].find(
        (a) => a['appId'] === appId && a['signInAudience'] !== 'AzureADMyOrg',
      );
    if (app) return app;
  }
  return undefined;
}

/**
 * identifierUris and uniqueName are unique among applications, soft-deleted ones included (a deleted app keeps
 * its keys until it is purged): 400 Request_BadRequest "Another object with the same value for property
 * identifierUris already exists." (https://github.com/Azure/pcs-cli/issues/146). For uniqueName the status is a
 * third-party observation (400, not 409); the message follows the directory's uniqueness errors.
 */
function checkApplicationKeys(req: GraphRequest, body: Json, existing: Json | undefined): void {
  const selfId = existing ? String(existing['id']) : undefined;
  const others = [
    ...[...req.tenant.collection('applications').values()].filter((a) => a['id'] !== selfId),
    ...req.tenant.deletedItems('applications').map((d) => d.object),
  ];
  const uris = body['identifierUris'];
  if (uris !== undefined) {
    if (!Array.isArray(uris) || uris.some((u) => typeof u !== 'string'))
      throw badRequest("Invalid value specified for property 'identifierUris' of resource 'Application'.");
    const wanted = new Set((uris as string[]).map((u) => u.toLowerCase()));
    const taken = others.some((a) =>
      ((a['identifierUris'] as string[] | undefined) ?? []).some((u) => wanted.has(u.toLowerCase())),
    );
    if (taken) throw objectConflict('identifierUris');
  }
  const uniqueName = body['uniqueName'];
  if (uniqueName !== undefined && uniqueName !== null) {
    if (typeof uniqueName !== 'string' || uniqueName.length === 0)
      throw badRequest("Invalid value specified for property 'uniqueName' of resource 'Application'.");
    if (
      others.some(
        (a) =>
          typeof a['uniqueName'] === 'string' && a['uniqueName'].toLowerCase() === uniqueName.toLowerCase(),
      )
    )
      throw objectConflict('uniqueName');
  }
}

function directoryRoles(req: GraphRequest): Json[] {
  const byTemplate = new Map<string, string[]>();
  for (const a of req.tenant.collection('roleAssignments').values()) {
    if (a['directoryScopeId'] !== '/') continue;
    const list = byTemplate.get(String(a['roleDefinitionId'])) ?? [];
    list.push(String(a['principalId']));
    byTemplate.set(String(a['roleDefinitionId']), list);
  }
  for (const s of req.tenant.scopedRoleMembers()) {
    const role = BUILT_IN_ROLES.find((r) => req.tenant.gen.directoryRoleId(r.id) === s['roleId']);
    if (role && !byTemplate.has(role.id)) byTemplate.set(role.id, []);
  }
  return BUILT_IN_ROLES.filter((r) => byTemplate.has(r.id)).map((r) => ({
    id: req.tenant.gen.directoryRoleId(r.id),
    deletedDateTime: null,
    description: r.description,
    displayName: r.displayName,
    roleTemplateId: r.id,
    __members: byTemplate.get(r.id) ?? [],
  }));
}

function findDirectoryRole(req: GraphRequest, key: string): Json {
  const roles = directoryRoles(req);
  const role = key.startsWith('roleTemplateId=')
    ? roles.find((r) => r['roleTemplateId'] === key.slice('roleTemplateId='.length))
    : roles.find((r) => r['id'] === key.toLowerCase());
  if (!role) throw notFound(key);
  return role;
}

function stripInternal(obj: Json): Json {
  const { __members: _m, ...rest } = obj;
  return rest;
}

const ASSIGNMENT_TYPE = RESOURCE_TYPES.appRoleAssignment;

function assignmentRoutes(base: string, by: 'principalId' | 'resourceId'): RouteDef[] {
  return [
    {
      method: 'GET',
      path: `${base}/{id}/${by === 'principalId' ? 'appRoleAssignments' : 'appRoleAssignedTo'}`,
      permissions: APP_READ,
      handle: (req, { id }) => {
        const sp = findIn(req, 'servicePrincipals', id!);
        const items = [...req.tenant.collection('appRoleAssignments').values()].filter(
          (a) => a[by] === sp['id'],
        );
        return listCollection(req, {
          entitySet: `servicePrincipals('${String(sp['id'])}')/${by === 'principalId' ? 'appRoleAssignments' : 'appRoleAssignedTo'}`,
          type: ASSIGNMENT_TYPE,
          source: arraySource(items),
          page: DIRECTORY_PAGE,
          filters: { principalId: ['eq'], resourceId: ['eq'], appRoleId: ['eq'] },
        });
      },
    },
    {
      // AppRoleAssignment.ReadWrite.All and Application.Read.All: https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto
      method: 'POST',
      path: `${base}/{id}/${by === 'principalId' ? 'appRoleAssignments' : 'appRoleAssignedTo'}`,
      permissions: ASSIGNMENT_WRITE,
      alsoRequires: ['Application.Read.All'],
      handle: (req, { id }) => {
        findIn(req, 'servicePrincipals', id!);
        const body = requireBody(req);
        for (const p of ['principalId', 'resourceId', 'appRoleId'])
          if (typeof body[p] !== 'string')
            throw badRequest(`Invalid value specified for property '${p}' of resource 'AppRoleAssignment'.`);
        const principal = req.tenant.resolve(String(body['principalId']));
        const resource = req.tenant.collection('servicePrincipals').get(String(body['resourceId']));
        if (!principal) throw notFound(String(body['principalId']));
        if (!resource) throw notFound(String(body['resourceId']));
        checkReplicated(req, String(body['principalId']), String(body['resourceId']));
        const roles = (resource['appRoles'] as Json[] | undefined) ?? [];
        if (
          body['appRoleId'] !== '00000000-0000-0000-0000-000000000000' &&
          !roles.some((r) => r['id'] === body['appRoleId'])
        ) {
          throw badRequest('Permission being assigned was not found on application', 'Request_BadRequest');
        }
        // One assignment per principal, resource and app role: a second is refused with 400 Request_BadRequest
        // "Permission being assigned already exists on the object." (observed service behaviour; the
        // create page documents no error responses: https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto)
        const duplicate = [...req.tenant.collection('appRoleAssignments').values()].some(
          (a) =>
            a['principalId'] === principal.object['id'] &&
            a['resourceId'] === resource['id'] &&
            a['appRoleId'] === body['appRoleId'],
        );
        if (duplicate)
          throw badRequest('Permission being assigned already exists on the object.', 'Request_BadRequest');
        const created = req.tenant.create('appRoleAssignments', {
          appRoleId: body['appRoleId'],
          createdDateTime: req.tenant.nowIso(),
          deletedDateTime: null,
          principalDisplayName: principal.object['displayName'],
          principalId: principal.object['id'],
          principalType:
            principal.collection === 'users'
              ? 'User'
              : principal.collection === 'groups'
                ? 'Group'
                : 'ServicePrincipal',
          resourceDisplayName: resource['displayName'],
          resourceId: resource['id'],
        });
        return ok({ '@odata.context': contextUrl(req, 'appRoleAssignments/$entity'), ...created }, 201);
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{id}/${by === 'principalId' ? 'appRoleAssignments' : 'appRoleAssignedTo'}/{assignmentId}`,
      permissions: ASSIGNMENT_WRITE,
      handle: (req, { id, assignmentId }) => {
        const sp = findIn(req, 'servicePrincipals', id!);
        const a = req.tenant.collection('appRoleAssignments').get(assignmentId!);
        if (!a || a[by] !== sp['id']) throw notFound(assignmentId!);
        req.tenant.remove('appRoleAssignments', assignmentId!);
        return noContent();
      },
    },
  ];
}

/** The bins `/directory/deletedItems` serves; policies and custom roles have their own containers. */
const DIRECTORY_BINS = [
  'users',
  'groups',
  'applications',
  'servicePrincipals',
  'administrativeUnits',
] as const satisfies readonly (SoftDeletableCollection & DirectoryObjectCollection)[];

function presentDeleted(item: DeletedItem): Json {
  const collection = item.collection as (typeof DIRECTORY_BINS)[number];
  return {
    '@odata.type': `#microsoft.graph.${COLLECTION_TYPES[collection].name.split('.').pop()}`,
    ...item.object,
  };
}

/** Optional body of a restore: `newUserPrincipalName`, `autoReconcileProxyConflict` (users only). */
function restoreOptions(req: GraphRequest): RestoreOptions {
  if (
    req.body === undefined ||
    req.body === null ||
    (typeof req.body === 'object' && !Array.isArray(req.body) && Object.keys(req.body).length === 0)
  )
    return {};
  const body = requireBody(req);
  const options: RestoreOptions = {};
  for (const key of Object.keys(body)) {
    if (key !== 'newUserPrincipalName' && key !== 'autoReconcileProxyConflict')
      throw badRequest(`Property '${key}' does not exist on type 'microsoft.graph.restore'.`);
  }
  if (body['newUserPrincipalName'] !== undefined) {
    if (
      typeof body['newUserPrincipalName'] !== 'string' ||
      !/^[^@\s]+@[^@\s]+$/.test(body['newUserPrincipalName'])
    )
      throw badRequest("Invalid value specified for property 'newUserPrincipalName'.");
    checkUpnDomain(req, body['newUserPrincipalName']);
    options.newUserPrincipalName = body['newUserPrincipalName'];
  }
  if (body['autoReconcileProxyConflict'] !== undefined) {
    if (typeof body['autoReconcileProxyConflict'] !== 'boolean')
      throw badRequest("Invalid value specified for property 'autoReconcileProxyConflict'.");
    options.autoReconcileProxyConflict = body['autoReconcileProxyConflict'];
  }
  return options;
}

/**
 * `/directory/deletedItems`: the cast is required on the list (`microsoft.graph.user`, ...), pages of 100
 * up to `$top=999`. https://learn.microsoft.com/graph/api/directory-deleteditems-list
 */
function deletedItemsRoutes(): RouteDef[] {
  const casts: Array<[string, (typeof DIRECTORY_BINS)[number]]> = [
    ['microsoft.graph.user', 'users'],
    ['microsoft.graph.group', 'groups'],
    ['microsoft.graph.application', 'applications'],
    ['microsoft.graph.servicePrincipal', 'servicePrincipals'],
    ['microsoft.graph.administrativeUnit', 'administrativeUnits'],
  ];
  const routes: RouteDef[] = casts.map(([cast, collection]) => ({
    method: 'GET',
    path: `/directory/deletedItems/${cast}`,
    permissions: DELETED_READ,
    handle: (req: GraphRequest) => {
      const items = req.tenant.deletedItems(collection).map((d) => d.object);
      const type = COLLECTION_TYPES[collection];
      return listCollection(req, {
        entitySet: `directory/deletedItems/${cast}`,
        // Deleted items carry their deletion time next to the type's default properties.
        type: type.defaultProperties
          ? { ...type, defaultProperties: [...type.defaultProperties, 'deletedDateTime'] }
          : type,
        source: arraySource(items),
        page: DIRECTORY_PAGE,
        filters: { id: ['eq'], displayName: ['eq'] },
      });
    },
  }));
  routes.push(
    {
      method: 'GET',
      path: '/directory/deletedItems/{id}',
      permissions: DELETED_READ,
      handle: (req, { id }) => {
        const item = req.tenant.deletedItem(id!, DIRECTORY_BINS);
        if (!item) throw notFound(id!);
        return ok({
          '@odata.context': contextUrl(req, 'directoryObjects/$entity'),
          ...presentDeleted(item),
        });
      },
    },
    {
      method: 'POST',
      path: '/directory/deletedItems/{id}/restore',
      permissions: DELETED_WRITE,
      handle: (req, { id }) => {
        const pending = req.tenant.deletedItem(id!, DIRECTORY_BINS);
        if (!pending) throw notFound(id!);
        const options = restoreOptions(req);
        if (pending.collection === 'users') requireSensitiveActionRights(req, String(pending.object['id']));
        try {
          const item = req.tenant.restore(id!, pending.collection === 'users' ? options : {});
          return {
            ...ok({
              '@odata.context': contextUrl(req, 'directoryObjects/$entity'),
              ...presentDeleted(item),
            }),
            audit: [binAudit(item.collection, 'restore', String(item.object['id']))],
          };
        } catch (e) {
          throw fromDirectoryError(e);
        }
      },
    },
    {
      method: 'DELETE',
      path: '/directory/deletedItems/{id}',
      permissions: DELETED_WRITE,
      handle: (req, { id }) => {
        try {
          const item = req.tenant.purge(id!, { collections: DIRECTORY_BINS });
          return { ...noContent(), audit: [binAudit(item.collection, 'purge', String(item.object['id']))] };
        } catch (e) {
          throw fromDirectoryError(e);
        }
      },
    },
  );
  return routes;
}

export const directoryRoutes: RouteDef[] = [
  // Role definitions: built-ins are immutable. https://learn.microsoft.com/graph/api/resources/unifiedroledefinition
  ...crudRoutes({
    path: '/roleManagement/directory/roleDefinitions',
    collection: 'roleDefinitions',
    type: RESOURCE_TYPES.unifiedRoleDefinition,
    entitySet: 'roleManagement/directory/roleDefinitions',
    read: ROLE_READ,
    write: ROLE_WRITE,
    page: { default: 999, max: 999 },
    filters: { isBuiltIn: ['eq'], id: ['eq'], templateId: ['eq'], displayName: ['eq'] },
    readOnly: ['id', 'isBuiltIn', 'inheritsPermissionsFrom'],
    required: ['displayName', 'rolePermissions'],
    onCreate: (_req, body) => {
      // A custom role's templateId defaults to its id.
      const id = randomUUID();
      return {
        id,
        description: null,
        isEnabled: true,
        resourceScopes: ['/'],
        version: null,
        inheritsPermissionsFrom: [],
        ...body,
        isBuiltIn: false,
        templateId: typeof body['templateId'] === 'string' ? body['templateId'] : id,
      };
    },
    guard: (obj) => {
      if (obj['isBuiltIn'] === true)
        throw new GraphHttpError(
          400,
          'Request_BadRequest',
          'Built-in role definitions cannot be modified or deleted.',
        );
    },
  }),
  // Deleting a custom role soft-deletes it. https://learn.microsoft.com/graph/api/directoryrolemanagementdeleteditemcontainer-list-roledefinitions
  ...binRoutes({
    path: '/roleManagement/directory/deletedItems/roleDefinitions',
    collection: 'roleDefinitions',
    type: RESOURCE_TYPES.unifiedRoleDefinition,
    liveEntitySet: 'roleManagement/directory/roleDefinitions',
    read: ROLE_READ,
    write: ROLE_WRITE,
    page: { default: 999, max: 999 },
  }),
  ...crudRoutes({
    path: '/roleManagement/directory/roleAssignments',
    collection: 'roleAssignments',
    type: RESOURCE_TYPES.unifiedRoleAssignment,
    entitySet: 'roleManagement/directory/roleAssignments',
    read: ROLE_READ,
    write: ROLE_WRITE,
    page: ROLE_PAGE,
    filters: { principalId: ['eq'], roleDefinitionId: ['eq'], directoryScopeId: ['eq'], id: ['eq'] },
    expand: principalExpand,
    readOnly: ['id'],
    required: ['principalId', 'roleDefinitionId', 'directoryScopeId'],
    onCreate: (req, body) => {
      if (!req.tenant.resolve(String(body['principalId']))) throw notFound(String(body['principalId']));
      if (!req.tenant.collection('roleDefinitions').get(String(body['roleDefinitionId'])))
        throw notFound(String(body['roleDefinitionId']));
      checkReplicated(req, String(body['principalId']), String(body['roleDefinitionId']));
      // Scopes: the tenant ('/'), an administrative unit, or a single directory object.
      const scope = String(body['directoryScopeId']);
      const unit = /^\/administrativeUnits\/([0-9a-f-]{36})$/i.exec(scope);
      if (unit && !req.tenant.collection('administrativeUnits').has(unit[1]!)) throw notFound(unit[1]!);
      if (scope !== '/' && !unit && !(scope.startsWith('/') && req.tenant.exists(scope.slice(1)))) {
        throw badRequest(
          `Invalid value specified for property 'directoryScopeId' of resource 'UnifiedRoleAssignment'.`,
        );
      }
      const duplicate = [...req.tenant.collection('roleAssignments').values()].some(
        (a) =>
          a['principalId'] === String(body['principalId']).toLowerCase() &&
          a['roleDefinitionId'] === body['roleDefinitionId'] &&
          a['directoryScopeId'] === scope,
      );
      if (duplicate)
        throw badRequest(
          'A conflicting object with one or more of the specified property values is present in the directory.',
        );
      return { appScopeId: null, condition: null, ...body };
    },
  }).filter((r) => r.method !== 'PATCH'),
  {
    method: 'GET',
    path: '/roleManagement/directory/transitiveRoleAssignments',
    permissions: ROLE_READ,
    versions: ['beta'],
    handle: listTransitiveRoleAssignments,
  },
  // Eligibilities are read-only: they are created and removed through roleEligibilityScheduleRequests (pim.routes.ts).
  ...crudRoutes({
    path: '/roleManagement/directory/roleEligibilitySchedules',
    collection: 'roleEligibilitySchedules',
    type: RESOURCE_TYPES.unifiedRoleEligibilitySchedule,
    entitySet: 'roleManagement/directory/roleEligibilitySchedules',
    read: [
      ...ROLE_READ,
      'RoleEligibilitySchedule.Read.Directory',
      'RoleEligibilitySchedule.ReadWrite.Directory',
    ],
    page: ROLE_PAGE,
    filters: { principalId: ['eq'], roleDefinitionId: ['eq'], id: ['eq'] },
    expand: principalExpand,
  }).map((route) => ({
    ...route,
    handle: (req: GraphRequest, params: Record<string, string>) => {
      requirePimLicence(req);
      return route.handle(req, params);
    },
  })),
  // Legacy directoryRoles: only activated roles, no paging. https://learn.microsoft.com/graph/api/directoryrole-list
  {
    method: 'GET',
    path: '/directoryRoles',
    permissions: ROLE_READ,
    handle: (req) =>
      ok({
        '@odata.context': contextUrl(req, 'directoryRoles'),
        value: directoryRoles(req).map(stripInternal),
      }),
  },
  {
    method: 'GET',
    path: '/directoryRoles/{id}',
    permissions: ROLE_READ,
    handle: (req, { id }) =>
      ok({
        '@odata.context': contextUrl(req, 'directoryRoles/$entity'),
        ...stripInternal(findDirectoryRole(req, id!)),
      }),
  },
  {
    method: 'GET',
    path: '/directoryRoles/{id}/members',
    permissions: ROLE_READ,
    handle: (req, { id }) => {
      const role = findDirectoryRole(req, id!);
      const members = (role['__members'] as string[])
        .map((m) => presentDirectoryObject(req.tenant, m))
        .filter((m): m is Json => m !== undefined);
      return ok({ '@odata.context': contextUrl(req, 'directoryObjects'), value: members });
    },
  },
  {
    method: 'GET',
    path: '/directoryRoles/{id}/scopedMembers',
    permissions: ROLE_READ,
    handle: (req, { id }) => {
      const role = findDirectoryRole(req, id!);
      return ok({
        '@odata.context': contextUrl(req, 'scopedRoleMemberships'),
        value: req.tenant.scopedRoleMembers().filter((s) => s['roleId'] === role['id']),
      });
    },
  },

  // Applications and service principals.
  ...crudRoutes({
    path: '/applications',
    collection: 'applications',
    type: RESOURCE_TYPES.application,
    entitySet: 'applications',
    read: APP_READ,
    write: APP_WRITE,
    page: DIRECTORY_PAGE,
    expand: (req) => ({ owners: relatedExpand(req, 'owners', 'applications') }),
    filters: { id: ['eq'], appId: ['eq'], displayName: ['eq'], createdDateTime: ['ge', 'le'] },
    // Read-only per https://learn.microsoft.com/graph/api/resources/application; uniqueName is immutable once set,
    // and PATCH cannot set passwordCredentials (addPassword does): https://learn.microsoft.com/graph/api/application-update
    readOnly: [
      'id',
      'appId',
      'applicationTemplateId',
      'createdDateTime',
      'deletedDateTime',
      'publisherDomain',
    ],
    readOnlyOnUpdate: ['uniqueName', 'passwordCredentials'],
    upsertKey: 'uniqueName',
    validate: (req, body, existing) => {
      checkApplicationKeys(req, body, existing);
      checkCertificateUpload(body);
    },
    required: ['displayName'],
    onCreate: (req, body) => ({
      ...Object.fromEntries(Object.keys(req.tenant.gen.application(0)).map((k) => [k, null])),
      addIns: [],
      appRoles: [],
      identifierUris: [],
      keyCredentials: [],
      servicePrincipalLockConfiguration: appLock(),
      passwordCredentials: [],
      requiredResourceAccess: [],
      tags: [],
      signInAudience: 'AzureADMyOrg',
      // An app without a verified publisher answers the empty complex value, not null.
      verifiedPublisher: { addedDateTime: null, displayName: null, verifiedPublisherId: null },
      ...body,
      appId: crypto.randomUUID(),
      publisherDomain: req.tenant.spec.domain,
      createdDateTime: req.tenant.nowIso(),
      deletedDateTime: null,
    }),
  }),
  {
    method: 'GET',
    path: '/applications/delta',
    permissions: APP_READ,
    handle: (req) => serveDelta(req, 'applications', 'applications'),
  },
  {
    method: 'GET',
    path: '/applications/{id}/owners',
    permissions: APP_READ,
    handle: (req, { id }) => listRelated(req, 'owners', 'applications', id!, 'directoryObjects'),
  },
  {
    method: 'POST',
    path: '/applications/{id}/owners/$ref',
    permissions: APP_WRITE,
    handle: (req, { id }) => addRelatedRef(req, 'owners', 'applications', id!),
  },
  {
    method: 'DELETE',
    path: '/applications/{id}/owners/{ownerId}/$ref',
    permissions: APP_WRITE,
    handle: (req, { id, ownerId }) => removeRelatedRef(req, 'owners', 'applications', id!, ownerId!),
  },
  ...crudRoutes({
    path: '/servicePrincipals',
    collection: 'servicePrincipals',
    type: RESOURCE_TYPES.servicePrincipal,
    entitySet: 'servicePrincipals',
    read: APP_READ,
    write: APP_WRITE,
    page: DIRECTORY_PAGE,
    expand: (req) => ({
      owners: relatedExpand(req, 'owners', 'servicePrincipals'),
      appRoleAssignments: assignmentsExpand(req, 'principalId'),
      appRoleAssignedTo: assignmentsExpand(req, 'resourceId'),
    }),
    filters: { id: ['eq'], appId: ['eq'], displayName: ['eq'], servicePrincipalType: ['eq'] },
    // Read-only per https://learn.microsoft.com/graph/api/resources/serviceprincipal; PATCH cannot set
    // passwordCredentials (addPassword does): https://learn.microsoft.com/graph/api/serviceprincipal-update
    readOnly: [
      'id',
      'deletedDateTime',
      'appDisplayName',
      'applicationTemplateId',
      'appOwnerOrganizationId',
      'publisherName',
      'signInAudience',
      'servicePrincipalType',
    ],
    readOnlyOnUpdate: ['passwordCredentials'],
    required: ['appId'],
    upsertKey: 'appId',
    validate: (_req, body, existing) => {
      // A service principal stays bound to its application.
      if (
        existing &&
        body['appId'] !== undefined &&
        String(body['appId']).toLowerCase() !== String(existing['appId']).toLowerCase()
      )
        throw badRequest("Property 'appId' is read-only and cannot be set.");
    },
    onCreate: (req, body) => {
      const appId = String(body['appId']);
      if (req.tenant.servicePrincipalByAppId(appId))
        throw new GraphHttpError(
          409,
          'Request_MultipleObjectsWithSameKeyValue',
          'The service principal cannot be created, updated, or restored because the service principal name ' +
            appId +
            ' is already in use.',
        );
      // An enterprise app can be created for an app registered in this tenant or a multi-tenant app registered elsewhere.
      const app =
        [...req.tenant.collection('applications').values()].find((a) => a['appId'] === appId) ??
        multiTenantApp(req, appId);
      if (!app)
        throw badRequest(
          `The appId '${appId}' of the service principal does not reference a valid application object.`,
        );
      return {
        ...Object.fromEntries(Object.keys(req.tenant.gen.servicePrincipal(3)).map((k) => [k, null])),
        accountEnabled: true,
        appRoles: app['appRoles'],
        tags: [],
        servicePrincipalNames: [appId],
        replyUrls: [],
        keyCredentials: [],
        passwordCredentials: [],
        // What the service principal shows of its application comes from the application:
        // https://learn.microsoft.com/graph/api/resources/serviceprincipal
        oauth2PermissionScopes:
          (app['api'] as { oauth2PermissionScopes?: unknown } | null)?.oauth2PermissionScopes ?? [],
        info: app['info'] ?? null,
        verifiedPublisher: app['verifiedPublisher'] ?? null,
        resourceSpecificApplicationPermissions: [],
        addIns: [],
        alternativeNames: [],
        notificationEmailAddresses: [],
        ...body,
        appDisplayName: app['displayName'],
        displayName: body['displayName'] ?? app['displayName'],
        appOwnerOrganizationId: req.tenant.tenantId,
        servicePrincipalType: 'Application',
        signInAudience: app['signInAudience'],
        createdDateTime: req.tenant.nowIso(),
        deletedDateTime: null,
      };
    },
  }),
  {
    method: 'GET',
    path: '/servicePrincipals/delta',
    permissions: APP_READ,
    handle: (req) => serveDelta(req, 'servicePrincipals', 'servicePrincipals'),
  },
  {
    method: 'GET',
    path: '/servicePrincipals/{id}/owners',
    permissions: APP_READ,
    handle: (req, { id }) => listRelated(req, 'owners', 'servicePrincipals', id!, 'directoryObjects'),
  },
  {
    method: 'POST',
    path: '/servicePrincipals/{id}/owners/$ref',
    permissions: APP_WRITE,
    handle: (req, { id }) => addRelatedRef(req, 'owners', 'servicePrincipals', id!),
  },
  {
    method: 'DELETE',
    path: '/servicePrincipals/{id}/owners/{ownerId}/$ref',
    permissions: APP_WRITE,
    handle: (req, { id, ownerId }) => removeRelatedRef(req, 'owners', 'servicePrincipals', id!, ownerId!),
  },
  ...assignmentRoutes('/servicePrincipals', 'principalId'),
  ...assignmentRoutes('/servicePrincipals', 'resourceId'),
  {
    method: 'GET',
    path: '/servicePrincipals/{id}/oauth2PermissionGrants',
    permissions: [...APP_READ, ...GRANT_READ],
    handle: (req, { id }) => {
      const sp = findIn(req, 'servicePrincipals', id!);
      const items = [...req.tenant.collection('oauth2PermissionGrants').values()].filter(
        (g) => g['clientId'] === sp['id'],
      );
      return listCollection(req, {
        entitySet: 'oauth2PermissionGrants',
        type: RESOURCE_TYPES.oAuth2PermissionGrant,
        source: arraySource(items),
        page: DIRECTORY_PAGE,
        filters: { id: ['eq'] },
      });
    },
  },
  ...crudRoutes({
    path: '/oauth2PermissionGrants',
    collection: 'oauth2PermissionGrants',
    type: RESOURCE_TYPES.oAuth2PermissionGrant,
    entitySet: 'oauth2PermissionGrants',
    read: GRANT_READ,
    write: GRANT_WRITE,
    page: DIRECTORY_PAGE,
    filters: { clientId: ['eq'], resourceId: ['eq'], principalId: ['eq'], consentType: ['eq'], id: ['eq'] },
    required: ['clientId', 'consentType', 'resourceId', 'scope'],
    onCreate: (req, body) => {
      if (body['consentType'] !== 'AllPrincipals' && body['consentType'] !== 'Principal')
        throw badRequest(
          "Invalid value specified for property 'consentType' of resource 'OAuth2PermissionGrant'.",
        );
      for (const p of ['clientId', 'resourceId'])
        if (!req.tenant.collection('servicePrincipals').has(String(body[p]))) throw notFound(String(body[p]));
      if (
        body['consentType'] === 'Principal' &&
        !req.tenant.collection('users').has(String(body['principalId']))
      )
        throw notFound(String(body['principalId']));
      checkReplicated(
        req,
        String(body['clientId']),
        String(body['resourceId']),
        body['consentType'] === 'Principal' ? String(body['principalId']) : null,
      );
      // One grant per client, resource, consent type and principal: a second is 409
      // Request_MultipleObjectsWithSameKeyValue "Permission entry already exists." (observed service behaviour,
      // https://github.com/hashicorp/terraform-provider-azuread/issues/690); update the existing grant's scope instead.
      const principalId =
        body['consentType'] === 'Principal' ? String(body['principalId']).toLowerCase() : null;
      const duplicate = [...req.tenant.collection('oauth2PermissionGrants').values()].some(
        (g) =>
          String(g['clientId']).toLowerCase() === String(body['clientId']).toLowerCase() &&
          String(g['resourceId']).toLowerCase() === String(body['resourceId']).toLowerCase() &&
          g['consentType'] === body['consentType'] &&
          (g['principalId'] === null ? null : String(g['principalId']).toLowerCase()) === principalId,
      );
      if (duplicate)
        throw new GraphHttpError(
          409,
          'Request_MultipleObjectsWithSameKeyValue',
          'Permission entry already exists.',
        );
      return { principalId: null, ...body };
    },
  }),

  // Devices: v1.0 delete is permanent. https://learn.microsoft.com/graph/api/device-delete
  ...crudRoutes({
    path: '/devices',
    collection: 'devices',
    type: RESOURCE_TYPES.device,
    entitySet: 'devices',
    read: DEVICE_READ,
    write: DEVICE_WRITE,
    page: DIRECTORY_PAGE,
    filters: {
      id: ['eq'],
      deviceId: ['eq'],
      displayName: ['eq'],
      operatingSystem: ['eq'],
      accountEnabled: ['eq'],
      registrationDateTime: ['ge', 'le'],
    },
    // Read-only per https://learn.microsoft.com/graph/api/resources/device; deviceId is given on creation
    // (https://learn.microsoft.com/graph/api/device-post-devices) and cannot change afterwards.
    readOnly: [
      'id',
      'approximateLastSignInDateTime',
      'complianceExpirationDateTime',
      'createdDateTime',
      'deletedDateTime',
      'isCompliant',
      'isManaged',
      'mdmAppId',
      'onPremisesLastSyncDateTime',
      'onPremisesSecurityIdentifier',
      'onPremisesSyncEnabled',
      'registrationDateTime',
      'systemLabels',
      'trustType',
    ],
    readOnlyOnUpdate: ['deviceId'],
    required: [
      'accountEnabled',
      'alternativeSecurityIds',
      'deviceId',
      'displayName',
      'operatingSystem',
      'operatingSystemVersion',
    ],
    onCreate: (req, body) => ({
      ...Object.fromEntries(Object.keys(req.tenant.gen.device(0)).map((k) => [k, null])),
      accountEnabled: true,
      alternativeSecurityIds: [],
      physicalIds: [],
      systemLabels: [],
      ...body,
      createdDateTime: req.tenant.nowIso(),
      registrationDateTime: req.tenant.nowIso(),
    }),
  }).map((route) =>
    // Creating a device is delegated only (Directory.AccessAsUser.All); applications are not supported.
    // https://learn.microsoft.com/graph/api/device-post-devices
    route.method === 'POST' ? { ...route, permissions: ['Directory.AccessAsUser.All'] } : route,
  ),
  {
    method: 'GET',
    path: '/devices/delta',
    permissions: DEVICE_READ,
    handle: (req) => serveDelta(req, 'devices', 'devices'),
  },
  // Administrative units.
  ...crudRoutes({
    path: '/directory/administrativeUnits',
    collection: 'administrativeUnits',
    type: RESOURCE_TYPES.administrativeUnit,
    entitySet: 'directory/administrativeUnits',
    read: AU_READ,
    write: AU_WRITE,
    page: DIRECTORY_PAGE,
    expand: (req) => ({ members: relatedExpand(req, 'members', 'administrativeUnits') }),
    filters: { id: ['eq'], displayName: ['eq'] },
    required: ['displayName'],
    readOnly: ['id', 'deletedDateTime'],
    onCreate: (req, body) => ({
      description: null,
      visibility: null,
      isMemberManagementRestricted: null,
      membershipRule: null,
      membershipRuleProcessingState: null,
      membershipType: null,
      ...body,
      deletedDateTime: null,
    }),
  }),
  {
    method: 'GET',
    path: '/directory/administrativeUnits/delta',
    permissions: AU_READ,
    handle: (req) => serveDelta(req, 'administrativeUnits', 'directory/administrativeUnits'),
  },
  {
    method: 'GET',
    path: '/administrativeUnits/delta',
    permissions: AU_READ,
    versions: ['beta'],
    handle: (req) => serveDelta(req, 'administrativeUnits', 'administrativeUnits'),
  },
  {
    method: 'GET',
    path: '/directory/administrativeUnits/{id}/members',
    permissions: AU_READ,
    handle: (req, { id }) => listRelated(req, 'members', 'administrativeUnits', id!, 'directoryObjects'),
  },
  {
    method: 'POST',
    path: '/directory/administrativeUnits/{id}/members/$ref',
    permissions: AU_WRITE,
    handle: (req, { id }) => addRelatedRef(req, 'members', 'administrativeUnits', id!),
  },
  {
    method: 'DELETE',
    path: '/directory/administrativeUnits/{id}/members/{memberId}/$ref',
    permissions: AU_WRITE,
    handle: (req, { id, memberId }) =>
      removeRelatedRef(req, 'members', 'administrativeUnits', id!, memberId!),
  },
  {
    method: 'GET',
    path: '/directory/administrativeUnits/{id}/scopedRoleMembers',
    permissions: [...AU_READ, ...ROLE_READ],
    handle: (req, { id }) => {
      const au = findIn(req, 'administrativeUnits', id!);
      return ok({
        '@odata.context': contextUrl(
          req,
          `directory/administrativeUnits('${String(au['id'])}')/scopedRoleMembers`,
        ),
        value: req.tenant.scopedRoleMembers(String(au['id'])),
      });
    },
  },
  {
    method: 'POST',
    path: '/directory/administrativeUnits/{id}/scopedRoleMembers',
    permissions: ROLE_WRITE,
    handle: (req, { id }) => {
      const au = findIn(req, 'administrativeUnits', id!);
      const body = requireBody(req);
      const member = (body['roleMemberInfo'] as Json | undefined)?.['id'];
      const principal = typeof member === 'string' ? req.tenant.resolve(member) : undefined;
      if (!principal)
        throw badRequest(
          "Invalid value specified for property 'roleMemberInfo' of resource 'ScopedRoleMembership'.",
        );
      const role =
        directoryRoles(req).find((r) => r['id'] === body['roleId']) ??
        BUILT_IN_ROLES.map((r) => ({ id: req.tenant.gen.directoryRoleId(r.id), roleTemplateId: r.id })).find(
          (r) => r.id === body['roleId'],
        );
      if (!role) throw notFound(String(body['roleId']));
      checkReplicated(req, String(au['id']), String(principal.object['id']));
      const scope = `/administrativeUnits/${String(au['id'])}`;
      const duplicate = req.tenant
        .scopedRoleMembers(String(au['id']))
        .some(
          (s) =>
            s['roleId'] === body['roleId'] && (s['roleMemberInfo'] as Json)['id'] === principal.object['id'],
        );
      if (duplicate)
        throw new GraphHttpError(
          400,
          'Request_BadRequest',
          'A conflicting object with one or more of the specified property values is present in the directory.',
        );
      const assignment = req.tenant.create('roleAssignments', {
        principalId: principal.object['id'],
        roleDefinitionId: role['roleTemplateId'],
        directoryScopeId: scope,
        appScopeId: null,
        condition: null,
      });
      const created = req.tenant
        .scopedRoleMembers(String(au['id']))
        .find((s) => s['id'] === assignment['id']);
      return ok({ '@odata.context': contextUrl(req, 'scopedRoleMemberships/$entity'), ...created }, 201);
    },
  },
  {
    method: 'DELETE',
    path: '/directory/administrativeUnits/{id}/scopedRoleMembers/{membershipId}',
    permissions: ROLE_WRITE,
    handle: (req, { id, membershipId }) => {
      const au = findIn(req, 'administrativeUnits', id!);
      if (
        !req.tenant.scopedRoleMembers(String(au['id'])).some((s) => s['id'] === membershipId!.toLowerCase())
      )
        throw notFound(membershipId!);
      req.tenant.remove('roleAssignments', membershipId!);
      return noContent();
    },
  },
  // beta also exposes administrative units at the root: https://learn.microsoft.com/graph/api/directory-list-administrativeunits?view=graph-rest-beta
  ...crudRoutes({
    path: '/administrativeUnits',
    collection: 'administrativeUnits',
    type: RESOURCE_TYPES.administrativeUnit,
    entitySet: 'administrativeUnits',
    read: AU_READ,
    page: DIRECTORY_PAGE,
    versions: ['beta'],
    filters: { id: ['eq'], displayName: ['eq'] },
    expand: (req) => ({ members: relatedExpand(req, 'members', 'administrativeUnits') }),
  }),
  {
    method: 'GET',
    path: '/administrativeUnits/{id}/members',
    permissions: AU_READ,
    versions: ['beta'],
    handle: (req, { id }) => listRelated(req, 'members', 'administrativeUnits', id!, 'directoryObjects'),
  },
  ...deletedItemsRoutes(),
  {
    method: 'GET',
    path: '/organization',
    permissions: ORG_READ,
    handle: (req) =>
      ok({
        '@odata.context': contextUrl(req, 'organization'),
        value: [
          {
            id: req.tenant.tenantId,
            displayName: req.tenant.spec.displayName,
            countryLetterCode: 'US',
            preferredLanguage: 'en',
            tenantType: 'AAD',
            createdDateTime: new Date(req.tenant.gen.epoch - 1200 * 86_400_000)
              .toISOString()
              .replace('.000Z', 'Z'),
            verifiedDomains: [
              {
                capabilities: 'Email, OfficeCommunicationsOnline',
                isDefault: true,
                isInitial: true,
                name: req.tenant.spec.domain,
                type: 'Managed',
              },
            ],
            assignedPlans: req.tenant.premium
              ? [
                  {
                    assignedDateTime: '2024-01-01T00:00:00Z',
                    capabilityStatus: 'Enabled',
                    service: 'AADPremiumService',
                    servicePlanId: '41781fb2-bc02-4b7c-bd55-b576c07bb09d',
                  },
                ]
              : [],
            onPremisesSyncEnabled: true,
            technicalNotificationMails: [`admin@${req.tenant.spec.domain}`],
          },
        ],
      }),
  },
];
