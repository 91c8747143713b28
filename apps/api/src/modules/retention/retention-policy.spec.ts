import { DEFAULT_RETENTION_POLICY, type RetentionPolicy } from '@entra-backup/common';
import { monthsBefore, type RetainableSnapshot, selectRetained } from './retention-policy';

const DAY = 86_400_000;
const NOW = new Date('2026-12-07T12:00:00.000Z');

/** One snapshot a day at 02:00 UTC for `days` days up to NOW, seq 1 oldest. */
function daily(days: number, hour = 2): RetainableSnapshot[] {
  const first = Date.UTC(2026, 11, 7, hour) - (days - 1) * DAY;
  return Array.from({ length: days }, (_, i) => ({
    id: `s${i + 1}`,
    seq: i + 1,
    createdAt: new Date(first + i * DAY),
  }));
}

const ids = (snapshots: readonly RetainableSnapshot[]) =>
  snapshots.map((s) => s.createdAt.toISOString().slice(0, 10));

describe(selectRetained.name, () => {
  it('keeps every snapshot of the last keepAllDays days, however many a day', () => {
    const many = Array.from({ length: 48 }, (_, i) => ({
      id: `h${i}`,
      seq: i + 1,
      createdAt: new Date(NOW.getTime() - (48 - i) * 3_600_000),
    }));
    const sut = selectRetained(
      many,
      { ...DEFAULT_RETENTION_POLICY, dailyDays: 0, weeklyWeeks: 0, monthlyMonths: 0 },
      NOW,
    );
    expect(sut.pruned).toEqual([]);
    expect(sut.kept).toHaveLength(48);
  });

  it('keeps only the newest snapshot of a day once it is older than keepAllDays', () => {
    const policy: RetentionPolicy = {
      ...DEFAULT_RETENTION_POLICY,
      keepAllDays: 1,
      weeklyWeeks: 0,
      monthlyMonths: 0,
    };
    const day = Date.UTC(2026, 11, 1);
    const snapshots = [0, 6, 12, 18].map((hour, i) => ({
      id: `d${i}`,
      seq: i + 1,
      createdAt: new Date(day + hour * 3_600_000),
    }));
    const sut = selectRetained(snapshots, policy, NOW);
    expect(sut.kept.map((s) => s.id)).toEqual(['d3']);
    expect(sut.pruned.map((s) => s.id)).toEqual(['d0', 'd1', 'd2']);
  });

  it('applies the default policy to 400 daily snapshots: 14 + daily to 30 days, weekly to 12 weeks, monthly to 12 months', () => {
    const sut = selectRetained(daily(400), DEFAULT_RETENTION_POLICY, NOW);
    const kept = ids(sut.kept);
    // Every day of the last 30 days (14 all + daily), newest first.
    expect(kept.slice(0, 30)).toEqual(
      Array.from({ length: 30 }, (_, i) =>
        new Date(Date.UTC(2026, 11, 7) - i * DAY).toISOString().slice(0, 10),
      ),
    );
    // Then the Sunday (newest day) of each ISO week back to 84 days (from 14 Sep 12:00), then the
    // last day of each month back to 7 Dec 2025: the weeks and months the daily tier did not keep.
    expect(kept.slice(30)).toEqual([
      '2026-11-01',
      '2026-10-31',
      '2026-10-25',
      '2026-10-18',
      '2026-10-11',
      '2026-10-04',
      '2026-09-30',
      '2026-09-27',
      '2026-09-20',
      '2026-08-31',
      '2026-07-31',
      '2026-06-30',
      '2026-05-31',
      '2026-04-30',
      '2026-03-31',
      '2026-02-28',
      '2026-01-31',
      '2025-12-31',
    ]);
    expect(sut.kept.length + sut.pruned.length).toBe(400);
    expect(ids(sut.pruned)[0]).toBe('2025-11-03');
  });

  it('always keeps the newest snapshot, however old', () => {
    const old = [{ id: 'last', seq: 9, createdAt: new Date('2020-01-01T00:00:00Z') }];
    expect(selectRetained(old, DEFAULT_RETENTION_POLICY, NOW).kept.map((s) => s.id)).toEqual(['last']);
  });

  it('keeps pinned snapshots the policy would let go', () => {
    const sut = selectRetained(daily(400), DEFAULT_RETENTION_POLICY, NOW, new Set(['s1', 's2']));
    expect(sut.kept.map((s) => s.id)).toEqual(expect.arrayContaining(['s1', 's2']));
    expect(sut.pruned.map((s) => s.id)).not.toContain('s1');
  });

  it('keeps one snapshot per ISO week, Monday to Sunday', () => {
    // Monday 2026-11-02 .. Sunday 2026-11-15: two weeks, newest of each is its Sunday.
    const snapshots = Array.from({ length: 14 }, (_, i) => ({
      id: `w${i}`,
      seq: i + 1,
      createdAt: new Date(Date.UTC(2026, 10, 2 + i, 1)),
    }));
    const policy: RetentionPolicy = {
      keepAllDays: 1,
      dailyDays: 0,
      weeklyWeeks: 10,
      monthlyMonths: 0,
      logDays: 30,
    };
    expect(ids(selectRetained(snapshots, policy, NOW).kept)).toEqual(['2026-11-15', '2026-11-08']);
  });
});

describe(monthsBefore.name, () => {
  it('clamps to the last day of a shorter month', () => {
    expect(monthsBefore(new Date('2026-03-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(monthsBefore(new Date('2026-01-15T00:00:00Z'), 12).toISOString()).toBe('2025-01-15T00:00:00.000Z');
  });
});
