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

  it.each([
    [undefined, 50],
    [0, 1],
    [10, 10],
    [10_000, 500],
  ])('clamps a limit of %s to %s', async (limit, expected) => {
    trail.listRecent.mockResolvedValue([]);

    await expect(sut.listRecent(limit === undefined ? {} : { limit })).resolves.toEqual([]);
    expect(trail.listRecent).toHaveBeenCalledWith({ limit: expected });
  });

  it('filters by tenant when asked', async () => {
    trail.listRecent.mockResolvedValue([]);

    await sut.listRecent({ tenantId: 't', limit: 5 });

    expect(trail.listRecent).toHaveBeenCalledWith({ tenantId: 't', limit: 5 });
  });
});
