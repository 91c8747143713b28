import { OBJECT_TYPE_KEYS } from '@entra-backup/common';
import type { Command } from 'commander';
import { SnapshotsService, type SnapshotSummary } from '../../../api/src/modules/export/snapshots.service';
import type { CliContext } from '../cli-context';
import { renderJson, renderTable } from '../output/table';
import { parseTenantIdArgument } from './arguments';
import { formatBytes, positiveIntegerArgument } from './snapshot-arguments';

/** `entra-backup snapshots <tenantId>`: the tenant's visible snapshots, newest first. */
export function registerSnapshotCommands(program: Command, context: CliContext): void {
  program
    .command('snapshots')
    .description("list a tenant's snapshots, newest first (only complete and partial ones are visible)")
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .option('--limit <n>', 'show at most n snapshots (1-200)', positiveIntegerArgument('--limit', 200), 50)
    .option('--json', 'print JSON instead of a table')
    .action(async (tenantId: string, options: { limit: number; json?: boolean }) => {
      const service = await context.get(SnapshotsService);
      const items = await service.list(tenantId, options.limit);
      context.io.stdout.write(
        options.json === true ? renderJson({ tenantId, items }) : renderSnapshots(tenantId, items),
      );
    });
}

function renderSnapshots(tenantId: string, items: readonly SnapshotSummary[]): string {
  if (items.length === 0) {
    return `Tenant ${tenantId} has no snapshot yet. Create one with: entra-backup backup ${tenantId}\n`;
  }
  return renderTable(
    ['SNAPSHOT ID', 'SEQ', 'STATUS', 'MODE', 'STARTED', 'STORED', 'OBJECTS'],
    items.map((s) => [
      s.snapshotId,
      String(s.seq),
      s.failedTypes.length > 0 ? `${s.status} (failed: ${s.failedTypes.join(', ')})` : s.status,
      s.mode,
      s.startedAt.toISOString(),
      formatBytes(s.bytesStored),
      OBJECT_TYPE_KEYS.filter((key) => s.counts[key] !== undefined)
        .map((key) => `${key} ${s.counts[key]}`)
        .join(', '),
    ]),
  );
}
