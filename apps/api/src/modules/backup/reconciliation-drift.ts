import {
  type BackupDrift,
  type BackupDriftItem,
  DRIFT_ITEMS_LIMIT,
  isObjectTypeKey,
  type ObjectTypeKey,
} from '@entra-backup/common';
import type { BackupReaderService } from '../backup-storage/backup-reader.service';
import type { EngineTypeOutcome } from '../exporters/engine';
import { browseSpecOf } from '../exporters/browse-index';
import { relationIds } from '../exporters/browse-spec';

/** What measuring drift reads from storage. */
export type DriftReader = Pick<BackupReaderService, 'compare' | 'objectsByIds'>;

/** Objects decrypted per read while naming drifted objects and their links. */
const READ_CHUNK = 500;

/**
 * The drift a reconciliation (a full run) found in the incremental state it replaced: objects of a
 * replayed delta collection that differ between the previous snapshot and the full read although
 * no change the delta query reported, and none the consequence phase derived, explains them. Such
 * an object was wrong in the previous snapshot (or changed in a way delta does not report, e.g. a
 * user's `licenseAssignmentStates` alone). Relationship links are compared per relation of the
 * collection's browse spec (members, owners, manager, assignees, scoped roles). Collections without
 * a replayed deltaLink (first run, expired token), collections enumerated on every run and logs are
 * exact by construction and not compared. Returns every item (for the log) and the summary (the
 * first `DRIFT_ITEMS_LIMIT` items).
 */
export async function measureDrift(
  reader: DriftReader,
  input: {
    readonly tenantId: string;
    readonly previousSnapshotId: string;
    readonly snapshotId: string;
    readonly outcomes: readonly EngineTypeOutcome[];
  },
): Promise<{ drift: BackupDrift; items: BackupDriftItem[] }> {
  const { tenantId, previousSnapshotId, snapshotId } = input;
  const comparison = await reader.compare(tenantId, previousSnapshotId, snapshotId);
  const items: BackupDriftItem[] = [];
  const types: BackupDrift['types'] = {};
  for (const outcome of input.outcomes) {
    if (outcome.status !== 'succeeded' || outcome.explained === undefined) continue;
    const type = outcome.type;
    for (const [collection, explained] of outcome.explained) {
      const differences = comparison.get(`${type}/${collection}`);
      if (differences === undefined) continue;
      const unexplained = (ids: readonly string[]) => ids.filter((id) => !explained.has(id));
      const stale = unexplained(differences.onlyA);
      const missing = unexplained(differences.onlyB);
      const changed = unexplained(differences.changed);
      if (stale.length + missing.length + changed.length === 0) continue;
      const found: BackupDriftItem[] = [];
      const read = async (snapshot: string, ids: readonly string[]) => {
        const out = new Map<string, unknown>();
        for (let start = 0; start < ids.length; start += READ_CHUNK) {
          const chunk = await reader.objectsByIds(
            tenantId,
            snapshot,
            type,
            collection,
            ids.slice(start, start + READ_CHUNK),
          );
          for (const [id, object] of chunk) out.set(id, object);
        }
        return out;
      };
      const before = await read(previousSnapshotId, [...stale, ...changed]);
      const after = await read(snapshotId, [...missing, ...changed]);
      for (const id of stale) found.push(item(type, collection, id, 'stale', before.get(id), []));
      for (const id of missing) found.push(item(type, collection, id, 'missing', after.get(id), []));
      for (const id of changed) {
        const links = linkDifferences(type, collection, before.get(id), after.get(id));
        found.push(item(type, collection, id, 'changed', after.get(id), links));
      }
      const linkCount = found.reduce(
        (n, i) => n + i.links.reduce((m, l) => m + l.added.length + l.removed.length, 0),
        0,
      );
      const figures = types[type] ?? { objects: 0, links: 0 };
      types[type] = { objects: figures.objects + found.length, links: figures.links + linkCount };
      items.push(...found);
    }
  }
  const total = (pick: (f: { objects: number; links: number }) => number) =>
    Object.values(types).reduce((n, f) => n + pick(f!), 0);
  return {
    drift: {
      objects: total((f) => f.objects),
      links: total((f) => f.links),
      types,
      items: items.slice(0, DRIFT_ITEMS_LIMIT),
      truncated: items.length > DRIFT_ITEMS_LIMIT,
    },
    items,
  };
}

function item(
  type: ObjectTypeKey,
  collection: string,
  objectId: string,
  kind: BackupDriftItem['kind'],
  object: unknown,
  links: BackupDriftItem['links'],
): BackupDriftItem {
  const record = (typeof object === 'object' && object !== null ? object : {}) as Record<string, unknown>;
  const name = record['displayName'] ?? record['name'];
  return { type, collection, objectId, name: typeof name === 'string' ? name : null, kind, links };
}

/** Per relation of the collection, the ids the full read holds that the stored state did not, and back. */
export function linkDifferences(
  type: string,
  collection: string,
  stored: unknown,
  read: unknown,
): BackupDriftItem['links'] {
  if (!isObjectTypeKey(type)) return [];
  const out: BackupDriftItem['links'] = [];
  for (const relation of browseSpecOf(type, collection).relations ?? []) {
    const was = new Set(relationIds(relation, stored));
    const now = new Set(relationIds(relation, read));
    const added = [...now].filter((id) => !was.has(id)).sort();
    const removed = [...was].filter((id) => !now.has(id)).sort();
    if (added.length + removed.length > 0) out.push({ relation: relation.key, added, removed });
  }
  return out;
}
