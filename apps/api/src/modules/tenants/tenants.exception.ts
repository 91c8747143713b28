import { DomainException } from '../../core/errors/domain.exception';

export enum TenantExceptionCode {
  TENANT_NOT_FOUND = 'TENANT_NOT_FOUND',
  TENANT_EXISTS = 'TENANT_EXISTS',
}

export class TenantException extends DomainException<TenantExceptionCode> {
  private constructor(code: TenantExceptionCode, message: string) {
    super(code, message);
  }

  static notFound(tenantId: string): TenantException {
    return new TenantException(TenantExceptionCode.TENANT_NOT_FOUND, `Tenant ${tenantId} not found`);
  }

  static alreadyExists(tenantId: string): TenantException {
    return new TenantException(TenantExceptionCode.TENANT_EXISTS, `Tenant ${tenantId} already exists`);
  }
}
