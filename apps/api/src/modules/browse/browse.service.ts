import { Injectable } from '@nestjs/common';
import {
  type BrowseObjectPage,
  type BrowseObjectsQuery,
  type BrowseSnapshot,
  type BrowseSnapshotDetail,
  type BrowseSnapshotPage,
  type BrowseValue,
  isObjectTypeKey,
  type ListSnapshotsQuery,
  MASKED_VALUE,
  OBJECT_TYPE_KEYS,
  type ObjectDetail,
  type ObjectRelation,
  type ObjectTypeKey,
  objectTypeLabel,
  type RelatedObject,
  type RevealKeyRequest,
  type RevealKeyResponse,
} from '@entra-backup/common';
import {
  BrowseIndexRepository,
  type BrowseFilter,
  type NamedObject,
} from '../../persistence/repositories/browse-index.repository';
import type { SnapshotRecord } from '../../persistence/repositories/backup-snapshot.repository';
import { AuditAction } from '../audit/audit-action';
import type { AuditedBy } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { BackupReaderService } from '../backup-storage/backup-reader.service';
import type { CollectionSpec } from '../exporters/descriptor';
import { browseSpecOf, sortKeyOf, summarizeObject } from '../exporters/browse-index';
import {
  BROWSE_MAX_COLUMNS,
  type BrowseColumn,
  type BrowseRelation,
  type BrowseTarget,
  relationIds,
} from '../exporters/browse-spec';
import { DESCRIPTORS } from '../exporters/registry';
import { BrowseIndexService } from './browse-index.service';
import { BrowseException } from './browse.exception';

const BITLOCKER_TYPE: ObjectTypeKey = 'bitlockerKeys';

/** Snapshots, their objects as tables, one object with named relationships, and the audited key reveal. */
@Injectable()
export class BrowseService {
  constructor(
    private readonly reader: BackupReaderService,
    private readonly index: BrowseIndexRepository,
    private readonly indexer: BrowseIndexService,
    private readonly audit: AuditService,
  ) {}

  /** Visible snapshots, newest first, with the run's per-type object figures. */
  async listSnapshots(tenantId: string, query: ListSnapshotsQuery): Promise<BrowseSnapshotPage> {
    const page = await this.reader.listSnapshots(tenantId, {
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const items: BrowseSnapshot[] = [];
    for (const snapshot of page.items) {
      const details = await this.reader.getSnapshotDetails(tenantId, snapshot.id);
      items.push(toSnapshot(snapshot, Object.fromEntries(details.types.map((t) => [t.typeKey, t.objects]))));
    }
    return { items, total: page.total, page: query.page, pageSize: query.pageSize };
  }

  /** One snapshot with exact counts per type and collection as of it. */
  async getSnapshot(tenantId: string, ref: string): Promise<BrowseSnapshotDetail> {
    const snapshot = await this.reader.getSnapshot(tenantId, ref);
    const counts = await this.reader.countsAt(tenantId, snapshot.id);
    const types = OBJECT_TYPE_KEYS.flatMap((type) => {
      const byCollection = counts[type];
      if (byCollection === undefined) return [];
      const collections = DESCRIPTORS[type].collections.map((c) => ({
        name: c.name,
        count: byCollection[c.name] ?? 0,
        log: c.log !== undefined,
      }));
      return [{ type, label: objectTypeLabel(type), count: collections[0]?.count ?? 0, collections }];
    });
    return {
      snapshot: toSnapshot(snapshot, Object.fromEntries(types.map((t) => [t.type, t.count]))),
      types,
    };
  }

  /** A page of a collection's objects (or log entries) as of a snapshot, from the browse index. */
  async listObjects(
    tenantId: string,
    ref: string,
    type: string,
    query: BrowseObjectsQuery,
  ): Promise<BrowseObjectPage> {
    const typeKey = requireType(type);
    const collection = requireCollection(typeKey, query.collection);
    const spec = browseSpecOf(typeKey, collection.name);
    const columns = spec.columns.slice(0, BROWSE_MAX_COLUMNS);
    const log = collection.log !== undefined;
    const sortKey = query.sort ?? (log ? (spec.timeColumn ?? columns[0]!.key) : columns[0]!.key);
    const sortColumn = columns.findIndex((c) => c.key === sortKey);
    if (sortColumn < 0) {
      throw BrowseException.invalidQuery(
        `Cannot sort ${typeKey} ${collection.name} by "${sortKey}"; the columns are ${columns.map((c) => c.key).join(', ')}`,
      );
    }
    const order = query.order ?? (log ? 'desc' : 'asc');
    const filters = parseFilters(query.filter, columns);
    let range: { column: number; from?: string; to?: string } | undefined;
    if (query.from !== undefined || query.to !== undefined) {
      const timeColumn = columns.findIndex((c) => c.key === spec.timeColumn);
      if (!log || timeColumn < 0)
        throw BrowseException.invalidQuery('from and to apply to log types (sign-in and audit logs) only');
      range = {
        column: timeColumn,
        ...(query.from === undefined ? {} : { from: new Date(query.from).toISOString() }),
        ...(query.to === undefined ? {} : { to: new Date(query.to).toISOString() }),
      };
    }
    const snapshot = await this.reader.getSnapshot(tenantId, ref);
    await this.indexer.ensureIndexed();
    const result = await this.index.page({
      tenantId,
      seq: snapshot.seq,
      typeKey,
      collection: collection.name,
      ...(query.search === undefined || query.search === '' ? {} : { search: query.search.toLowerCase() }),
      filters,
      ...(range === undefined ? {} : { range }),
      sort: { column: sortColumn, descending: order === 'desc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
      log,
    });
    const items = result.rows.map((row) => ({
      id: row.objectId,
      name: row.name,
      values: JSON.parse(row.display) as Record<string, BrowseValue>,
    }));
    await this.nameColumns(tenantId, snapshot.seq, spec.relations ?? [], columns, items);
    return {
      snapshot: snapshotHeader(snapshot),
      type: typeKey,
      collection: collection.name,
      log,
      timeColumn: log ? (spec.timeColumn ?? null) : null,
      columns: columns.map(toColumn),
      items,
      total: result.total,
      totalExact: result.exact,
      page: query.page,
      pageSize: query.pageSize,
      sort: sortKey,
      order,
    };
  }

  /** One object with its properties (secrets masked) and its relationships by name, both ways. */
  async getObject(
    tenantId: string,
    ref: string,
    type: string,
    collectionName: string,
    objectId: string,
  ): Promise<ObjectDetail> {
    const typeKey = requireType(type);
    const collection = requireCollection(typeKey, collectionName);
    const snapshot = await this.reader.getSnapshot(tenantId, ref);
    const stored = await this.reader.getObjectAt(tenantId, snapshot.id, typeKey, collection.name, objectId);
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored))
      throw BrowseException.objectNotFound(typeKey, collection.name, objectId, snapshot.seq);
    const object = stored as Record<string, unknown>;
    const spec = browseSpecOf(typeKey, collection.name);
    const summary = summarizeObject('', typeKey, collection.name, object);
    const secretFields = DESCRIPTORS[typeKey].secretFields;
    await this.indexer.ensureIndexed();
    const relations: ObjectRelation[] = [];
    for (const relation of spec.relations ?? []) {
      relations.push({
        key: relation.key,
        label: relation.label,
        direction: 'outgoing',
        items: await this.resolve(tenantId, snapshot.seq, relation, relationIds(relation, object)),
      });
    }
    relations.push(
      ...(await this.incoming(tenantId, snapshot.seq, typeKey, collection.name, objectId, summary.altId)),
    );
    return {
      snapshot: snapshotHeader(snapshot),
      type: typeKey,
      collection: collection.name,
      id: objectId,
      name: summary.name,
      object: mask(object, secretFields),
      maskedFields: secretFields.filter((field) => field in object),
      relations,
      columns: spec.columns.slice(0, BROWSE_MAX_COLUMNS).map(toColumn),
      values: JSON.parse(summary.display) as Record<string, BrowseValue>,
    };
  }

  /**
   * The recovery key of one BitLocker key object, only on an explicit confirmation, recorded in
   * the audit trail (who, which key, which device, when). Nothing else ever returns key material.
   */
  async revealKey(
    tenantId: string,
    ref: string,
    keyId: string,
    request: RevealKeyRequest,
    actor: AuditedBy,
  ): Promise<RevealKeyResponse> {
    const collection = DESCRIPTORS[BITLOCKER_TYPE].collections[0].name;
    const snapshot = await this.reader.getSnapshot(tenantId, ref);
    const stored = (await this.reader.getObjectAt(
      tenantId,
      snapshot.id,
      BITLOCKER_TYPE,
      collection,
      keyId,
    )) as Record<string, unknown> | null;
    if (stored === null)
      throw BrowseException.objectNotFound(BITLOCKER_TYPE, collection, keyId, snapshot.seq);
    const key = stored['key'];
    if (typeof key !== 'string' || key === '') throw BrowseException.keyUnavailable(keyId);
    const deviceId = typeof stored['deviceId'] === 'string' ? stored['deviceId'] : null;
    await this.audit.record({
      actor,
      action: AuditAction.BITLOCKER_KEY_REVEALED,
      tenantId,
      details: {
        snapshotId: snapshot.id,
        seq: snapshot.seq,
        keyId,
        deviceId,
        ...(request.reason === undefined ? {} : { reason: request.reason }),
      },
    });
    return { id: keyId, deviceId, key };
  }

  /** Resolves ids to names through the relation's target collections, in the ids' order. */
  private async resolve(
    tenantId: string,
    seq: number,
    relation: Pick<BrowseRelation, 'targets' | 'byAltId'>,
    ids: readonly string[],
  ): Promise<RelatedObject[]> {
    const unique = [...new Set(ids)];
    const found = await this.lookup(tenantId, seq, relation, unique);
    return unique.map((id) => {
      const object = found.get(id);
      return object === undefined
        ? { id, name: null, type: null, collection: null, found: false }
        : {
            id: object.objectId,
            name: object.name,
            type: object.typeKey as ObjectTypeKey,
            collection: object.collection,
            found: true,
          };
    });
  }

  /** The named objects by the id (or alt id) the relation holds. */
  private async lookup(
    tenantId: string,
    seq: number,
    relation: Pick<BrowseRelation, 'targets' | 'byAltId'>,
    ids: readonly string[],
  ): Promise<Map<string, NamedObject>> {
    const found = new Map<string, NamedObject>();
    for (const target of relation.targets) {
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length === 0) break;
      const by = relation.byAltId ? 'altId' : 'id';
      for (const object of await this.index.named(tenantId, seq, targetOf(target), missing, by))
        found.set(relation.byAltId ? (object.altId ?? object.objectId) : object.objectId, object);
    }
    return found;
  }

  /** Objects whose relations name this one (a user's groups and roles, a device's keys, ...). */
  private async incoming(
    tenantId: string,
    seq: number,
    typeKey: ObjectTypeKey,
    collection: string,
    objectId: string,
    altId: string | null,
  ): Promise<ObjectRelation[]> {
    const out: ObjectRelation[] = [];
    for (const source of OBJECT_TYPE_KEYS) {
      for (const sourceCollection of DESCRIPTORS[source].collections) {
        const spec = browseSpecOf(source, sourceCollection.name);
        const relations = (spec.relations ?? []).filter((r) =>
          r.targets.some((t) => t.type === typeKey && t.collection === collection),
        );
        for (const relation of relations) {
          const id = relation.byAltId ? altId : objectId;
          if (id === null) continue;
          const referrers = await this.index.referrers(
            tenantId,
            seq,
            { typeKey: source, collection: sourceCollection.name, relation: relation.key },
            id,
          );
          if (referrers.length === 0) continue;
          const shown = relation.reverseShows;
          const other = shown === undefined ? undefined : spec.relations?.find((r) => r.key === shown);
          let items: RelatedObject[];
          if (other === undefined) {
            items = referrers.map((r) => ({
              id: r.objectId,
              name: r.name,
              type: r.typeKey as ObjectTypeKey,
              collection: r.collection,
              found: true,
            }));
          } else {
            items = [];
            for (const referrer of referrers) {
              const ids = refsOf(referrer.refs, other.key);
              for (const item of await this.resolve(tenantId, seq, other, ids))
                items.push({ ...item, via: referrer.objectId });
            }
          }
          out.push({
            key: `${source}.${sourceCollection.name}.${relation.key}`,
            label: relation.reverseLabel ?? `${objectTypeLabel(source)}: ${relation.label}`,
            direction: 'incoming',
            items,
          });
        }
      }
    }
    return out;
  }

  /** Columns that hold a related object's id (a key's device, an assignment's role) show its name. */
  private async nameColumns(
    tenantId: string,
    seq: number,
    relations: readonly BrowseRelation[],
    columns: readonly BrowseColumn[],
    items: { values: Record<string, BrowseValue> }[],
  ): Promise<void> {
    for (const relation of relations) {
      if (!columns.some((c) => c.key === relation.key)) continue;
      const ids = items.flatMap((item) => {
        const value = item.values[relation.key];
        return typeof value === 'string' ? [value] : [];
      });
      if (ids.length === 0) continue;
      const found = await this.lookup(tenantId, seq, relation, [...new Set(ids)]);
      for (const item of items) {
        const value = item.values[relation.key];
        if (typeof value !== 'string') continue;
        const name = found.get(value)?.name;
        if (name !== undefined && name !== null) item.values[relation.key] = name;
      }
    }
  }
}

function requireType(type: string): ObjectTypeKey {
  if (!isObjectTypeKey(type)) throw BrowseException.unknownType(type, OBJECT_TYPE_KEYS);
  return type;
}

function requireCollection(type: ObjectTypeKey, name: string | undefined): CollectionSpec {
  const collections = DESCRIPTORS[type].collections;
  if (name === undefined) return collections[0];
  const found = collections.find((c) => c.name === name);
  if (found === undefined)
    throw BrowseException.unknownCollection(
      type,
      name,
      collections.map((c) => c.name),
    );
  return found;
}

function parseFilters(text: string | undefined, columns: readonly BrowseColumn[]): BrowseFilter[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((pair) => {
    const at = pair.indexOf(':');
    const key = at < 0 ? pair.trim() : pair.slice(0, at).trim();
    const value = at < 0 ? '' : pair.slice(at + 1).trim();
    const index = columns.findIndex((c) => c.key === key);
    const column = columns[index];
    if (column?.filter === undefined) {
      const filterable = columns.filter((c) => c.filter !== undefined).map((c) => c.key);
      throw BrowseException.invalidQuery(
        `Cannot filter by "${key}"; ${filterable.length === 0 ? 'this collection has no filters' : `filters are ${filterable.join(', ')}`}`,
      );
    }
    if (!column.filter.some((f) => f.value === value)) {
      throw BrowseException.invalidQuery(
        `Filter ${key} takes ${column.filter.map((f) => f.value).join(', ')}; got "${value}"`,
      );
    }
    return { column: index, value: sortKeyOf(column, column.kind === 'boolean' ? value === 'true' : value)! };
  });
}

function toColumn(column: BrowseColumn) {
  return {
    key: column.key,
    label: column.label,
    kind: column.kind,
    ...(column.filter === undefined ? {} : { filter: column.filter.map((f) => ({ ...f })) }),
  };
}

function targetOf(target: BrowseTarget): { typeKey: string; collection: string } {
  return { typeKey: target.type, collection: target.collection };
}

function refsOf(refs: string, relationKey: string): string[] {
  const prefix = `${relationKey}:`;
  return refs
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

/** Replaces secret properties (at any depth) by the mask. */
export function mask(
  object: Record<string, unknown>,
  secretFields: readonly string[],
): Record<string, unknown> {
  if (secretFields.length === 0) return object;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [
        name,
        secretFields.includes(name) && inner !== null && inner !== undefined ? MASKED_VALUE : walk(inner),
      ]),
    );
  };
  return walk(object) as Record<string, unknown>;
}

function snapshotHeader(snapshot: SnapshotRecord): Omit<BrowseSnapshot, 'counts'> {
  return {
    id: snapshot.id,
    seq: snapshot.seq,
    mode: snapshot.mode,
    status: snapshot.status,
    createdAt: snapshot.createdAt.toISOString(),
    completedAt: snapshot.completedAt?.toISOString() ?? null,
  };
}

function toSnapshot(snapshot: SnapshotRecord, counts: Record<string, number>): BrowseSnapshot {
  return { ...snapshotHeader(snapshot), counts };
}
