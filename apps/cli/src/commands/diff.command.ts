import type { Command } from 'commander';
import type { SnapshotDiff } from '../../../api/src/modules/backup-storage/backup-reader.service';
import { SnapshotsService } from '../../../api/src/modules/export/snapshots.service';
import type { CliContext } from '../cli-context';
import { renderJson } from '../output/table';
import { parseTenantIdArgument } from './arguments';
import { parseSnapshotArgument } from './snapshot-arguments';

/** `entra-backup diff <tenantId> <snapshotA> <snapshotB>`. */
export function registerDiffCommands(program: Command, context: CliContext): void {
  program
    .command('diff')
    .description(
      'show what was added, changed (with the changed properties) and removed from snapshot A to B',
    )
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .argument('<snapshotA>', 'the earlier snapshot (id, sequence number, or "latest")', parseSnapshotArgument)
    .argument('<snapshotB>', 'the later snapshot (id, sequence number, or "latest")', parseSnapshotArgument)
    .option('--json', 'print JSON')
    .action(async (tenantId: string, snapshotA: string, snapshotB: string, options: { json?: boolean }) => {
      const service = await context.get(SnapshotsService);
      const diff = await service.diff(tenantId, snapshotA, snapshotB);
      context.io.stdout.write(options.json === true ? renderJson(toJson(diff)) : renderDiff(diff));
    });
}

function toJson(diff: SnapshotDiff) {
  return {
    from: { snapshotId: diff.from.id, seq: diff.from.seq },
    to: { snapshotId: diff.to.id, seq: diff.to.seq },
    types: diff.types,
  };
}

function renderDiff(diff: SnapshotDiff): string {
  const header = `From snapshot ${diff.from.id} (seq ${diff.from.seq}) to ${diff.to.id} (seq ${diff.to.seq})\n`;
  if (diff.types.length === 0) return `${header}No differences.\n`;
  const lines: string[] = [];
  for (const type of diff.types) {
    for (const c of type.collections) {
      lines.push(
        `${type.type} ${c.collection}: ${c.added.length} added, ${c.changed.length} changed, ${c.removed.length} removed`,
      );
      for (const id of c.added) lines.push(`  + ${id}`);
      for (const changed of c.changed) lines.push(`  ~ ${changed.id}: ${changed.properties.join(', ')}`);
      for (const id of c.removed) lines.push(`  - ${id}`);
    }
  }
  return `${header}${lines.join('\n')}\n`;
}
