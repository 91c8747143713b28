import {
  type BackupRunSummary,
  collectionLabel,
  groupBackupFailures,
  OBJECT_TYPE_KEYS,
  type ObjectTypeKey,
} from '@entra-backup/common';
import type { Command } from 'commander';
import { BackupService } from '../../../api/src/modules/backup/backup.service';
import { SnapshotsService } from '../../../api/src/modules/export/snapshots.service';
import { TenantsService } from '../../../api/src/modules/tenants/tenants.service';
import type { CliContext } from '../cli-context';
import { renderTable } from '../output/table';
import { type ObjectTypeSelection, parseObjectTypeListArgument, parseTenantIdArgument } from './arguments';
import { createProgressView, renderSkippedCollections } from './backup-progress';
import { CommandFailedError, formatBytes } from './snapshot-arguments';

interface BackupOptions {
  readonly types?: ObjectTypeSelection;
  readonly full?: boolean;
  readonly json?: boolean;
}

/** `entra-backup backup <tenantId>`: runs a backup now; exit 0 only when it completed. */
export function registerBackupCommands(program: Command, context: CliContext): void {
  program
    .command('backup')
    .description('back up a tenant now (its enabled types, or --types); progress on stderr')
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .option(
      '--types <keys>',
      'comma-separated type keys or "all" (default: the types enabled in settings)',
      parseObjectTypeListArgument,
    )
    .option('--full', 'read every type in full (no delta or log watermark), reconciling any drift')
    .option('--json', 'print the run summary as one JSON line, the last line of stdout')
    .addHelpText(
      'after',
      `\nType keys: ${OBJECT_TYPE_KEYS.join(', ')}\nExit codes: 0 completed, 1 partial, failed or already running, 2 bad usage.`,
    )
    .action(async (tenantId: string, options: BackupOptions) => {
      await (await context.get(TenantsService)).get(tenantId);
      const [latest] = await (await context.get(SnapshotsService)).list(tenantId, 1);
      const progress = createProgressView(context.io, latest?.counts ?? {});
      const abort = new AbortController();
      const stop = () => abort.abort(new Error('The backup was cancelled (interrupt signal)'));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      let summary: BackupRunSummary;
      try {
        const service = await context.get(BackupService);
        summary = await service.runBackup(tenantId, {
          ...(options.types === undefined ? {} : { types: options.types.keys }),
          full: options.full === true,
          trigger: 'cli',
          actor: context.actor,
          onProgress: (event) => progress.handle(event),
          signal: abort.signal,
        });
      } finally {
        progress.stop();
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      context.io.stdout.write(
        options.json === true ? `${JSON.stringify(toJsonLine(summary))}\n` : renderSummary(summary),
      );
      if (summary.status !== 'completed') {
        for (const line of failureLines(summary)) context.io.stderr.write(`${line}\n`);
        const failed = typesWith(summary, 'failed').length;
        throw new CommandFailedError(
          `backup of tenant ${tenantId} ${summary.status}: ${failed} of ${Object.keys(summary.types).length} types failed` +
            (summary.snapshotId === null
              ? '; no snapshot was made'
              : `; snapshot ${summary.snapshotId} keeps their previous objects`),
        );
      }
    });
}

/** The summary with `snapshotId`, `status` and `counts` first, as scripts read them. */
function toJsonLine(summary: BackupRunSummary): Record<string, unknown> {
  const { snapshotId, status, counts, ...figures } = summary;
  return { snapshotId, status, counts, ...figures };
}

function typesWith(summary: BackupRunSummary, status: 'failed' | 'skipped'): ObjectTypeKey[] {
  return OBJECT_TYPE_KEYS.filter((key) => summary.types[key]?.status === status);
}

/**
 * One stderr line per distinct failure: types that failed alike share it (a missing consent
 * fails every type with the same long message), with a short cause, the action to take, and
 * what Microsoft support asks for (Graph code and request ids).
 */
function failureLines(summary: BackupRunSummary): string[] {
  return groupBackupFailures(summary.types)
    .filter((group) => group.status === 'failed')
    .map((group) => {
      const extra = [
        group.code === undefined
          ? undefined
          : group.code.startsWith('AADSTS')
            ? group.code
            : `Graph code ${group.code}`,
        group.requestIds.length === 0 ? undefined : `request id ${group.requestIds.join(' ')}`,
      ].filter((part) => part !== undefined);
      const action = group.actionText === undefined ? '' : ` ${group.actionText}.`;
      return `${group.types.join(', ')}: failed: ${group.cause}${action}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
    });
}

function renderSummary(summary: BackupRunSummary): string {
  const rows = OBJECT_TYPE_KEYS.flatMap((key) => {
    const result = summary.types[key];
    if (result === undefined) return [];
    return [
      [
        key,
        result.status === 'skipped' ? `skipped (${result.reason ?? ''})` : result.status,
        String(result.objects),
        String(result.added),
        String(result.changed),
        String(result.removed),
        String(result.requests),
      ],
      // The type's other collections (role assignments, named locations, ...) under it.
      ...(result.related ?? []).map((c) => [
        `  + ${collectionLabel(c.collection)}`,
        '',
        String(c.objects),
        String(c.added),
        String(c.changed),
        String(c.removed),
        '',
      ]),
    ];
  });
  const minimum = summary.minimumRequests === undefined ? '' : ` (minimum ${summary.minimumRequests})`;
  return (
    renderTable(['TYPE', 'STATUS', 'OBJECTS', 'ADDED', 'CHANGED', 'REMOVED', 'REQUESTS'], rows) +
    renderSkippedCollections(summary) +
    `Backup ${summary.runId} (${summary.mode}) ${summary.status}` +
    (summary.snapshotId === null ? ', no snapshot made' : `: snapshot ${summary.snapshotId}`) +
    ` in ${(summary.durationMs / 1000).toFixed(1)} s; ${summary.requests} Graph requests${minimum}, ` +
    `${summary.retries} retries, ${summary.throttledWaits} throttled waits (${summary.throttledWaitMs} ms), ` +
    `${formatBytes(summary.bytesStored)} stored\n` +
    renderDrift(summary)
  );
}

/** A reconciliation's drift: none, or the drifted objects per type (the server log names each). */
function renderDrift(summary: BackupRunSummary): string {
  const drift = summary.drift;
  if (drift === undefined) return '';
  if (drift.objects === 0) return 'Reconciliation: drift 0, the full read matched the incremental state\n';
  const perType = Object.entries(drift.types)
    .map(([type, f]) => `${type} ${f!.objects} object(s), ${f!.links} link(s)`)
    .join('; ');
  const items = drift.items.map(
    (i) =>
      `  ${i.type}/${i.collection}/${i.objectId}${i.name === null ? '' : ` (${i.name})`} ${i.kind}` +
      i.links.map((l) => `; ${l.relation} +[${l.added.join(', ')}] -[${l.removed.join(', ')}]`).join(''),
  );
  return (
    `Reconciliation: drift ${drift.objects} object(s), ${drift.links} link(s): ${perType}\n` +
    items.map((line) => `${line}\n`).join('') +
    (drift.truncated ? `  (the first ${drift.items.length} objects)\n` : '')
  );
}
