import { DomainException } from '../../core/errors/domain.exception';

export enum AuthExceptionCode {
  /** No signed-in session (HTTP 401). */
  AUTHENTICATION_REQUIRED = 'AUTHENTICATION_REQUIRED',
  /** Signed in without Global Administrator or Privileged Role Administrator (HTTP 403). */
  NO_ACCESS = 'NO_ACCESS',
  /** The caller may not act on the tenant (or partner) the route names (HTTP 403). */
  TENANT_FORBIDDEN = 'TENANT_FORBIDDEN',
  /** The caller may see the tenant but lacks the permission for this operation (HTTP 403). */
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  /** Only a Global Administrator signed in to the tenant can do this (admin consent) (HTTP 403). */
  TENANT_ADMIN_REQUIRED = 'TENANT_ADMIN_REQUIRED',
  /** `Authorization: Bearer` with a malformed, unknown, revoked or expired API key (HTTP 401). */
  API_KEY_INVALID = 'API_KEY_INVALID',
  /**
   * An API key made more requests than its rate limit allows, or a client address started too
   * many sign-ins; see `Retry-After` (HTTP 429).
   */
  RATE_LIMITED = 'RATE_LIMITED',
  /** A state-changing request without the session's CSRF token (HTTP 403). */
  CSRF_TOKEN_INVALID = 'CSRF_TOKEN_INVALID',
  /** The sign-in response was missing, forged, expired or failed validation (HTTP 400). */
  SIGN_IN_FAILED = 'SIGN_IN_FAILED',
  /** AZURE_CLIENT_ID and a credential (secret or certificate) are not configured (HTTP 503). */
  SIGN_IN_NOT_CONFIGURED = 'SIGN_IN_NOT_CONFIGURED',
}

export class AuthException extends DomainException<AuthExceptionCode> {
  private constructor(code: AuthExceptionCode, message: string) {
    super(code, message);
  }

  static authenticationRequired(): AuthException {
    return new AuthException(AuthExceptionCode.AUTHENTICATION_REQUIRED, 'Sign in with Microsoft 365 first');
  }

  static sessionEnded(): AuthException {
    return new AuthException(
      AuthExceptionCode.AUTHENTICATION_REQUIRED,
      'Your session ended: you no longer hold an admin role of your tenant; sign in again if that changes',
    );
  }

  static noAccess(upn: string): AuthException {
    return new AuthException(
      AuthExceptionCode.NO_ACCESS,
      `${upn} is not a Global Administrator or Privileged Role Administrator of the tenant, nor on a partner's staff, so it cannot use the backup portal`,
    );
  }

  static tenantForbidden(tenantId: string): AuthException {
    return new AuthException(AuthExceptionCode.TENANT_FORBIDDEN, `You have no access to tenant ${tenantId}`);
  }

  static partnerForbidden(partnerId: string): AuthException {
    return new AuthException(
      AuthExceptionCode.TENANT_FORBIDDEN,
      `You have no access to partner ${partnerId}`,
    );
  }

  static permissionDenied(permission: string): AuthException {
    return new AuthException(
      AuthExceptionCode.PERMISSION_DENIED,
      `This needs the ${permission} permission, which your role or key does not have`,
    );
  }

  static tenantAdminRequired(): AuthException {
    return new AuthException(
      AuthExceptionCode.TENANT_ADMIN_REQUIRED,
      "Admin consent is granted by a Global Administrator signed in to the tenant itself; for a customer's tenant, send its administrator an onboarding link",
    );
  }

  static apiKeyInvalid(reason: string): AuthException {
    return new AuthException(AuthExceptionCode.API_KEY_INVALID, `The API key was refused: ${reason}`);
  }

  static rateLimited(limitPerMinute: number, retryAfterSeconds: number): AuthException {
    return new AuthException(
      AuthExceptionCode.RATE_LIMITED,
      `This API key made more than its ${limitPerMinute} requests per minute (and its burst allowance); retry in ${retryAfterSeconds} s`,
    );
  }

  static signInStartsLimited(retryAfterSeconds: number): AuthException {
    return new AuthException(
      AuthExceptionCode.RATE_LIMITED,
      `Too many sign-ins were started from your network address; retry in ${retryAfterSeconds} s`,
    );
  }

  static csrfTokenInvalid(): AuthException {
    return new AuthException(
      AuthExceptionCode.CSRF_TOKEN_INVALID,
      'Missing or wrong x-csrf-token header; reload the page and try again',
    );
  }

  static signInFailed(reason: string): AuthException {
    return new AuthException(AuthExceptionCode.SIGN_IN_FAILED, `Sign-in failed: ${reason}`);
  }

  static notConfigured(): AuthException {
    return new AuthException(
      AuthExceptionCode.SIGN_IN_NOT_CONFIGURED,
      'Sign-in is not configured: set AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (or start without them for the demo mode)',
    );
  }
}
