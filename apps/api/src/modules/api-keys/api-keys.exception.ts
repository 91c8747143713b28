import { DomainException } from '../../core/errors/domain.exception';

export enum ApiKeyExceptionCode {
  /** No such key of this tenant or partner (HTTP 404). */
  API_KEY_NOT_FOUND = 'API_KEY_NOT_FOUND',
  /** The tenant or partner the route names is not registered (HTTP 404). */
  API_KEY_OWNER_NOT_FOUND = 'API_KEY_OWNER_NOT_FOUND',
  /** An expiry in the past, a tenant that is not the partner's, ... (HTTP 400). */
  API_KEY_INVALID_REQUEST = 'API_KEY_INVALID_REQUEST',
  /** Rotating a key that is revoked, expired or already replaced (HTTP 409). */
  API_KEY_NOT_ACTIVE = 'API_KEY_NOT_ACTIVE',
  /** A scope grants a permission the caller does not hold there itself (HTTP 403). */
  API_KEY_SCOPE_NOT_HELD = 'API_KEY_SCOPE_NOT_HELD',
}

export class ApiKeyException extends DomainException<ApiKeyExceptionCode> {
  private constructor(code: ApiKeyExceptionCode, message: string) {
    super(code, message);
  }

  static notFound(keyId: string): ApiKeyException {
    return new ApiKeyException(ApiKeyExceptionCode.API_KEY_NOT_FOUND, `API key ${keyId} not found`);
  }

  static ownerNotFound(kind: 'tenant' | 'partner', id: string): ApiKeyException {
    return new ApiKeyException(
      ApiKeyExceptionCode.API_KEY_OWNER_NOT_FOUND,
      kind === 'tenant' ? `Tenant ${id} is not registered` : `Partner ${id} not found`,
    );
  }

  static invalidRequest(message: string): ApiKeyException {
    return new ApiKeyException(ApiKeyExceptionCode.API_KEY_INVALID_REQUEST, message);
  }

  static notActive(prefix: string, state: string): ApiKeyException {
    return new ApiKeyException(
      ApiKeyExceptionCode.API_KEY_NOT_ACTIVE,
      `Key ${prefix} is ${state}; only an active key can be rotated (create a new key instead)`,
    );
  }

  static scopeNotHeld(scope: string, permission: string): ApiKeyException {
    return new ApiKeyException(
      ApiKeyExceptionCode.API_KEY_SCOPE_NOT_HELD,
      `The ${scope} scope grants ${permission}, which you do not hold here yourself`,
    );
  }
}
