import { formatDate, formatNumber } from '@angular/common';
import type { BrowseColumn, BrowseValue } from '@entra-backup/common';

/** A table cell's text: the column's own label for a filter value, dates and numbers localized. */
export function formatCell(column: BrowseColumn, value: BrowseValue | undefined, locale = 'en-US'): string {
  if (value === null || value === undefined || value === '') return '—';
  const label = column.filter?.find((f) => f.value === String(value))?.label;
  if (label !== undefined) return label;
  switch (column.kind) {
    case 'date': {
      const date = new Date(String(value));
      return Number.isNaN(date.getTime()) ? String(value) : formatDate(date, 'medium', locale);
    }
    case 'number':
      return typeof value === 'number' ? formatNumber(value, locale) : String(value);
    case 'boolean':
      return value === true ? 'Yes' : value === false ? 'No' : String(value);
    default:
      return String(value);
  }
}

/** `column:value` pairs of the API's `filter` parameter. */
export function parseFilter(filter: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of (filter ?? '').split(',')) {
    const at = pair.indexOf(':');
    if (at > 0) out.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return out;
}

export function formatFilter(filters: ReadonlyMap<string, string>): string | null {
  const pairs = [...filters].map(([key, value]) => `${key}:${value}`);
  return pairs.length === 0 ? null : pairs.join(',');
}

/** `createdDateTime` → "Created date time"; `@odata.type` stays as it is. */
export function propertyLabel(name: string): string {
  if (name.startsWith('@')) return name;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A scalar property's text: dates localized, booleans as Yes/No, enum-like camelCase spelled out. */
export function formatScalar(value: unknown, locale = 'en-US'): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return formatNumber(value, locale);
  if (typeof value === 'string' && ISO_DATE.test(value)) return formatDate(new Date(value), 'medium', locale);
  return String(value);
}
