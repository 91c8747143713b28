import type { Json } from '../../directory/object-collection';
import type { TenantDirectory } from '../../directory/tenant-directory';
import { MISC_CODE } from '../../directory/generators/generator-context';
import { GraphHttpError } from '../../shared/graph-error';
import {
  contextUrl,
  noContent,
  notFound,
  ok,
  rejectUnknown,
  requireBody,
  type GraphRequest,
  type RouteDef,
} from '../graph-core';
import { badRequest, parseSelect, project } from '../odata';
import { findIn } from './crud';

/**
 * An application's federated identity credentials and directory extension definitions: child
 * collections of `/applications/{id}` with their own list and create calls.
 * https://learn.microsoft.com/graph/api/application-list-federatedidentitycredentials
 * https://learn.microsoft.com/graph/api/application-list-extensionproperty
 */

const APP_READ = [
  'Application.Read.All',
  'Application.ReadWrite.OwnedBy',
  'Application.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const APP_WRITE = ['Application.ReadWrite.OwnedBy', 'Application.ReadWrite.All', 'Directory.ReadWrite.All'];

/** The GitHub Actions federation the docs use as their example (workload identity federation). */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** "A maximum of 20 federated identity credentials can be added to an application": federatedidentitycredential. */
const MAX_FEDERATED_CREDENTIALS = 20;
/** "You can add up to 100 extension values per object" / definitions per app: extensibility-overview. */
const MAX_EXTENSION_PROPERTIES = 100;
const EXTENSION_DATA_TYPES = ['Binary', 'Boolean', 'DateTime', 'Integer', 'LargeInteger', 'String'];
const EXTENSION_TARGETS = ['User', 'Group', 'AdministrativeUnit', 'Application', 'Device', 'Organization'];

const FIC_PROPERTIES = new Set(['id', 'name', 'issuer', 'subject', 'audiences', 'description']);
const EXTENSION_PROPERTIES = new Set([
  'id',
  'deletedDateTime',
  'appDisplayName',
  'dataType',
  'isMultiValued',
  'isSyncedFromOnPremises',
  'name',
  'targetObjects',
]);

interface AppChildren {
  federatedIdentityCredentials: Json[];
  extensionProperties: Json[];
}

/** Per tenant (a reset builds new tenants), per application object id: written or generated children. */
const stores = new WeakMap<TenantDirectory, Map<string, AppChildren>>();

/** Directory extension names carry the defining app's appId without dashes: `extension_{appId}_{name}`. */
export function extensionName(appId: string, name: string): string {
  return `extension_${appId.replace(/-/g, '')}_${name}`;
}

/** Generated apps whose ordinal has these remainders carry federated credentials / extension definitions. */
export function hasGeneratedFederation(ordinal: number): boolean {
  return ordinal % 6 === 2;
}
export function definesGeneratedExtensions(ordinal: number): boolean {
  return ordinal === 1;
}

function generated(tenant: TenantDirectory, app: Json): AppChildren {
  const id = String(app['id']);
  const ordinal = tenant.gen.scheme('applications').decode(id, tenant.gen.counts.applications);
  const out: AppChildren = { federatedIdentityCredentials: [], extensionProperties: [] };
  // Objects created through Graph start without children; only the seed's applications have some.
  if (ordinal === undefined || tenant.createdAtOf(id) !== undefined) return out;
  const guid = (n: number) => tenant.gen.guid(MISC_CODE, n);
  if (hasGeneratedFederation(ordinal)) {
    out.federatedIdentityCredentials.push({
      id: guid(6_000_000 + ordinal * 4),
      name: 'github-main',
      issuer: GITHUB_ISSUER,
      subject: 'repo:contoso/app:ref:refs/heads/main',
      audiences: [TOKEN_EXCHANGE_AUDIENCE],
      description: 'Deployments from the main branch',
    });
    if (ordinal % 4 === 2)
      out.federatedIdentityCredentials.push({
        id: guid(6_000_000 + ordinal * 4 + 1),
        name: 'aks-workload',
        issuer: `https://oidc.prod-aks.azure.com/${tenant.tenantId}/`,
        subject: 'system:serviceaccount:payments:payments-api',
        audiences: [TOKEN_EXCHANGE_AUDIENCE],
        description: null,
      });
  }
  if (definesGeneratedExtensions(ordinal)) {
    for (const [i, [name, target]] of (
      [
        ['costCenter', 'User'],
        ['projectCode', 'Group'],
      ] as const
    ).entries()) {
      out.extensionProperties.push({
        id: guid(5_000_000 + ordinal * 4 + i),
        deletedDateTime: null,
        appDisplayName: app['displayName'] ?? null,
        dataType: 'String',
        isMultiValued: false,
        isSyncedFromOnPremises: false,
        name: extensionName(String(app['appId']), name),
        targetObjects: [target],
      });
    }
  }
  return out;
}

/** The children of an application (generated on first use for the seed's applications). */
export function applicationChildren(tenant: TenantDirectory, app: Json): AppChildren {
  let store = stores.get(tenant);
  if (!store) stores.set(tenant, (store = new Map()));
  const id = String(app['id']);
  let children = store.get(id);
  if (!children) store.set(id, (children = generated(tenant, app)));
  return children;
}

/** Every directory extension a tenant's applications (not soft-deleted) define. */
export function tenantExtensionProperties(tenant: TenantDirectory): Json[] {
  const out: Json[] = [];
  const apps = tenant.collection('applications');
  for (let p = 0; p < apps.positions; p++) {
    const app = apps.at(p);
    if (app) out.push(...applicationChildren(tenant, app).extensionProperties);
  }
  return out;
}

function list(req: GraphRequest, entitySet: string, items: Json[]): ReturnType<RouteDef['handle']> {
  for (const p of ['$top', '$skip', '$orderby', '$search', '$expand', '$filter']) {
    if (req.query.has(p))
      throw badRequest(
        `Query option '${p}' is not supported by this emulated API.`,
        'Request_UnsupportedQuery',
      );
  }
  const select = parseSelect(req.query.get('$select'));
  return ok({
    '@odata.context': contextUrl(req, entitySet),
    value: items.map((item) => (select ? project(item, ['id', ...select]) : { ...item })),
  });
}

function requireString(body: Json, property: string, typeName: string, max: number): string {
  const value = body[property];
  if (typeof value !== 'string' || value.trim() === '')
    throw badRequest(`Invalid value specified for property '${property}' of resource '${typeName}'.`);
  if (value.length > max) throw badRequest(`The value of property '${property}' exceeds ${max} characters.`);
  return value;
}

function createFederatedCredential(req: GraphRequest, appId: string): Json {
  const app = findIn(req, 'applications', appId);
  const body = requireBody(req);
  rejectUnknown(body, FIC_PROPERTIES, 'microsoft.graph.federatedIdentityCredential');
  if ('id' in body) throw badRequest("Property 'id' is read-only and cannot be set.");
  // name: 3-120 characters, unique per application, immutable; audiences: exactly one value.
  // https://learn.microsoft.com/graph/api/resources/federatedidentitycredential
  const name = requireString(body, 'name', 'FederatedIdentityCredential', 120);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/.test(name))
    throw badRequest(
      `Invalid value specified for property 'name' of resource 'FederatedIdentityCredential'.`,
    );
  const issuer = requireString(body, 'issuer', 'FederatedIdentityCredential', 600);
  const subject = requireString(body, 'subject', 'FederatedIdentityCredential', 600);
  const audiences = body['audiences'];
  if (!Array.isArray(audiences) || audiences.length !== 1 || typeof audiences[0] !== 'string')
    throw badRequest(
      "Invalid value specified for property 'audiences' of resource 'FederatedIdentityCredential'.",
    );
  const children = applicationChildren(req.tenant, app);
  if (children.federatedIdentityCredentials.length >= MAX_FEDERATED_CREDENTIALS)
    throw badRequest(
      `An application can have at most ${MAX_FEDERATED_CREDENTIALS} federated identity credentials.`,
    );
  const clash = children.federatedIdentityCredentials.find(
    (c) =>
      String(c['name']).toLowerCase() === name.toLowerCase() ||
      (c['issuer'] === issuer && c['subject'] === subject),
  );
  if (clash)
    throw new GraphHttpError(
      409,
      'Request_MultipleObjectsWithSameKeyValue',
      'FederatedIdentityCredential with the same name or the same issuer and subject already exists.',
    );
  const created: Json = {
    id: crypto.randomUUID(),
    name,
    issuer,
    subject,
    audiences: [...audiences],
    description: typeof body['description'] === 'string' ? body['description'] : null,
  };
  children.federatedIdentityCredentials.push(created);
  return created;
}

function createExtensionProperty(req: GraphRequest, appId: string): Json {
  const app = findIn(req, 'applications', appId);
  const body = requireBody(req);
  rejectUnknown(body, EXTENSION_PROPERTIES, 'microsoft.graph.extensionProperty');
  for (const p of ['id', 'appDisplayName', 'deletedDateTime', 'isSyncedFromOnPremises'])
    if (p in body) throw badRequest(`Property '${p}' is read-only and cannot be set.`);
  // The name given is the short one; Graph stores and returns extension_{appId without dashes}_{name}.
  // https://learn.microsoft.com/graph/api/application-post-extensionproperty
  const short = requireString(body, 'name', 'ExtensionProperty', 120);
  if (!/^[A-Za-z0-9_]+$/.test(short))
    throw badRequest("Invalid value specified for property 'name' of resource 'ExtensionProperty'.");
  const dataType = body['dataType'];
  if (typeof dataType !== 'string' || !EXTENSION_DATA_TYPES.includes(dataType))
    throw badRequest("Invalid value specified for property 'dataType' of resource 'ExtensionProperty'.");
  const targets = body['targetObjects'];
  if (
    !Array.isArray(targets) ||
    targets.length === 0 ||
    targets.some((t) => typeof t !== 'string' || !EXTENSION_TARGETS.includes(t))
  )
    throw badRequest("Invalid value specified for property 'targetObjects' of resource 'ExtensionProperty'.");
  const children = applicationChildren(req.tenant, app);
  if (children.extensionProperties.length >= MAX_EXTENSION_PROPERTIES)
    throw badRequest(`An application can define at most ${MAX_EXTENSION_PROPERTIES} extension properties.`);
  const name = extensionName(String(app['appId']), short);
  if (children.extensionProperties.some((e) => String(e['name']).toLowerCase() === name.toLowerCase()))
    throw new GraphHttpError(
      409,
      'Request_MultipleObjectsWithSameKeyValue',
      'Another object with the same value for property name already exists.',
    );
  const created: Json = {
    id: crypto.randomUUID(),
    deletedDateTime: null,
    appDisplayName: app['displayName'] ?? null,
    dataType,
    isMultiValued: body['isMultiValued'] === true,
    isSyncedFromOnPremises: false,
    name,
    targetObjects: [...targets],
  };
  children.extensionProperties.push(created);
  return created;
}

function removeChild(
  req: GraphRequest,
  appId: string,
  kind: keyof AppChildren,
  childId: string,
): ReturnType<RouteDef['handle']> {
  const children = applicationChildren(req.tenant, findIn(req, 'applications', appId));
  const index = children[kind].findIndex((c) => String(c['id']).toLowerCase() === childId.toLowerCase());
  if (index < 0) throw notFound(childId);
  children[kind].splice(index, 1);
  return noContent();
}

/**
 * Every directory extension definition of the tenant, of its own applications and of multitenant
 * ones (the seed's are all its own). Directory.Read.All is the only application permission listed.
 * `isSyncedFromOnPremises` (optional) keeps only synchronised (true) or cloud (false) ones.
 * Microsoft documents a known issue: tenants with more than 1,000 service principals get an
 * empty list. https://learn.microsoft.com/graph/api/directoryobject-getavailableextensionproperties
 */
function availableExtensionProperties(req: GraphRequest): ReturnType<RouteDef['handle']> {
  const body = req.body === null || req.body === undefined ? {} : requireBody(req);
  rejectUnknown(body, new Set(['isSyncedFromOnPremises']), 'getAvailableExtensionProperties');
  const synced = body['isSyncedFromOnPremises'];
  if (synced !== undefined && synced !== null && typeof synced !== 'boolean')
    throw badRequest("Invalid value specified for parameter 'isSyncedFromOnPremises'.");
  const knownIssue = req.tenant.collection('servicePrincipals').count() > KNOWN_ISSUE_SERVICE_PRINCIPALS;
  const all = knownIssue ? [] : tenantExtensionProperties(req.tenant);
  return ok({
    '@odata.context': contextUrl(req, 'Collection(microsoft.graph.extensionProperty)'),
    value: all
      .filter((e) => typeof synced !== 'boolean' || e['isSyncedFromOnPremises'] === synced)
      .map((e) => ({ '@odata.type': '#microsoft.graph.extensionProperty', ...e })),
  });
}

/** Above this many service principals getAvailableExtensionProperties answers an empty list (known issue). */
const KNOWN_ISSUE_SERVICE_PRINCIPALS = 1000;

export const applicationChildrenRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/directoryObjects/getAvailableExtensionProperties',
    permissions: ['Directory.Read.All'],
    handle: availableExtensionProperties,
  },
  {
    method: 'POST',
    path: '/directoryObjects/microsoft.graph.getAvailableExtensionProperties',
    permissions: ['Directory.Read.All'],
    handle: availableExtensionProperties,
  },
  {
    method: 'GET',
    path: '/applications/{id}/federatedIdentityCredentials',
    permissions: APP_READ,
    handle: (req, { id }) =>
      list(
        req,
        `applications('${id}')/federatedIdentityCredentials`,
        applicationChildren(req.tenant, findIn(req, 'applications', id!)).federatedIdentityCredentials,
      ),
  },
  {
    method: 'POST',
    path: '/applications/{id}/federatedIdentityCredentials',
    permissions: APP_WRITE,
    handle: (req, { id }) => {
      const created = createFederatedCredential(req, id!);
      return ok(
        {
          '@odata.context': contextUrl(req, `applications('${id}')/federatedIdentityCredentials/$entity`),
          ...created,
        },
        201,
      );
    },
  },
  {
    method: 'DELETE',
    path: '/applications/{id}/federatedIdentityCredentials/{childId}',
    permissions: APP_WRITE,
    handle: (req, { id, childId }) => removeChild(req, id!, 'federatedIdentityCredentials', childId!),
  },
  {
    method: 'GET',
    path: '/applications/{id}/extensionProperties',
    permissions: APP_READ,
    handle: (req, { id }) =>
      list(
        req,
        `applications('${id}')/extensionProperties`,
        applicationChildren(req.tenant, findIn(req, 'applications', id!)).extensionProperties,
      ),
  },
  {
    method: 'POST',
    path: '/applications/{id}/extensionProperties',
    permissions: APP_WRITE,
    handle: (req, { id }) => {
      const created = createExtensionProperty(req, id!);
      return ok(
        {
          '@odata.context': contextUrl(req, `applications('${id}')/extensionProperties/$entity`),
          ...created,
        },
        201,
      );
    },
  },
  {
    method: 'DELETE',
    path: '/applications/{id}/extensionProperties/{childId}',
    permissions: APP_WRITE,
    handle: (req, { id, childId }) => removeChild(req, id!, 'extensionProperties', childId!),
  },
];
