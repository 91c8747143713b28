import { COMPARE_LIVE } from '@entra-backup/common';
import { type Command, InvalidArgumentError } from 'commander';
import { CompareService } from '../../../api/src/modules/compare/compare.service';
import type { CliContext } from '../cli-context';
import { renderJson } from '../output/table';
import { parseTenantIdArgument } from './arguments';
import { comparisonJson, type DescribedObject, renderComparison } from './diff-output';
import { parseSnapshotArgument } from './snapshot-arguments';

/** The second snapshot of `diff`: a snapshot, or `live` for the tenant as Graph answers now. */
function parseTargetArgument(value: string): string {
  if (value.trim() === COMPARE_LIVE) return COMPARE_LIVE;
  try {
    return parseSnapshotArgument(value);
  } catch (error) {
    if (error instanceof InvalidArgumentError)
      throw new InvalidArgumentError(
        `${error.message.replace(/, got '.*'$/, '')}, or "live", got '${value}'`,
      );
    throw error;
  }
}

/** `entra-backup diff <tenantId> <snapshotA> <snapshotB|live>`. */
export function registerDiffCommands(program: Command, context: CliContext): void {
  program
    .command('diff')
    .description(
      'show what was added, changed (by name, property old → new) and removed from snapshot A to B, ' +
        'or to the live tenant ("live": reads the tenant now, as a backup of the compared types); ' +
        'sign-in and audit logs are not compared',
    )
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .argument('<snapshotA>', 'the earlier snapshot (id, sequence number, or "latest")', parseSnapshotArgument)
    .argument(
      '<snapshotB>',
      'the later snapshot (id, sequence number, "latest"), or "live"',
      parseTargetArgument,
    )
    .option('--json', 'print JSON (ids, names and old → new values)')
    .action(async (tenantId: string, snapshotA: string, snapshotB: string, options: { json?: boolean }) => {
      const service = await context.get(CompareService);
      // Reading the tenant is a backup of the compared types: minutes for a large tenant.
      if (snapshotB === COMPARE_LIVE)
        context.io.stderr.write(
          'Reading the live tenant through Microsoft Graph (a backup of the compared types)…\n',
        );
      const download = await service.download(tenantId, { from: snapshotA, to: snapshotB }, context.actor);
      const objects: DescribedObject[] = [];
      for await (const described of download.objects) objects.push(described);
      context.io.stdout.write(
        options.json === true
          ? renderJson(comparisonJson(download.summary, objects))
          : renderComparison(download.summary, objects),
      );
    });
}
