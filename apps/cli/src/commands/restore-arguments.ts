import { GUID_PATTERN, type RestorePlanRequest, restorePlanRequestSchema } from '@entra-backup/common';
import { InvalidArgumentError } from 'commander';
import { CliUsageError } from '../cli-errors';
import type { ObjectTypeSelection } from './arguments';

/** The options of `entra-backup restore` as commander hands them over. */
export interface RestoreCommandOptions {
  readonly snapshot: string;
  readonly types?: ObjectTypeSelection;
  readonly ids?: readonly string[];
  readonly properties?: readonly string[];
  /** `--no-relationships` sets it false; commander defaults it to true. */
  readonly relationships: boolean;
  readonly removeNew?: boolean;
  readonly toTenant?: string;
  readonly mapDomain?: Readonly<Record<string, string>>;
  readonly dryRun?: boolean;
  readonly yes?: boolean;
  readonly json?: boolean;
}

/** Commander argument parser: a restore id (GUID, lower-cased). */
export function parseRestoreIdArgument(value: string): string {
  const trimmed = value.trim();
  if (!GUID_PATTERN.test(trimmed)) {
    throw new InvalidArgumentError(`restoreId must be the id of a restore (a GUID), got '${value}'`);
  }
  return trimmed.toLowerCase();
}

/**
 * Commander option parser for a comma-separated list that may also be repeated
 * (`--ids a,b --ids c`): trimmed, empty items dropped, duplicates removed.
 */
export function parseListArgument(
  option: string,
): (value: string, previous: readonly string[] | undefined) => string[] {
  return (value, previous) => {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
    if (items.length === 0)
      throw new InvalidArgumentError(`${option} needs at least one value, got '${value}'`);
    return [...new Set([...(previous ?? []), ...items])];
  };
}

const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * Commander option parser for the repeatable `--map-domain old=new`: both sides domain names
 * (lower-cased), each old domain mapped once.
 */
export function parseDomainMappingArgument(
  value: string,
  previous: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const match = /^([^=]+)=([^=]+)$/.exec(value.trim());
  const from = match?.[1]?.trim().toLowerCase();
  const to = match?.[2]?.trim().toLowerCase();
  if (from === undefined || to === undefined || !DOMAIN.test(from) || !DOMAIN.test(to)) {
    throw new InvalidArgumentError(
      `--map-domain takes old=new with two domain names (e.g. contoso.com=fabrikam.com), got '${value}'`,
    );
  }
  const mapped = previous?.[from];
  if (mapped !== undefined && mapped !== to) {
    throw new InvalidArgumentError(`--map-domain maps ${from} twice (to ${mapped} and to ${to})`);
  }
  return { ...previous, [from]: to };
}

/**
 * The plan request the options describe.
 * @throws CliUsageError for combinations that make no sense (exit code 2)
 */
export function buildPlanRequest(options: RestoreCommandOptions): RestorePlanRequest {
  if (options.properties !== undefined && options.ids?.length !== 1) {
    throw new CliUsageError(
      '--properties restores single properties of one object: name exactly one object with --ids' +
        (options.ids === undefined ? '' : ` (got ${options.ids.length})`),
    );
  }
  if (options.mapDomain !== undefined && options.toTenant === undefined) {
    throw new CliUsageError(
      '--map-domain only applies to a restore into another tenant: add --to-tenant <tenantId>',
    );
  }
  const request: RestorePlanRequest = {
    snapshotId: options.snapshot,
    // "all" is the default: every restorable type of the snapshot (naming them all would also
    // name the ones that cannot be written back, such as logs).
    ...(options.types === undefined || options.types.all ? {} : { types: [...options.types.keys] }),
    ...(options.ids === undefined ? {} : { ids: [...options.ids] }),
    ...(options.properties === undefined ? {} : { properties: [...options.properties] }),
    relationships: options.relationships,
    removeNew: options.removeNew === true,
    ...(options.toTenant === undefined ? {} : { targetTenantId: options.toTenant }),
    ...(options.mapDomain === undefined ? {} : { domainMap: { ...options.mapDomain } }),
  };
  const parsed = restorePlanRequestSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = issue?.path[0] === undefined ? '' : `${String(issue.path[0])}: `;
    throw new CliUsageError(`${option}${issue?.message ?? 'invalid restore selection'}`);
  }
  return request;
}

/**
 * A restore writes to a tenant, so someone must say yes: `--yes`, or an answer at a terminal.
 * Checked before anything is computed, so a script that forgot `--yes` changes nothing.
 * @throws CliUsageError when nobody can answer (exit code 2)
 */
export function assertConfirmable(options: { readonly yes?: boolean }, canAsk: boolean, what: string): void {
  if (options.yes !== true && !canAsk) {
    throw new CliUsageError(
      `${what} writes to the tenant and stdin is not a terminal to confirm it: pass --yes to go ahead without asking`,
    );
  }
}
