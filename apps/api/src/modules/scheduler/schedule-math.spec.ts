import { nextSlotAfter, offsetMinutesOf, SCHEDULE_INTERVAL_MS } from './schedule-math';

describe(offsetMinutesOf.name, () => {
  it('is stable, case-insensitive and within the 12-hour cycle', () => {
    const id = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    expect(offsetMinutesOf(id)).toBe(offsetMinutesOf(id.toUpperCase()));
    expect(offsetMinutesOf(id)).toBeGreaterThanOrEqual(0);
    expect(offsetMinutesOf(id)).toBeLessThan(720);
  });

  it('spreads tenants over the cycle', () => {
    const offsets = Array.from({ length: 200 }, (_, i) =>
      offsetMinutesOf(`00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`),
    );
    const hours = new Set(offsets.map((m) => Math.floor(m / 60)));
    expect(hours.size).toBe(12);
  });
});

describe(nextSlotAfter.name, () => {
  it('returns the first slot strictly after the given time', () => {
    // Offset 90 min: slots at 01:30 and 13:30 UTC.
    expect(nextSlotAfter(90, new Date('2026-11-26T08:00:00.000Z')).toISOString()).toBe(
      '2026-11-26T13:30:00.000Z',
    );
    expect(nextSlotAfter(90, new Date('2026-11-26T13:30:00.000Z')).toISOString()).toBe(
      '2026-11-27T01:30:00.000Z',
    );
    expect(nextSlotAfter(90, new Date('2026-11-26T13:29:59.999Z')).toISOString()).toBe(
      '2026-11-26T13:30:00.000Z',
    );
  });

  it('is never more than 12 hours away', () => {
    for (const offset of [0, 1, 359, 719]) {
      const now = new Date('2026-11-26T08:17:00.000Z');
      const wait = nextSlotAfter(offset, now).getTime() - now.getTime();
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(SCHEDULE_INTERVAL_MS);
    }
  });
});
