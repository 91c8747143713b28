import { createHash } from 'node:crypto';
import { SCHEDULE_INTERVAL_HOURS } from '@entra-backup/common';

export const SCHEDULE_INTERVAL_MS = SCHEDULE_INTERVAL_HOURS * 3600_000;
const MINUTES_PER_INTERVAL = SCHEDULE_INTERVAL_HOURS * 60;

/**
 * The tenant's fixed offset within the 12-hour cycle, in minutes: a hash of the tenant id, so
 * tenants spread evenly over the day and a tenant keeps its times across restarts and processes.
 */
export function offsetMinutesOf(tenantId: string): number {
  const digest = createHash('sha256').update(tenantId.toLowerCase()).digest();
  return digest.readUInt32BE(0) % MINUTES_PER_INTERVAL;
}

/** The first of the tenant's slots (UTC epoch + offset + k·12 h) strictly after `after`. */
export function nextSlotAfter(offsetMinutes: number, after: Date): Date {
  const base = offsetMinutes * 60_000;
  const k = Math.floor((after.getTime() - base) / SCHEDULE_INTERVAL_MS) + 1;
  return new Date(base + k * SCHEDULE_INTERVAL_MS);
}
