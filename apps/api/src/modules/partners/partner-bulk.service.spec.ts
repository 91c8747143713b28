import { Logger } from '@nestjs/common';
import type { TenantRepository } from '../../persistence/repositories';
import { strictDouble } from '../../../test/support/doubles';
import {
  buildCustomerTenant,
  buildPartner,
  buildPartnerKeyPrincipal,
  buildStaffPrincipal,
  CUSTOMER,
  OTHER_CUSTOMER,
  PARTNER,
} from '../../../test/support/partner.factory';
import { AuthExceptionCode } from '../auth/auth.exception';
import { RunsException } from '../runs/runs.exception';
import type { RunsService } from '../runs/runs.service';
import type { SettingsService } from '../settings/settings.service';
import { PartnerBulkService } from './partner-bulk.service';
import type { PartnersService } from './partners.service';

const THIRD = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';

describe(PartnerBulkService.name, () => {
  let sut: PartnerBulkService;
  let partners: jest.Mocked<Pick<PartnersService, 'get'>>;
  let tenants: jest.Mocked<TenantRepository>;
  let runs: jest.Mocked<Pick<RunsService, 'startBackup'>>;
  let settings: jest.Mocked<Pick<SettingsService, 'update'>>;

  beforeEach(() => {
    partners = strictDouble<Pick<PartnersService, 'get'>>('PartnersService');
    partners.get.mockResolvedValue(buildPartner());
    tenants = strictDouble<TenantRepository>('TenantRepository');
    tenants.listByPartner.mockResolvedValue([
      buildCustomerTenant(),
      buildCustomerTenant({ id: THIRD, displayName: 'Tailspin' }),
    ]);
    runs = strictDouble<Pick<RunsService, 'startBackup'>>('RunsService');
    settings = strictDouble<Pick<SettingsService, 'update'>>('SettingsService');
    sut = new PartnerBulkService(
      partners as unknown as PartnersService,
      tenants,
      runs as unknown as RunsService,
      settings as unknown as SettingsService,
    );
  });

  it("starts a backup per customer tenant, each with its own outcome, refusing a tenant that is not the partner's", async () => {
    runs.startBackup.mockImplementation(async (tenantId) => {
      if (tenantId === THIRD) throw RunsException.alreadyRunning();
      return { runId: 'run-1' };
    });
    const caller = buildStaffPrincipal('operator');

    const result = await sut.startBackups(
      PARTNER,
      { tenantIds: [CUSTOMER.toUpperCase(), OTHER_CUSTOMER, THIRD, CUSTOMER] },
      caller,
    );

    expect(result.items).toEqual([
      { tenantId: CUSTOMER, ok: true, runId: 'run-1' },
      {
        tenantId: OTHER_CUSTOMER,
        ok: false,
        code: AuthExceptionCode.TENANT_FORBIDDEN,
        message: `You have no access to tenant ${OTHER_CUSTOMER}`,
      },
      { tenantId: THIRD, ok: false, code: 'BACKUP_ALREADY_RUNNING', message: expect.any(String) },
    ]);
    expect(runs.startBackup).toHaveBeenCalledTimes(2);
    expect(runs.startBackup).toHaveBeenCalledWith(CUSTOMER, {}, caller.actor);
  });

  it('refuses the tenants a key is not limited to, even of its partner', async () => {
    runs.startBackup.mockResolvedValue({ runId: 'run-1' });

    const result = await sut.startBackups(
      PARTNER,
      { tenantIds: [CUSTOMER, THIRD] },
      buildPartnerKeyPrincipal(['backups:start'], [CUSTOMER]),
    );

    expect(result.items.map((i) => [i.tenantId, i.ok, i.code])).toEqual([
      [CUSTOMER, true, undefined],
      [THIRD, false, AuthExceptionCode.TENANT_FORBIDDEN],
    ]);
  });

  it('switches the types on through the settings service, keeping one failure from stopping the others', async () => {
    settings.update.mockImplementation(async (tenantId) => {
      if (tenantId === CUSTOMER) throw new Error('database is gone');
      return {} as Awaited<ReturnType<SettingsService['update']>>;
    });
    const caller = buildStaffPrincipal('admin');
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const result = await sut.enableTypes(
      PARTNER,
      { tenantIds: [CUSTOMER, THIRD], enableTypes: ['users', 'groups'] },
      caller,
    );

    expect(result.items).toEqual([
      {
        tenantId: CUSTOMER,
        ok: false,
        code: 'INTERNAL_ERROR',
        message: 'An unexpected error occurred for this tenant',
      },
      { tenantId: THIRD, ok: true },
    ]);
    expect(settings.update).toHaveBeenCalledWith(THIRD, { users: true, groups: true }, caller.actor);
    // An unexpected error is logged with its detail, which the answer does not carry.
    expect(logged).toHaveBeenCalledWith(
      { tenantId: CUSTOMER, reason: 'database is gone' },
      'Bulk action failed unexpectedly for one tenant',
    );
  });
});
