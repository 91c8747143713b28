import { randomUUID } from 'node:crypto';
import type { Json } from '../../directory/object-collection';
import { conditionSet } from '../../directory/generators/tenant-policies.generator';
import type { CollectionName } from '../../directory/tenant-generator';
import { GraphHttpError } from '../../shared/graph-error';
import {
  arraySource,
  getEntity,
  listCollection,
  noContent,
  notFound,
  ok,
  rejectReadOnly,
  rejectUnknown,
  requireBody,
  requireProperties,
  type GraphRequest,
  type PageSize,
  type RouteDef,
} from '../graph-core';
import { knownProperties } from '../directory-objects';
import { badRequest } from '../odata';
import { RESOURCE_TYPES, type ResourceType } from '../resource-types';

/**
 * Tenant-wide policies under `/policies`. Each exists once per tenant: GET reads it, PATCH (PUT
 * for the admin consent request policy) updates it, nothing creates or deletes it. Cross-tenant
 * partners (keyed by `tenantId`) and permission grant policies are lists.
 * Permissions: least privileged first, as each method's page lists them.
 */

interface SingletonSpec {
  readonly path: string;
  readonly collection: CollectionName;
  /** The emulator's key of the one object. */
  readonly key: string;
  readonly type: ResourceType;
  readonly entitySet: string;
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly readOnly: readonly string[];
  /** Graph's answers carry no `id` (the admin consent request policy, the cross-tenant policies). */
  readonly hideId?: boolean;
  /** PUT, replacing every writable property, instead of PATCH. */
  readonly put?: { readonly required: readonly string[] };
  /** Properties written through paths of their own, not in the object's PATCH. */
  readonly navigation?: readonly string[];
}

function withoutId(obj: Json): Json {
  const { id: _id, ...rest } = obj;
  return rest;
}

function singletonRoutes(spec: SingletonSpec): RouteDef[] {
  // Stored under the lower-cased key; served with Graph's id (`authorizationPolicy`), or none.
  const present = (obj: Json) => (spec.hideId ? withoutId(obj) : { ...obj, id: spec.key });
  const find = (req: GraphRequest): Json => {
    const obj = req.tenant.collection(spec.collection).get(spec.key);
    if (!obj) throw notFound(spec.key);
    return obj;
  };
  const validate = (req: GraphRequest): Json => {
    const body = requireBody(req);
    rejectUnknown(body, knownProperties(req.tenant, spec.collection), spec.type.name);
    rejectReadOnly(body, spec.readOnly);
    for (const p of spec.navigation ?? []) {
      if (p in body)
        throw badRequest(`Property '${p}' cannot be written with the policy; update its items instead.`);
    }
    return body;
  };
  return [
    {
      method: 'GET',
      path: spec.path,
      permissions: spec.read,
      handle: (req) =>
        getEntity(req, find(req), spec.key, spec.type, spec.entitySet, {
          known: knownProperties(req.tenant, spec.collection),
          present,
        }),
    },
    {
      method: spec.put ? 'PUT' : 'PATCH',
      path: spec.path,
      permissions: spec.write,
      handle: (req) => {
        const current = find(req);
        const body = validate(req);
        if (spec.put) {
          requireProperties(body, spec.put.required, spec.type.label);
          // PUT replaces: what the body leaves out is reset.
          const kept = Object.fromEntries(
            Object.entries(current).filter(([p]) => p === 'id' || spec.readOnly.includes(p)),
          );
          const writable = Object.keys(current).filter((p) => !(p in kept));
          const reset = Object.fromEntries(writable.map((p) => [p, null]));
          req.tenant.collection(spec.collection).put({ ...kept, ...reset, ...body, id: spec.key });
        } else req.tenant.update(spec.collection, spec.key, body);
        return noContent();
      },
    },
  ];
}

const POLICY_READ_ALL = 'Policy.Read.All';
const AUTHORIZATION_WRITE = ['Policy.ReadWrite.Authorization'];
const SECURITY_DEFAULTS_WRITE = ['Policy.ReadWrite.SecurityDefaults'];
const METHODS_WRITE = ['Policy.ReadWrite.AuthenticationMethod'];
const CROSS_TENANT_WRITE = ['Policy.ReadWrite.CrossTenantAccess'];
const CONSENT_REQUEST_WRITE = ['Policy.ReadWrite.ConsentRequest'];
const PERMISSION_GRANT_READ = ['Policy.Read.PermissionGrant', 'Policy.ReadWrite.PermissionGrant'];
const PERMISSION_GRANT_WRITE = ['Policy.ReadWrite.PermissionGrant'];
const GRANT_PATH = '/policies/permissionGrantPolicies';
const APP_CONFIGURATION_WRITE = ['Policy.ReadWrite.ApplicationConfiguration'];
const PARTNERS_PAGE: PageSize = { default: 100, max: 100 };

const METHODS_PATH = '/policies/authenticationMethodsPolicy';
const PARTNERS_PATH = '/policies/crossTenantAccessPolicy/partners';

function methodConfigurations(req: GraphRequest): Json[] {
  const policy = req.tenant.collection('authenticationMethodsPolicy').get('authenticationMethodsPolicy');
  return (policy?.['authenticationMethodConfigurations'] as Json[] | undefined) ?? [];
}

/** Method configuration ids are case-insensitive (`Fido2`, `fido2`). */
function findConfiguration(req: GraphRequest, id: string): Json {
  const found = methodConfigurations(req).find((c) => String(c['id']).toLowerCase() === id.toLowerCase());
  if (!found) throw notFound(id);
  return found;
}

const presentPartner = (partner: Json): Json => withoutId(partner);

function findPartner(req: GraphRequest, tenantId: string): Json {
  const partner = req.tenant.collection('crossTenantAccessPolicyPartners').get(tenantId.toLowerCase());
  if (!partner) throw notFound(tenantId);
  return partner;
}

const PARTNER_READ_ONLY = ['isInMultiTenantOrganization'];

export const tenantPolicyRoutes: RouteDef[] = [
  // https://learn.microsoft.com/graph/api/authorizationpolicy-get, -update
  ...singletonRoutes({
    path: '/policies/authorizationPolicy',
    collection: 'authorizationPolicy',
    key: 'authorizationPolicy',
    type: RESOURCE_TYPES.authorizationPolicy,
    entitySet: 'policies/authorizationPolicy',
    read: [POLICY_READ_ALL, ...AUTHORIZATION_WRITE],
    write: AUTHORIZATION_WRITE,
    readOnly: ['id'],
  }),
  // https://learn.microsoft.com/graph/api/identitysecuritydefaultsenforcementpolicy-update (isEnabled only)
  ...singletonRoutes({
    path: '/policies/identitySecurityDefaultsEnforcementPolicy',
    collection: 'identitySecurityDefaultsEnforcementPolicy',
    key: '00000000-0000-0000-0000-000000000005',
    type: RESOURCE_TYPES.identitySecurityDefaultsEnforcementPolicy,
    entitySet: 'policies/identitySecurityDefaultsEnforcementPolicy',
    read: [POLICY_READ_ALL, ...SECURITY_DEFAULTS_WRITE],
    write: SECURITY_DEFAULTS_WRITE,
    readOnly: ['id', 'displayName', 'description'],
  }),
  // https://learn.microsoft.com/graph/api/authenticationmethodspolicy-get, -update
  ...singletonRoutes({
    path: METHODS_PATH,
    collection: 'authenticationMethodsPolicy',
    key: 'authenticationMethodsPolicy',
    type: RESOURCE_TYPES.authenticationMethodsPolicy,
    entitySet: 'policies/authenticationMethodsPolicy',
    read: [POLICY_READ_ALL, 'Policy.Read.AuthenticationMethod', ...METHODS_WRITE],
    write: METHODS_WRITE,
    readOnly: ['id', 'displayName', 'description', 'lastModifiedDateTime', 'policyVersion'],
    navigation: ['authenticationMethodConfigurations'],
  }),
  {
    method: 'GET',
    path: `${METHODS_PATH}/authenticationMethodConfigurations/{id}`,
    permissions: [POLICY_READ_ALL, 'Policy.Read.AuthenticationMethod', ...METHODS_WRITE],
    handle: (req, { id }) =>
      getEntity(
        req,
        findConfiguration(req, id!),
        id!,
        RESOURCE_TYPES.authenticationMethodConfiguration,
        'policies/authenticationMethodsPolicy/authenticationMethodConfigurations',
      ),
  },
  {
    // https://learn.microsoft.com/graph/api/fido2authenticationmethodconfiguration-update: the body names
    // the configuration's `@odata.type`; `id` cannot change.
    method: 'PATCH',
    path: `${METHODS_PATH}/authenticationMethodConfigurations/{id}`,
    permissions: METHODS_WRITE,
    handle: (req, { id }) => {
      const current = findConfiguration(req, id!);
      const body = requireBody(req);
      rejectReadOnly(body, ['id']);
      const type = body['@odata.type'];
      if (type !== undefined && type !== current['@odata.type'])
        throw badRequest(`The @odata.type '${String(type)}' does not match the configuration '${id!}'.`);
      for (const p of Object.keys(body)) {
        if (!p.startsWith('@odata.') && !(p in current))
          throw badRequest(
            `Property '${p}' does not exist on type '${String(current['@odata.type']).slice(1)}'.`,
          );
      }
      const configurations = methodConfigurations(req).map((c) =>
        c['id'] === current['id'] ? { ...c, ...body, id: c['id'] } : c,
      );
      req.tenant.update('authenticationMethodsPolicy', 'authenticationMethodsPolicy', {
        authenticationMethodConfigurations: configurations,
        lastModifiedDateTime: req.tenant.nowIso(),
      });
      return noContent();
    },
  },
  // https://learn.microsoft.com/graph/api/crosstenantaccesspolicy-get, -update
  ...singletonRoutes({
    path: '/policies/crossTenantAccessPolicy',
    collection: 'crossTenantAccessPolicy',
    key: 'crossTenantAccessPolicy',
    type: RESOURCE_TYPES.crossTenantAccessPolicy,
    entitySet: 'policies/crossTenantAccessPolicy',
    read: [POLICY_READ_ALL, ...CROSS_TENANT_WRITE],
    write: CROSS_TENANT_WRITE,
    readOnly: ['id'],
    hideId: true,
  }),
  // https://learn.microsoft.com/graph/api/crosstenantaccesspolicyconfigurationdefault-update
  ...singletonRoutes({
    path: '/policies/crossTenantAccessPolicy/default',
    collection: 'crossTenantAccessPolicyDefault',
    key: 'crossTenantAccessPolicyDefault',
    type: RESOURCE_TYPES.crossTenantAccessPolicyConfigurationDefault,
    entitySet: 'policies/crossTenantAccessPolicy/default',
    read: [POLICY_READ_ALL, ...CROSS_TENANT_WRITE],
    write: CROSS_TENANT_WRITE,
    readOnly: ['id', 'isServiceDefault'],
    hideId: true,
  }),
  {
    // https://learn.microsoft.com/graph/api/crosstenantaccesspolicy-list-partners
    method: 'GET',
    path: PARTNERS_PATH,
    permissions: [POLICY_READ_ALL, ...CROSS_TENANT_WRITE],
    handle: (req) =>
      listCollection(req, {
        entitySet: 'policies/crossTenantAccessPolicy/partners',
        type: RESOURCE_TYPES.crossTenantAccessPolicyConfigurationPartner,
        source: arraySource([...req.tenant.collection('crossTenantAccessPolicyPartners').values()]),
        page: PARTNERS_PAGE,
        known: knownProperties(req.tenant, 'crossTenantAccessPolicyPartners'),
        present: presentPartner,
      }),
  },
  {
    method: 'GET',
    path: `${PARTNERS_PATH}/{tenantId}`,
    permissions: [POLICY_READ_ALL, ...CROSS_TENANT_WRITE],
    handle: (req, { tenantId }) =>
      getEntity(
        req,
        findPartner(req, tenantId!),
        tenantId!,
        RESOURCE_TYPES.crossTenantAccessPolicyConfigurationPartner,
        'policies/crossTenantAccessPolicy/partners',
        { present: presentPartner },
      ),
  },
  {
    // https://learn.microsoft.com/graph/api/crosstenantaccesspolicy-post-partners: 201 with the partner;
    // a second configuration for the same tenant is a conflict.
    method: 'POST',
    path: PARTNERS_PATH,
    permissions: CROSS_TENANT_WRITE,
    handle: (req) => {
      const body = requireBody(req);
      rejectUnknown(
        body,
        knownProperties(req.tenant, 'crossTenantAccessPolicyPartners'),
        'crossTenantAccessPolicyConfigurationPartner',
      );
      rejectReadOnly(body, ['id', ...PARTNER_READ_ONLY]);
      requireProperties(body, ['tenantId'], 'CrossTenantAccessPolicyConfigurationPartner');
      const tenantId = String(body['tenantId']).toLowerCase();
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(tenantId))
        throw badRequest(`Invalid value specified for property 'tenantId'.`);
      if (req.tenant.collection('crossTenantAccessPolicyPartners').has(tenantId))
        throw new GraphHttpError(
          409,
          'Request_MultipleObjectsWithSameKeyValue',
          `A configuration for tenant '${tenantId}' already exists.`,
        );
      const created = req.tenant.create('crossTenantAccessPolicyPartners', {
        isServiceProvider: null,
        isInMultiTenantOrganization: false,
        inboundTrust: null,
        automaticUserConsentSettings: { inboundAllowed: null, outboundAllowed: null },
        b2bCollaborationInbound: null,
        b2bCollaborationOutbound: null,
        b2bDirectConnectInbound: null,
        b2bDirectConnectOutbound: null,
        tenantRestrictions: null,
        ...body,
        tenantId,
        id: tenantId,
      });
      return ok(presentPartner(created), 201);
    },
  },
  {
    // https://learn.microsoft.com/graph/api/crosstenantaccesspolicyconfigurationpartner-update
    method: 'PATCH',
    path: `${PARTNERS_PATH}/{tenantId}`,
    permissions: CROSS_TENANT_WRITE,
    handle: (req, { tenantId }) => {
      const partner = findPartner(req, tenantId!);
      const body = requireBody(req);
      rejectUnknown(
        body,
        knownProperties(req.tenant, 'crossTenantAccessPolicyPartners'),
        'crossTenantAccessPolicyConfigurationPartner',
      );
      rejectReadOnly(body, ['id', ...PARTNER_READ_ONLY]);
      if ('tenantId' in body && String(body['tenantId']).toLowerCase() !== partner['id'])
        throw badRequest(`Property 'tenantId' is read-only and cannot be set.`);
      req.tenant.update('crossTenantAccessPolicyPartners', String(partner['id']), body);
      return noContent();
    },
  },
  {
    // https://learn.microsoft.com/graph/api/crosstenantaccesspolicyconfigurationpartner-delete
    method: 'DELETE',
    path: `${PARTNERS_PATH}/{tenantId}`,
    permissions: CROSS_TENANT_WRITE,
    handle: (req, { tenantId }) => {
      const partner = findPartner(req, tenantId!);
      req.tenant.remove('crossTenantAccessPolicyPartners', String(partner['id']));
      return noContent();
    },
  },
  // Updated with PUT: https://learn.microsoft.com/graph/api/adminconsentrequestpolicy-update
  ...singletonRoutes({
    path: '/policies/adminConsentRequestPolicy',
    collection: 'adminConsentRequestPolicy',
    key: 'adminConsentRequestPolicy',
    type: RESOURCE_TYPES.adminConsentRequestPolicy,
    entitySet: 'policies/adminConsentRequestPolicy',
    read: [POLICY_READ_ALL, 'ConsentRequest.Read.All', ...CONSENT_REQUEST_WRITE],
    write: CONSENT_REQUEST_WRITE,
    readOnly: ['id', 'version'],
    hideId: true,
    put: { required: ['isEnabled'] },
  }),
  {
    // Condition sets are expanded on GET: https://learn.microsoft.com/graph/api/permissiongrantpolicy-list
    method: 'GET',
    path: '/policies/permissionGrantPolicies',
    permissions: PERMISSION_GRANT_READ,
    handle: (req) =>
      listCollection(req, {
        entitySet: 'policies/permissionGrantPolicies',
        type: RESOURCE_TYPES.permissionGrantPolicy,
        source: req.tenant.collection('permissionGrantPolicies'),
        page: PARTNERS_PAGE,
        known: knownProperties(req.tenant, 'permissionGrantPolicies'),
      }),
  },
  {
    method: 'GET',
    path: '/policies/permissionGrantPolicies/{id}',
    permissions: PERMISSION_GRANT_READ,
    handle: (req, { id }) =>
      getEntity(
        req,
        req.tenant.collection('permissionGrantPolicies').get(id!),
        id!,
        RESOURCE_TYPES.permissionGrantPolicy,
        'policies/permissionGrantPolicies',
      ),
  },
  ...permissionGrantWriteRoutes(),
  // https://learn.microsoft.com/graph/api/tenantappmanagementpolicy-get, -update
  ...singletonRoutes({
    path: '/policies/defaultAppManagementPolicy',
    collection: 'defaultAppManagementPolicy',
    key: '00000000-0000-0000-0000-000000000000',
    type: RESOURCE_TYPES.tenantAppManagementPolicy,
    entitySet: 'policies/defaultAppManagementPolicy',
    read: [POLICY_READ_ALL, 'Policy.Read.ApplicationConfiguration', ...APP_CONFIGURATION_WRITE],
    write: APP_CONFIGURATION_WRITE,
    readOnly: ['id'],
  }),
];

/** A custom permission grant policy; built-in ones (`microsoft-*`) cannot be changed. */
function customGrantPolicy(req: GraphRequest, id: string): Json {
  const policy = req.tenant.collection('permissionGrantPolicies').get(id);
  if (!policy) throw notFound(id);
  if (String(policy['id']).startsWith('microsoft-'))
    throw new GraphHttpError(
      403,
      'Authorization_RequestDenied',
      'Built-in permission grant policies cannot be modified.',
    );
  return policy;
}

const CONDITION_SET_PROPERTIES = new Set([
  'permissionClassification',
  'permissionType',
  'resourceApplication',
  'permissions',
  'clientApplicationIds',
  'clientApplicationTenantIds',
  'clientApplicationPublisherIds',
  'clientApplicationsFromVerifiedPublisherOnly',
  'certifiedClientApplicationsOnly',
  'scopeSensitivityLabels',
]);

/**
 * Custom permission grant policies and their condition sets:
 * https://learn.microsoft.com/graph/api/permissiongrantpolicy-post-permissiongrantpolicies (the
 * creator chooses the id), -update, -delete, -post-includes, -post-excludes, -delete-includes.
 */
function permissionGrantWriteRoutes(): RouteDef[] {
  const conditionSets = (kind: 'includes' | 'excludes'): RouteDef[] => [
    {
      method: 'GET',
      path: `${GRANT_PATH}/{id}/${kind}`,
      permissions: PERMISSION_GRANT_READ,
      handle: (req, { id }) => {
        const policy = req.tenant.collection('permissionGrantPolicies').get(id!);
        if (!policy) throw notFound(id!);
        return listCollection(req, {
          entitySet: `policies/permissionGrantPolicies('${id!}')/${kind}`,
          type: RESOURCE_TYPES.permissionGrantPolicy,
          source: arraySource((policy[kind] as Json[] | undefined) ?? []),
          page: PARTNERS_PAGE,
        });
      },
    },
    {
      method: 'POST',
      path: `${GRANT_PATH}/{id}/${kind}`,
      permissions: PERMISSION_GRANT_WRITE,
      handle: (req, { id }) => {
        const policy = customGrantPolicy(req, id!);
        const body = requireBody(req);
        rejectReadOnly(body, ['id']);
        for (const p of Object.keys(body))
          if (!p.startsWith('@odata.') && !CONDITION_SET_PROPERTIES.has(p))
            throw badRequest(
              `Property '${p}' does not exist on type 'microsoft.graph.permissionGrantConditionSet'.`,
            );
        const made = conditionSet(randomUUID(), body);
        req.tenant.update('permissionGrantPolicies', String(policy['id']), {
          [kind]: [...((policy[kind] as Json[] | undefined) ?? []), made],
        });
        return ok(made, 201);
      },
    },
    {
      method: 'DELETE',
      path: `${GRANT_PATH}/{id}/${kind}/{setId}`,
      permissions: PERMISSION_GRANT_WRITE,
      handle: (req, { id, setId }) => {
        const policy = customGrantPolicy(req, id!);
        const sets = (policy[kind] as Json[] | undefined) ?? [];
        if (!sets.some((c) => c['id'] === setId)) throw notFound(setId!);
        req.tenant.update('permissionGrantPolicies', String(policy['id']), {
          [kind]: sets.filter((c) => c['id'] !== setId),
        });
        return noContent();
      },
    },
  ];
  return [
    {
      method: 'POST',
      path: GRANT_PATH,
      permissions: PERMISSION_GRANT_WRITE,
      handle: (req) => {
        const body = requireBody(req);
        for (const p of Object.keys(body))
          if (!p.startsWith('@odata.') && !['id', 'displayName', 'description'].includes(p))
            throw badRequest(
              `Property '${p}' does not exist on type 'microsoft.graph.permissionGrantPolicy'.`,
            );
        requireProperties(body, ['id', 'displayName'], 'PermissionGrantPolicy');
        const id = String(body['id']);
        if (id.toLowerCase().startsWith('microsoft-'))
          throw badRequest(`Invalid value specified for property 'id': the prefix 'microsoft-' is reserved.`);
        if (req.tenant.collection('permissionGrantPolicies').has(id))
          throw new GraphHttpError(
            409,
            'Request_MultipleObjectsWithSameKeyValue',
            `A policy with id '${id}' already exists.`,
          );
        const made = req.tenant.create('permissionGrantPolicies', {
          description: null,
          ...body,
          id,
          includes: [],
          excludes: [],
        });
        return ok(made, 201);
      },
    },
    {
      method: 'PATCH',
      path: `${GRANT_PATH}/{id}`,
      permissions: PERMISSION_GRANT_WRITE,
      handle: (req, { id }) => {
        const policy = customGrantPolicy(req, id!);
        const body = requireBody(req);
        rejectReadOnly(body, ['id', 'includes', 'excludes']);
        for (const p of Object.keys(body))
          if (!p.startsWith('@odata.') && !['displayName', 'description'].includes(p))
            throw badRequest(
              `Property '${p}' does not exist on type 'microsoft.graph.permissionGrantPolicy'.`,
            );
        req.tenant.update('permissionGrantPolicies', String(policy['id']), body);
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: `${GRANT_PATH}/{id}`,
      permissions: PERMISSION_GRANT_WRITE,
      handle: (req, { id }) => {
        const policy = customGrantPolicy(req, id!);
        req.tenant.remove('permissionGrantPolicies', String(policy['id']));
        return noContent();
      },
    },
    ...conditionSets('includes'),
    ...conditionSets('excludes'),
  ];
}
