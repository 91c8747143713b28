import { Readable } from 'node:stream';
import { AUDIT_CSV_COLUMNS, type AuditEvent } from '@entra-backup/common';
import { csvLine } from '../compare/compare-csv';

/** The audit log as CSV (one row per event, `details` as JSON), written as it is read. */
export function auditCsv(events: AsyncIterable<AuditEvent>): Readable {
  return Readable.from(
    (async function* () {
      yield csvLine(AUDIT_CSV_COLUMNS);
      for await (const event of events) {
        yield csvLine(
          AUDIT_CSV_COLUMNS.map((column) => {
            const value = event[column];
            if (value === null) return '';
            return typeof value === 'string' ? value : JSON.stringify(value);
          }),
        );
      }
    })(),
  );
}

/** The audit log as one JSON document `{ "items": [...] }`, written as it is read. */
export function auditJson(events: AsyncIterable<AuditEvent>): Readable {
  return Readable.from(
    (async function* () {
      yield '{"items":[';
      let first = true;
      for await (const event of events) {
        yield `${first ? '' : ','}\n${JSON.stringify(event)}`;
        first = false;
      }
      yield '\n]}\n';
    })(),
  );
}
