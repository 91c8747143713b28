import { randomUUID } from 'node:crypto';

/**
 * The token endpoint's error body, as the Microsoft identity platform sends it:
 * {"error":"invalid_client","error_description":"AADSTS7000215: ...\r\nTrace ID: ...\r\nCorrelation ID: ...\r\nTimestamp: ...",
 *  "error_codes":[7000215],"timestamp":"2024-01-01 10:00:00Z","trace_id":"...","correlation_id":"..."}
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes#handling-error-codes-in-your-application
 */
export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

export class AadError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    readonly detail: string,
  ) {
    super(`AADSTS${aadsts}: ${detail}`);
  }
}

/** `2024-01-01 10:00:00Z`: the format Entra uses in `timestamp` and in error descriptions. */
export function aadTimestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function aadErrorBody(
  err: AadError,
  nowMs: number,
  correlationId: string = randomUUID(),
): AadErrorBody {
  const traceId = randomUUID();
  const timestamp = aadTimestamp(nowMs);
  return {
    error: err.error,
    error_description: `${err.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.aadsts}`,
  };
}

/** The AADSTS errors the emulator produces, with the wording of the real service. */
export const AadErrors = {
  tenantNotFound: (tenant: string) =>
    new AadError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  appNotFound: (clientId: string, directory: string) =>
    new AadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${directory}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  invalidClientSecret: (clientId: string) =>
    new AadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  missingClientCredential: () =>
    new AadError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  invalidClientAssertion: (reason: string) =>
    new AadError(401, 'invalid_client', 700027, `Client assertion failed signature validation. ${reason}`),
  clientAssertionCertificateUnknown: (clientId: string) =>
    new AadError(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
    ),
  missingParameter: (name: string) =>
    new AadError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  unsupportedGrantType: (grantType: string) =>
    new AadError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    ),
  clientCredentialsScope: (scope: string) =>
    new AadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  resourceNotFound: (resource: string, directory: string) =>
    new AadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${directory}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  tenantIdentifierRequired: () =>
    new AadError(
      400,
      'invalid_request',
      900023,
      'Specified tenant identifier is neither a valid DNS name, nor a valid external domain. Client credential requests must name a tenant: use the tenant id instead of /common or /organizations.',
    ),
  codeRedeemed: () =>
    new AadError(
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  codeInvalid: () =>
    new AadError(
      400,
      'invalid_grant',
      9002313,
      'Invalid request. Request is malformed or invalid. The authorization code is invalid or has expired.',
    ),
  codeVerifierMismatch: () =>
    new AadError(
      400,
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ),
  codeVerifierMissing: () =>
    new AadError(
      400,
      'invalid_request',
      50148,
      'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
    ),
  redirectUriMismatchOnRedeem: () =>
    new AadError(
      400,
      'invalid_grant',
      50148,
      "The 'redirect_uri' parameter does not match the redirect URI used in the authorization request.",
    ),
  codeForOtherClient: () =>
    new AadError(
      400,
      'invalid_grant',
      70000,
      'Provided grant is invalid or malformed. The authorization code was issued to a different client.',
    ),
  refreshTokenInvalid: () =>
    new AadError(
      400,
      'invalid_grant',
      9002313,
      'Invalid request. Request is malformed or invalid. The refresh token is invalid, revoked or expired.',
    ),
  refreshTokenExpired: () =>
    new AadError(
      400,
      'invalid_grant',
      700082,
      'The refresh token has expired due to inactivity. The token was issued and was inactive for too long.',
    ),
  redirectUriMismatch: (redirectUri: string, clientId: string) =>
    new AadError(
      400,
      'invalid_request',
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    ),
  unsupportedResponseType: (responseType: string) =>
    new AadError(
      400,
      'unsupported_response_type',
      700054,
      `response_type '${responseType}' is not enabled for the application.`,
    ),
  invalidCodeChallengeMethod: () =>
    new AadError(
      400,
      'invalid_request',
      501491,
      "Invalid size of Code_Challenge parameter or unsupported code_challenge_method. Use 'S256' or 'plain'.",
    ),
  userNotFound: (user: string, directory: string) =>
    new AadError(
      400,
      'invalid_grant',
      50034,
      `The user account ${user} does not exist in the ${directory} directory. To sign into this application, the account must be added to the directory.`,
    ),
  consentDeclined: () =>
    new AadError(400, 'consent_required', 65004, 'User declined to consent to access the app.'),
  adminApprovalRequired: (appName: string) =>
    new AadError(
      403,
      'access_denied',
      90094,
      `${appName} needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.`,
    ),
} as const;
