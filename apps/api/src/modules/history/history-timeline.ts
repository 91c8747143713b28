import type {
  AuditMatch,
  HistoryEvent,
  HistorySnapshotRef,
  PropertyChange,
  RelationshipChange,
} from '@entra-backup/common';
import { canonicalJson } from '../backup-storage/codec/canonical-json';

/** A stored version with its decrypted content. */
export interface DecodedVersion {
  readonly validFromSeq: number;
  readonly validToSeq: number | null;
  readonly object: Record<string, unknown>;
}

export interface SnapshotTime {
  readonly id: string;
  readonly seq: number;
  readonly createdAt: Date;
}

export interface DiffOptions {
  /** Properties whose values are never shown (descriptor `secretFields`, top level or dotted path). */
  readonly secretFields: readonly string[];
  /** Properties that hold relationships even when empty on both sides (`members`, `owners`). */
  readonly relationNames: ReadonlySet<string>;
}

export interface ObjectDiff {
  readonly changes: PropertyChange[];
  readonly relationships: RelationshipChange[];
}

/** A history event before names and audit entries are attached. */
export type TimelineEvent = Omit<HistoryEvent, 'audit'>;

type Reference = { readonly id: string; readonly kind: string };

/**
 * Whether a value is a directory-object reference as the backup embeds them: `{ '@odata.type', id }`
 * (see `toReference` in the exporters' descriptor module).
 */
export function isReference(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value) || typeof value['id'] !== 'string') return false;
  return Object.keys(value).every((key) => key === 'id' || key === '@odata.type');
}

function referencesOf(value: unknown): Reference[] | null {
  if (value === null || value === undefined) return [];
  if (isReference(value)) return [toRef(value)];
  if (Array.isArray(value) && value.every(isReference)) return value.map(toRef);
  return null;
}

function toRef(value: Record<string, unknown>): Reference {
  return { id: String(value['id']), kind: kindOf(value['@odata.type']) };
}

/** `#microsoft.graph.user` → `user`; anything else → `directoryObject`. */
export function kindOf(odataType: unknown): string {
  if (typeof odataType !== 'string') return 'directoryObject';
  const name = odataType.replace(/^#?microsoft\.graph\./, '');
  return name === '' ? 'directoryObject' : name;
}

function isRelationship(name: string, before: unknown, after: unknown, options: DiffOptions): boolean {
  const a = referencesOf(before);
  const b = referencesOf(after);
  if (a === null || b === null) return false;
  if (options.relationNames.has(name)) return true;
  // Two empty sides say nothing; a reference on either side makes it a relationship.
  return a.length + b.length > 0;
}

/**
 * What changed from one version of an object to the next: property values old → new (nested
 * objects compared property by property, secrets masked) and embedded references added or
 * removed (members, owners, manager, ...).
 */
export function diffObjects(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  options: DiffOptions,
): ObjectDiff {
  const changes: PropertyChange[] = [];
  const relationships: RelationshipChange[] = [];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const name of names) {
    const left = before[name];
    const right = after[name];
    if (same(left, right)) continue;
    if (isRelationship(name, left, right, options)) {
      const was = new Map((referencesOf(left) ?? []).map((r) => [r.id, r]));
      const now = new Map((referencesOf(right) ?? []).map((r) => [r.id, r]));
      for (const [id, ref] of now) if (!was.has(id)) relationships.push(relationChange(name, 'added', ref));
      for (const [id, ref] of was) if (!now.has(id)) relationships.push(relationChange(name, 'removed', ref));
      continue;
    }
    collectChanges(name, name, left, right, options, changes);
  }
  return { changes, relationships };
}

function relationChange(relation: string, action: 'added' | 'removed', ref: Reference): RelationshipChange {
  return { relation, action, id: ref.id, kind: ref.kind, displayName: null, type: null, collection: null };
}

function collectChanges(
  property: string,
  path: string,
  left: unknown,
  right: unknown,
  options: DiffOptions,
  out: PropertyChange[],
): void {
  if (same(left, right)) return;
  const masked = options.secretFields.some((field) => field === property || field === path);
  if (!masked && isPlainObject(left) && isPlainObject(right)) {
    for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort())
      collectChanges(property, `${path}.${key}`, left[key], right[key], options, out);
    return;
  }
  out.push({
    property,
    path,
    masked,
    ...(masked || left === undefined ? {} : { before: left }),
    ...(masked || right === undefined ? {} : { after: right }),
  });
}

function same(left: unknown, right: unknown): boolean {
  if (left === undefined || right === undefined) return left === right;
  return canonicalJson(left) === canonicalJson(right);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function snapshotRef(snapshot: SnapshotTime): HistorySnapshotRef {
  return { id: snapshot.id, seq: snapshot.seq, takenAt: snapshot.createdAt.toISOString() };
}

/**
 * The timeline of one object from its version ranges, newest event first: created at its first
 * version, changed at each following version that starts where the previous one ended, deleted
 * where a range ends without a successor, restored where a version starts after such a gap.
 */
export function buildTimeline(
  versions: readonly DecodedVersion[],
  snapshots: readonly SnapshotTime[],
  options: DiffOptions,
): TimelineEvent[] {
  const bySeq = new Map(snapshots.map((s, index) => [s.seq, index]));
  const at = (seq: number): { snapshot: HistorySnapshotRef; previous: HistorySnapshotRef | null } => {
    const index = bySeq.get(seq);
    if (index === undefined) {
      // A range bound names a snapshot that is not visible (cannot happen for committed data).
      return { snapshot: { id: '', seq, takenAt: new Date(0).toISOString() }, previous: null };
    }
    const previous = snapshots[index - 1];
    return { snapshot: snapshotRef(snapshots[index]!), previous: previous ? snapshotRef(previous) : null };
  };
  const events: TimelineEvent[] = [];
  let previous: DecodedVersion | undefined;
  for (const version of versions) {
    const { snapshot, previous: before } = at(version.validFromSeq);
    if (previous === undefined) {
      events.push({
        kind: 'created',
        snapshot,
        previousSnapshot: before,
        restoreSnapshotSeq: snapshot.seq,
        changes: [],
        relationships: [],
      });
    } else {
      if (previous.validToSeq !== null && previous.validToSeq !== version.validFromSeq) {
        events.push(deletedAt(previous.validToSeq));
      }
      const diff = diffObjects(previous.object, version.object, options);
      events.push({
        kind: previous.validToSeq === version.validFromSeq ? 'changed' : 'restored',
        snapshot,
        previousSnapshot: before,
        restoreSnapshotSeq: snapshot.seq,
        ...diff,
      });
    }
    previous = version;
  }
  if (previous?.validToSeq != null) events.push(deletedAt(previous.validToSeq));
  return events.reverse();

  function deletedAt(seq: number): TimelineEvent {
    const { snapshot, previous: before } = at(seq);
    return {
      kind: 'deleted',
      snapshot,
      previousSnapshot: before,
      restoreSnapshotSeq: before?.seq ?? null,
      changes: [],
      relationships: [],
    };
  }
}

/** The part of a directory audit entry (Graph `directoryAudit`) the history shows. */
export function toAuditMatch(entry: Record<string, unknown>): AuditMatch | null {
  const id = entry['id'];
  if (typeof id !== 'string') return null;
  const initiatedBy = isPlainObject(entry['initiatedBy']) ? entry['initiatedBy'] : {};
  const user = isPlainObject(initiatedBy['user']) ? initiatedBy['user'] : null;
  const app = isPlainObject(initiatedBy['app']) ? initiatedBy['app'] : null;
  const firstText = (...values: unknown[]): string | null =>
    (values.find((v) => typeof v === 'string' && v !== '') as string | undefined) ?? null;
  const userName = user ? firstText(user['userPrincipalName'], user['displayName'], user['id']) : null;
  const appName = app ? firstText(app['displayName'], app['servicePrincipalName'], app['appId']) : null;
  const targets = Array.isArray(entry['targetResources']) ? entry['targetResources'] : [];
  return {
    id,
    activityDateTime: typeof entry['activityDateTime'] === 'string' ? entry['activityDateTime'] : '',
    activity: firstText(entry['activityDisplayName'], entry['operationType']) ?? 'Unknown activity',
    category: firstText(entry['category']),
    result: firstText(entry['result']),
    initiatedBy:
      userName !== null
        ? { kind: 'user', name: userName }
        : appName !== null
          ? { kind: 'app', name: appName }
          : { kind: 'unknown', name: 'Unknown' },
    targets: targets.filter(isPlainObject).map((target) => ({
      id: typeof target['id'] === 'string' ? target['id'] : '',
      type: firstText(target['type']),
      displayName: firstText(target['displayName'], target['userPrincipalName']),
      modifiedProperties: (Array.isArray(target['modifiedProperties']) ? target['modifiedProperties'] : [])
        .filter(isPlainObject)
        .map((p) => ({
          name: typeof p['displayName'] === 'string' ? p['displayName'] : '',
          oldValue: typeof p['oldValue'] === 'string' ? p['oldValue'] : null,
          newValue: typeof p['newValue'] === 'string' ? p['newValue'] : null,
        })),
    })),
  };
}

/** Whether an audit entry names an object: as a target, or in a target's modified properties (`Group.ObjectID`). */
export function auditNames(entry: AuditMatch, objectId: string): boolean {
  const id = objectId.toLowerCase();
  return entry.targets.some(
    (target) =>
      target.id.toLowerCase() === id ||
      target.modifiedProperties.some((p) => (p.newValue ?? p.oldValue ?? '').toLowerCase().includes(id)),
  );
}

/**
 * The audit entries that explain an event: those in the event's window (after the previous
 * snapshot, up to its own) that name the object, or, for a member added or removed, name the
 * member together with the object. Newest first.
 */
export function matchAudit(
  event: TimelineEvent,
  objectId: string,
  entries: readonly AuditMatch[],
): AuditMatch[] {
  const after = event.previousSnapshot?.takenAt ?? '';
  const until = event.snapshot.takenAt;
  const members = event.relationships.map((r) => r.id);
  return entries
    .filter((entry) => {
      const time = timeOf(entry);
      if (time === null || time <= after || time > until) return false;
      const self = entry.targets.find((t) => t.id.toLowerCase() === objectId.toLowerCase());
      if (self !== undefined) return explainsChanges(self.modifiedProperties, event);
      return members.some((member) => auditNames(entry, member) && auditNames(entry, objectId));
    })
    .sort((x, y) =>
      x.activityDateTime < y.activityDateTime ? 1 : x.activityDateTime > y.activityDateTime ? -1 : 0,
    );
}

/**
 * Whether an entry that targets the object explains an event. A user is also a target of "Add
 * member to group" (and of owner and role changes), whose modified properties name the other
 * object (`Group.ObjectID`, `Group.DisplayName`): such an entry explains a relationship change,
 * not a change of the user's own properties. Audit property names do not always match Graph's
 * (`Mobile` for `mobilePhone`), so any other entry is kept.
 */
function explainsChanges(
  modified: AuditMatch['targets'][number]['modifiedProperties'],
  event: TimelineEvent,
): boolean {
  if (event.kind !== 'changed' || event.relationships.length > 0 || modified.length === 0) return true;
  return !modified.every((p) => /^[A-Za-z]+\.[A-Za-z]+$/.test(p.name));
}

/** Entry times normalized once: one history matches the same entries against every event. */
const normalizedTimes = new WeakMap<AuditMatch, string | null>();

function timeOf(entry: AuditMatch): string | null {
  let time = normalizedTimes.get(entry);
  if (time === undefined) {
    const parsed = Date.parse(entry.activityDateTime);
    time = Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
    normalizedTimes.set(entry, time);
  }
  return time;
}
