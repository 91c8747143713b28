import type { AuditEventRecord, AuditTrailRepository } from '../../persistence/repositories';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import { AuditAction } from './audit-action';
import { AuditService } from './audit.service';

const NOW = new Date('2026-11-26T08:00:00.000Z');

describe(AuditService.name, () => {
  let sut: AuditService;
  let trail: jest.Mocked<AuditTrailRepository>;

  beforeEach(() => {
    trail = strictDouble<AuditTrailRepository>('AuditTrailRepository');
    sut = new AuditService(trail, new FixedClock(NOW));
  });

  it('stamps events with the current time', async () => {
    const stored = { id: 'e1' } as AuditEventRecord;
    trail.append.mockResolvedValue(stored);

    await expect(
      sut.record({ actor: 'api', action: AuditAction.TENANT_CREATED, tenantId: 't', details: { a: 1 } }),
    ).resolves.toBe(stored);
    expect(trail.append).toHaveBeenCalledWith({
      actor: 'api',
      action: AuditAction.TENANT_CREATED,
      tenantId: 't',
      details: { a: 1 },
      occurredAt: NOW,
    });
  });
});
