import { type BrowseSpec, USER_TARGET } from '../browse-spec';
import { type CollectionSpec, withoutAnnotations } from '../descriptor';
import type { GraphWrite } from '../restore-spec';
import { deleteWrite, RestorePhase } from './restore.shared';

/**
 * Users' registered authentication methods, read per user (Graph has no tenant-wide list):
 * `GET /users/{id}/authentication/methods`, polymorphic (phone, email, FIDO2, Authenticator,
 * Windows Hello, password, software OATH, temporary access pass, ...), so no `$select`.
 * https://learn.microsoft.com/graph/api/authentication-list-methods
 */

const PHONE = '#microsoft.graph.phoneAuthenticationMethod';
const EMAIL = '#microsoft.graph.emailAuthenticationMethod';

/** How the Entra admin center names each kind; unknown kinds show their type name. */
const METHOD_KINDS: Readonly<Record<string, string>> = {
  [PHONE]: 'Phone',
  [EMAIL]: 'Email',
  '#microsoft.graph.fido2AuthenticationMethod': 'FIDO2 security key',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'Microsoft Authenticator',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': 'Windows Hello for Business',
  '#microsoft.graph.passwordAuthenticationMethod': 'Password',
  '#microsoft.graph.softwareOathAuthenticationMethod': 'Software OATH token',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': 'Temporary Access Pass',
  '#microsoft.graph.platformCredentialAuthenticationMethod': 'Platform credential',
  '#microsoft.graph.externalAuthenticationMethod': 'External authentication method',
};

function methodKind(method: Readonly<Record<string, unknown>>): string {
  const type = typeof method['@odata.type'] === 'string' ? method['@odata.type'] : '';
  return METHOD_KINDS[type] ?? type.replace('#microsoft.graph.', '');
}

/**
 * Graph's method ids are unique per user only (a mobile phone is always
 * `3179e48a-750b-4051-897c-87b9720928f7`, an email method always
 * `3ddfcfc8-9383-446f-83cc-3ab9be4be18f`): the stored id names the user too, and Graph's stays in
 * `methodId`. A temporary access pass carries its secret only in the answer to its creation
 * (https://learn.microsoft.com/graph/api/resources/temporaryaccesspassauthenticationmethod); it is
 * dropped all the same should it ever appear, and a password method never returns the password.
 */
export function normalizeAuthenticationMethod(object: Record<string, unknown>): Record<string, unknown> {
  const { temporaryAccessPass: _secret, ...rest } = withoutAnnotations(object);
  const userId = String(rest['userId']);
  const methodId = String(rest['methodId'] ?? rest['id']);
  return { ...rest, id: `${userId}_${methodId}`, methodId, userId };
}

/**
 * Administrators can register only phone numbers and email addresses for a user
 * (https://learn.microsoft.com/graph/api/authentication-post-phonemethods,
 * https://learn.microsoft.com/graph/api/authentication-post-emailmethods); every other kind is
 * registered by the user, so the backup keeps it as a record.
 */
export function methodUnwritable(method: Readonly<Record<string, unknown>>): string | null {
  const type = method['@odata.type'];
  if (type === PHONE || type === EMAIL) return null;
  if (type === '#microsoft.graph.passwordAuthenticationMethod')
    return 'A password cannot be read, so it cannot be restored: the user signs in with a new one';
  return `${methodKind(method)} methods are registered by the user, not by an administrator: the user must register it again`;
}

function methodsPath(method: Readonly<Record<string, unknown>>): string {
  const kind = method['@odata.type'] === PHONE ? 'phoneMethods' : 'emailMethods';
  return `/users/${String(method['userId'])}/authentication/${kind}`;
}

/** Registers a stored phone or email method again for its user (the user id already rewired). */
export function addMethod(method: Readonly<Record<string, unknown>>): GraphWrite {
  if (methodUnwritable(method) !== null) throw new Error(`${methodKind(method)} methods cannot be written`);
  const body =
    method['@odata.type'] === PHONE
      ? { phoneNumber: method['phoneNumber'], phoneType: method['phoneType'] }
      : { emailAddress: method['emailAddress'] };
  return { method: 'POST', path: methodsPath(method), body };
}

/** Removes a live phone or email method (one the snapshot does not have). */
export function removeMethod(method: Readonly<Record<string, unknown>>): GraphWrite {
  if (methodUnwritable(method) !== null) throw new Error(`${methodKind(method)} methods cannot be written`);
  return deleteWrite(`${methodsPath(method)}/${String(method['methodId'])}`);
}

/** What a method shows: the phone number, the email address or the device's name. */
function methodDetail(method: Readonly<Record<string, unknown>>): string | null {
  if (method['@odata.type'] === PHONE)
    return `${String(method['phoneNumber'] ?? '')} (${String(method['phoneType'] ?? '')})`;
  for (const property of ['emailAddress', 'displayName', 'model'])
    if (typeof method[property] === 'string') return method[property];
  return null;
}

const AUTHENTICATION_METHODS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'user', label: 'User', kind: 'text', value: 'userId' },
    {
      key: 'methodType',
      label: 'Method',
      kind: 'enum',
      value: methodKind,
      filter: [...new Set(Object.values(METHOD_KINDS))].map((v) => ({ value: v, label: v })),
    },
    { key: 'detail', label: 'Phone, email or name', kind: 'text', value: methodDetail },
    { key: 'createdDateTime', label: 'Created', kind: 'date', value: 'createdDateTime' },
  ],
  search: ['userId', 'phoneNumber', 'emailAddress', 'displayName'],
  relations: [
    {
      key: 'user',
      label: 'User',
      path: 'userId',
      targets: [USER_TARGET],
      reverseLabel: 'Authentication methods',
    },
  ],
};

export const AUTHENTICATION_METHODS: CollectionSpec = {
  name: 'authenticationMethods',
  browse: AUTHENTICATION_METHODS_BROWSE,
  version: 'v1.0',
  path: '/users/{id}/authentication/methods',
  // One short list per user; Graph documents no query parameters for it.
  pageSize: 100,
  supportsTop: false,
  // Every user has methods (at least a password), and changes to them are not reported by the
  // user delta query, which tracks the user's own properties and `manager` only
  // (https://learn.microsoft.com/graph/api/user-delta): an incremental run re-reads the methods of
  // the users it saw change, and the periodic full run (the first, a reconciliation or a manual
  // full backup) catches methods changed on their own.
  perObjectOf: {
    collection: 'users',
    path: (id) => `/users/${id}/authentication/methods`,
    ownerKey: 'userId',
    refresh: 'withOwner',
  },
  normalize: normalizeAuthenticationMethod,
  // UserAuthenticationMethod.Read.All is the least-privileged application permission of the list;
  // writing phone and email methods needs UserAuthenticationMethod.ReadWrite.All (the narrower
  // UserAuthMethod-Phone/-Email permissions cover one kind each).
  // https://learn.microsoft.com/graph/api/authentication-list-methods,
  // https://learn.microsoft.com/graph/api/authentication-post-phonemethods
  permissions: {
    read: ['UserAuthenticationMethod.Read.All'],
    write: ['UserAuthenticationMethod.ReadWrite.All'],
  },
  // Matched by user, kind and value (the phone type is in the fixed method id): a re-created user
  // gets its phone and email methods under its new id; a changed number is removed and added again.
  assignments: {
    phase: RestorePhase.AUTHENTICATION_METHODS,
    assignment: {
      key: ['userId', '@odata.type', 'methodId', 'phoneNumber', 'emailAddress'],
      principal: 'userId',
      unwritable: methodUnwritable,
      add: addMethod,
      remove: removeMethod,
    },
  },
};
