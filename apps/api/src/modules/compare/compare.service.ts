import { Injectable } from '@nestjs/common';
import {
  COMPARE_CHANGES,
  COMPARE_LIVE,
  type CompareChange,
  type CompareCounts,
  type CompareObject,
  type CompareObjectPage,
  type CompareProperty,
  type CompareReference,
  type CompareSnapshot,
  type CompareSummary,
  type CompareTypeSummary,
  OBJECT_TYPE_KEYS,
  type ObjectTypeKey,
  objectTypeLabel,
} from '@entra-backup/common';
import type { Actor } from '../audit/audit-action';
import { BackupReaderService, type CollectionComparison } from '../backup-storage/backup-reader.service';
import { BackupException, BackupExceptionCode } from '../backup/backup.exception';
import { BackupService } from '../backup/backup.service';
import { DESCRIPTORS } from '../exporters/registry';
import { SettingsService } from '../settings/settings.service';
import { TenantsService } from '../tenants/tenants.service';
import { CompareException } from './compare.exception';
import { diffProperties, displayNameOf, type RawPropertyDiff, type RawReference } from './property-diff';

/** Where the objects a relationship names are stored, by their Graph kind (`@odata.type`). */
const REFERENCE_HOMES: Readonly<Record<string, readonly [ObjectTypeKey, string]>> = {
  user: ['users', 'users'],
  group: ['groups', 'groups'],
  servicePrincipal: ['enterpriseApps', 'servicePrincipals'],
  application: ['appRegistrations', 'applications'],
  device: ['devices', 'devices'],
  administrativeUnit: ['adminUnits', 'administrativeUnits'],
};

/** At most this many referenced objects are named per page; the rest show their id. */
const MAX_NAMED_REFERENCES = 2_000;
/** Objects per page when the downloads walk every type. */
const DOWNLOAD_PAGE = 200;

export interface CompareRequest {
  readonly from: string;
  /** A snapshot reference or `live`. */
  readonly to: string;
  readonly types?: readonly ObjectTypeKey[];
}

export interface LiveReadOptions {
  /** Types to read (log types are left out); default: those `from` holds, else the enabled ones. */
  readonly types?: readonly ObjectTypeKey[];
  /** The snapshot the read will be compared with. */
  readonly from?: string;
}

export interface CompareObjectsRequest {
  readonly from: string;
  readonly to: string;
  readonly type: ObjectTypeKey;
  readonly change?: CompareChange;
  readonly page: number;
  readonly pageSize: number;
}

/** Two snapshots made comparable: resolved, with the types their comparison covers. */
interface Resolved {
  readonly from: CompareSnapshot;
  readonly to: CompareSnapshot;
  readonly types: readonly ObjectTypeKey[];
}

interface Entry {
  readonly collection: string;
  readonly id: string;
  readonly change: CompareChange;
}

/**
 * What differs between two snapshots of a tenant, or between a snapshot and the live tenant, for
 * people: figures per type, then each object by name with its property-level old → new values.
 * The content hashes decide which objects differ; only the objects of the requested page are
 * decrypted. The live tenant is read by a backup of the compared types (trigger `compare`), so the
 * engine's paging, throttling and permissions apply unchanged, and the comparison is snapshot to
 * snapshot again.
 */
@Injectable()
export class CompareService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly reader: BackupReaderService,
    private readonly backups: BackupService,
    private readonly settings: SettingsService,
  ) {}

  /** Figures per type (added, changed, removed), primary objects and secondary collections apart. */
  async summary(tenantId: string, request: CompareRequest, actor: Actor): Promise<CompareSummary> {
    const resolved = await this.resolve(tenantId, request, actor);
    const comparison = await this.reader.compare(tenantId, resolved.from.snapshotId, resolved.to.snapshotId);
    const totals = { added: 0, changed: 0, removed: 0 };
    const types: CompareTypeSummary[] = [];
    for (const type of resolved.types) {
      const primaryName = DESCRIPTORS[type].collections[0].name;
      const collections = DESCRIPTORS[type].collections
        .map((spec) => ({
          collection: spec.name,
          primary: spec.name === primaryName,
          ...counts(comparison.get(`${type}/${spec.name}`)),
        }))
        .filter((c) => c.added + c.changed + c.removed > 0);
      if (collections.length === 0) continue;
      for (const c of collections) {
        totals.added += c.added;
        totals.changed += c.changed;
        totals.removed += c.removed;
      }
      const primary = collections.find((c) => c.primary);
      types.push({
        type,
        label: objectTypeLabel(type),
        log: false,
        primary: {
          added: primary?.added ?? 0,
          changed: primary?.changed ?? 0,
          removed: primary?.removed ?? 0,
        },
        collections,
      });
    }
    return { from: resolved.from, to: resolved.to, types, totals };
  }

  /** One type's differing objects, paged: collections in descriptor order, then added, changed, removed, by id. */
  async objects(tenantId: string, request: CompareObjectsRequest, actor: Actor): Promise<CompareObjectPage> {
    const resolved = await this.resolve(
      tenantId,
      { from: request.from, to: request.to, types: [request.type] },
      actor,
    );
    const base = {
      from: resolved.from,
      to: resolved.to,
      type: request.type,
      page: request.page,
      pageSize: request.pageSize,
    };
    if (!resolved.types.includes(request.type)) return { ...base, items: [], total: 0 };
    const comparison = await this.reader.compare(tenantId, resolved.from.snapshotId, resolved.to.snapshotId);
    const entries = entriesOf(request.type, comparison).filter(
      (e) => request.change === undefined || e.change === request.change,
    );
    const start = (request.page - 1) * request.pageSize;
    const items = await this.describe(
      tenantId,
      resolved,
      request.type,
      entries.slice(start, start + request.pageSize),
    );
    return { ...base, items, total: entries.length };
  }

  /**
   * Every differing object of every compared type, described, a page at a time: what the CSV and
   * JSON downloads stream. Resolves (and reads the live tenant) once, before the first item.
   */
  async download(
    tenantId: string,
    request: CompareRequest,
    actor: Actor,
  ): Promise<{
    summary: CompareSummary;
    objects: AsyncGenerator<{ type: ObjectTypeKey; object: CompareObject }>;
  }> {
    const summary = await this.summary(tenantId, request, actor);
    const resolved: Resolved = {
      from: summary.from,
      to: summary.to,
      types: summary.types.map((t) => t.type),
    };
    const comparison = await this.reader.compare(tenantId, summary.from.snapshotId, summary.to.snapshotId);
    return { summary, objects: this.describeAll(tenantId, resolved, comparison) };
  }

  private async *describeAll(
    tenantId: string,
    resolved: Resolved,
    comparison: Map<string, CollectionComparison>,
  ): AsyncGenerator<{ type: ObjectTypeKey; object: CompareObject }> {
    for (const type of resolved.types) {
      const entries = entriesOf(type, comparison);
      for (let start = 0; start < entries.length; start += DOWNLOAD_PAGE) {
        const page = entries.slice(start, start + DOWNLOAD_PAGE);
        for (const object of await this.describe(tenantId, resolved, type, page)) yield { type, object };
      }
    }
  }

  /**
   * Starts reading the live tenant for a comparison (a backup of the types, trigger `compare`) and
   * returns at once; the run's snapshot is the `to` of the comparison when it has finished.
   * @throws CompareException BACKUP_ALREADY_RUNNING while a backup of the tenant runs
   */
  async startLiveRead(tenantId: string, options: LiveReadOptions, actor: Actor): Promise<{ runId: string }> {
    const readTypes = await this.liveTypes(tenantId, options);
    return this.guardLive(() =>
      this.backups.startBackup(tenantId, { types: readTypes, trigger: 'compare', actor }),
    );
  }

  /** Reads the live tenant to its end (the same backup as `startLiveRead`); its snapshot id. */
  async readLive(tenantId: string, options: LiveReadOptions, actor: Actor): Promise<string> {
    const readTypes = await this.liveTypes(tenantId, options);
    const summary = await this.guardLive(() =>
      this.backups.runBackup(tenantId, { types: readTypes, trigger: 'compare', actor }),
    );
    const failed = Object.entries(summary.types).filter(([, r]) => r?.status === 'failed');
    if (summary.snapshotId === null || failed.length > 0) {
      throw CompareException.liveReadFailed(
        failed.map(([type, r]) => `${type}: ${r?.reason ?? 'failed'}`).join('; ') || 'nothing could be read',
      );
    }
    return summary.snapshotId;
  }

  /**
   * The types to read: the ones asked for, else the types the compared snapshot holds objects of
   * (what can differ from it), else the enabled ones; never log types.
   */
  private async liveTypes(tenantId: string, options: LiveReadOptions): Promise<ObjectTypeKey[]> {
    await this.tenants.get(tenantId);
    const candidates: readonly string[] =
      options.types ??
      (options.from === undefined
        ? await this.enabledTypes(tenantId)
        : Object.keys(await this.reader.countsAt(tenantId, options.from)));
    const types = OBJECT_TYPE_KEYS.filter((t) => candidates.includes(t) && !isLogType(t));
    if (types.length === 0) throw CompareException.noTypes();
    return types;
  }

  private async enabledTypes(tenantId: string): Promise<ObjectTypeKey[]> {
    const settings = await this.settings.get(tenantId);
    return OBJECT_TYPE_KEYS.filter((t) => settings.enabledTypes[t]);
  }

  private async guardLive<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      if (error instanceof BackupException && error.code === BackupExceptionCode.BACKUP_ALREADY_RUNNING)
        throw CompareException.backupRunning();
      throw error;
    }
  }

  private async resolve(tenantId: string, request: CompareRequest, actor: Actor): Promise<Resolved> {
    await this.tenants.get(tenantId);
    const requested = request.types?.filter((t) => !isLogType(t));
    if (requested !== undefined && requested.length === 0) throw CompareException.noTypes();
    const from = await this.describeSnapshot(tenantId, request.from);
    const toRef =
      request.to === COMPARE_LIVE
        ? await this.readLive(
            tenantId,
            { ...(requested === undefined ? {} : { types: requested }), from: from.snapshot.snapshotId },
            actor,
          )
        : request.to;
    const to = await this.describeSnapshot(tenantId, toRef);
    let types = requested ?? OBJECT_TYPE_KEYS.filter((t) => !isLogType(t));
    // A read of the live tenant covers only its types; the others would show older backups' changes.
    if (to.live) types = types.filter((t) => to.types.includes(t));
    if (from.live) types = types.filter((t) => from.types.includes(t));
    return { from: from.snapshot, to: to.snapshot, types };
  }

  private async describeSnapshot(
    tenantId: string,
    ref: string,
  ): Promise<{ snapshot: CompareSnapshot; live: boolean; types: readonly string[] }> {
    const details = await this.reader.getSnapshotDetails(tenantId, ref);
    const live = await this.backups
      .getRun(details.run.id)
      .then((run) => run.trigger === 'compare')
      .catch(() => false);
    return {
      snapshot: {
        snapshotId: details.snapshot.id,
        seq: details.snapshot.seq,
        takenAt: details.run.startedAt.toISOString(),
        live,
      },
      live,
      types: details.run.types,
    };
  }

  /** Names and property differences of some entries of one type; decrypts only these objects. */
  private async describe(
    tenantId: string,
    resolved: Resolved,
    type: ObjectTypeKey,
    entries: readonly Entry[],
  ): Promise<CompareObject[]> {
    const descriptor = DESCRIPTORS[type];
    const primary = descriptor.collections[0].name;
    const before = new Map<string, unknown>();
    const after = new Map<string, unknown>();
    for (const collection of new Set(entries.map((e) => e.collection))) {
      const inCollection = entries.filter((e) => e.collection === collection);
      const fromIds = inCollection.filter((e) => e.change !== 'added').map((e) => e.id);
      const toIds = inCollection.filter((e) => e.change !== 'removed').map((e) => e.id);
      if (fromIds.length > 0)
        for (const [id, object] of await this.reader.objectsByIds(
          tenantId,
          resolved.from.snapshotId,
          type,
          collection,
          fromIds,
        ))
          before.set(`${collection}/${id}`, object);
      if (toIds.length > 0)
        for (const [id, object] of await this.reader.objectsByIds(
          tenantId,
          resolved.to.snapshotId,
          type,
          collection,
          toIds,
        ))
          after.set(`${collection}/${id}`, object);
    }
    const raw = entries.map((entry) => {
      const key = `${entry.collection}/${entry.id}`;
      const old = before.get(key);
      const next = after.get(key);
      return {
        entry,
        name: displayNameOf(next ?? old, entry.id),
        properties: entry.change === 'changed' ? diffProperties(old, next, descriptor.secretFields) : [],
      };
    });
    const names = await this.referenceNames(
      tenantId,
      resolved,
      raw.flatMap((r) =>
        r.properties.flatMap((p) => (p.kind === 'references' ? [...p.added, ...p.removed] : [])),
      ),
    );
    return raw.map(({ entry, name, properties }) => ({
      collection: entry.collection,
      primary: entry.collection === primary,
      id: entry.id,
      name,
      change: entry.change,
      properties: properties.map((p) => named(p, names)),
    }));
  }

  /** Display names of referenced objects, from the later snapshot and else the earlier one. */
  private async referenceNames(
    tenantId: string,
    resolved: Resolved,
    references: readonly RawReference[],
  ): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const byHome = new Map<string, { type: ObjectTypeKey; collection: string; ids: Set<string> }>();
    let wanted = 0;
    for (const reference of references) {
      const homes =
        reference.kind !== null && REFERENCE_HOMES[reference.kind]
          ? [REFERENCE_HOMES[reference.kind]!]
          : Object.values(REFERENCE_HOMES);
      for (const [type, collection] of homes) {
        const home = byHome.get(`${type}/${collection}`) ?? { type, collection, ids: new Set<string>() };
        byHome.set(`${type}/${collection}`, home);
        if (!home.ids.has(reference.id) && wanted < MAX_NAMED_REFERENCES) {
          home.ids.add(reference.id);
          wanted += 1;
        }
      }
    }
    for (const home of byHome.values()) {
      for (const snapshotId of [resolved.to.snapshotId, resolved.from.snapshotId]) {
        const missing = [...home.ids].filter((id) => !names.has(id));
        if (missing.length === 0) break;
        const found = await this.reader.objectsByIds(
          tenantId,
          snapshotId,
          home.type,
          home.collection,
          missing,
        );
        for (const [id, object] of found) names.set(id, displayNameOf(object, id));
      }
    }
    return names;
  }
}

function isLogType(type: ObjectTypeKey): boolean {
  return DESCRIPTORS[type].collections.some((c) => c.log !== undefined);
}

function counts(comparison: CollectionComparison | undefined): CompareCounts {
  return {
    added: comparison?.onlyB.length ?? 0,
    changed: comparison?.changed.length ?? 0,
    removed: comparison?.onlyA.length ?? 0,
  };
}

function entriesOf(type: ObjectTypeKey, comparison: Map<string, CollectionComparison>): Entry[] {
  const entries: Entry[] = [];
  for (const spec of DESCRIPTORS[type].collections) {
    const found = comparison.get(`${type}/${spec.name}`);
    if (found === undefined) continue;
    const ids: Record<CompareChange, readonly string[]> = {
      added: found.onlyB,
      changed: found.changed,
      removed: found.onlyA,
    };
    for (const change of COMPARE_CHANGES) {
      for (const id of [...ids[change]].sort()) entries.push({ collection: spec.name, id, change });
    }
  }
  return entries;
}

function named(property: RawPropertyDiff, names: ReadonlyMap<string, string>): CompareProperty {
  if (property.kind === 'value') return property;
  const name = (r: RawReference): CompareReference => ({
    id: r.id,
    name: names.get(r.id) ?? null,
    kind: r.kind,
  });
  return {
    kind: 'references',
    path: property.path,
    added: property.added.map(name),
    removed: property.removed.map(name),
  };
}
