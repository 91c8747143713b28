import { noContent, requireBody, rejectUnknown, type PageSize, type RouteDef } from '../graph-core';
import { knownProperties } from '../directory-objects';
import { badRequest } from '../odata';
import { RESOURCE_TYPES } from '../resource-types';
import { crudRoutes, findIn } from './crud';

/**
 * Conditional Access authentication contexts:
 * https://learn.microsoft.com/graph/api/resources/authenticationcontextclassreference
 * Read: https://learn.microsoft.com/graph/api/conditionalaccessroot-list-authenticationcontextclassreferences
 * Written with PATCH, which creates the context when its id is unused (an upsert):
 * https://learn.microsoft.com/graph/api/authenticationcontextclassreference-update
 */
const READ = [
  'AuthenticationContext.Read.All',
  'AuthenticationContext.ReadWrite.All',
  'Policy.Read.All',
  'Policy.ReadWrite.ConditionalAccess',
];
const WRITE = ['AuthenticationContext.ReadWrite.All', 'Policy.ReadWrite.ConditionalAccess'];
const PAGE: PageSize = { default: 100, max: 100 };
const PATH = '/identity/conditionalAccess/authenticationContextClassReferences';
/** "The possible values are c1 through c99" (the id). */
const ID_PATTERN = /^c([1-9]|[1-9][0-9])$/;

export const authenticationContextRoutes: RouteDef[] = [
  ...crudRoutes({
    path: PATH,
    collection: 'authenticationContextClassReferences',
    type: RESOURCE_TYPES.authenticationContextClassReference,
    entitySet: 'identity/conditionalAccess/authenticationContextClassReferences',
    read: READ,
    page: PAGE,
    filters: { id: ['eq'], isAvailable: ['eq'] },
  }),
  {
    method: 'PATCH',
    path: `${PATH}/{id}`,
    permissions: WRITE,
    handle: (req, { id }) => {
      const key = id!.toLowerCase();
      if (!ID_PATTERN.test(key))
        throw badRequest(
          `Invalid value specified for property 'id' of resource 'AuthenticationContextClassReference': use c1 through c99.`,
        );
      const body = requireBody(req);
      rejectUnknown(
        body,
        knownProperties(req.tenant, 'authenticationContextClassReferences'),
        RESOURCE_TYPES.authenticationContextClassReference.name,
      );
      if ('id' in body && String(body['id']).toLowerCase() !== key)
        throw badRequest(`Property 'id' in the body does not match the id in the request URL.`);
      const contexts = req.tenant.collection('authenticationContextClassReferences');
      // An empty body creates the context with null or default properties.
      if (!contexts.has(key))
        req.tenant.create('authenticationContextClassReferences', {
          displayName: null,
          description: null,
          isAvailable: false,
          ...body,
          id: key,
        });
      else req.tenant.update('authenticationContextClassReferences', key, { ...body, id: key });
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: `${PATH}/{id}`,
    permissions: WRITE,
    handle: (req, { id }) => {
      const context = findIn(req, 'authenticationContextClassReferences', id!.toLowerCase());
      req.tenant.remove('authenticationContextClassReferences', String(context['id']));
      return noContent();
    },
  },
];
