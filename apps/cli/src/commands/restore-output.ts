import {
  emptyRestoreCounts,
  OBJECT_TYPE_KEYS,
  RESTORE_ACTION_KINDS,
  type RestoreAction,
  type RestoreActionCounts,
  type RestoreCredential,
  type RestorePlanSummary,
  type RestoreRun,
} from '@entra-backup/common';
import { renderTable } from '../output/table';

/*
 * What `restore`, `restore-resume` and `restores` print. Pure functions of the engine's answers;
 * the shapes of the JSON lines are a contract other tools read, so keys and their order are fixed here.
 */

/** `properties` of a dry-run line: the written properties, or `relation:targetId` for a link. */
function propertiesOf(action: RestoreAction): string[] {
  return action.link === null ? action.properties : [`${action.link.relation}:${action.link.targetId}`];
}

/** One action of `restore --dry-run --json`: exactly these six keys, in this order. */
export function dryRunActionLine(action: RestoreAction): string {
  return `${JSON.stringify({
    action: action.action,
    type: action.type,
    id: action.id,
    displayName: action.displayName,
    properties: propertiesOf(action),
    reason: action.reason,
  })}\n`;
}

/** The last line of `restore --dry-run --json`. */
export function dryRunSummaryLine(plan: RestorePlanSummary): string {
  return `${JSON.stringify({
    planned: plan.planned,
    byAction: orderedCounts(plan.byAction),
    unrecoverable: plan.unrecoverable,
  })}\n`;
}

function orderedCounts(byAction: RestoreActionCounts): RestoreActionCounts {
  return Object.fromEntries(
    RESTORE_ACTION_KINDS.flatMap((kind) => {
      const n = byAction[kind];
      return n === undefined || n === 0 ? [] : [[kind, n]];
    }),
  );
}

const NAME_WIDTH = 32;
const DETAIL_WIDTH = 40;
/**
 * A plan can hold 100,000 actions and is printed as it is read, so the table cannot size its
 * columns to the widest cell: the columns are fixed, long names and property lists are cut.
 */
const PLAN_COLUMNS = [
  { header: 'ACTION', width: Math.max(...RESTORE_ACTION_KINDS.map((k) => k.length)) },
  { header: 'TYPE', width: Math.max(...OBJECT_TYPE_KEYS.map((k) => k.length)) },
  { header: 'ID', width: 36 },
  { header: 'NAME', width: NAME_WIDTH },
  { header: 'PROPERTIES/LINK', width: DETAIL_WIDTH },
  { header: 'REASON', width: 0 },
] as const;

function fixedRow(cells: readonly string[]): string {
  return `${PLAN_COLUMNS.map((column, i) => {
    const cell = cells[i] ?? '';
    return i === PLAN_COLUMNS.length - 1 ? cell : cell.padEnd(column.width);
  })
    .join('  ')
    .trimEnd()}\n`;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function planTableHeader(): string {
  return fixedRow(PLAN_COLUMNS.map((column) => column.header));
}

export function planTableRow(action: RestoreAction): string {
  return fixedRow([
    action.action,
    action.type,
    action.id,
    cut(action.displayName ?? '', NAME_WIDTH),
    cut(propertiesOf(action).join(','), DETAIL_WIDTH),
    action.reason ?? '',
  ]);
}

/** `3 actions: restoreDeleted 1, update 1, addLink 1` */
export function countsText(plan: RestorePlanSummary): string {
  const counts = Object.entries(orderedCounts(plan.byAction)).map(([kind, n]) => `${kind} ${n}`);
  return `${plan.planned} ${plan.planned === 1 ? 'action' : 'actions'}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`;
}

/**
 * What a plan will do, for a person: the counts by action, then each object that cannot be
 * brought back and any write permission the consent lacks.
 */
export function planSummaryText(plan: RestorePlanSummary): string {
  const into =
    plan.targetTenantId === plan.tenantId
      ? `tenant ${plan.targetTenantId}`
      : `tenant ${plan.targetTenantId} (as new)`;
  const lines = [
    `Plan ${plan.planId}: snapshot ${plan.snapshotId} of tenant ${plan.tenantId} into ${into}: ${countsText(plan)}`,
  ];
  if (plan.unrecoverable.length > 0) {
    lines.push(`Cannot be restored (${plan.unrecoverable.length}):`);
    for (const u of plan.unrecoverable) {
      lines.push(`  ${u.type} ${u.id}${u.displayName === null ? '' : ` (${u.displayName})`}: ${u.reason}`);
    }
  }
  if (plan.missingPermissions.length > 0) {
    lines.push(
      `Tenant ${plan.targetTenantId} has not granted the write permission(s) ${plan.missingPermissions.join(', ')}: ` +
        'this plan cannot be executed until a Global Administrator grants admin consent again',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The last stdout line of `restore --json` and `restore-resume --json`. */
export function restoreResultLine(run: RestoreRun): string {
  const c = run.counts;
  return `${JSON.stringify({
    restoreId: run.restoreId,
    status: run.status,
    counts: {
      restoredDeleted: c.restoredDeleted,
      recreated: c.recreated,
      updated: c.updated,
      linksAdded: c.linksAdded,
      linksRemoved: c.linksRemoved,
      removed: c.removed,
      skipped: c.skipped,
      failed: c.failed,
    },
    idMap: run.idMap,
  })}\n`;
}

/**
 * The last line of `restore --json` when the plan holds nothing to do: nothing was executed, so
 * there is no restore id.
 */
export function nothingToRestoreLine(): string {
  return `${JSON.stringify({
    restoreId: null,
    status: 'completed',
    counts: emptyRestoreCounts(),
    idMap: {},
  })}\n`;
}

/** How a restore ended, for a person: counts, new ids, and how to undo it. */
export function restoreResultText(run: RestoreRun): string {
  const c = run.counts;
  const figures = [
    `${c.restoredDeleted} restored from the recycle bin`,
    `${c.recreated} re-created`,
    `${c.updated} updated`,
    `${c.linksAdded} links added`,
    `${c.linksRemoved} links removed`,
    `${c.removed} removed`,
    `${c.skipped} skipped`,
    `${c.failed} failed`,
  ];
  let text = `Restore ${run.restoreId} into tenant ${run.targetTenantId} ${run.status}: ${figures.join(', ')}\n`;
  if (run.reason !== null) text += `Reason: ${run.reason}\n`;
  const idMap = Object.entries(run.idMap);
  if (idMap.length > 0) {
    text += `\nObjects created anew (old id → new id):\n${renderTable(['OLD ID', 'NEW ID'], idMap)}`;
  }
  if (run.preRestoreSnapshotId !== null) {
    text +=
      `\nSnapshot ${run.preRestoreSnapshotId} holds tenant ${run.targetTenantId} as it was before; to undo: ` +
      `entra-backup restore ${run.targetTenantId} --snapshot ${run.preRestoreSnapshotId}\n`;
  }
  return text;
}

/** One temporary password in `--json` mode, printed before the result line. */
export function credentialLine(credential: RestoreCredential): string {
  return `${JSON.stringify({
    credential: {
      id: credential.id,
      newId: credential.newId,
      userPrincipalName: credential.userPrincipalName,
      temporaryPassword: credential.temporaryPassword,
    },
  })}\n`;
}

export const CREDENTIALS_HEADING = 'Temporary passwords (shown once; users must change them at next sign-in)';

export function renderCredentials(credentials: readonly RestoreCredential[]): string {
  return (
    `\n${CREDENTIALS_HEADING}\n` +
    renderTable(
      ['USER PRINCIPAL NAME', 'OLD ID', 'NEW ID', 'TEMPORARY PASSWORD'],
      credentials.map((c) => [c.userPrincipalName, c.id, c.newId, c.temporaryPassword]),
    )
  );
}

/** One stderr line per failed action, with what Microsoft support asks for: the Graph code. */
export function failedActionLine(action: RestoreAction): string {
  const name = action.displayName === null ? '' : ` (${action.displayName})`;
  const error =
    action.error === null ? 'no reason given' : `${action.error.message} (Graph code ${action.error.code})`;
  return `${action.type} ${action.id}${name}: ${action.action} failed: ${error}\n`;
}

/** `restores <tenantId>` as a table. */
export function renderRestoreRuns(tenantId: string, runs: readonly RestoreRun[]): string {
  if (runs.length === 0) return `Tenant ${tenantId} has no restore yet.\n`;
  return renderTable(
    ['RESTORE ID', 'STATUS', 'FROM', 'INTO', 'SNAPSHOT', 'STARTED', 'ACTOR', 'CHANGES', 'FAILED'],
    runs.map((run) => {
      const c = run.counts;
      const changes = c.restoredDeleted + c.recreated + c.updated + c.linksAdded + c.linksRemoved + c.removed;
      return [
        run.restoreId,
        run.status,
        run.tenantId,
        run.targetTenantId,
        run.snapshotId,
        run.startedAt,
        run.actor,
        String(changes),
        String(c.failed),
      ];
    }),
  );
}

/** `restores <tenantId> --json`: one restore per line. */
export function restoreRunLine(run: RestoreRun): string {
  return `${JSON.stringify(run)}\n`;
}
