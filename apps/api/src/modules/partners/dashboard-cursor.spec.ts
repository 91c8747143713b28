import { comparePositions, decodeCursor, encodeCursor } from './dashboard-cursor';
import { PartnerExceptionCode } from './partners.exception';

describe('dashboard cursor', () => {
  it('round-trips a position under its sort', () => {
    const position = { value: 1234, name: 'contoso', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' };

    const cursor = encodeCursor('storage', position);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('storage', cursor)).toEqual(position);
  });

  it.each([
    ['junk', 'not a cursor'],
    ['another sort', encodeCursor('name', { value: '', name: 'a', tenantId: 'b' })],
    [
      'a forged value type',
      Buffer.from(JSON.stringify({ v: 1, s: 'storage', p: ['x', 'a', 'b'] })).toString('base64url'),
    ],
  ])('refuses %s with PARTNER_CURSOR_INVALID', (_, cursor) => {
    expect(() => decodeCursor('storage', cursor)).toThrow(
      expect.objectContaining({ code: PartnerExceptionCode.PARTNER_CURSOR_INVALID }),
    );
  });

  it('orders by the sort value, then name, then tenant id', () => {
    const a = { value: 10, name: 'b', tenantId: '1' };
    const b = { value: 10, name: 'b', tenantId: '2' };
    const c = { value: 20, name: 'z', tenantId: '0' };

    expect([a, b, c].sort((x, y) => comparePositions('storage', x, y))).toEqual([c, a, b]);
    expect([c, b, a].sort((x, y) => comparePositions('name', x, y))).toEqual([a, b, c]);
    const never = { value: '', name: 'y', tenantId: '9' };
    const old = { value: '2026-01-01T00:00:00.000Z', name: 'a', tenantId: '8' };
    expect([old, never].sort((x, y) => comparePositions('lastBackup', x, y))).toEqual([never, old]);
  });
});
