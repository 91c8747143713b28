import { randomBytes } from 'node:crypto';
import type { ObjectTypeKey } from '@entra-backup/common';
import { Clock } from '../../src/core/clock/clock';
import { BackupReaderService, BackupWriterService, type GraphObject } from '../../src/modules/backup-storage';
import { PayloadCodec } from '../../src/modules/backup-storage/codec/payload-codec';
import { BlobCipher } from '../../src/modules/backup-storage/crypto/blob-cipher';
import { MasterKeyProvider } from '../../src/modules/backup-storage/crypto/master-key.provider';
import { HistoryExceptionCode } from '../../src/modules/history/history.exception';
import { HistoryService } from '../../src/modules/history/history.service';
import { DatabaseGate } from '../../src/persistence/database-gate';
import {
  BackupLogEntryEntity,
  BackupLogTargetEntity,
  BackupObjectVersionEntity,
} from '../../src/persistence/entities';
import { BackupLeaseRepository } from '../../src/persistence/repositories/backup-lease.repository';
import { BackupObjectRepository } from '../../src/persistence/repositories/backup-object.repository';
import { BackupSnapshotRepository } from '../../src/persistence/repositories/backup-snapshot.repository';
import { BackupSqlRepository, toNumber } from '../../src/persistence/repositories/backup-sql.repository';
import { ObjectHistoryRepository } from '../../src/persistence/repositories/object-history.repository';
import { TenantRepository } from '../../src/persistence/repositories/tenant.repository';
import { buildTenant } from '../support/factories';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

class FakeClock extends Clock {
  private at = Date.parse('2026-11-01T08:00:00.000Z');

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

const HOUR = 3_600_000;
const ANN = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';
const GROUP = '00000000-0000-4000-8000-0000000000a1';
const ROLE = '62e90394-69f5-4237-9190-012177145e10';
const ref = (type: string, id: string) => ({ '@odata.type': `#microsoft.graph.${type}`, id });

const ann = (department: string): GraphObject => ({
  id: ANN,
  displayName: 'Ann Lee',
  userPrincipalName: 'ann@contoso.com',
  department,
});
const bob: GraphObject = { id: BOB, displayName: 'Bob Stone', userPrincipalName: 'bob@contoso.com' };
const group = (members: string[]): GraphObject => ({
  id: GROUP,
  displayName: 'Finance',
  members: members.map((id) => ref('user', id)),
  owners: [ref('user', ANN)],
});

/** A directory audit entry shaped as https://learn.microsoft.com/graph/api/resources/directoryaudit documents it. */
function audit(id: string, at: string, activity: string, targets: unknown[]): GraphObject {
  return {
    id,
    activityDateTime: at,
    activityDisplayName: activity,
    category: 'UserManagement',
    result: 'success',
    operationType: 'Update',
    initiatedBy: { user: { id: 'admin-id', userPrincipalName: 'admin@contoso.com' }, app: null },
    targetResources: targets,
  };
}

describe.each(testDatabases())('object history on %s', (engine) => {
  let db: TestDataSource;
  let clock: FakeClock;
  let sql: BackupSqlRepository;
  let writer: BackupWriterService;
  let sut: HistoryService;
  let tenantId: string;

  beforeEach(async () => {
    db = await createTestDataSource(engine);
    clock = new FakeClock();
    sql = new BackupSqlRepository(new DatabaseGate(db.dataSource));
    const snapshots = new BackupSnapshotRepository(sql);
    const objects = new BackupObjectRepository(sql);
    const codec = new PayloadCodec(new BlobCipher(MasterKeyProvider.fromKey(randomBytes(32))));
    writer = new BackupWriterService(snapshots, objects, new BackupLeaseRepository(sql), codec, clock, {
      batchObjects: 50,
      batchBytes: 1024 * 1024,
    });
    const reader = new BackupReaderService(snapshots, objects, codec, clock);
    sut = new HistoryService(new ObjectHistoryRepository(sql), codec, reader);
    const tenant = buildTenant();
    tenantId = tenant.id;
    await new TenantRepository(new DatabaseGate(db.dataSource)).insertIfAbsent(tenant);
  });

  afterEach(async () => {
    await db.destroy();
  });

  async function snapshot(
    content: Partial<Record<ObjectTypeKey, Record<string, GraphObject[]>>>,
    logs: GraphObject[] = [],
  ): Promise<void> {
    const types = [...Object.keys(content), ...(logs.length > 0 ? ['auditLogs'] : [])] as ObjectTypeKey[];
    const run = await writer.beginSnapshot(tenantId, { mode: 'full', types });
    for (const [type, collections] of Object.entries(content) as Array<
      [ObjectTypeKey, Record<string, GraphObject[]>]
    >) {
      for (const [collection, objects] of Object.entries(collections)) {
        for (const object of objects) await run.put(type, collection, object);
      }
      await run.completeType(type);
    }
    if (logs.length > 0) {
      await run.appendLogs('auditLogs', 'directoryAudits', logs);
      await run.completeType('auditLogs');
    }
    await run.commit();
    clock.advance(HOUR);
  }

  /** Three backups an hour apart (08:00, 09:00, 10:00): Ann moves to Marketing, Bob joins Finance then leaves. */
  async function threeBackups(): Promise<void> {
    const roles = {
      roleDefinitions: [{ id: ROLE, displayName: 'Helpdesk Administrator', isBuiltIn: true }],
      roleAssignments: [{ id: 'ra-1', principalId: BOB, roleDefinitionId: ROLE, directoryScopeId: '/' }],
    };
    await snapshot({
      users: { users: [ann('Sales'), bob] },
      groups: { groups: [group([ANN])] },
      builtInRoles: roles,
    });
    await snapshot(
      {
        users: { users: [ann('Marketing'), bob] },
        groups: { groups: [group([ANN, BOB])] },
        builtInRoles: roles,
      },
      [
        audit('Directory_update', '2026-11-01T08:30:00Z', 'Update user', [
          {
            id: ANN,
            type: 'User',
            displayName: null,
            userPrincipalName: 'ann@contoso.com',
            modifiedProperties: [
              { displayName: 'Department', oldValue: '["Sales"]', newValue: '["Marketing"]' },
            ],
          },
        ]),
        audit('Directory_add', '2026-11-01T08:40:00Z', 'Add member to group', [
          {
            id: BOB,
            type: 'User',
            userPrincipalName: 'bob@contoso.com',
            modifiedProperties: [
              { displayName: 'Group.ObjectID', oldValue: null, newValue: `"${GROUP}"` },
              { displayName: 'Group.DisplayName', oldValue: null, newValue: '"Finance"' },
            ],
          },
          { id: GROUP, type: 'Group', displayName: 'Finance', modifiedProperties: [] },
        ]),
        audit('Directory_old', '2026-11-01T07:00:00Z', 'Update user', [
          { id: ANN, type: 'User', modifiedProperties: [] },
        ]),
      ],
    );
    await snapshot({
      users: { users: [ann('Marketing'), bob] },
      groups: { groups: [group([ANN])] },
      builtInRoles: roles,
    });
  }

  it("shows a user's department change old → new with the audit entry that made it", async () => {
    await threeBackups();

    const history = await sut.objectHistory(tenantId, 'users', 'users', ANN);

    expect(history).toMatchObject({ displayName: 'Ann Lee', versions: 2, auditLogsBackedUp: true });
    expect(history.events.map((e) => [e.kind, e.snapshot.seq])).toEqual([
      ['changed', 2],
      ['created', 1],
    ]);
    const [changed] = history.events;
    expect(changed!.changes).toEqual([
      { property: 'department', path: 'department', masked: false, before: 'Sales', after: 'Marketing' },
    ]);
    expect(changed!.previousSnapshot?.seq).toBe(1);
    expect(changed!.audit).toEqual([
      expect.objectContaining({
        id: 'Directory_update',
        activity: 'Update user',
        initiatedBy: { kind: 'user', name: 'admin@contoso.com' },
        targets: [
          expect.objectContaining({
            modifiedProperties: [{ name: 'Department', oldValue: '["Sales"]', newValue: '["Marketing"]' }],
          }),
        ],
      }),
    ]);
  });

  it('shows a member added then removed, by name, with the membership audit entry', async () => {
    await threeBackups();

    const history = await sut.objectHistory(tenantId, 'groups', 'groups', GROUP);

    expect(history.events.map((e) => [e.kind, e.snapshot.seq])).toEqual([
      ['changed', 3],
      ['changed', 2],
      ['created', 1],
    ]);
    expect(history.events[0]!.relationships).toEqual([
      {
        relation: 'members',
        action: 'removed',
        id: BOB,
        kind: 'user',
        displayName: 'Bob Stone',
        type: 'users',
        collection: 'users',
      },
    ]);
    expect(history.events[0]!.audit).toEqual([]);
    expect(history.events[1]!.relationships).toEqual([
      {
        relation: 'members',
        action: 'added',
        id: BOB,
        kind: 'user',
        displayName: 'Bob Stone',
        type: 'users',
        collection: 'users',
      },
    ]);
    expect(history.events[1]!.audit.map((a) => a.id)).toEqual(['Directory_add']);
  });

  it('indexes audit entries stored before the target index existed, once', async () => {
    await threeBackups();
    const log = sql.table(BackupLogEntryEntity);
    const targets = sql.table(BackupLogTargetEntity);
    await sql.run(`DELETE FROM ${targets}`);
    await sql.run(`UPDATE ${log} SET "activity_at" = NULL`);

    const history = await sut.objectHistory(tenantId, 'users', 'users', ANN);

    expect(history.events[0]!.audit.map((a) => a.id)).toEqual(['Directory_update']);
    const [unindexed] = await sql.rows<{ n: unknown }>(
      `SELECT COUNT(*) AS "n" FROM ${log} WHERE "activity_at" IS NULL`,
    );
    expect(toNumber(unindexed?.n)).toBe(0);
  });

  it('drops the target lookup of audit entries stored by a run that was abandoned', async () => {
    await threeBackups();
    const targets = sql.table(BackupLogTargetEntity);
    const count = async () =>
      toNumber((await sql.rows<{ n: unknown }>(`SELECT COUNT(*) AS "n" FROM ${targets}`))[0]?.n);
    const kept = await count();
    const run = await writer.beginSnapshot(tenantId, { mode: 'incremental', types: ['auditLogs'] });
    await run.appendLogs('auditLogs', 'directoryAudits', [
      audit('Directory_abandoned', '2026-11-01T10:30:00Z', 'Update user', [{ id: ANN, type: 'User' }]),
    ]);
    expect(await count()).toBe(kept + 1);

    await run.abort('stopped');

    expect(await count()).toBe(kept);
  });

  it("answers a group's members as of a date and the changes until a second date", async () => {
    await threeBackups();

    const result = await sut.asOf(
      tenantId,
      'groups',
      'groups',
      GROUP,
      '2026-11-01T08:30:00Z',
      '2026-11-01T09:30:00Z',
    );

    expect(result.snapshot?.seq).toBe(1);
    expect(result.compareSnapshot?.seq).toBe(2);
    expect(result.relations.find((r) => r.relation === 'members')?.items.map((i) => i.displayName)).toEqual([
      'Ann Lee',
    ]);
    expect(result.relations.find((r) => r.relation === 'owners')?.items.map((i) => i.displayName)).toEqual([
      'Ann Lee',
    ]);
    expect(result.changes).toEqual([
      {
        relation: 'members',
        action: 'added',
        item: expect.objectContaining({
          id: BOB,
          displayName: 'Bob Stone',
          type: 'users',
          collection: 'users',
        }),
      },
    ]);
  });

  it("answers a user's groups and directory roles as of a date, and what changed until now", async () => {
    await threeBackups();

    const result = await sut.asOf(tenantId, 'users', 'users', BOB, '2026-11-01T09:10:00Z');

    expect(result.snapshot?.seq).toBe(2);
    expect(result.compareSnapshot?.seq).toBe(3);
    const relation = (name: string) => result.relations.find((r) => r.relation === name)?.items;
    expect(relation('memberOf')?.map((i) => i.displayName)).toEqual(['Finance']);
    expect(relation('roles')).toEqual([
      expect.objectContaining({ id: ROLE, displayName: 'Helpdesk Administrator', detail: '/' }),
    ]);
    expect(result.changes).toEqual([
      {
        relation: 'memberOf',
        action: 'removed',
        item: expect.objectContaining({ id: GROUP, displayName: 'Finance' }),
      },
    ]);
  });

  it('refuses an unknown type, a log type, a bad date, and an object never backed up', async () => {
    await threeBackups();

    await expect(sut.objectHistory(tenantId, 'printers', 'printers', ANN)).rejects.toMatchObject({
      code: HistoryExceptionCode.HISTORY_INVALID_REQUEST,
    });
    await expect(sut.objectHistory(tenantId, 'auditLogs', 'directoryAudits', 'x')).rejects.toMatchObject({
      code: HistoryExceptionCode.HISTORY_INVALID_REQUEST,
    });
    await expect(sut.asOf(tenantId, 'users', 'users', ANN, 'yesterday')).rejects.toMatchObject({
      code: HistoryExceptionCode.HISTORY_INVALID_REQUEST,
    });
    await expect(
      sut.objectHistory(tenantId, 'users', 'users', '00000000-0000-4000-8000-000000000999'),
    ).rejects.toMatchObject({ code: HistoryExceptionCode.HISTORY_OBJECT_NOT_FOUND });
  });

  it('reads versions and audit entries through index seeks', async () => {
    await threeBackups();
    // On PostgreSQL the planner prefers a sequential scan of tables this small; with it switched
    // off the plan shows whether an index can answer at all.
    const explain = (statement: string, params: string[]) =>
      sql.transaction(async (tx) => {
        if (engine === 'postgres') await tx.run('SET LOCAL enable_seqscan = off');
        const rows = await tx.rows<Record<string, string>>(
          `${engine === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN'} ${statement}`,
          params,
        );
        return rows.map((r) => r['detail'] ?? r['QUERY PLAN'] ?? '').join('\n');
      });

    const versions = await explain(
      `SELECT "valid_from_seq" FROM ${sql.table(BackupObjectVersionEntity)} WHERE "tenant_id" = ? AND "type_key" = ? AND "collection" = ? AND "object_id" = ? ORDER BY "valid_from_seq"`,
      [tenantId, 'users', 'users', ANN],
    );
    const targets = await explain(
      `SELECT "entry_id" FROM ${sql.table(BackupLogTargetEntity)} WHERE "tenant_id" = ? AND "type_key" = ? AND "target_id" IN (?) AND "activity_at" > ? AND "activity_at" <= ?`,
      [tenantId, 'auditLogs', ANN, '', 'z'],
    );

    if (engine === 'sqlite') {
      expect(versions).toMatch(
        /SEARCH object_version USING (COVERING )?INDEX sqlite_autoindex_object_version/,
      );
      expect(versions).not.toMatch(/TEMP B-TREE/);
      expect(targets).toMatch(
        /SEARCH log_entry_target USING (COVERING )?INDEX sqlite_autoindex_log_entry_target/,
      );
    } else {
      expect(versions).toMatch(/Index (Only )?Scan using "?PK_/);
      expect(versions).not.toMatch(/Sort/);
      expect(targets).toMatch(/Index (Only )?Scan using "?PK_/);
    }
  });
});
