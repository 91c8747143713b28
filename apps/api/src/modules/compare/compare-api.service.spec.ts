import type { CompareSummary } from '@entra-backup/common';
import { ConsentExceptionCode } from '../consent/consent.exception';
import type { ConsentGrantsService } from '../consent/consent-grants.service';
import { strictDouble } from '../../../test/support/doubles';
import type { AuditService } from '../audit/audit.service';
import { CompareApiService } from './compare-api.service';
import type { CompareRequest, CompareService, LiveReadOptions } from './compare.service';

const TENANT = '6b1a4c2e-0f3d-4e5a-9b8c-7d6e5f4a3b2c';
const ACTOR = 'user:admin@contoso.test';

describe(CompareApiService.name, () => {
  let compare: jest.Mocked<Pick<CompareService, 'summary' | 'startLiveRead'>>;
  let consent: jest.Mocked<Pick<ConsentGrantsService, 'isGranted'>>;
  let sut: CompareApiService;

  beforeEach(() => {
    compare = {
      summary: jest.fn(
        async (_tenant: string, _request: CompareRequest, _actor: string) =>
          ({ types: [] }) as unknown as CompareSummary,
      ),
      startLiveRead: jest.fn(async (_tenant: string, _options: LiveReadOptions, _actor: string) => ({
        runId: 'run',
      })),
    };
    consent = { isGranted: jest.fn(async (_tenant: string) => false) };
    sut = new CompareApiService(
      compare as unknown as CompareService,
      consent as unknown as ConsentGrantsService,
      strictDouble<AuditService>('AuditService'),
    );
  });

  it('refuses to read the live tenant without admin consent, in plain words', async () => {
    await expect(sut.startLiveRead(TENANT, {}, ACTOR)).rejects.toMatchObject({
      code: ConsentExceptionCode.CONSENT_REQUIRED,
      message: expect.stringContaining(
        'Grant admin consent in Settings before comparing with the live tenant',
      ),
    });
    await expect(sut.summary(TENANT, { from: '1', to: 'live' }, ACTOR)).rejects.toMatchObject({
      code: ConsentExceptionCode.CONSENT_REQUIRED,
    });
    expect(compare.startLiveRead).not.toHaveBeenCalled();
    expect(compare.summary).not.toHaveBeenCalled();
  });

  it('compares stored snapshots without consent, and reads the live tenant with it', async () => {
    await expect(sut.summary(TENANT, { from: '1', to: '2' }, ACTOR)).resolves.toEqual({ types: [] });
    consent.isGranted.mockResolvedValue(true);
    await expect(sut.startLiveRead(TENANT, { from: '2' }, ACTOR)).resolves.toEqual({ runId: 'run' });
    expect(compare.startLiveRead).toHaveBeenCalledWith(TENANT, { from: '2' }, ACTOR);
  });
});
