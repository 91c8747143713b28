import type { Request } from 'express';
import { strictDouble } from '../../../test/support/doubles';
import type { PartnerEntity, TenantEntity } from '../../persistence/entities';
import type { PartnerRepository, TenantRepository } from '../../persistence/repositories';
import { AuditAction } from '../audit/audit-action';
import type { AuditService } from '../audit/audit.service';
import { attachPrincipal } from './access.decorator';
import { AccessRefusals } from './access-refusals';
import { AuthException } from './auth.exception';
import type { Principal } from './principal';

const TENANT = '5b1d3c2a-8f6e-4d7c-9a0b-1c2d3e4f5a6b';
const PARTNER = '0c9e8d7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f';

function buildRequest(overrides: { params?: Record<string, string>; authorization?: string } = {}): Request {
  return {
    method: 'GET',
    path: `/api/tenants/${TENANT}/settings`,
    route: { path: '/api/tenants/:tenantId/settings' },
    params: overrides.params ?? { tenantId: TENANT },
    ip: '198.51.100.4',
    socket: {},
    header: (name: string) => (name.toLowerCase() === 'authorization' ? overrides.authorization : undefined),
  } as unknown as Request;
}

describe(AccessRefusals.name, () => {
  let sut: AccessRefusals;
  let audit: jest.Mocked<AuditService>;
  let tenants: jest.Mocked<TenantRepository>;
  let partners: jest.Mocked<PartnerRepository>;

  beforeEach(() => {
    audit = strictDouble<AuditService>('AuditService');
    tenants = strictDouble<TenantRepository>('TenantRepository');
    partners = strictDouble<PartnerRepository>('PartnerRepository');
    audit.record.mockResolvedValue({} as Awaited<ReturnType<AuditService['record']>>);
    tenants.findById.mockImplementation(async (id) => (id === TENANT ? ({ id } as TenantEntity) : null));
    partners.findById.mockImplementation(async (id) => (id === PARTNER ? ({ id } as PartnerEntity) : null));
    sut = new AccessRefusals(audit, tenants, partners);
  });

  it("records a principal's refusal under the tenant it named, with the route and code only", async () => {
    const request = buildRequest();
    attachPrincipal(request, {
      kind: 'person',
      id: 'eve@fabrikam.test',
      name: 'Eve',
      actor: 'user:eve@fabrikam.test',
      grants: [],
      address: '198.51.100.4',
    } satisfies Principal);

    await sut.record(request, [TENANT], AuthException.tenantForbidden(TENANT));

    expect(audit.record).toHaveBeenCalledWith({
      actor: { actor: 'user:eve@fabrikam.test', principalKind: 'person', address: '198.51.100.4' },
      action: AuditAction.ACCESS_REFUSED,
      outcome: 'refused',
      tenantId: TENANT,
      partnerId: null,
      details: {
        method: 'GET',
        route: '/api/tenants/:tenantId/settings',
        code: 'TENANT_FORBIDDEN',
        reason: `You have no access to tenant ${TENANT}`,
      },
    });
  });

  it('names a refused key by its public prefix, and a caller without credentials as anonymous', async () => {
    await sut.record(
      buildRequest({ authorization: `Bearer eb_abcd1234_${'x'.repeat(43)}` }),
      [TENANT],
      AuthException.apiKeyInvalid('revoked'),
    );
    await sut.record(buildRequest(), [TENANT], AuthException.authenticationRequired());

    expect(audit.record).toHaveBeenNthCalledWith(
      1,
      expect.objectContaining({
        actor: { actor: 'key:eb_abcd1234', principalKind: 'api-key', address: '198.51.100.4' },
      }),
    );
    expect(audit.record).toHaveBeenNthCalledWith(
      2,
      expect.objectContaining({
        actor: { actor: 'anonymous', principalKind: 'anonymous', address: '198.51.100.4' },
      }),
    );
  });

  it('records a refusal of a partner route under the partner', async () => {
    await sut.record(
      buildRequest({ params: { partnerId: PARTNER } }),
      [],
      AuthException.partnerForbidden(PARTNER),
    );

    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ tenantId: null, partnerId: PARTNER }),
    );
  });

  it('records nothing for tenants and partners that do not exist, nor for other errors', async () => {
    const unknown = '11111111-2222-4333-8444-555555555555';
    await sut.record(
      buildRequest({ params: { tenantId: unknown } }),
      [unknown],
      AuthException.tenantForbidden(unknown),
    );
    await sut.record(buildRequest(), [TENANT], new Error('database down'));
    await sut.record(buildRequest(), [TENANT], AuthException.signInFailed('bad state'));

    expect(audit.record).not.toHaveBeenCalled();
  });

  it('never throws when the trail cannot be written (the refusal goes out as it was)', async () => {
    audit.record.mockRejectedValue(new Error('database is locked'));

    await expect(
      sut.record(buildRequest(), [TENANT], AuthException.authenticationRequired()),
    ).resolves.toBeUndefined();
  });
});
