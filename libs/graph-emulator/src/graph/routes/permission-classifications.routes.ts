import type { Json } from '../../directory/object-collection';
import type { TenantDirectory } from '../../directory/tenant-directory';
import {
  arraySource,
  contextUrl,
  DIRECTORY_PAGE,
  listCollection,
  noContent,
  notFound,
  ok,
  rejectUnknown,
  requireBody,
  type GraphRequest,
  type RouteDef,
} from '../graph-core';
import { badRequest } from '../odata';
import { RESOURCE_TYPES } from '../resource-types';
import { findIn } from './crud';

/**
 * Delegated permission classifications of the API that publishes the permissions (its service
 * principal): list, classify, remove.
 * https://learn.microsoft.com/graph/api/serviceprincipal-list-delegatedpermissionclassifications
 * https://learn.microsoft.com/graph/api/serviceprincipal-post-delegatedpermissionclassifications
 * https://learn.microsoft.com/graph/api/serviceprincipal-delete-delegatedpermissionclassifications
 */

/** Least privileged Application.Read.All; higher Application.ReadWrite.OwnedBy and Directory.Read.All. */
const CLASSIFICATION_READ = [
  'Application.Read.All',
  'Application.ReadWrite.OwnedBy',
  'Application.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
/** Creating and deleting: Policy.ReadWrite.PermissionGrant only. */
const CLASSIFICATION_WRITE = ['Policy.ReadWrite.PermissionGrant'];

/** low; medium and high are in preview. https://learn.microsoft.com/graph/api/resources/delegatedpermissionclassification */
const CLASSIFICATIONS = ['low', 'medium', 'high'];
const WRITABLE = new Set(['permissionId', 'permissionName', 'classification']);

/** Graph's representation: the stored object without the service principal it belongs to. */
function present(stored: Json): Json {
  const { servicePrincipalId: _sp, ...shown } = stored;
  return shown;
}

function classificationsOf(tenant: TenantDirectory, servicePrincipalId: string): Json[] {
  return [...tenant.collection('delegatedPermissionClassifications').values()].filter(
    (c) => c['servicePrincipalId'] === servicePrincipalId,
  );
}

function classify(req: GraphRequest, sp: Json): Json {
  const body = requireBody(req);
  if ('id' in body) throw badRequest("Property 'id' is read-only and cannot be set.");
  rejectUnknown(body, WRITABLE, 'microsoft.graph.delegatedPermissionClassification');
  const classification = body['classification'];
  if (typeof classification !== 'string' || !CLASSIFICATIONS.includes(classification))
    throw badRequest(
      "Invalid value specified for property 'classification' of resource 'DelegatedPermissionClassification'.",
    );
  // permissionId is required on create and names one of the API's oauth2PermissionScopes.
  const permissionId = body['permissionId'];
  if (typeof permissionId !== 'string' || permissionId === '')
    throw badRequest(
      "Invalid value specified for property 'permissionId' of resource 'DelegatedPermissionClassification'.",
    );
  const scopes = Array.isArray(sp['oauth2PermissionScopes']) ? (sp['oauth2PermissionScopes'] as Json[]) : [];
  const scope = scopes.find((s) => String(s['id']).toLowerCase() === permissionId.toLowerCase());
  if (!scope)
    throw badRequest(
      `Permission '${permissionId}' is not a delegated permission published by service principal '${String(sp['id'])}'.`,
    );
  const name = body['permissionName'];
  if (name !== undefined && name !== null && name !== scope['value'])
    throw badRequest(
      "Invalid value specified for property 'permissionName' of resource 'DelegatedPermissionClassification'.",
    );
  // "Currently, only delegated permissions that don't require admin consent can be classified":
  // https://learn.microsoft.com/entra/identity/enterprise-apps/configure-permission-classifications
  if (scope['type'] !== 'User')
    throw badRequest(
      `Permission '${String(scope['value'])}' requires admin consent and cannot be classified.`,
    );
  if (classificationsOf(req.tenant, String(sp['id'])).some((c) => c['permissionId'] === scope['id']))
    throw badRequest(
      'A conflicting object with one or more of the specified property values is present in the directory.',
    );
  return req.tenant.create('delegatedPermissionClassifications', {
    servicePrincipalId: sp['id'],
    permissionId: scope['id'],
    permissionName: scope['value'],
    classification,
  });
}

export const permissionClassificationRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/servicePrincipals/{id}/delegatedPermissionClassifications',
    permissions: CLASSIFICATION_READ,
    handle: (req, { id }) => {
      const sp = findIn(req, 'servicePrincipals', id!);
      return listCollection(req, {
        entitySet: `servicePrincipals('${String(sp['id'])}')/delegatedPermissionClassifications`,
        type: RESOURCE_TYPES.delegatedPermissionClassification,
        source: arraySource(classificationsOf(req.tenant, String(sp['id'])).map(present)),
        page: DIRECTORY_PAGE,
        filters: { id: ['eq'] },
      });
    },
  },
  {
    method: 'POST',
    path: '/servicePrincipals/{id}/delegatedPermissionClassifications',
    permissions: CLASSIFICATION_WRITE,
    handle: (req, { id }) => {
      const sp = findIn(req, 'servicePrincipals', id!);
      const created = classify(req, sp);
      return ok(
        {
          '@odata.context': contextUrl(
            req,
            `servicePrincipals('${String(sp['id'])}')/delegatedPermissionClassifications/$entity`,
          ),
          ...present(created),
        },
        201,
      );
    },
  },
  {
    method: 'DELETE',
    path: '/servicePrincipals/{id}/delegatedPermissionClassifications/{childId}',
    permissions: CLASSIFICATION_WRITE,
    handle: (req, { id, childId }) => {
      const sp = findIn(req, 'servicePrincipals', id!);
      const found = classificationsOf(req.tenant, String(sp['id'])).find(
        (c) => String(c['id']).toLowerCase() === childId!.toLowerCase(),
      );
      if (!found) throw notFound(childId!);
      req.tenant.remove('delegatedPermissionClassifications', String(found['id']));
      return noContent();
    },
  },
];
