import type { Json } from '../../directory/object-collection';
import { GraphHttpError } from '../../shared/graph-error';
import { serveDelta } from '../delta';
import { knownProperties, presentDirectoryObject } from '../directory-objects';
import {
  checkReplicated,
  contextUrl,
  DIRECTORY_PAGE,
  fromDirectoryError,
  getEntity,
  listCollection,
  noContent,
  notFound,
  ok,
  parseAllowedSelect,
  referencedId,
  rejectReadOnly,
  rejectUnknown,
  requireBody,
  requireProperties,
  type GraphRequest,
  type RouteDef,
} from '../graph-core';
import { onPremisesMastered } from '../../directory/tenant-directory';
import { badRequest } from '../odata';
import { PRIVILEGED_ROLE_TEMPLATE_IDS, SENSITIVE_ACTION_ROLE_TEMPLATE_IDS } from '../../directory/catalog';
import { RESOURCE_TYPES, USER_SINGLE_ONLY } from '../resource-types';
import { takeExtensionValues, withExtensionValues, writeExtensionValues } from '../extension-values';

export const USER_READ = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
] as const;
export const USER_WRITE = ['User.ReadWrite.All', 'Directory.ReadWrite.All'] as const;
/**
 * Properties the user resource documents as read-only (https://learn.microsoft.com/graph/api/resources/user):
 * rejected in write bodies with "Property 'X' is read-only and cannot be set.". assignedLicenses is set through
 * assignLicense; deletedDateTime belongs to directoryObject. mail, externalUserState and onPremisesImmutableId are
 * writable in v1.0.
 */
const USER_READ_ONLY = [
  'id',
  'assignedLicenses',
  'assignedPlans',
  'createdDateTime',
  'creationType',
  'deletedDateTime',
  'imAddresses',
  'isLicenseReconciliationNeeded',
  'lastPasswordChangeDateTime',
  'legalAgeGroupClassification',
  'licenseAssignmentStates',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesLastSyncDateTime',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'onPremisesUserPrincipalName',
  'provisionedPlans',
  'proxyAddresses',
  'refreshTokensValidFromDateTime',
  'securityIdentifier',
  'signInActivity',
  'signInSessionsValidFromDateTime',
];
const USER_FILTERS = {
  id: ['eq'],
  accountEnabled: ['eq'],
  userType: ['eq'],
  userPrincipalName: ['eq'],
  mail: ['eq'],
  displayName: ['eq'],
  employeeId: ['eq'],
  department: ['eq'],
  createdDateTime: ['ge', 'le'],
} as const;

/** signInActivity needs a premium licence and AuditLog.Read.All. https://learn.microsoft.com/graph/api/resources/signinactivity */
function checkSignInActivity(req: GraphRequest, select: string[] | undefined): void {
  if (!select?.includes('signInActivity')) return;
  if (!req.tenant.premium)
    throw new GraphHttpError(
      403,
      'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
      "Neither tenant is B2C or tenant doesn't have premium license",
    );
  const granted = req.ctx.kind === 'app' ? req.ctx.roles : req.ctx.scopes;
  if (!granted.includes('AuditLog.Read.All'))
    throw new GraphHttpError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
}

function userKnown(req: GraphRequest): ReadonlySet<string> {
  return knownProperties(req.tenant, 'users', ['signInActivity', 'manager']);
}

function presentUser(req: GraphRequest, select: string[] | undefined, single: boolean): (obj: Json) => Json {
  return (obj) => {
    if (!select) return obj;
    const ordinal = req.tenant.collection('users').ordinalOf(String(obj['id']));
    const out = withExtensionValues(req.tenant, 'users', { ...obj }, select);
    if (select.includes('signInActivity'))
      out['signInActivity'] = ordinal !== undefined ? req.tenant.gen.userSignInActivity(ordinal) : null;
    if (single && select.some((p) => RESOURCE_TYPES.user.singleOnly?.includes(p))) {
      Object.assign(out, ordinal !== undefined ? req.tenant.gen.userProfileExtras(ordinal) : {});
    }
    return out;
  };
}

/** `$expand=manager` or `$expand=manager($select=id,displayName)`. */
function expandManager(req: GraphRequest, obj: Json, options: string): Json | null {
  const manager = req.tenant.manager(String(obj['id']));
  if (!manager) return null;
  const select = /\$select=([^;)]+)/
    .exec(options)?.[1]
    ?.split(',')
    .map((p) => p.trim());
  return presentDirectoryObject(req.tenant, manager, select) ?? null;
}

/**
 * Properties synchronization owns on a user with onPremisesSyncEnabled: the attributes Microsoft Entra Connect
 * synchronizes (https://learn.microsoft.com/entra/identity/hybrid/connect/reference-connect-sync-attributes-synchronized)
 * and those the user resource marks "read-only for users synced from on-premises"
 * (https://learn.microsoft.com/graph/api/resources/user). Cloud-only properties (usageLocation, ageGroup,
 * consentProvidedForMinor, passwordPolicies, otherMails, employeeOrgData, ...) stay writable.
 */
const ON_PREMISES_MASTERED_USER = [
  'accountEnabled',
  'businessPhones',
  'city',
  'companyName',
  'country',
  'department',
  'displayName',
  'employeeId',
  'faxNumber',
  'givenName',
  'jobTitle',
  'mail',
  'mailNickname',
  'mobilePhone',
  'officeLocation',
  'onPremisesExtensionAttributes',
  'onPremisesImmutableId',
  'passwordProfile',
  'postalCode',
  'preferredLanguage',
  'showInAddressList',
  'state',
  'streetAddress',
  'surname',
  'userPrincipalName',
];

/** Properties whose change on a privileged user is a sensitive action. https://learn.microsoft.com/graph/api/user-update */
const SENSITIVE_PROPERTIES = [
  'accountEnabled',
  'businessPhones',
  'mobilePhone',
  'otherMails',
  'passwordPolicies',
  'passwordProfile',
  'userPrincipalName',
  'onPremisesImmutableId',
];

/**
 * User.ReadWrite.All alone cannot delete, restore or change sensitive properties of users holding privileged roles;
 * the caller needs a higher privileged role (Global or Privileged Authentication Administrator).
 * https://learn.microsoft.com/graph/api/user-delete
 */
export function requireSensitiveActionRights(req: GraphRequest, userId: string): void {
  const privileged = req.tenant.roleTemplateIdsOf(userId).some((r) => PRIVILEGED_ROLE_TEMPLATE_IDS.has(r));
  if (!privileged) return;
  const callerId =
    req.ctx.kind === 'app' ? req.tenant.servicePrincipalByAppId(req.ctx.appId)?.['id'] : req.ctx.userId;
  const callerRoles = typeof callerId === 'string' ? req.tenant.roleTemplateIdsOf(callerId) : [];
  if (!callerRoles.some((r) => SENSITIVE_ACTION_ROLE_TEMPLATE_IDS.has(r))) {
    throw new GraphHttpError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  }
}

/** The password itself is never returned: https://learn.microsoft.com/graph/api/resources/passwordprofile */
function storedPasswordProfile(profile: unknown): Json {
  const p = (profile ?? {}) as Json;
  return {
    forceChangePasswordNextSignIn: p['forceChangePasswordNextSignIn'] === true,
    forceChangePasswordNextSignInWithMfa: p['forceChangePasswordNextSignInWithMfa'] === true,
    password: null,
  };
}

/** A member's userPrincipalName must use one of the tenant's verified domains. https://learn.microsoft.com/graph/api/user-post-users */
export function checkUpnDomain(req: GraphRequest, upn: string): void {
  const domain = upn.slice(upn.lastIndexOf('@') + 1).toLowerCase();
  if (domain !== req.tenant.spec.domain) {
    throw badRequest(
      'Property userPrincipalName is invalid. The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    );
  }
}

/**
 * Setting `mail` adds it to proxyAddresses as the primary SMTP address ("Changes to this property update the user's
 * proxyAddresses collection to include the value as an SMTP address"): https://learn.microsoft.com/graph/api/resources/user
 */
function withPrimarySmtp(current: unknown, mail: string): string[] {
  const addresses = Array.isArray(current) ? current.filter((p): p is string => typeof p === 'string') : [];
  const others = addresses
    .filter((p) => p.slice(p.indexOf(':') + 1).toLowerCase() !== mail.toLowerCase())
    .map((p) => (p.startsWith('SMTP:') ? `smtp:${p.slice(5)}` : p));
  return [`SMTP:${mail}`, ...others];
}

function findUser(req: GraphRequest, idOrUpn: string): Json {
  const user = req.tenant.userByIdOrUpn(idOrUpn);
  if (!user) throw notFound(idOrUpn);
  return user;
}

function validateUserBody(req: GraphRequest, body: Json): void {
  rejectReadOnly(body, USER_READ_ONLY);
  rejectUnknown(body, userKnown(req), 'microsoft.graph.user', ['passwordProfile', ...USER_SINGLE_ONLY]);
  if (body['accountEnabled'] !== undefined && typeof body['accountEnabled'] !== 'boolean')
    throw badRequest("Invalid value specified for property 'accountEnabled' of resource 'User'.");
  if (
    body['userPrincipalName'] !== undefined &&
    !/^[^@\s]+@[^@\s]+$/.test(String(body['userPrincipalName']))
  ) {
    throw badRequest("Invalid value specified for property 'userPrincipalName' of resource 'User'.");
  }
}

export const userRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/users',
    permissions: USER_READ,
    handle: (req) => {
      const select = parseAllowedSelect(req, RESOURCE_TYPES.user, userKnown(req), true);
      return listCollection(req, {
        entitySet: 'users',
        type: RESOURCE_TYPES.user,
        source: req.tenant.collection('users'),
        // With signInActivity the maximum page size is 500: https://learn.microsoft.com/graph/api/user-list
        page: select?.includes('signInActivity') ? { default: 100, max: 500 } : DIRECTORY_PAGE,
        filters: USER_FILTERS,
        known: userKnown(req),
        present: presentUser(req, select, false),
        beforeRender: (s) => checkSignInActivity(req, s),
        expand: { manager: (obj, options) => expandManager(req, obj, options) },
      });
    },
  },
  {
    method: 'GET',
    path: '/users/$count',
    permissions: USER_READ,
    handle: (req) => {
      // $count needs the eventual-consistency header: https://learn.microsoft.com/graph/aad-advanced-queries
      if ((req.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual')
        throw badRequest('Count is not currently supported.');
      return { status: 200, text: String(req.tenant.collection('users').count()) };
    },
  },
  {
    method: 'GET',
    path: '/users/delta',
    permissions: USER_READ,
    handle: (req) => serveDelta(req, 'users', 'users'),
  },
  {
    method: 'GET',
    path: '/users/microsoft.graph.delta',
    permissions: USER_READ,
    handle: (req) => serveDelta(req, 'users', 'users'),
  },
  {
    method: 'GET',
    path: '/users/{id}',
    permissions: USER_READ,
    handle: (req, { id }) => {
      const user = findUser(req, id!);
      const select = parseAllowedSelect(req, RESOURCE_TYPES.user, userKnown(req), false);
      checkSignInActivity(req, select);
      return getEntity(req, user, id!, RESOURCE_TYPES.user, 'users', {
        known: userKnown(req),
        present: presentUser(req, select, true),
        expand: { manager: (obj, options) => expandManager(req, obj, options) },
      });
    },
  },
  {
    method: 'GET',
    path: '/users/{id}/manager',
    permissions: USER_READ,
    handle: (req, { id }) => {
      const user = findUser(req, id!);
      const manager = req.tenant.manager(String(user['id']));
      if (!manager) throw notFound('manager');
      return ok({
        '@odata.context': contextUrl(req, 'directoryObjects/$entity'),
        ...presentDirectoryObject(req.tenant, manager),
      });
    },
  },
  {
    method: 'PUT',
    path: '/users/{id}/manager/$ref',
    permissions: USER_WRITE,
    handle: (req, { id }) => {
      const user = findUser(req, id!);
      const managerId = referencedId(requireBody(req));
      checkReplicated(req, String(user['id']), managerId);
      try {
        req.tenant.setManager(String(user['id']), managerId);
      } catch (e) {
        throw fromDirectoryError(e);
      }
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/users/{id}/manager/$ref',
    permissions: USER_WRITE,
    handle: (req, { id }) => {
      const user = findUser(req, id!);
      if (!req.tenant.manager(String(user['id']))) throw notFound('manager');
      req.tenant.setManager(String(user['id']), undefined);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/users',
    permissions: USER_WRITE,
    handle: (req) => {
      const body = requireBody(req);
      const extensions = takeExtensionValues(req.tenant, 'users', body);
      validateUserBody(req, body);
      requireProperties(
        body,
        ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile'],
        'User',
      );
      const upn = String(body['userPrincipalName']);
      checkUpnDomain(req, upn);
      // userPrincipalName and proxy addresses are unique among active objects (a soft-deleted user's are not
      // reserved: restoring it then conflicts). https://learn.microsoft.com/graph/api/resources/user
      req.tenant.checkUserPrincipalName(upn);
      if (typeof body['mail'] === 'string') req.tenant.checkAddresses([body['mail']]);
      const { passwordProfile: _password, ...rest } = body;
      const created = req.tenant.create('users', {
        ...Object.fromEntries(Object.keys(req.tenant.gen.user(0)).map((k) => [k, null])),
        businessPhones: [],
        otherMails: [],
        proxyAddresses: [`SMTP:${upn}`],
        imAddresses: [],
        identities: [
          { signInType: 'userPrincipalName', issuer: req.tenant.spec.domain, issuerAssignedId: upn },
        ],
        assignedLicenses: [],
        assignedPlans: [],
        authorizationInfo: { certificateUserIds: [] },
        deviceKeys: [],
        infoCatalogs: [],
        licenseAssignmentStates: [],
        onPremisesProvisioningErrors: [],
        provisionedPlans: [],
        serviceProvisioningErrors: [],
        userType: 'Member',
        ...rest,
        createdDateTime: req.tenant.nowIso(),
        mail: rest['mail'] ?? null,
        deletedDateTime: null,
        passwordProfile: storedPasswordProfile(body['passwordProfile']),
      });
      writeExtensionValues(req.tenant, 'users', String(created['id']), extensions);
      // The created user comes back without its password profile.
      const { passwordProfile: _profile, ...shown } = created;
      return ok({ '@odata.context': contextUrl(req, 'users/$entity'), ...shown }, 201);
    },
  },
  {
    method: 'PATCH',
    path: '/users/{id}',
    permissions: USER_WRITE,
    handle: (req, { id }) => {
      const user = findUser(req, id!);
      const body = requireBody(req);
      const extensions = takeExtensionValues(req.tenant, 'users', body);
      validateUserBody(req, body);
      if (
        user['onPremisesSyncEnabled'] === true &&
        Object.keys(body).some((p) => ON_PREMISES_MASTERED_USER.includes(p))
      )
        throw onPremisesMastered();
      if (Object.keys(body).some((p) => SENSITIVE_PROPERTIES.includes(p)))
        requireSensitiveActionRights(req, String(user['id']));
      const userId = String(user['id']);
      if (typeof body['userPrincipalName'] === 'string') {
        checkUpnDomain(req, body['userPrincipalName']);
        req.tenant.checkUserPrincipalName(body['userPrincipalName'], userId);
      }
      const { passwordProfile: _password, ...patch } = body;
      if (typeof body['mail'] === 'string' && body['mail'] !== '') {
        req.tenant.checkAddresses([body['mail']], userId);
        patch['proxyAddresses'] = withPrimarySmtp(user['proxyAddresses'], body['mail']);
      }
      writeExtensionValues(req.tenant, 'users', userId, extensions);
      req.tenant.update('users', userId, patch);
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/users/{id}',
    permissions: USER_WRITE,
    handle: (req, { id }) => {
      const user = findUser(req, id!);
      requireSensitiveActionRights(req, String(user['id']));
      req.tenant.remove('users', String(user['id']));
      return noContent();
    },
  },
];
