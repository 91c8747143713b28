import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExportService, type ExportResult } from '../../../api/src/modules/export/export.service';
import type { CliContext } from '../cli-context';
import { renderJson, renderTable } from '../output/table';
import { type ObjectTypeSelection, parseObjectTypeListArgument, parseTenantIdArgument } from './arguments';
import { formatBytes, parseSnapshotArgument } from './snapshot-arguments';

/** `entra-backup export`: a snapshot as JSON lines, one file per Graph collection. */
export function registerExportCommands(program: Command, context: CliContext): void {
  program
    .command('export')
    .description(
      'write a snapshot as JSON lines: <dir>/<typeKey>.jsonl per type, other collections as <typeKey>.<collection>.jsonl',
    )
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .option(
      '--snapshot <id|seq|latest>',
      'the snapshot to export (any older one for a point in time)',
      parseSnapshotArgument,
      'latest',
    )
    .requiredOption('--out <dir>', 'output directory (created when missing; files are readable by you only)')
    .option(
      '--types <keys>',
      'comma-separated type keys (default: every type in the snapshot)',
      parseObjectTypeListArgument,
    )
    .option('--include-secrets', 'include BitLocker recovery keys (left out by default)')
    .option('--force', 'replace export files already in the directory')
    .option(
      '--allow-partial',
      'export a partial snapshot anyway (types its run failed hold older data; manifest.json lists them)',
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (
        tenantId: string,
        options: {
          snapshot: string;
          out: string;
          types?: ObjectTypeSelection;
          includeSecrets?: boolean;
          force?: boolean;
          allowPartial?: boolean;
          json?: boolean;
        },
      ) => {
        const service = await context.get(ExportService);
        const result = await service.exportSnapshot({
          tenantId,
          snapshot: options.snapshot,
          outDir: resolve(options.out),
          ...(options.types === undefined ? {} : { types: options.types.keys }),
          includeSecrets: options.includeSecrets === true,
          force: options.force === true,
          allowPartial: options.allowPartial === true,
        });
        // Accepted, but never silent: the files of these types are not the tenant as of the snapshot.
        for (const missing of result.missingTypes) {
          context.io.stderr.write(
            `warning: ${missing.type} is missing from snapshot ${result.seq}: ${missing.reason}` +
              `${missing.graphCode === null ? '' : ` (${missing.graphCode})`}; its files hold older data\n`,
          );
        }
        context.io.stdout.write(options.json === true ? renderJson(result) : renderExport(result));
      },
    );
}

function renderExport(result: ExportResult): string {
  const objects = result.files.reduce((n, f) => n + f.objects, 0);
  const secrets = result.secretsIncluded
    ? 'BitLocker recovery keys included.'
    : result.secretsStripped > 0
      ? `${result.secretsStripped} BitLocker recovery key(s) left out (use --include-secrets to export them).`
      : '';
  return (
    renderTable(
      ['FILE', 'OBJECTS', 'SIZE'],
      result.files.map((f) => [f.file, String(f.objects), formatBytes(f.bytes)]),
    ) +
    `Exported snapshot ${result.snapshotId} (seq ${result.seq}, ${result.snapshotCreatedAt.toISOString()}) of tenant ` +
    `${result.tenantId}: ${objects} objects in ${result.files.length} files to ${result.outDir}\n` +
    (secrets === '' ? '' : `${secrets}\n`) +
    (result.missingTypes.length === 0
      ? ''
      : `Partial: ${result.missingTypes.map((m) => m.type).join(', ')} missing (see manifest.json).\n`)
  );
}
