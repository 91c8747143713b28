import type { Command } from 'commander';
import type { PruneFigures, PruneRunResponse, RetentionPreviewResponse } from '@entra-backup/common';
import { RetentionService } from '../../../api/src/modules/retention/retention.service';
import type { CliContext } from '../cli-context';
import { CommandNotRunError } from '../cli-errors';
import { renderJson } from '../output/table';
import { parseTenantIdArgument } from './arguments';
import { CommandFailedError, formatBytes } from './snapshot-arguments';

/**
 * `entra-backup prune <tenantId> [--apply]`: by default a dry run that prints what the tenant's
 * retention policy would prune now (exit 0); with `--apply` it prunes: exit 0 when completed,
 * 1 when the prune failed, 3 when it did not run (legal hold, or a backup of the tenant running).
 */
export function registerPruneCommands(program: Command, context: CliContext): void {
  program
    .command('prune')
    .description("apply the tenant's retention policy: a dry run unless --apply")
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .option('--apply', 'prune for real (default: only show what would be pruned)')
    .option('--json', 'print the preview or the prune record as JSON')
    .action(async (tenantId: string, options: { apply?: boolean; json?: boolean }) => {
      const service = await context.get(RetentionService);
      if (options.apply !== true) {
        const preview = await service.preview(tenantId);
        context.io.stdout.write(options.json === true ? renderJson(preview) : renderPreview(preview));
        return;
      }
      const run = await service.prune(tenantId, { trigger: 'cli', by: context.actor });
      context.io.stdout.write(options.json === true ? renderJson(run) : renderRun(run));
      if (run.status === 'failed')
        throw new CommandFailedError(`The prune failed: ${run.reason ?? 'unknown error'}`);
      if (run.status === 'held' || run.status === 'skipped')
        throw new CommandNotRunError(`Nothing pruned: ${run.reason ?? run.status}`);
    });
}

function freedText(freed: PruneFigures): string {
  return (
    `${freed.objectVersions} object version(s), ${freed.logEntries} log entr${freed.logEntries === 1 ? 'y' : 'ies'}, ` +
    `${freed.blobs} blob(s), ${formatBytes(freed.bytes)}`
  );
}

function renderPreview(preview: RetentionPreviewResponse): string {
  const lines = [
    `Dry run for tenant ${preview.tenantId}: ${preview.snapshotsPruned.length} snapshot(s) would be pruned, ` +
      `${preview.snapshotsKept} kept; frees ${freedText(preview.freed)}.`,
  ];
  if (preview.legalHold) lines.push('A legal hold is in force: nothing is pruned until it is released.');
  for (const s of preview.snapshotsPruned) lines.push(`  #${s.seq}  ${s.createdAt}  ${s.snapshotId}`);
  lines.push('Run again with --apply to prune.');
  return `${lines.join('\n')}\n`;
}

function renderRun(run: PruneRunResponse): string {
  if (run.status === 'completed')
    return `Pruned ${run.freed.snapshots} snapshot(s); freed ${freedText(run.freed)}.\n`;
  return `Prune ${run.status}${run.reason ? `: ${run.reason}` : ''}.\n`;
}
