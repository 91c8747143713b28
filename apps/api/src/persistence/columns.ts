import { Column, type ColumnOptions, type ValueTransformer } from 'typeorm';

/**
 * Timestamps are stored as ISO-8601 UTC strings (`2026-11-26T05:10:27.123Z`, fixed width) in a
 * varchar on every engine. SQLite has no datetime type and TypeORM's emulation drops the zone,
 * while PostgreSQL's `timestamp` would depend on the session time zone; a string round-trips
 * exactly on both and still sorts chronologically.
 */
export const ISO_TIMESTAMP_LENGTH = 32;

export const isoTimestampTransformer: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.toISOString() : value),
  from: (value: string | null) => (value === null ? null : new Date(value)),
};

export function IsoTimestampColumn(options: Omit<ColumnOptions, 'type' | 'length' | 'transformer'> = {}) {
  return Column({
    ...options,
    type: 'varchar',
    length: ISO_TIMESTAMP_LENGTH,
    transformer: isoTimestampTransformer,
  });
}
