import { OBJECT_TYPE_KEYS } from '@entra-backup/common';
import type { Command } from 'commander';
import { RestoreService } from '../../../api/src/modules/restore/restore.service';
import type { CliContext } from '../cli-context';
import { canAsk } from '../cli-io';
import { parseObjectTypeListArgument, parseTenantIdArgument } from './arguments';
import {
  assertConfirmable,
  buildPlanRequest,
  parseDomainMappingArgument,
  parseListArgument,
  parseRestoreIdArgument,
  type RestoreCommandOptions,
} from './restore-arguments';
import { RestoreFlow } from './restore-flow';
import { parseSnapshotArgument, positiveIntegerArgument } from './snapshot-arguments';

const EXIT_CODES = 'Exit codes: 0 completed, 1 partial, failed, interrupted or refused, 2 bad usage.';

/**
 * `entra-backup restore`, `restore-resume` and `restores`. Every check of the arguments, and
 * the `--yes` check when nobody can answer, happens before the database is opened or a plan is
 * computed, so a bad command line changes nothing.
 */
export function registerRestoreCommands(program: Command, context: CliContext): void {
  program
    .command('restore')
    .description(
      'restore a tenant (or some types, objects or properties) from a snapshot; --dry-run shows the plan only',
    )
    .argument('<tenantId>', 'the tenant whose snapshot is restored (GUID)', parseTenantIdArgument)
    .requiredOption(
      '--snapshot <id>',
      'snapshot id (GUID), sequence number, or "latest"',
      parseSnapshotArgument,
    )
    .option(
      '--types <keys>',
      'comma-separated type keys (default: every restorable type)',
      parseObjectTypeListArgument,
    )
    .option('--ids <ids>', 'comma-separated object ids to restore (repeatable)', parseListArgument('--ids'))
    .option(
      '--properties <names>',
      'comma-separated properties to restore, of the one object named with --ids',
      parseListArgument('--properties'),
    )
    .option('--no-relationships', 'leave members, owners, managers and assignments as they are')
    .option('--remove-new', 'delete objects of the selected types created after the snapshot')
    .option('--to-tenant <tenantId>', 'restore into another tenant, as new objects', parseTenantIdArgument)
    .option(
      '--map-domain <old=new>',
      'with --to-tenant: rewrite a domain in names and addresses (repeatable)',
      parseDomainMappingArgument,
    )
    .option('--dry-run', 'compute and print the plan; write nothing')
    .option('-y, --yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--json', 'JSON lines on stdout; the last line is the result')
    .addHelpText(
      'after',
      `\nType keys: ${OBJECT_TYPE_KEYS.join(', ')}\n` +
        'Temporary passwords of re-created users are printed once, after the restore.\n' +
        EXIT_CODES,
    )
    .action(async (tenantId: string, options: RestoreCommandOptions) => {
      const request = buildPlanRequest(options);
      if (options.dryRun !== true) assertConfirmable(options, canAsk(context.io), 'A restore');
      await withInterrupt('restore', async (signal) => {
        const flow = new RestoreFlow(context.io, await context.get(RestoreService), context.actor);
        const json = options.json === true;
        if (options.dryRun === true) await flow.dryRun(tenantId, request, { json, signal });
        else await flow.restore(tenantId, request, { json, yes: options.yes === true, signal });
      });
    });

  program
    .command('restore-resume')
    .description('carry on with an interrupted restore from its next pending action')
    .argument('<restoreId>', 'the restore to resume (GUID)', parseRestoreIdArgument)
    .option('-y, --yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--json', 'JSON lines on stdout; the last line is the result')
    .addHelpText('after', `\n${EXIT_CODES}`)
    .action(async (restoreId: string, options: { yes?: boolean; json?: boolean }) => {
      assertConfirmable(options, canAsk(context.io), 'Resuming a restore');
      await withInterrupt('restore', async (signal) => {
        const flow = new RestoreFlow(context.io, await context.get(RestoreService), context.actor);
        await flow.resume(restoreId, { json: options.json === true, yes: options.yes === true, signal });
      });
    });

  program
    .command('restore-credentials')
    .description(
      'print the temporary passwords of users a restore re-created, if the restore did not get to print them (once)',
    )
    .argument('<restoreId>', 'the restore (GUID)', parseRestoreIdArgument)
    .option('--json', 'one {"credential": ...} JSON line per user')
    .addHelpText('after', `\n${EXIT_CODES}`)
    .action(async (restoreId: string, options: { json?: boolean }) => {
      const flow = new RestoreFlow(context.io, await context.get(RestoreService), context.actor);
      await flow.credentials(restoreId, { json: options.json === true });
    });

  program
    .command('restores')
    .description("list a tenant's restores (into it or from its snapshots), newest first")
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .option('--limit <n>', 'show at most n restores (1-500)', positiveIntegerArgument('--limit', 500), 50)
    .option('--json', 'one JSON object per restore and line instead of a table')
    .action(async (tenantId: string, options: { limit: number; json?: boolean }) => {
      const flow = new RestoreFlow(context.io, await context.get(RestoreService), context.actor);
      await flow.list(tenantId, { json: options.json === true, limit: options.limit });
    });
}

/** SIGINT/SIGTERM abort the work (the restore stops between actions) instead of killing the process. */
async function withInterrupt(what: string, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const abort = new AbortController();
  const stop = () => abort.abort(new Error(`The ${what} was cancelled (interrupt signal)`));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await work(abort.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
