import type { CompareObject, CompareReference } from '@entra-backup/common';

/** A value longer than this is cut on the page (the downloads keep it whole). */
export const MAX_SHOWN_LENGTH = 400;

/** A property value for people: text as it is, yes/no, structures as indented JSON, absent as "—". */
export function formatValue(value: unknown): string {
  if (value === undefined) return '—';
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? '""' : cut(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  return cut(JSON.stringify(value, null, 2));
}

function cut(text: string): string {
  return text.length <= MAX_SHOWN_LENGTH
    ? text
    : `${text.slice(0, MAX_SHOWN_LENGTH - 1)}… (${text.length} characters)`;
}

export function referenceLabel(reference: CompareReference): string {
  return reference.name ?? reference.id;
}

export const CHANGE_LABEL: Record<CompareObject['change'], string> = {
  added: 'Added',
  changed: 'Changed',
  removed: 'Removed',
};

/** Objects a restore can bring back to the earlier snapshot: changed or removed ones. */
export function isRestorable(object: CompareObject): boolean {
  return object.change !== 'added';
}

/** The restore wizard's address for some objects of one type, from the earlier snapshot. */
export function restoreLink(snapshotId: string, type: string, ids: readonly string[]) {
  return { path: '/restore/new', queryParams: { snapshot: snapshotId, types: type, ids: ids.join(',') } };
}
