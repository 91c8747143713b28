import type { AuditEventRecord, AuditTrailRepository } from '../../persistence/repositories';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../core/http/keyset-cursor';
import { AuditAction } from './audit-action';
import { AuditException } from './audit.exception';
import { AuditService } from './audit.service';

const NOW = new Date('2026-11-26T08:00:00.000Z');
const TENANT = '5b1d3c2a-8f6e-4d7c-9a0b-1c2d3e4f5a6b';

function storedEvent(n: number, overrides: Partial<AuditEventRecord> = {}): AuditEventRecord {
  return {
    id: `e${n}`,
    occurredAt: new Date(NOW.getTime() - n * 60_000),
    actor: 'user:ana@contoso.test',
    principalKind: 'person',
    address: '203.0.113.7',
    outcome: 'success',
    tenantId: TENANT,
    partnerId: null,
    action: 'settings.updated',
    details: {},
    ...overrides,
  };
}

describe(AuditService.name, () => {
  let sut: AuditService;
  let trail: jest.Mocked<AuditTrailRepository>;

  beforeEach(() => {
    trail = strictDouble<AuditTrailRepository>('AuditTrailRepository');
    sut = new AuditService(trail, new FixedClock(NOW));
  });

  describe('record', () => {
    beforeEach(() => {
      trail.append.mockImplementation((event) => Promise.resolve({ id: 'e1', ...event } as AuditEventRecord));
    });

    it('stamps events with the current time and reads the kind of a bare actor from its prefix', async () => {
      await sut.record({
        actor: 'cli:alice',
        action: AuditAction.TENANT_CREATED,
        tenantId: 't',
        details: { a: 1 },
      });
      await sut.record({ actor: 'schedule', action: AuditAction.BACKUP_STARTED, tenantId: 't', details: {} });

      expect(trail.append).toHaveBeenNthCalledWith(1, {
        occurredAt: NOW,
        actor: 'cli:alice',
        principalKind: 'cli',
        address: null,
        outcome: 'success',
        tenantId: 't',
        partnerId: null,
        action: AuditAction.TENANT_CREATED,
        details: { a: 1 },
      });
      expect(trail.append).toHaveBeenNthCalledWith(
        2,
        expect.objectContaining({ actor: 'schedule', principalKind: 'system' }),
      );
    });

    it('keeps the principal kind, address, outcome and partner a caller gives', async () => {
      await sut.record({
        actor: { actor: 'key:eb_abcd1234', principalKind: 'api-key', address: '198.51.100.4' },
        action: AuditAction.ACCESS_REFUSED,
        tenantId: null,
        partnerId: 'p1',
        outcome: 'refused',
        details: { code: 'TENANT_FORBIDDEN' },
      });

      expect(trail.append).toHaveBeenCalledWith(
        expect.objectContaining({
          actor: 'key:eb_abcd1234',
          principalKind: 'api-key',
          address: '198.51.100.4',
          outcome: 'refused',
          partnerId: 'p1',
        }),
      );
    });
  });

  describe('page', () => {
    it('asks for one row more than the page and hands out a cursor only when there is more', async () => {
      trail.page.mockResolvedValue([storedEvent(1), storedEvent(2), storedEvent(3)]);

      const page = await sut.page({ tenantId: TENANT.toUpperCase() }, { limit: 2 });

      expect(trail.page).toHaveBeenCalledWith({ tenantId: TENANT }, {}, undefined, 3);
      expect(page.items.map((e) => e.id)).toEqual(['e1', 'e2']);
      expect(page.items[0]).toMatchObject({
        occurredAt: '2026-11-26T07:59:00.000Z',
        principalKind: 'person',
      });
      expect(decodeKeysetCursor(page.nextCursor ?? '')).toEqual({
        occurredAt: '2026-11-26T07:58:00.000Z',
        id: 'e2',
      });
    });

    it('continues after the cursor and ends with a null cursor', async () => {
      trail.page.mockResolvedValue([storedEvent(3)]);
      const cursor = encodeKeysetCursor({ occurredAt: '2026-11-26T07:58:00.000Z', id: 'e2' });

      const page = await sut.page({ partnerId: 'p1' }, { limit: 2, cursor });

      expect(trail.page).toHaveBeenCalledWith(
        { partnerId: 'p1' },
        {},
        { occurredAt: '2026-11-26T07:58:00.000Z', id: 'e2' },
        3,
      );
      expect(page.nextCursor).toBeNull();
    });

    it('splits the action filter into exact actions and categories', async () => {
      trail.page.mockResolvedValue([]);

      await sut.page(
        { tenantId: TENANT },
        { limit: 10, action: 'auth.signed-in, backup.*,restore', actor: 'ana', outcome: 'refused' },
      );

      expect(trail.page).toHaveBeenCalledWith(
        { tenantId: TENANT },
        {
          actions: ['auth.signed-in'],
          categories: ['backup', 'restore'],
          actorContains: 'ana',
          outcome: 'refused',
        },
        undefined,
        11,
      );
    });

    it('refuses a cursor it did not hand out', async () => {
      await expect(
        sut.page({ tenantId: TENANT }, { limit: 10, cursor: 'not-a-cursor' }),
      ).rejects.toBeInstanceOf(AuditException);
    });
  });

  describe('download', () => {
    it('records the export before any event is read, then streams every page', async () => {
      const events: AuditEventRecord[] = [];
      for (let n = 1; n <= 501; n += 1) events.push(storedEvent(n));
      trail.append.mockImplementation((event) => Promise.resolve({ id: 'x', ...event } as AuditEventRecord));
      trail.page.mockResolvedValueOnce(events.slice(0, 500)).mockResolvedValueOnce(events.slice(500));

      const download = await sut.download('user:ana@contoso.test', { tenantId: TENANT }, 'csv', {});

      expect(trail.append).toHaveBeenCalledWith(
        expect.objectContaining({ action: AuditAction.EXPORT_DOWNLOADED, tenantId: TENANT }),
      );
      expect(trail.page).not.toHaveBeenCalled();
      expect(download.fileName).toBe(`entra-backup-audit-tenant-${TENANT}-2026-11-26.csv`);
      const streamed: string[] = [];
      for await (const event of download.events) streamed.push(event.id);
      expect(streamed).toHaveLength(501);
      expect(trail.page).toHaveBeenLastCalledWith(
        { tenantId: TENANT },
        {},
        { occurredAt: events[499]!.occurredAt.toISOString(), id: 'e500' },
        500,
      );
    });
  });
});
