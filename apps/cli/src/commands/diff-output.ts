import {
  type CompareObject,
  type CompareProperty,
  type CompareReference,
  type CompareSnapshot,
  type CompareSummary,
  type ObjectTypeKey,
  objectTypeLabel,
} from '@entra-backup/common';

/** A value longer than this is cut, with an ellipsis and its full length. */
export const MAX_VALUE_LENGTH = 80;

export interface DescribedObject {
  readonly type: ObjectTypeKey;
  readonly object: CompareObject;
}

const SIGN: Record<CompareObject['change'], string> = { added: '+', changed: '~', removed: '-' };

/** A property value for a terminal: strings quoted, structures as compact JSON, long ones cut. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= MAX_VALUE_LENGTH) return text;
  return `${text.slice(0, MAX_VALUE_LENGTH - 1)}… (${text.length} chars)`;
}

function referenceText(reference: CompareReference): string {
  return reference.name === null ? reference.id : `${reference.name} (${reference.id})`;
}

/** `department: "Sales" → "Finance"`, or `members: + Lee Gu (u3), - Megan Bowen (u2)`. */
export function propertyLine(property: CompareProperty): string {
  if (property.kind === 'value')
    return `${property.path}: ${formatValue(property.old)} → ${formatValue(property.new)}`;
  const parts = [
    ...property.added.map((r) => `+ ${referenceText(r)}`),
    ...property.removed.map((r) => `- ${referenceText(r)}`),
  ];
  return `${property.path}: ${parts.join(', ')}`;
}

function snapshotText(snapshot: CompareSnapshot): string {
  const what = snapshot.live
    ? `the live tenant (read now as snapshot #${snapshot.seq}, `
    : `snapshot #${snapshot.seq} (`;
  return `${what}${snapshot.snapshotId}, ${snapshot.takenAt})`;
}

/** The comparison for people: per type and collection the figures, then each object by name, old → new. */
export function renderComparison(summary: CompareSummary, objects: readonly DescribedObject[]): string {
  const lines = [`From ${snapshotText(summary.from)} to ${snapshotText(summary.to)}`];
  if (summary.types.length === 0) return `${lines[0]}\nNo differences.\n`;
  for (const type of summary.types) {
    for (const collection of type.collections) {
      const heading = collection.primary ? type.label : `${type.label} (${collection.collection})`;
      lines.push(
        `${heading}: ${collection.added} added, ${collection.changed} changed, ${collection.removed} removed`,
      );
      for (const { object } of objects.filter(
        (o) => o.type === type.type && o.object.collection === collection.collection,
      )) {
        lines.push(
          `  ${SIGN[object.change]} ${object.name === object.id ? object.id : `${object.name} (${object.id})`}`,
        );
        for (const property of object.properties) lines.push(`      ${propertyLine(property)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `--json`: the figures and every object with its id, name and property values. */
export function comparisonJson(summary: CompareSummary, objects: readonly DescribedObject[]) {
  return {
    from: summary.from,
    to: summary.to,
    totals: summary.totals,
    types: summary.types.map((type) => ({
      type: type.type,
      label: objectTypeLabel(type.type),
      collections: type.collections.map((collection) => {
        const of = (change: CompareObject['change']) =>
          objects
            .filter(
              (o) =>
                o.type === type.type &&
                o.object.collection === collection.collection &&
                o.object.change === change,
            )
            .map(({ object }) =>
              change === 'changed'
                ? { id: object.id, name: object.name, properties: object.properties }
                : { id: object.id, name: object.name },
            );
        return {
          collection: collection.collection,
          primary: collection.primary,
          added: of('added'),
          changed: of('changed'),
          removed: of('removed'),
        };
      }),
    })),
  };
}
