import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { DirectoryUserSummary, EmulatedTenantSummary } from '../shared/graph-context';
import type { EmulatorClock, EmulatorWorldPort } from '../shared/world-port';
import { AadError, AadErrors, aadErrorBody, aadTimestamp } from './aad-error';
import type { AppRegistry, RegisteredApp } from './app-registry';
import type { ConsentLog } from './consent-log';
import { GrantStore, pkceMatches } from './grant-store';
import {
  CLIENT_ASSERTION_ALGORITHMS,
  decodeJwt,
  JwtFormatError,
  verifyClientAssertionSignature,
} from './jwt';
import {
  accountPickerPage,
  consentPage,
  errorPage,
  formPostPage,
  needAdminApprovalPage,
  signedOutPage,
  tenantPickerPage,
} from './pages';
import {
  GLOBAL_ADMINISTRATOR_TEMPLATE_ID,
  GRAPH_APP_ID,
  GRAPH_RESOURCE,
  OIDC_SCOPES,
  pairwiseSubject,
  TOKEN_LIFETIME_S,
  type TokenService,
} from './token-service';
import type { TokenSigner } from './token-signer';

export interface IdentityPlatformDeps {
  world: EmulatorWorldPort;
  apps: AppRegistry;
  grants: GrantStore;
  consents: ConsentLog;
  tokens: TokenService;
  signer: TokenSigner;
  clock: EmulatorClock;
  /** Public origin, e.g. `https://127.0.0.1:8443`. */
  baseUrl: string;
}

type TenantRef =
  { kind: 'tenant'; tenant: EmulatedTenantSummary } | { kind: 'multi'; name: 'organizations' | 'common' };

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const SIGN_IN_USERS_SHOWN = 50;

/**
 * The Microsoft identity platform's v2.0 endpoints, on their real paths:
 * https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
 */
export function createIdentityRouter(deps: IdentityPlatformDeps): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  const resolveTenant = (segment: string): TenantRef | undefined => {
    const lower = segment.toLowerCase();
    if (lower === 'organizations' || lower === 'common') return { kind: 'multi', name: lower };
    const tenant =
      deps.world.getTenant(lower) ??
      deps.world.listTenants().find((t) => t.defaultDomain.toLowerCase() === lower);
    return tenant ? { kind: 'tenant', tenant } : undefined;
  };

  router.get('/common/discovery/instance', (req, res) => {
    // MSAL's instance discovery: the emulator is its own single cloud instance.
    const host = new URL(deps.baseUrl).host;
    const authorizationEndpoint =
      typeof req.query['authorization_endpoint'] === 'string' ? req.query['authorization_endpoint'] : '';
    let tenantSegment = 'common';
    try {
      tenantSegment = new URL(authorizationEndpoint).pathname.split('/')[1] || 'common';
    } catch {
      // No or malformed authorization_endpoint: describe the instance for /common.
    }
    res.json({
      tenant_discovery_endpoint: `${deps.baseUrl}/${tenantSegment}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  router.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const ref = resolveTenant(String(req.params['tenant']));
    if (!ref) return sendAadError(res, AadErrors.tenantNotFound(String(req.params['tenant'])), deps.clock);
    const segment = ref.kind === 'tenant' ? ref.tenant.tenantId : ref.name;
    // For the multi-tenant authorities the issuer is a template the client fills in with the token's `tid`.
    const issuer =
      ref.kind === 'tenant' ? deps.tokens.issuerV2(ref.tenant.tenantId) : `${deps.baseUrl}/{tenantid}/v2.0`;
    const graphHost = new URL(deps.baseUrl).host;
    res.json({
      token_endpoint: `${deps.baseUrl}/${segment}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${deps.baseUrl}/${segment}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${deps.baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${deps.baseUrl}/${segment}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${deps.baseUrl}/${segment}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${deps.baseUrl}/${segment}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'cloud_instance_name',
        'cloud_instance_host_name',
        'cloud_graph_host_name',
        'msgraph_host',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      kerberos_endpoint: `${deps.baseUrl}/${segment}/kerberos`,
      tenant_region_scope: ref.kind === 'tenant' ? 'EU' : null,
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: graphHost,
      rbac_url: 'https://pas.windows.net',
    });
  });

  const keys = (req: Request, res: Response): void => {
    const ref = resolveTenant(String(req.params['tenant']));
    if (!ref) return sendAadError(res, AadErrors.tenantNotFound(String(req.params['tenant'])), deps.clock);
    const issuer =
      ref.kind === 'tenant' ? deps.tokens.issuerV2(ref.tenant.tenantId) : `${deps.baseUrl}/{tenantid}/v2.0`;
    res.json(deps.signer.jwks(issuer));
  };
  router.get('/:tenant/discovery/v2.0/keys', keys);
  router.get('/:tenant/discovery/keys', keys);

  // ---- authorize: the demo sign-in page ------------------------------------------------------------------

  const authorize = (req: Request, res: Response): void => {
    const params = collectParams(req);
    const ref = resolveTenant(String(req.params['tenant']));
    if (!ref) return sendErrorPage(res, AadErrors.tenantNotFound(String(req.params['tenant'])));
    const clientId = params['client_id'];
    if (!clientId) return sendErrorPage(res, AadErrors.missingParameter('client_id'));
    const app = deps.apps.get(clientId);
    if (!app) return sendErrorPage(res, AadErrors.appNotFound(clientId, directoryName(ref)));
    const redirectUri =
      params['redirect_uri'] ?? (app.redirectUris.length === 1 ? app.redirectUris[0] : undefined);
    if (!redirectUri) return sendErrorPage(res, AadErrors.missingParameter('redirect_uri'));
    if (!deps.apps.redirectUriAllowed(app, redirectUri))
      return sendErrorPage(res, AadErrors.redirectUriMismatch(redirectUri, app.clientId));

    const responseMode = params['response_mode'] ?? 'query';
    const state = params['state'];
    const fail = (err: AadError): void =>
      redirectWithError(res, redirectUri, responseMode, err, state, deps.clock);
    if (!['query', 'form_post', 'fragment'].includes(responseMode)) {
      return redirectWithError(
        res,
        redirectUri,
        'query',
        new AadError(400, 'invalid_request', 900144, `The response_mode '${responseMode}' is not supported.`),
        state,
        deps.clock,
      );
    }
    if (params['response_type'] !== 'code')
      return fail(AadErrors.unsupportedResponseType(params['response_type'] ?? ''));
    if (!params['scope']) return fail(AadErrors.missingParameter('scope'));
    const method = params['code_challenge_method'] ?? (params['code_challenge'] ? 'plain' : undefined);
    if (method !== undefined && method !== 'S256' && method !== 'plain')
      return fail(AadErrors.invalidCodeChallengeMethod());
    if (
      params['code_challenge'] !== undefined &&
      !/^[A-Za-z0-9\-._~]{43,128}$/.test(params['code_challenge'])
    ) {
      return fail(AadErrors.invalidCodeChallengeMethod());
    }

    const tenant = pickedTenant(deps.world, ref, params);
    const action = req.baseUrl + req.path;
    if (!tenant) {
      res
        .type('html')
        .send(tenantPickerPage(action, withoutEmulatorFields(params), deps.world.listTenants()));
      return;
    }
    const userId = req.method === 'POST' ? params['emulator_user'] : undefined;
    if (!userId) {
      const users = orderedSignInUsers(deps.world, tenant.tenantId, params['login_hint']);
      res
        .type('html')
        .send(
          accountPickerPage(
            action,
            { ...withoutEmulatorFields(params), emulator_tenant: tenant.tenantId },
            tenant,
            users,
            app.displayName,
          ),
        );
      return;
    }
    const user = deps.world.findUser(tenant.tenantId, userId);
    if (!user) return sendErrorPage(res, AadErrors.userNotFound(userId, tenant.displayName));
    recordSignIn(deps, req, tenant.tenantId, user, app);
    const code = deps.grants.issueCode({
      clientId: app.clientId,
      tenantId: tenant.tenantId,
      userId: user.id,
      redirectUri,
      scopes: splitScopes(params['scope']),
      ...(params['nonce'] !== undefined ? { nonce: params['nonce'] } : {}),
      ...(params['code_challenge'] !== undefined && method !== undefined
        ? { codeChallenge: params['code_challenge'], codeChallengeMethod: method }
        : {}),
    });
    respondToRedirectUri(res, redirectUri, responseMode, {
      code,
      ...(state !== undefined ? { state } : {}),
      session_state: randomUUID(),
    });
  };
  router.get('/:tenant/oauth2/v2.0/authorize', authorize);
  router.post('/:tenant/oauth2/v2.0/authorize', form, authorize);

  // ---- token endpoint --------------------------------------------------------------------------------------

  router.post('/:tenant/oauth2/v2.0/token', form, (req, res) => {
    try {
      const body = formBody(req);
      const ref = resolveTenant(String(req.params['tenant']));
      if (!ref) throw AadErrors.tenantNotFound(String(req.params['tenant']));
      const grantType = body['grant_type'];
      if (!grantType) throw AadErrors.missingParameter('grant_type');
      const client = clientCredentialsOf(req, body);
      res.setHeader('Cache-Control', 'no-store, no-cache');
      res.setHeader('Pragma', 'no-cache');
      switch (grantType) {
        case 'client_credentials':
          res.json(clientCredentialsGrant(deps, ref, client, body, tokenEndpointUrl(deps, req)));
          return;
        case 'authorization_code':
          res.json(authorizationCodeGrant(deps, ref, client, body, tokenEndpointUrl(deps, req)));
          return;
        case 'refresh_token':
          res.json(refreshTokenGrant(deps, ref, client, body, tokenEndpointUrl(deps, req)));
          return;
        default:
          throw AadErrors.unsupportedGrantType(grantType);
      }
    } catch (err) {
      if (err instanceof AadError)
        return sendAadError(res, err, deps.clock, headerString(req, 'client-request-id'));
      throw err;
    }
  });

  router.get('/:tenant/oauth2/v2.0/token', (req, res) => {
    sendAadError(
      res,
      new AadError(
        400,
        'invalid_request',
        900561,
        'The endpoint only accepts POST, OPTIONS requests. Received a GET request.',
      ),
      deps.clock,
    );
  });

  // ---- admin consent (v2.0, and the older /adminconsent without scope) ----------------------------------------

  const adminConsent =
    (legacy: boolean) =>
    (req: Request, res: Response): void => {
      const params = collectParams(req);
      const ref = resolveTenant(String(req.params['tenant']));
      if (!ref) return sendErrorPage(res, AadErrors.tenantNotFound(String(req.params['tenant'])));
      const clientId = params['client_id'];
      if (!clientId) return sendErrorPage(res, AadErrors.missingParameter('client_id'));
      const app = deps.apps.get(clientId);
      if (!app) return sendErrorPage(res, AadErrors.appNotFound(clientId, directoryName(ref)));
      const redirectUri =
        params['redirect_uri'] ?? (app.redirectUris.length === 1 ? app.redirectUris[0] : undefined);
      if (!redirectUri) return sendErrorPage(res, AadErrors.missingParameter('redirect_uri'));
      if (!deps.apps.redirectUriAllowed(app, redirectUri))
        return sendErrorPage(res, AadErrors.redirectUriMismatch(redirectUri, app.clientId));
      const state = params['state'];
      const fail = (err: AadError): void => {
        if (legacy) {
          // The older endpoint: ?error=permission_denied&error_description=The+admin+canceled+the+request
          // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#request-the-permissions-from-a-directory-admin
          const declined = err.aadsts === AadErrors.consentDeclined().aadsts;
          redirectTo(res, redirectUri, {
            error: declined ? 'permission_denied' : err.error,
            error_description: declined ? 'The admin canceled the request' : err.message,
            ...(state !== undefined ? { state } : {}),
          });
          return;
        }
        // The v2.0 endpoint reports errors with admin_consent=True as well.
        // https://learn.microsoft.com/entra/identity-platform/v2-admin-consent#error-response
        redirectTo(res, redirectUri, {
          admin_consent: 'True',
          error: err.error,
          error_description: `${err.message}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${aadTimestamp(deps.clock.now())}`,
          ...(state !== undefined ? { state } : {}),
        });
      };
      // The older endpoint takes no scope and always asks for the app's configured application permissions.
      const scope = legacy ? `${GRAPH_RESOURCE}/.default` : params['scope'];
      if (!scope) return fail(AadErrors.missingParameter('scope'));
      const requested = splitScopes(scope);
      const requestsAppRoles = requested.some((s) => isGraphDefaultScope(s));
      const appRoles = requestsAppRoles ? [...app.requiredAppRoles] : [];
      const delegatedScopes = requested
        .filter((s) => !isGraphDefaultScope(s) && !OIDC_SCOPES.has(s))
        .map(shortGraphScope);

      const tenant = pickedTenant(deps.world, ref, params);
      const action = req.baseUrl + req.path;
      if (!tenant) {
        res
          .type('html')
          .send(tenantPickerPage(action, withoutEmulatorFields(params), deps.world.listTenants()));
        return;
      }
      const pageParams = { ...withoutEmulatorFields(params), emulator_tenant: tenant.tenantId };
      const userId = req.method === 'POST' ? params['emulator_user'] : undefined;
      if (!userId) {
        res
          .type('html')
          .send(
            accountPickerPage(
              action,
              pageParams,
              tenant,
              orderedSignInUsers(deps.world, tenant.tenantId, params['login_hint']),
              app.displayName,
              'Sign in to grant consent',
            ),
          );
        return;
      }
      const user = deps.world.findUser(tenant.tenantId, userId);
      if (!user) return sendErrorPage(res, AadErrors.userNotFound(userId, tenant.displayName));
      const isGlobalAdmin = user.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR_TEMPLATE_ID);
      const decision = params['emulator_decision'];
      if (!isGlobalAdmin) {
        const err = AadErrors.adminApprovalRequired(app.displayName);
        if (decision === 'return') return fail(err);
        res
          .status(200)
          .type('html')
          .send(needAdminApprovalPage(action, pageParams, user, app.displayName, err.message));
        return;
      }
      if (decision === 'cancel') return fail(AadErrors.consentDeclined());
      if (decision !== 'accept') {
        recordSignIn(deps, req, tenant.tenantId, user, app);
        res
          .type('html')
          .send(consentPage(action, pageParams, tenant, user, app.displayName, appRoles, delegatedScopes));
        return;
      }
      deps.world.applyAdminConsent(
        tenant.tenantId,
        { appId: app.clientId, displayName: app.displayName },
        appRoles,
      );
      deps.consents.add({
        tenantId: tenant.tenantId,
        clientId: app.clientId,
        appDisplayName: app.displayName,
        appRoles,
        consentedBy: { id: user.id, userPrincipalName: user.userPrincipalName },
        consentedAt: new Date(deps.clock.now()).toISOString(),
      });
      deps.world.recordAudit(tenant.tenantId, {
        category: 'ApplicationManagement',
        activityDisplayName: 'Consent to application',
        operationType: 'Assign',
        result: 'success',
        loggedByService: 'Core Directory',
        initiatedBy: { user: { id: user.id, userPrincipalName: user.userPrincipalName } },
        targetResources: [{ id: app.clientId, displayName: app.displayName, type: 'ServicePrincipal' }],
        additionalDetails: [
          { key: 'ConsentContext.IsAdminConsent', value: 'True' },
          { key: 'ConsentAction.Permissions', value: appRoles.join(' ') },
        ],
      });
      redirectTo(res, redirectUri, {
        ...(legacy ? {} : { admin_consent: 'True' }),
        tenant: tenant.tenantId,
        ...(legacy ? {} : { scope: requested.join(' ') }),
        ...(state !== undefined ? { state } : {}),
        ...(legacy ? { admin_consent: 'True' } : {}),
      });
    };
  router.get('/:tenant/v2.0/adminconsent', adminConsent(false));
  router.post('/:tenant/v2.0/adminconsent', form, adminConsent(false));
  router.get('/:tenant/adminconsent', adminConsent(true));
  router.post('/:tenant/adminconsent', form, adminConsent(true));

  // ---- userinfo (served by Graph at /oidc/userinfo in the real cloud) ------------------------------------

  const userinfo = (req: Request, res: Response): void => {
    const bearer = /^Bearer\s+(.*)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
    const check = deps.tokens.checkGraphToken(bearer);
    const claims = check.ok ? check.claims : undefined;
    const user =
      claims &&
      typeof claims['tid'] === 'string' &&
      typeof claims['oid'] === 'string' &&
      claims['idtyp'] === 'user'
        ? deps.world.findUser(claims['tid'], claims['oid'])
        : undefined;
    if (!claims || !user) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      res.status(401).json({
        error: {
          code: 'InvalidAuthenticationToken',
          message: check.ok ? 'The token is not a user token.' : check.message,
        },
      });
      return;
    }
    const [givenName, ...rest] = user.displayName.split(' ');
    res.json({
      sub: pairwiseSubject(user.id, String(claims['appid'])),
      name: user.displayName,
      ...(givenName ? { given_name: givenName } : {}),
      ...(rest.length > 0 ? { family_name: rest.join(' ') } : {}),
      email: user.userPrincipalName,
    });
  };
  router.get('/oidc/userinfo', userinfo);
  router.post('/oidc/userinfo', userinfo);

  // ---- sign-out ----------------------------------------------------------------------------------------------

  const logout = (req: Request, res: Response): void => {
    const params = collectParams(req);
    const target = params['post_logout_redirect_uri'];
    // The emulator keeps no SSO session, so signing out only returns to the app when the URI is registered.
    if (target && isRegisteredRedirect(deps, target, params)) {
      redirectTo(res, target, params['state'] !== undefined ? { state: params['state'] } : {});
      return;
    }
    res.type('html').send(signedOutPage());
  };
  router.get('/:tenant/oauth2/v2.0/logout', logout);
  router.post('/:tenant/oauth2/v2.0/logout', form, logout);

  return router;
}

// ---- grants ------------------------------------------------------------------------------------------------

interface ClientAuth {
  clientId?: string;
  secret?: string;
  assertion?: string;
  assertionType?: string;
}

interface TokenResponse {
  token_type: 'Bearer';
  scope?: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  client_info?: string;
}

function clientCredentialsGrant(
  deps: IdentityPlatformDeps,
  ref: TenantRef,
  client: ClientAuth,
  body: Record<string, string>,
  tokenUrl: string,
): TokenResponse {
  if (!client.clientId) throw AadErrors.missingParameter('client_id');
  if (ref.kind !== 'tenant') throw AadErrors.tenantIdentifierRequired();
  const tenant = ref.tenant;
  const app = deps.apps.get(client.clientId);
  const scope = body['scope'];
  if (!scope) throw AadErrors.missingParameter('scope');
  // A multi-tenant app exists in a tenant only once an admin consented (its service principal was created).
  if (!app || !isConsented(deps, tenant.tenantId, app.clientId))
    throw AadErrors.appNotFound(client.clientId, tenant.displayName);
  const credentialType = authenticateClient(deps, app, client, tokenUrl);
  const scopes = splitScopes(scope);
  const [only] = scopes;
  if (scopes.length !== 1 || only === undefined || !only.endsWith('/.default'))
    throw AadErrors.clientCredentialsScope(scope);
  if (!isGraphDefaultScope(only))
    throw AadErrors.resourceNotFound(only.slice(0, -'/.default'.length), tenant.displayName);
  const roles = deps.world.grantedAppRoles(tenant.tenantId, app.clientId);
  return {
    token_type: 'Bearer',
    expires_in: TOKEN_LIFETIME_S,
    ext_expires_in: TOKEN_LIFETIME_S,
    access_token: deps.tokens.appAccessToken({
      tenantId: tenant.tenantId,
      clientId: app.clientId,
      appDisplayName: app.displayName,
      roles,
      credentialType,
    }),
  };
}

function authorizationCodeGrant(
  deps: IdentityPlatformDeps,
  ref: TenantRef,
  client: ClientAuth,
  body: Record<string, string>,
  tokenUrl: string,
): TokenResponse {
  if (!client.clientId) throw AadErrors.missingParameter('client_id');
  const code = body['code'];
  if (!code) throw AadErrors.missingParameter('code');
  const app = deps.apps.get(client.clientId);
  if (!app) throw AadErrors.appNotFound(client.clientId, directoryName(ref));
  authenticateClient(deps, app, client, tokenUrl);
  const redeemed = deps.grants.redeemCode(code);
  if (redeemed.kind === 'redeemed') throw AadErrors.codeRedeemed();
  if (redeemed.kind !== 'ok') throw AadErrors.codeInvalid();
  const grant = redeemed.grant;
  if (grant.clientId !== app.clientId) throw AadErrors.codeForOtherClient();
  if (ref.kind === 'tenant' && ref.tenant.tenantId !== grant.tenantId) throw AadErrors.codeInvalid();
  if (body['redirect_uri'] !== grant.redirectUri) throw AadErrors.redirectUriMismatchOnRedeem();
  if (grant.codeChallenge !== undefined && grant.codeChallengeMethod !== undefined) {
    const verifier = body['code_verifier'];
    if (!verifier) throw AadErrors.codeVerifierMissing();
    if (!pkceMatches(verifier, grant.codeChallenge, grant.codeChallengeMethod))
      throw AadErrors.codeVerifierMismatch();
  }
  const user = deps.world.findUser(grant.tenantId, grant.userId);
  if (!user) throw AadErrors.userNotFound(grant.userId, grant.tenantId);
  return userTokens(deps, app, grant.tenantId, user, grant.scopes, grant.nonce, body['client_info'] === '1');
}

function refreshTokenGrant(
  deps: IdentityPlatformDeps,
  ref: TenantRef,
  client: ClientAuth,
  body: Record<string, string>,
  tokenUrl: string,
): TokenResponse {
  if (!client.clientId) throw AadErrors.missingParameter('client_id');
  const token = body['refresh_token'];
  if (!token) throw AadErrors.missingParameter('refresh_token');
  const app = deps.apps.get(client.clientId);
  if (!app) throw AadErrors.appNotFound(client.clientId, directoryName(ref));
  authenticateClient(deps, app, client, tokenUrl);
  const grant = deps.grants.takeRefreshToken(token);
  if (grant === 'expired') throw AadErrors.refreshTokenExpired();
  if (!grant || grant.clientId !== app.clientId) throw AadErrors.refreshTokenInvalid();
  if (ref.kind === 'tenant' && ref.tenant.tenantId !== grant.tenantId) throw AadErrors.refreshTokenInvalid();
  const user = deps.world.findUser(grant.tenantId, grant.userId);
  if (!user) throw AadErrors.userNotFound(grant.userId, grant.tenantId);
  const requested = body['scope'] ? splitScopes(body['scope']) : grant.scopes;
  // Scopes may only narrow on refresh; offline_access stays so a new refresh token is issued.
  const scopes = [
    ...new Set([
      ...requested.filter((s) => grant.scopes.includes(s) || OIDC_SCOPES.has(s)),
      'offline_access',
    ]),
  ];
  return userTokens(deps, app, grant.tenantId, user, scopes, undefined, body['client_info'] === '1');
}

function userTokens(
  deps: IdentityPlatformDeps,
  app: RegisteredApp,
  tenantId: string,
  user: DirectoryUserSummary,
  rawScopes: string[],
  nonce: string | undefined,
  withClientInfo: boolean,
): TokenResponse {
  const scopes = rawScopes.map(shortGraphScope);
  const input = {
    tenantId,
    clientId: app.clientId,
    appDisplayName: app.displayName,
    user,
    scopes,
    ...(nonce !== undefined ? { nonce } : {}),
  };
  const accessToken = deps.tokens.userAccessToken(input);
  const graphScopes = scopes.filter((s) => !OIDC_SCOPES.has(s));
  const granted = [
    ...(graphScopes.length > 0 ? graphScopes : ['User.Read']).map((s) => `${GRAPH_RESOURCE}/${s}`),
    ...scopes.filter((s) => OIDC_SCOPES.has(s)),
  ];
  return {
    token_type: 'Bearer',
    scope: [...new Set(granted)].join(' '),
    expires_in: TOKEN_LIFETIME_S,
    ext_expires_in: TOKEN_LIFETIME_S,
    access_token: accessToken,
    ...(scopes.includes('openid') ? { id_token: deps.tokens.idToken(input) } : {}),
    // MSAL asks for client_info=1 and builds the account's home id `<uid>.<utid>` from it.
    ...(withClientInfo
      ? { client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: tenantId })).toString('base64url') }
      : {}),
    ...(scopes.includes('offline_access')
      ? {
          refresh_token: deps.grants.issueRefreshToken({
            clientId: app.clientId,
            tenantId,
            userId: user.id,
            scopes: rawScopes,
          }),
        }
      : {}),
  };
}

/** Checks the client secret or certificate assertion; returns the `appidacr` value for the token. */
function authenticateClient(
  deps: IdentityPlatformDeps,
  app: RegisteredApp,
  client: ClientAuth,
  tokenUrl: string,
): '1' | '2' {
  if (client.assertion !== undefined) {
    if (client.assertionType !== CLIENT_ASSERTION_TYPE)
      throw AadErrors.missingParameter('client_assertion_type');
    verifyClientAssertion(deps, app, client.assertion, tokenUrl);
    return '2';
  }
  if (client.secret === undefined) throw AadErrors.missingClientCredential();
  if (!deps.apps.secretMatches(app, client.secret)) throw AadErrors.invalidClientSecret(app.clientId);
  return '1';
}

/**
 * Certificate credentials: a PS256 or RS256 JWT with `x5t#S256` (or `x5t`) naming the registered
 * certificate, aud = the token endpoint, iss = sub = client id, and a valid lifetime.
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 */
function verifyClientAssertion(
  deps: IdentityPlatformDeps,
  app: RegisteredApp,
  assertion: string,
  tokenUrl: string,
): void {
  let decoded;
  try {
    decoded = decodeJwt(assertion);
  } catch (err) {
    if (err instanceof JwtFormatError) throw AadErrors.invalidClientAssertion(err.message);
    throw err;
  }
  const alg = decoded.header['alg'];
  if (!CLIENT_ASSERTION_ALGORITHMS.some((accepted) => accepted === alg))
    throw AadErrors.invalidClientAssertion(
      `The 'alg' header must be one of ${CLIENT_ASSERTION_ALGORITHMS.join(', ')}, not ${JSON.stringify(alg)}.`,
    );
  const key = deps.apps.certificateFor(app, decoded.header['x5t'], decoded.header['x5t#S256']);
  if (!key) throw AadErrors.clientAssertionCertificateUnknown(app.clientId);
  if (!verifyClientAssertionSignature(decoded, key))
    throw AadErrors.invalidClientAssertion('The signature does not match the registered certificate.');
  const claims = decoded.payload;
  if (claims['iss'] !== app.clientId || claims['sub'] !== app.clientId) {
    throw AadErrors.invalidClientAssertion("The 'iss' and 'sub' claims must be the application's client id.");
  }
  const audiences = Array.isArray(claims['aud']) ? claims['aud'] : [claims['aud']];
  if (!audiences.includes(tokenUrl))
    throw AadErrors.invalidClientAssertion(`The 'aud' claim must be '${tokenUrl}'.`);
  const nowS = Math.floor(deps.clock.now() / 1000);
  if (typeof claims['exp'] !== 'number' || claims['exp'] <= nowS)
    throw AadErrors.invalidClientAssertion('The client assertion has expired.');
  if (typeof claims['nbf'] === 'number' && claims['nbf'] > nowS + 300)
    throw AadErrors.invalidClientAssertion('The client assertion is not yet valid.');
}

function isConsented(deps: IdentityPlatformDeps, tenantId: string, clientId: string): boolean {
  return deps.consents.has(tenantId, clientId) || deps.world.grantedAppRoles(tenantId, clientId).length > 0;
}

// ---- helpers -----------------------------------------------------------------------------------------------

function clientCredentialsOf(req: Request, body: Record<string, string>): ClientAuth {
  const auth: ClientAuth = {
    ...(body['client_id'] !== undefined ? { clientId: body['client_id'] } : {}),
    ...(body['client_secret'] !== undefined ? { secret: body['client_secret'] } : {}),
    ...(body['client_assertion'] !== undefined ? { assertion: body['client_assertion'] } : {}),
    ...(body['client_assertion_type'] !== undefined ? { assertionType: body['client_assertion_type'] } : {}),
  };
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ')) {
    // RFC 6749 §2.3.1: client id and secret are form-urlencoded before base64.
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    if (sep > 0) {
      auth.clientId = decodeURIComponent(decoded.slice(0, sep).replace(/\+/g, ' '));
      auth.secret = decodeURIComponent(decoded.slice(sep + 1).replace(/\+/g, ' '));
    }
  }
  return auth;
}

function tokenEndpointUrl(deps: IdentityPlatformDeps, req: Request): string {
  return `${deps.baseUrl}/${String(req.params['tenant'])}/oauth2/v2.0/token`;
}

function formBody(req: Request): Record<string, string> {
  const body: unknown = req.body;
  const out: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Query parameters, overlaid by form fields on POST (the pages post back the original request). */
function collectParams(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') out[k] = v;
  if (req.method === 'POST') Object.assign(out, formBody(req));
  return out;
}

function withoutEmulatorFields(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params))
    if (!k.startsWith('emulator_') || k === 'emulator_tenant') out[k] = v;
  return out;
}

function pickedTenant(
  world: EmulatorWorldPort,
  ref: TenantRef,
  params: Record<string, string>,
): EmulatedTenantSummary | undefined {
  if (ref.kind === 'tenant') return ref.tenant;
  const picked = params['emulator_tenant'];
  return picked === undefined ? undefined : world.getTenant(picked);
}

function orderedSignInUsers(
  world: EmulatorWorldPort,
  tenantId: string,
  loginHint: string | undefined,
): DirectoryUserSummary[] {
  const users = world.listSignInUsers(tenantId, SIGN_IN_USERS_SHOWN);
  if (!loginHint) return users;
  const hinted = world.findUser(tenantId, loginHint);
  return hinted ? [hinted, ...users.filter((u) => u.id !== hinted.id)] : users;
}

function directoryName(ref: TenantRef): string {
  return ref.kind === 'tenant' ? ref.tenant.displayName : ref.name;
}

function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter((s) => s.length > 0);
}

function isGraphDefaultScope(scope: string): boolean {
  const lower = scope.toLowerCase();
  return (
    lower === `${GRAPH_RESOURCE}/.default` ||
    lower === `${GRAPH_RESOURCE}//.default` ||
    lower === `${GRAPH_APP_ID}/.default`
  );
}

/** `https://graph.microsoft.com/User.Read` -> `User.Read`; the `.default` of Graph stands for the app's static delegated permissions. */
function shortGraphScope(scope: string): string {
  if (isGraphDefaultScope(scope)) return 'User.Read';
  for (const prefix of [`${GRAPH_RESOURCE}/`, `${GRAPH_APP_ID}/`]) {
    if (scope.toLowerCase().startsWith(prefix)) return scope.slice(prefix.length);
  }
  return scope;
}

function recordSignIn(
  deps: IdentityPlatformDeps,
  req: Request,
  tenantId: string,
  user: DirectoryUserSummary,
  app: RegisteredApp,
): void {
  deps.world.recordSignIn(tenantId, {
    userId: user.id,
    appId: app.clientId,
    appDisplayName: app.displayName,
    ipAddress: (req.ip ?? req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    errorCode: 0,
  });
}

function isRegisteredRedirect(
  deps: IdentityPlatformDeps,
  uri: string,
  params: Record<string, string>,
): boolean {
  const clientId = params['client_id'] ?? audienceOf(params['id_token_hint']);
  const candidates = clientId
    ? [deps.apps.get(clientId)].filter((a): a is RegisteredApp => a !== undefined)
    : [];
  return candidates.some((app) => deps.apps.redirectUriAllowed(app, uri));
}

function audienceOf(idToken: string | undefined): string | undefined {
  if (!idToken) return undefined;
  try {
    const aud = decodeJwt(idToken).payload['aud'];
    return typeof aud === 'string' ? aud : undefined;
  } catch {
    return undefined;
  }
}

function headerString(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function sendAadError(res: Response, err: AadError, clock: EmulatorClock, correlationId?: string): void {
  res.status(err.status).json(aadErrorBody(err, clock.now(), correlationId));
}

function sendErrorPage(res: Response, err: AadError): void {
  res
    .status(err.status)
    .type('html')
    .send(errorPage('Sorry, but we’re having trouble signing you in.', err.message));
}

function redirectTo(res: Response, redirectUri: string, fields: Record<string, string>): void {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
  res.redirect(302, url.toString());
}

function respondToRedirectUri(
  res: Response,
  redirectUri: string,
  responseMode: string,
  fields: Record<string, string>,
): void {
  if (responseMode === 'form_post') {
    res.type('html').send(formPostPage(redirectUri, fields));
    return;
  }
  if (responseMode === 'fragment') {
    const url = new URL(redirectUri);
    url.hash = new URLSearchParams(fields).toString();
    res.redirect(302, url.toString());
    return;
  }
  redirectTo(res, redirectUri, fields);
}

function redirectWithError(
  res: Response,
  redirectUri: string,
  responseMode: string,
  err: AadError,
  state: string | undefined,
  clock: EmulatorClock,
): void {
  const body = aadErrorBody(err, clock.now());
  respondToRedirectUri(res, redirectUri, responseMode, {
    error: body.error,
    error_description: body.error_description,
    error_uri: body.error_uri,
    ...(state !== undefined ? { state } : {}),
  });
}
