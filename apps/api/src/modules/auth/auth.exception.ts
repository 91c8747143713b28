import { DomainException } from '../../core/errors/domain.exception';

export enum AuthExceptionCode {
  /** No signed-in session (HTTP 401). */
  AUTHENTICATION_REQUIRED = 'AUTHENTICATION_REQUIRED',
  /** Signed in without Global Administrator or Privileged Role Administrator (HTTP 403). */
  NO_ACCESS = 'NO_ACCESS',
  /** The route names another tenant than the session's (HTTP 403). */
  TENANT_FORBIDDEN = 'TENANT_FORBIDDEN',
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

  static noAccess(upn: string): AuthException {
    return new AuthException(
      AuthExceptionCode.NO_ACCESS,
      `${upn} is not a Global Administrator or Privileged Role Administrator of the tenant, so it cannot use the backup portal`,
    );
  }

  static tenantForbidden(tenantId: string): AuthException {
    return new AuthException(
      AuthExceptionCode.TENANT_FORBIDDEN,
      `Tenant ${tenantId} is not the tenant you are signed in to`,
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
