import { AdjustableClock } from '../shared/world-port';
import { ActivityLog, HOUR_MS } from './activity-log';
import { TenantGenerator } from './tenant-generator';

const spec = {
  index: 0,
  tenantId: '00000000-0000-4000-8000-000000000001',
  displayName: 'Contoso Demo',
  domain: 'contosodemo.onmicrosoft.com',
  users: 100,
  premium: true,
};

describe(ActivityLog.name, () => {
  const clock = new AdjustableClock();
  clock.set(Date.UTC(2026, 10, 20, 12, 30));
  const gen = new TenantGenerator(1, spec, Date.UTC(2026, 10, 20));

  it('pages newest first through a window without gaps or duplicates, never into the future', () => {
    const sut = new ActivityLog(gen, 'signIns', 5, clock);
    const window = { from: clock.now() - 48 * HOUR_MS, to: clock.now() };
    const all: string[] = [];
    let times: number[] = [];
    let cursor;
    do {
      const page = sut.read(window, cursor, 7);
      all.push(...page.items.map((e) => String(e['id'])));
      times = times.concat(page.items.map((e) => Date.parse(String(e['createdDateTime']))));
      cursor = page.next;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(200);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(Math.max(...times)).toBeLessThanOrEqual(clock.now());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(window.from);
  });

  it('merges recorded events into their hour', () => {
    const sut = new ActivityLog(gen, 'directoryAudits', 2, clock);
    const before = sut.bucketEvents(Math.floor(clock.now() / HOUR_MS)).length;
    sut.record({ id: 'x', activityDateTime: new Date(clock.now() - 1000).toISOString() }, clock.now() - 1000);
    const events = sut.bucketEvents(Math.floor(clock.now() / HOUR_MS));
    expect(events).toHaveLength(before + 1);
    expect(events[0]!['id']).toBe('x');
  });
});
