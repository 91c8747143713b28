import type { RetentionPolicy } from '@entra-backup/common';

const DAY_MS = 86_400_000;

export interface RetainableSnapshot {
  readonly id: string;
  readonly seq: number;
  /** When the backup was taken (the run's start). */
  readonly createdAt: Date;
}

export interface RetentionSelection<S extends RetainableSnapshot> {
  /** Snapshots the policy keeps, newest first. */
  readonly kept: S[];
  /** Snapshots the policy lets go, oldest first. */
  readonly pruned: S[];
}

/**
 * Which snapshots a grandfather-father-son policy keeps at `now`. Each tier counts back from
 * `now` and keeps, per period, the newest snapshot taken in it (highest seq):
 * - every snapshot younger than `keepAllDays` days (and any dated after `now`);
 * - per UTC day, for days in the last `dailyDays` days;
 * - per ISO week (Monday 00:00 UTC to Sunday), for snapshots in the last `weeklyWeeks` weeks;
 * - per calendar month (UTC), for snapshots since the same day `monthlyMonths` months ago.
 * The newest snapshot is always kept (a tenant whose backups stopped keeps its last state), and so
 * is every snapshot in `pinned` (e.g. referenced by an unfinished restore).
 */
export function selectRetained<S extends RetainableSnapshot>(
  snapshots: readonly S[],
  policy: RetentionPolicy,
  now: Date,
  pinned: ReadonlySet<string> = new Set(),
): RetentionSelection<S> {
  const newestFirst = [...snapshots].sort((a, b) => b.seq - a.seq);
  const keep = new Set<string>(pinned);
  const newest = newestFirst[0];
  if (newest !== undefined) keep.add(newest.id);

  const nowMs = now.getTime();
  const allSince = nowMs - policy.keepAllDays * DAY_MS;
  const tiers: Array<{ since: number; period: (at: Date) => string }> = [
    { since: nowMs - policy.dailyDays * DAY_MS, period: utcDay },
    { since: nowMs - policy.weeklyWeeks * 7 * DAY_MS, period: isoWeek },
    { since: monthsBefore(now, policy.monthlyMonths).getTime(), period: utcMonth },
  ];
  for (const snapshot of newestFirst) {
    if (snapshot.createdAt.getTime() > allSince) keep.add(snapshot.id);
  }
  for (const tier of tiers) {
    const seen = new Set<string>();
    // Newest first: the first snapshot met in a period is the one the period keeps.
    for (const snapshot of newestFirst) {
      if (snapshot.createdAt.getTime() < tier.since) continue;
      const period = tier.period(snapshot.createdAt);
      if (seen.has(period)) continue;
      seen.add(period);
      keep.add(snapshot.id);
    }
  }
  return {
    kept: newestFirst.filter((s) => keep.has(s.id)),
    pruned: newestFirst.filter((s) => !keep.has(s.id)).reverse(),
  };
}

function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function utcMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The ISO week as the date of its Monday (UTC). */
function isoWeek(at: Date): string {
  const daysSinceMonday = (at.getUTCDay() + 6) % 7;
  const monday = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()) - daysSinceMonday * DAY_MS;
  return new Date(monday).toISOString().slice(0, 10);
}

/** The same instant `months` calendar months earlier (clamped to the month's last day). */
export function monthsBefore(at: Date, months: number): Date {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(at.getUTCDate(), lastDay),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  );
}
