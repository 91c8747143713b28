import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';

const SORT_COLUMNS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'] as const;
/**
 * Sort columns with an index: the first six (a table's default order, the columns an admin sorts
 * by most, and every column of users and groups). Every
 * index costs each stored payload a B-tree insert, which is most of what the browse index adds to
 * a backup; a page by another column sorts the visible rows instead (about 0.5 s at 100,000).
 */
const INDEXED_SORT_COLUMNS = SORT_COLUMNS.slice(0, 6);

/**
 * The browse index (`object_summary`): display columns per stored payload, so the portal's
 * tables search and sort in the database. Text keys use the "C" collation on PostgreSQL so both
 * engines order them bytewise alike (SQLite's default is binary). A first page by one of the
 * first five columns is read along that column's index and checked for visibility through
 * indexes of `object_version` and `log_entry`, so it costs a few index steps, not a sort of the
 * whole collection. The `object_version` index leaves out `object_id` on purpose: covering, it
 * would win over the primary key in the commit's per-object probes (which then walk every version
 * of a collection); a page reads the table only for the rows it shows.
 */
export class BrowseIndex1765108800000 implements MigrationInterface {
  name = 'BrowseIndex1765108800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    const key = (name: string, type: 'varchar' | 'text' = 'varchar'): TableColumnOptions => ({
      name,
      type,
      ...(type === 'varchar' ? { length: '256' } : {}),
      isNullable: name !== 'search',
      ...(postgres ? { collation: 'C' } : {}),
    });
    await queryRunner.createTable(
      new Table({
        name: 'object_summary',
        columns: [
          { name: 'hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'type_key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'collection', type: 'varchar', length: '128', isPrimary: true },
          { name: 'spec_version', type: 'integer' },
          { name: 'name', type: 'text', isNullable: true },
          { name: 'alt_id', type: 'varchar', length: '512', isNullable: true },
          key('search', 'text'),
          ...SORT_COLUMNS.map((c) => key(c)),
          { name: 'display', type: 'text' },
          { name: 'refs', type: 'text', isNullable: true },
        ],
        indices: [
          // Only collections with a second identifier (apps, devices) have one.
          new TableIndex({
            name: 'idx_object_summary_alt_id',
            columnNames: ['type_key', 'collection', 'alt_id'],
            where: '"alt_id" IS NOT NULL',
          }),
          new TableIndex({
            name: 'idx_object_summary_search',
            columnNames: ['type_key', 'collection', 'search', 'hash'],
          }),
          // One per indexed sort column: a first page is read in its order and stops after it.
          ...INDEXED_SORT_COLUMNS.map(
            (c) =>
              new TableIndex({
                name: `idx_object_summary_${c}`,
                columnNames: ['type_key', 'collection', c, 'hash'],
              }),
          ),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'object_summary_ref',
        // SQLite: rows are their primary key, so each reference is one B-tree insert less.
        withoutRowid: true,
        columns: [
          { name: 'hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'type_key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'collection', type: 'varchar', length: '128', isPrimary: true },
          { name: 'relation', type: 'varchar', length: '64', isPrimary: true },
          { name: 'target', type: 'varchar', length: '512', isPrimary: true },
        ],
        indices: [
          new TableIndex({
            name: 'idx_object_summary_ref_target',
            columnNames: ['target', 'type_key', 'collection', 'relation', 'hash'],
          }),
        ],
      }),
    );
    // From an index row to "is this payload visible in snapshot S", without the table.
    await queryRunner.createIndex(
      'object_version',
      new TableIndex({
        name: 'idx_object_version_browse',
        columnNames: [
          'tenant_id',
          'type_key',
          'collection',
          'content_hash',
          'valid_from_seq',
          'valid_to_seq',
        ],
      }),
    );
    await queryRunner.createIndex(
      'log_entry',
      new TableIndex({
        name: 'idx_log_entry_browse',
        columnNames: ['tenant_id', 'type_key', 'collection', 'content_hash', 'first_seen_seq', 'entry_id'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('log_entry', 'idx_log_entry_browse');
    await queryRunner.dropIndex('object_version', 'idx_object_version_browse');
    await queryRunner.dropTable('object_summary_ref');
    await queryRunner.dropTable('object_summary');
  }
}
