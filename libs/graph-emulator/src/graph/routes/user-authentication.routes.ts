import {
  EMAIL_METHOD_ID,
  emailMethod,
  phoneMethod,
  type PhoneType,
} from '../../directory/generators/authentication-methods.generator';
import type { Json } from '../../directory/object-collection';
import { userAuthenticationState } from '../../directory/user-authentication-state';
import { presentDirectoryObject } from '../directory-objects';
import {
  checkReplicated,
  contextUrl,
  DIRECTORY_PAGE,
  getEntity,
  listCollection,
  noContent,
  notFound,
  ok,
  type PageSize,
  type PositionSource,
  referencedId,
  rejectReadOnly,
  requireBody,
  type GraphRequest,
  type RouteDef,
} from '../graph-core';
import { badRequest, parseSelect } from '../odata';
import { RESOURCE_TYPES } from '../resource-types';

/**
 * Users' authentication methods (`/users/{id}/authentication/...`) and sponsors (`/users/{id}/sponsors`).
 * Administrators can register phone and email methods for a user; every other kind (FIDO2 keys, the
 * Authenticator app, Windows Hello, software OATH tokens, the password) is registered by the user and can
 * only be read (or deleted) through Graph. https://learn.microsoft.com/graph/api/resources/authenticationmethods-overview
 */

/** https://learn.microsoft.com/graph/api/authentication-list-methods (application permissions). */
const METHODS_READ = ['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'];
/** https://learn.microsoft.com/graph/api/authentication-list-phonemethods, authentication-post-phonemethods. */
const PHONE_READ = ['UserAuthMethod-Phone.Read.All', 'UserAuthMethod-Phone.ReadWrite.All', ...METHODS_READ];
const PHONE_WRITE = ['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'];
/** https://learn.microsoft.com/graph/api/authentication-list-emailmethods, authentication-post-emailmethods. */
const EMAIL_READ = ['UserAuthMethod-Email.Read.All', 'UserAuthMethod-Email.ReadWrite.All', ...METHODS_READ];
const EMAIL_WRITE = ['UserAuthMethod-Email.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'];
/** https://learn.microsoft.com/graph/api/user-list-sponsors, user-post-sponsors, user-delete-sponsors. */
const SPONSORS_READ = ['User.Read.All', 'User.ReadWrite.All'];
const SPONSORS_WRITE = ['User.ReadWrite.All'];

const PAGE: PageSize = { default: 100, max: 100 };
const METHOD = RESOURCE_TYPES.authenticationMethod;
const PHONE_TYPES: readonly PhoneType[] = ['mobile', 'alternateMobile', 'office'];

/**
 * "The phone number uses the format +{country code} {number}x{extension}, with extension optional ...
 * Numbers are rejected when creating or updating if they don't match the required format."
 * https://learn.microsoft.com/graph/api/resources/phoneauthenticationmethod
 */
const PHONE_NUMBER = /^\+\d{1,3} \d{4,15}(x\d{1,10})?$/;
const EMAIL_ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Read-only lists of the kinds a user registers themselves, with their least-privileged permission first. */
const READ_ONLY_KINDS: ReadonlyArray<{ path: string; odataType: string; permission: string }> = [
  {
    path: 'fido2Methods',
    odataType: 'fido2AuthenticationMethod',
    permission: 'UserAuthMethod-Passkey.Read.All',
  },
  {
    path: 'microsoftAuthenticatorMethods',
    odataType: 'microsoftAuthenticatorAuthenticationMethod',
    permission: 'UserAuthMethod-MicrosoftAuthApp.Read.All',
  },
  {
    path: 'windowsHelloForBusinessMethods',
    odataType: 'windowsHelloForBusinessAuthenticationMethod',
    permission: 'UserAuthMethod-WindowsHello.Read.All',
  },
  {
    path: 'passwordMethods',
    odataType: 'passwordAuthenticationMethod',
    permission: 'UserAuthMethod-Password.Read.All',
  },
  {
    path: 'softwareOathMethods',
    odataType: 'softwareOathAuthenticationMethod',
    permission: 'UserAuthMethod-SoftwareOATH.Read.All',
  },
  {
    path: 'temporaryAccessPassMethods',
    odataType: 'temporaryAccessPassAuthenticationMethod',
    permission: 'UserAuthMethod-TAP.Read.All',
  },
];

function userIdOf(req: GraphRequest, idOrUpn: string): string {
  const user = req.tenant.userByIdOrUpn(idOrUpn);
  if (!user) throw notFound(idOrUpn);
  return String(user['id']);
}

function methodsOf(req: GraphRequest, idOrUpn: string, odataType?: string): Json[] {
  const all = userAuthenticationState(req.tenant).methodsOf(userIdOf(req, idOrUpn));
  return odataType === undefined
    ? all
    : all.filter((m) => m['@odata.type'] === `#microsoft.graph.${odataType}`);
}

function listMethods(req: GraphRequest, userId: string, segment: string, odataType?: string) {
  return listCollection(req, {
    entitySet: `users('${userId}')/authentication/${segment}`,
    type: METHOD,
    source: { ...arrayOf(methodsOf(req, userId, odataType)) },
    page: PAGE,
  });
}

function arrayOf(items: Json[]): PositionSource {
  return { positions: items.length, at: (p) => items[p] ?? null, count: () => items.length };
}

function getMethod(req: GraphRequest, userId: string, methodId: string, segment: string, odataType?: string) {
  const method = methodsOf(req, userId, odataType).find((m) => m['id'] === methodId.toLowerCase());
  return getEntity(req, method, methodId, METHOD, `users('${userId}')/authentication/${segment}`);
}

function methodsError(message: string) {
  // The authentication methods service answers with its own error codes (`badRequest`), not the
  // directory's `Request_BadRequest`.
  return badRequest(message, 'badRequest');
}

function checkedPhoneNumber(value: unknown): string {
  if (typeof value !== 'string' || !PHONE_NUMBER.test(value))
    throw methodsError(
      `Invalid phone number '${String(value)}': use the format +{country code} {number}x{extension}.`,
    );
  return value;
}

function checkedPhoneType(value: unknown): PhoneType {
  if (typeof value !== 'string' || !PHONE_TYPES.includes(value as PhoneType))
    throw methodsError(
      `Invalid value '${String(value)}' for property 'phoneType': expected mobile, alternateMobile or office.`,
    );
  return value as PhoneType;
}

function checkedEmail(value: unknown): string {
  if (typeof value !== 'string' || !EMAIL_ADDRESS.test(value))
    throw methodsError(`Invalid value '${String(value)}' for property 'emailAddress'.`);
  return value;
}

/**
 * "A user may only have one phone of each type ... adding a mobile phone to a user with a pre-existing
 * mobile phone fails. Additionally, a user must always have a mobile phone before adding an
 * alternateMobile phone." https://learn.microsoft.com/graph/api/authentication-post-phonemethods
 */
function checkPhoneSlot(methods: readonly Json[], phoneType: PhoneType, exceptId?: string): void {
  const phones = methods.filter(
    (m) => m['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod' && m['id'] !== exceptId,
  );
  if (phones.some((m) => m['phoneType'] === phoneType))
    throw methodsError(`A phone of type '${phoneType}' already exists for this user.`);
  if (phoneType === 'alternateMobile' && !phones.some((m) => m['phoneType'] === 'mobile'))
    throw methodsError('A user must have a mobile phone before an alternateMobile phone is added.');
}

/** The list and single reads of one kind of method (`phoneMethods`), or of all (`methods`). */
function readRoutes(segment: string, permissions: readonly string[], odataType?: string): RouteDef[] {
  return [
    {
      method: 'GET',
      path: `/users/{id}/authentication/${segment}`,
      permissions,
      handle: (req, { id }) => listMethods(req, id!, segment, odataType),
    },
    {
      method: 'GET',
      path: `/users/{id}/authentication/${segment}/{methodId}`,
      permissions,
      handle: (req, { id, methodId }) => getMethod(req, id!, methodId!, segment, odataType),
    },
  ];
}

/** A kind of method an administrator may register for a user (phone, email). */
interface WritableMethodKind {
  readonly segment: string;
  readonly odataType: string;
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly readOnly: readonly string[];
  /** The method a create body registers, checked against the user's other methods. */
  readonly create: (body: Json, methods: readonly Json[]) => Json;
  /** The user's methods after an update of one of them (throws 404 when it is not there). */
  readonly update: (body: Json, methods: readonly Json[], methodId: string) => Json[];
}

function writableMethodRoutes(kind: WritableMethodKind): RouteDef[] {
  const { segment, odataType } = kind;
  const item = `/users/{id}/authentication/${segment}/{methodId}`;
  return [
    ...readRoutes(segment, kind.read, odataType),
    {
      method: 'POST',
      path: `/users/{id}/authentication/${segment}`,
      permissions: kind.write,
      handle: (req, { id }) => {
        const userId = userIdOf(req, id!);
        const body = requireBody(req);
        rejectReadOnly(body, kind.readOnly);
        const state = userAuthenticationState(req.tenant);
        const methods = state.methodsOf(userId);
        const created = kind.create(body, methods);
        state.setMethods(userId, [...methods, created]);
        return ok(
          {
            '@odata.context': contextUrl(req, `users('${userId}')/authentication/${segment}/$entity`),
            ...created,
          },
          201,
        );
      },
    },
    {
      method: 'PATCH',
      path: item,
      permissions: kind.write,
      handle: (req, { id, methodId }) => {
        const userId = userIdOf(req, id!);
        const body = requireBody(req);
        rejectReadOnly(body, kind.readOnly);
        const state = userAuthenticationState(req.tenant);
        state.setMethods(userId, kind.update(body, state.methodsOf(userId), methodId!));
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: item,
      permissions: kind.write,
      handle: (req, { id, methodId }) => deleteMethod(req, id!, methodId!, odataType),
    },
  ];
}

const PHONE_METHODS: WritableMethodKind = {
  segment: 'phoneMethods',
  odataType: 'phoneAuthenticationMethod',
  read: PHONE_READ,
  write: PHONE_WRITE,
  readOnly: ['id', 'smsSignInState'],
  create: (body, methods) => {
    const phoneNumber = checkedPhoneNumber(body['phoneNumber']);
    const phoneType = checkedPhoneType(body['phoneType']);
    checkPhoneSlot(methods, phoneType);
    return phoneMethod(phoneType, phoneNumber);
  },
  update: (body, methods, methodId) => {
    const current = methods.find(
      (m) =>
        m['id'] === methodId.toLowerCase() &&
        m['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod',
    );
    if (current === undefined) throw notFound(methodId);
    const phoneNumber =
      body['phoneNumber'] === undefined
        ? String(current['phoneNumber'])
        : checkedPhoneNumber(body['phoneNumber']);
    const phoneType =
      body['phoneType'] === undefined
        ? (current['phoneType'] as PhoneType)
        : checkedPhoneType(body['phoneType']);
    if (phoneType !== current['phoneType']) checkPhoneSlot(methods, phoneType, String(current['id']));
    // The id names the phone type, so a phone moved to another type takes that type's id.
    const updated = { ...phoneMethod(phoneType, phoneNumber), smsSignInState: current['smsSignInState'] };
    return methods.map((m) => (m === current ? updated : m));
  },
};

const EMAIL_METHODS: WritableMethodKind = {
  segment: 'emailMethods',
  odataType: 'emailAuthenticationMethod',
  read: EMAIL_READ,
  write: EMAIL_WRITE,
  readOnly: ['id'],
  create: (body, methods) => {
    const emailAddress = checkedEmail(body['emailAddress']);
    // "Users may only have one email authentication method."
    // https://learn.microsoft.com/graph/api/resources/emailauthenticationmethod
    if (methods.some((m) => m['id'] === EMAIL_METHOD_ID))
      throw methodsError('An email authentication method already exists for this user.');
    return emailMethod(emailAddress);
  },
  update: (body, methods, methodId) => {
    const emailAddress = checkedEmail(body['emailAddress']);
    if (methodId.toLowerCase() !== EMAIL_METHOD_ID || !methods.some((m) => m['id'] === EMAIL_METHOD_ID))
      throw notFound(methodId);
    return methods.map((m) => (m['id'] === EMAIL_METHOD_ID ? emailMethod(emailAddress) : m));
  },
};

function deleteMethod(req: GraphRequest, idOrUpn: string, methodId: string, odataType: string) {
  const userId = userIdOf(req, idOrUpn);
  const state = userAuthenticationState(req.tenant);
  const methods = state.methodsOf(userId);
  const rest = methods.filter(
    (m) => !(m['id'] === methodId.toLowerCase() && m['@odata.type'] === `#microsoft.graph.${odataType}`),
  );
  if (rest.length === methods.length) throw notFound(methodId);
  state.setMethods(userId, rest);
  return noContent();
}

function readOnlyRoutes(): RouteDef[] {
  return READ_ONLY_KINDS.flatMap(({ path, odataType, permission }) =>
    readRoutes(path, [permission, ...METHODS_READ], odataType),
  );
}

function sponsorSource(req: GraphRequest, ids: readonly string[]): PositionSource {
  const select = parseSelect(req.query.get('$select'));
  return {
    positions: ids.length,
    at: (p) => (ids[p] === undefined ? null : (presentDirectoryObject(req.tenant, ids[p]!, select) ?? null)),
    count: () => ids.length,
  };
}

function sponsorsError(message: string) {
  return badRequest(message);
}

export const userAuthenticationRoutes: RouteDef[] = [
  ...readRoutes('methods', METHODS_READ),
  ...writableMethodRoutes(PHONE_METHODS),
  ...writableMethodRoutes(EMAIL_METHODS),
  ...readOnlyRoutes(),
  {
    method: 'GET',
    path: '/users/{id}/sponsors',
    permissions: SPONSORS_READ,
    handle: (req, { id }) => {
      const userId = userIdOf(req, id!);
      return listCollection(req, {
        entitySet: `users('${userId}')/sponsors`,
        type: RESOURCE_TYPES.directoryObject,
        source: sponsorSource(req, userAuthenticationState(req.tenant).sponsorsOf(userId)),
        page: DIRECTORY_PAGE,
        present: (o) => o,
      });
    },
  },
  {
    // Sponsors are users or groups: https://learn.microsoft.com/graph/api/user-post-sponsors
    method: 'POST',
    path: '/users/{id}/sponsors/$ref',
    permissions: SPONSORS_WRITE,
    handle: (req, { id }) => {
      const userId = userIdOf(req, id!);
      const sponsorId = referencedId(requireBody(req));
      checkReplicated(req, userId, sponsorId);
      const kind = req.tenant.kindOf(sponsorId);
      if (kind === undefined) throw notFound(sponsorId);
      if (kind !== 'users' && kind !== 'groups') throw sponsorsError('A sponsor must be a user or a group.');
      const state = userAuthenticationState(req.tenant);
      const current = state.rawSponsorsOf(userId);
      if (state.sponsorsOf(userId).includes(sponsorId))
        throw sponsorsError(
          "One or more added object references already exist for the following modified properties: 'sponsors'.",
        );
      state.setSponsors(userId, [...current.filter((s) => s !== sponsorId), sponsorId]);
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/users/{id}/sponsors/{sponsorId}/$ref',
    permissions: SPONSORS_WRITE,
    handle: (req, { id, sponsorId }) => {
      const userId = userIdOf(req, id!);
      const state = userAuthenticationState(req.tenant);
      const target = sponsorId!.toLowerCase();
      if (!state.sponsorsOf(userId).includes(target)) throw notFound(sponsorId!);
      state.setSponsors(
        userId,
        state.rawSponsorsOf(userId).filter((s) => s !== target),
      );
      return noContent();
    },
  },
];
