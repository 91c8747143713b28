import type { Command } from 'commander';
import type { VerifyReport } from '../../../api/src/modules/backup-storage/backup-reader.service';
import { SnapshotsService } from '../../../api/src/modules/export/snapshots.service';
import type { CliContext } from '../cli-context';
import { renderJson, renderTable } from '../output/table';
import { parseTenantIdArgument } from './arguments';
import { CommandFailedError, formatBytes } from './snapshot-arguments';

/** `entra-backup verify <tenantId>`: exit 0 when every stored version reads back intact, 1 otherwise. */
export function registerVerifyCommands(program: Command, context: CliContext): void {
  program
    .command('verify')
    .description('re-read every stored object version and log entry, checking decryption and content hashes')
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .option('--json', 'print the report as JSON')
    .action(async (tenantId: string, options: { json?: boolean }) => {
      const service = await context.get(SnapshotsService);
      const report = await service.verify(tenantId);
      context.io.stdout.write(options.json === true ? renderJson(report) : renderReport(report));
      if (!report.ok) {
        const affected = report.snapshots.filter((s) => s.damaged > 0).length;
        throw new CommandFailedError(
          `${report.damaged.length} damaged item(s) in tenant ${report.tenantId}, affecting ${affected} snapshot(s)`,
        );
      }
    });
}

function renderReport(report: VerifyReport): string {
  const lines = [
    `Checked ${report.versionsChecked} object versions and ${report.logEntriesChecked} log entries ` +
      `(${formatBytes(report.bytesChecked)}) of tenant ${report.tenantId}: ` +
      (report.ok ? 'all intact.' : `${report.damaged.length} damaged.`),
  ];
  for (const item of report.damaged) {
    lines.push(
      `DAMAGED ${item.kind} ${item.type}/${item.collection}/${item.id}: ${item.problem} (${item.detail}); ` +
        `in ${item.snapshotIds.length} snapshot(s)`,
    );
  }
  const table =
    report.snapshots.length === 0
      ? ''
      : renderTable(
          ['SNAPSHOT ID', 'SEQ', 'STATUS', 'OBJECTS', 'LOG ENTRIES', 'SIZE', 'DAMAGED'],
          report.snapshots.map((s) => [
            s.snapshotId,
            String(s.seq),
            s.status,
            String(s.objects),
            String(s.logEntries),
            formatBytes(s.storedBytes),
            s.damaged === 0 ? '-' : `${s.damaged} (${s.damagedTypes.join(', ')})`,
          ]),
        );
  return `${lines.join('\n')}\n${table}`;
}
