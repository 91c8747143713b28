import { Injectable } from '@nestjs/common';
import {
  type AsOfResponse,
  type AuditMatch,
  isObjectTypeKey,
  type ObjectHistory,
  type ObjectTypeKey,
  type AsOfRelatedObject,
} from '@entra-backup/common';
import { PayloadCodec } from '../backup-storage/codec/payload-codec';
import { logLookupOf } from '../backup-storage/codec/log-lookup';
import { BackupReaderService } from '../backup-storage/backup-reader.service';
import { descriptorOf } from '../exporters/registry';
import {
  ObjectHistoryRepository,
  type SealedLogEntry,
  type VisibleSnapshotTime,
} from '../../persistence/repositories/object-history.repository';
import {
  buildTimeline,
  type DecodedVersion,
  isReference,
  kindOf,
  matchAudit,
  snapshotRef,
  toAuditMatch,
} from './history-timeline';
import { HistoryException } from './history.exception';

const AUDIT_TYPE: ObjectTypeKey = 'auditLogs';
/** Audit entries read for one object's whole history (and as many for the members it gained or lost). */
const AUDIT_LIMIT = 500;
const BACKFILL_PAGE = 500;

/** Where objects of a reference kind (`@odata.type`) live in the backup. */
const KIND_LOCATIONS: Record<string, ReadonlyArray<readonly [ObjectTypeKey, string]>> = {
  user: [['users', 'users']],
  group: [['groups', 'groups']],
  servicePrincipal: [['enterpriseApps', 'servicePrincipals']],
  application: [['appRegistrations', 'applications']],
  device: [['devices', 'devices']],
  administrativeUnit: [['adminUnits', 'administrativeUnits']],
  orgContact: [],
};
const ANY_DIRECTORY_OBJECT: ReadonlyArray<readonly [ObjectTypeKey, string]> = [
  ['users', 'users'],
  ['groups', 'groups'],
  ['enterpriseApps', 'servicePrincipals'],
  ['devices', 'devices'],
];
const ROLE_TYPES: readonly ObjectTypeKey[] = ['builtInRoles', 'customRoles'];
const RELATION_LABELS: Record<string, string> = {
  members: 'Members',
  owners: 'Owners',
  manager: 'Manager',
  memberOf: 'Groups',
  roles: 'Directory roles',
  adminUnits: 'Administrative units',
};

interface NamedObject {
  readonly type: ObjectTypeKey;
  readonly collection: string;
  readonly displayName: string | null;
}

/**
 * Version history of one backed-up object, with the directory audit entries that explain each
 * change, and its relationships as of any date.
 */
@Injectable()
export class HistoryService {
  constructor(
    private readonly history: ObjectHistoryRepository,
    private readonly codec: PayloadCodec,
    private readonly reader: BackupReaderService,
  ) {}

  /** The object's timeline across snapshots, newest first. */
  async objectHistory(
    tenantId: string,
    type: string,
    collection: string,
    objectId: string,
  ): Promise<ObjectHistory> {
    const typeKey = requireObjectType(type, collection);
    const ranges = await this.history.versionsOf(tenantId, typeKey, collection, objectId);
    if (ranges.length === 0) throw HistoryException.objectNotFound(type, collection, objectId);
    const [snapshots, payloads] = await Promise.all([
      this.history.visibleSnapshots(tenantId),
      this.history.payloads(ranges.map((r) => r.contentHash)),
    ]);
    const versions: DecodedVersion[] = ranges.map((range) => ({
      validFromSeq: range.validFromSeq,
      validToSeq: range.validToSeq,
      object: this.decode(range.contentHash, payloads.get(range.contentHash)),
    }));
    const descriptor = descriptorOf(typeKey);
    const spec = descriptor.collections.find((c) => c.name === collection)!;
    const relationNames = new Set((spec.children ?? []).filter((c) => c.reference).map((c) => c.name));
    const timeline = buildTimeline(versions, snapshots, {
      secretFields: descriptor.secretFields,
      relationNames,
    });

    const auditLogsBackedUp = await this.history.hasLogEntries(tenantId, AUDIT_TYPE);
    const [names, audit] = await Promise.all([
      this.resolveNames(
        tenantId,
        timeline.flatMap((e) => e.relationships.map((r) => ({ id: r.id, kind: r.kind }))),
      ),
      auditLogsBackedUp
        ? this.auditEntries(tenantId, objectId, timeline, snapshots)
        : Promise.resolve({ forObject: [], forMembers: [] }),
    ]);

    const latest = versions[versions.length - 1]!.object;
    return {
      type: typeKey,
      collection,
      objectId,
      displayName: displayNameOf(latest),
      auditLogsBackedUp,
      versions: versions.length,
      events: timeline.map((event) => ({
        ...event,
        relationships: event.relationships.map((r) => ({
          ...r,
          displayName: names.get(r.id)?.displayName ?? null,
          type: names.get(r.id)?.type ?? null,
          collection: names.get(r.id)?.collection ?? null,
        })),
        audit: matchAudit(event, objectId, [...audit.forObject, ...audit.forMembers]),
      })),
    };
  }

  /**
   * The object's relationships as of a date (from the snapshot valid then: the newest taken at
   * or before it), and what changed until a second date or the newest snapshot. Any object shows
   * the references embedded in it (a group's members and owners, a user's manager); a user also
   * the groups, directory roles and administrative units it belonged to.
   */
  async asOf(
    tenantId: string,
    type: string,
    collection: string,
    objectId: string,
    date: string,
    until?: string,
  ): Promise<AsOfResponse> {
    const typeKey = requireObjectType(type, collection);
    const at = parseDate(date, 'date');
    const end = until === undefined ? null : parseDate(until, 'until');
    const ranges = await this.history.versionsOf(tenantId, typeKey, collection, objectId);
    if (ranges.length === 0) throw HistoryException.objectNotFound(type, collection, objectId);
    const snapshots = await this.history.visibleSnapshots(tenantId);
    const from = validAt(snapshots, at);
    const to = end === null ? (snapshots[snapshots.length - 1] ?? null) : validAt(snapshots, end);

    const stateAt = async (
      snapshot: VisibleSnapshotTime | null,
    ): Promise<{
      existed: boolean;
      object: Record<string, unknown> | null;
      relations: Map<string, AsOfRelatedObject[]>;
    }> => {
      if (snapshot === null)
        return { existed: false, object: null, relations: new Map<string, AsOfRelatedObject[]>() };
      const range = ranges.find(
        (r) => r.validFromSeq <= snapshot.seq && (r.validToSeq === null || r.validToSeq > snapshot.seq),
      );
      const object =
        range === undefined
          ? null
          : this.decode(
              range.contentHash,
              (await this.history.payloads([range.contentHash])).get(range.contentHash),
            );
      const relations = await this.relationsAt(tenantId, snapshot, typeKey, objectId, object, cache);
      return { existed: object !== null, object, relations };
    };
    const cache = new Map<string, Record<string, unknown>>();
    const before = await stateAt(from);
    const after = await stateAt(to);

    const changes: AsOfResponse['changes'] = [];
    for (const relation of new Set([...before.relations.keys(), ...after.relations.keys()])) {
      const was = new Map((before.relations.get(relation) ?? []).map((o) => [o.id, o]));
      const now = new Map((after.relations.get(relation) ?? []).map((o) => [o.id, o]));
      for (const [id, item] of now) if (!was.has(id)) changes.push({ relation, action: 'added', item });
      for (const [id, item] of was) if (!now.has(id)) changes.push({ relation, action: 'removed', item });
    }
    const latest = await this.history.payloads([ranges[ranges.length - 1]!.contentHash]);
    const latestObject = this.decode(
      ranges[ranges.length - 1]!.contentHash,
      latest.get(ranges[ranges.length - 1]!.contentHash),
    );
    return {
      type: typeKey,
      collection,
      objectId,
      displayName: displayNameOf(before.object ?? latestObject),
      requestedDate: at.toISOString(),
      snapshot: from === null ? null : snapshotRef(from),
      existed: before.existed,
      relations: [...before.relations].map(([relation, items]) => ({
        relation,
        label: RELATION_LABELS[relation] ?? relation,
        items: sortByName(items),
      })),
      compareSnapshot: to === null ? null : snapshotRef(to),
      compareExisted: after.existed,
      changes,
    };
  }

  private async relationsAt(
    tenantId: string,
    snapshot: VisibleSnapshotTime,
    typeKey: ObjectTypeKey,
    objectId: string,
    object: Record<string, unknown> | null,
    cache: Map<string, Record<string, unknown>>,
  ): Promise<Map<string, AsOfRelatedObject[]>> {
    const out = new Map<string, AsOfRelatedObject[]>();
    if (object !== null) {
      const refs: Array<{ relation: string; id: string; kind: string }> = [];
      for (const [name, value] of Object.entries(object)) {
        const list = Array.isArray(value) ? value : [value];
        if (name.startsWith('@') || list.length === 0 || !list.every(isReference)) continue;
        if (!Array.isArray(value) && !isReference(value)) continue;
        out.set(name, []);
        for (const ref of list as Array<Record<string, unknown>>)
          refs.push({ relation: name, id: String(ref['id']), kind: kindOf(ref['@odata.type']) });
      }
      for (const name of ['members', 'owners']) {
        if (Array.isArray(object[name]) && !out.has(name)) out.set(name, []);
      }
      const names = await this.resolveNames(tenantId, refs);
      for (const ref of refs) {
        const named = names.get(ref.id);
        out.get(ref.relation)!.push({
          id: ref.id,
          kind: ref.kind,
          type: named?.type ?? null,
          collection: named?.collection ?? null,
          displayName: named?.displayName ?? null,
          detail: null,
        });
      }
    }
    // A user's groups, roles and administrative units are stored on them, not on the user.
    if (typeKey === 'users' && object !== null) {
      const reverse = await this.reverseRelationsAt(tenantId, snapshot, objectId, cache);
      for (const [relation, items] of reverse) out.set(relation, items);
    }
    return out;
  }

  /**
   * The groups, directory roles and administrative units naming the object at a snapshot. Each
   * distinct version is decrypted once per request (`cache`), so comparing two snapshots costs
   * one pass over the collections plus what changed in between.
   */
  private async reverseRelationsAt(
    tenantId: string,
    snapshot: VisibleSnapshotTime,
    objectId: string,
    cache: Map<string, Record<string, unknown>>,
  ): Promise<Map<string, AsOfRelatedObject[]>> {
    const objectsAt = async (type: ObjectTypeKey, collection: string) => {
      const hashes = await this.history.hashesAt(tenantId, type, collection, snapshot.seq);
      const missing = hashes.map((h) => h.contentHash).filter((hash) => !cache.has(hash));
      const payloads = await this.history.payloads(missing);
      for (const hash of new Set(missing)) cache.set(hash, this.decode(hash, payloads.get(hash)));
      return hashes.map((h) => ({ id: h.objectId, object: cache.get(h.contentHash)! }));
    };
    const namesMember = (value: unknown) =>
      Array.isArray(value) && value.some((m) => isReference(m) && m['id'] === objectId);
    const memberOf = (await objectsAt('groups', 'groups'))
      .filter((g) => namesMember(g.object['members']))
      .map((g) => related(g.id, 'group', 'groups', 'groups', displayNameOf(g.object)));
    const adminUnits = (await objectsAt('adminUnits', 'administrativeUnits'))
      .filter((u) => namesMember(u.object['members']))
      .map((u) =>
        related(u.id, 'administrativeUnit', 'adminUnits', 'administrativeUnits', displayNameOf(u.object)),
      );
    const roles: AsOfRelatedObject[] = [];
    for (const roleType of ROLE_TYPES) {
      const assignments = (await objectsAt(roleType, 'roleAssignments'))
        .map((a) => a.object)
        .filter((a) => a['principalId'] === objectId);
      if (assignments.length === 0) continue;
      const definitions = await this.reader.objectsByIds(
        tenantId,
        String(snapshot.seq),
        roleType,
        'roleDefinitions',
        [...new Set(assignments.map((a) => String(a['roleDefinitionId'])))],
      );
      for (const a of assignments) {
        const definitionId = String(a['roleDefinitionId']);
        const definition = definitions.get(definitionId);
        roles.push({
          ...related(
            definitionId,
            'roleDefinition',
            roleType,
            'roleDefinitions',
            definition ? displayNameOf(asRecord(definition)) : null,
          ),
          detail: typeof a['directoryScopeId'] === 'string' ? a['directoryScopeId'] : null,
        });
      }
    }
    return new Map([
      ['memberOf', memberOf],
      ['roles', roles],
      ['adminUnits', adminUnits],
    ]);
  }

  /** Names of referenced objects, from their newest stored version (deleted ones keep their last name). */
  private async resolveNames(
    tenantId: string,
    refs: ReadonlyArray<{ id: string; kind: string }>,
  ): Promise<Map<string, NamedObject>> {
    const out = new Map<string, NamedObject>();
    const byLocation = new Map<string, { type: ObjectTypeKey; collection: string; ids: Set<string> }>();
    for (const ref of refs) {
      for (const [type, collection] of KIND_LOCATIONS[ref.kind] ?? ANY_DIRECTORY_OBJECT) {
        const key = `${type}/${collection}`;
        const entry = byLocation.get(key) ?? { type, collection, ids: new Set<string>() };
        entry.ids.add(ref.id);
        byLocation.set(key, entry);
      }
    }
    for (const { type, collection, ids } of byLocation.values()) {
      const pending = [...ids].filter((id) => !out.has(id));
      if (pending.length === 0) continue;
      const versions = await this.history.latestVersions(tenantId, type, collection, pending);
      const payloads = await this.history.payloads(versions.map((v) => v.contentHash));
      for (const version of versions) {
        const object = this.decode(version.contentHash, payloads.get(version.contentHash));
        out.set(version.objectId, { type, collection, displayName: displayNameOf(object) });
      }
    }
    return out;
  }

  /**
   * The audit entries that may explain the timeline: those naming the object over its whole
   * span, and per membership change those naming the members in that change's window.
   */
  private async auditEntries(
    tenantId: string,
    objectId: string,
    timeline: ReturnType<typeof buildTimeline>,
    snapshots: readonly VisibleSnapshotTime[],
  ): Promise<{ forObject: AuditMatch[]; forMembers: AuditMatch[] }> {
    await this.backfillAuditIndex(tenantId);
    const maxSeq = snapshots[snapshots.length - 1]?.seq ?? 0;
    const oldest = timeline[timeline.length - 1];
    const newest = timeline[0];
    if (oldest === undefined || newest === undefined) return { forObject: [], forMembers: [] };
    const forObject = this.openAudit(
      await this.history.logEntriesTargeting({
        tenantId,
        typeKey: AUDIT_TYPE,
        targetIds: [objectId.toLowerCase()],
        after: oldest.previousSnapshot?.takenAt ?? '',
        until: newest.snapshot.takenAt,
        maxSeq,
        limit: AUDIT_LIMIT,
      }),
    );
    // Entries that name a member but the object only in their modified properties (`Group.ObjectID`):
    // one read for every member of every membership change, assigned to changes by time below.
    const memberIds = [...new Set(timeline.flatMap((e) => e.relationships.map((r) => r.id.toLowerCase())))];
    const forMembers =
      memberIds.length === 0
        ? []
        : this.openAudit(
            await this.history.logEntriesTargeting({
              tenantId,
              typeKey: AUDIT_TYPE,
              targetIds: memberIds,
              after: oldest.previousSnapshot?.takenAt ?? '',
              until: newest.snapshot.takenAt,
              maxSeq,
              limit: AUDIT_LIMIT,
            }),
          ).filter((entry) => !forObject.some((known) => known.id === entry.id));
    return { forObject, forMembers };
  }

  /**
   * Indexes audit entries stored before the target index existed, a page at a time; a no-op
   * (one indexed query) once every entry is indexed.
   */
  private async backfillAuditIndex(tenantId: string): Promise<void> {
    for (;;) {
      const page = await this.history.unindexedLogEntries(tenantId, AUDIT_TYPE, BACKFILL_PAGE);
      if (page.length === 0) return;
      await this.history.indexLogEntries(
        tenantId,
        AUDIT_TYPE,
        page.map((entry) => {
          const lookup =
            entry.payload === null ? null : logLookupOf(this.decode(entry.contentHash, entry.payload));
          return {
            entryId: entry.entryId,
            activityAt: lookup?.activityAt ?? '',
            targetIds: lookup?.targetIds ?? [],
          };
        }),
      );
      if (page.length < BACKFILL_PAGE) return;
    }
  }

  private openAudit(entries: readonly SealedLogEntry[]): AuditMatch[] {
    return entries.flatMap((entry) => {
      if (entry.payload === null) return [];
      const match = toAuditMatch(this.decode(entry.contentHash, entry.payload));
      return match === null ? [] : [match];
    });
  }

  private decode(hash: string, payload: Buffer | undefined): Record<string, unknown> {
    if (payload === undefined)
      throw new Error(`Blob ${hash} is missing; run verify for a full damage report`);
    return asRecord(this.codec.open(hash, payload));
  }
}

function requireObjectType(type: string, collection: string): ObjectTypeKey {
  if (!isObjectTypeKey(type)) throw HistoryException.invalid(`Unknown object type: ${type}`);
  const descriptor = descriptorOf(type);
  const spec = descriptor.collections.find((c) => c.name === collection);
  if (spec === undefined) {
    throw HistoryException.invalid(
      `Object type ${type} has no collection ${collection} (it has ${descriptor.collections.map((c) => c.name).join(', ')})`,
    );
  }
  if (spec.log !== undefined)
    throw HistoryException.invalid(`${type} is a log: its entries have no versions`);
  return type;
}

function parseDate(value: string, name: string): Date {
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw HistoryException.invalid(`${name} must be an ISO 8601 date`);
  return new Date(parsed);
}

/** The newest snapshot taken at or before a date. */
function validAt(snapshots: readonly VisibleSnapshotTime[], date: Date): VisibleSnapshotTime | null {
  let found: VisibleSnapshotTime | null = null;
  for (const snapshot of snapshots) if (snapshot.createdAt.getTime() <= date.getTime()) found = snapshot;
  return found;
}

function related(
  id: string,
  kind: string,
  type: ObjectTypeKey,
  collection: string,
  displayName: string | null,
): AsOfRelatedObject {
  return { id, kind, type, collection, displayName, detail: null };
}

function sortByName(items: readonly AsOfRelatedObject[]): AsOfRelatedObject[] {
  return [...items].sort((a, b) => (a.displayName ?? a.id).localeCompare(b.displayName ?? b.id));
}

function displayNameOf(object: Record<string, unknown>): string | null {
  for (const key of ['displayName', 'userPrincipalName', 'name', 'appId']) {
    const value = object[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
