import { COMPARE_CSV_COLUMNS, type CompareObject, type CompareReference } from '@entra-backup/common';

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"), tab and CR included. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: a value a spreadsheet would run as a formula gets a leading apostrophe, and a
 * field with a comma, quote or line break is quoted with its quotes doubled (RFC 4180).
 */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export const CSV_HEADER = csvLine(COMPARE_CSV_COLUMNS);

/** A JSON value as one cell: strings as they are, anything else as JSON; absent as empty. */
export function cellValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function referenceText(reference: CompareReference): string {
  return reference.name === null ? reference.id : `${reference.name} (${reference.id})`;
}

/**
 * The rows of one object: one per property difference (one per reference added or removed), or
 * one row without property for an added or removed object.
 */
export function csvRows(type: string, object: CompareObject): string {
  const base = [type, object.collection, object.id, object.name, object.change];
  if (object.properties.length === 0) return csvLine([...base, '', '', '']);
  let rows = '';
  for (const property of object.properties) {
    if (property.kind === 'value') {
      rows += csvLine([...base, property.path, cellValue(property.old), cellValue(property.new)]);
      continue;
    }
    for (const removed of property.removed)
      rows += csvLine([...base, property.path, referenceText(removed), '']);
    for (const added of property.added) rows += csvLine([...base, property.path, '', referenceText(added)]);
  }
  return rows;
}
