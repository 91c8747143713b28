import type { Params } from '@angular/router';
import {
  type ObjectTypeKey,
  RESTORE_ACTION_KINDS,
  type RestoreAction,
  type RestoreActionCounts,
  type RestoreActionKind,
  type RestoreCounts,
  type RestorePlanRequest,
  type RestoreRun,
  objectTypeLabel,
  parseObjectTypeList,
  restorePlanRequestSchema,
} from '@entra-backup/common';

/** How each kind of action reads in the plan, in the order the plan lists them. */
export const ACTION_LOOK: Readonly<
  Record<RestoreActionKind, { readonly label: string; readonly icon: string; readonly hint: string }>
> = {
  restoreDeleted: {
    label: 'Restore from the recycle bin',
    icon: 'restore_from_trash',
    hint: 'Same id; Microsoft Entra brings back its links too.',
  },
  recreate: {
    label: 'Re-create with a new id',
    icon: 'add_circle_outline',
    hint: 'Deleted for good: created again from the snapshot, with a new id.',
  },
  update: {
    label: 'Update properties',
    icon: 'edit',
    hint: 'Only the properties that differ from the snapshot are written.',
  },
  addLink: { label: 'Add links', icon: 'link', hint: 'Members, owners, managers and assignments.' },
  removeLink: {
    label: 'Remove links',
    icon: 'link_off',
    hint: 'Links the snapshot does not have.',
  },
  remove: {
    label: 'Remove',
    icon: 'delete_outline',
    hint: 'Objects created after the snapshot.',
  },
  skip: {
    label: 'Skip',
    icon: 'block',
    hint: 'What cannot be written back, with the reason.',
  },
};

export interface ActionGroup {
  readonly kind: RestoreActionKind;
  readonly label: string;
  readonly icon: string;
  readonly hint: string;
  /** Actions of this kind in the whole plan. */
  readonly count: number;
  /** The ones read (the first page of the plan). */
  readonly items: readonly RestoreAction[];
}

/** The plan grouped by action, in the plan's order of kinds; kinds the plan has none of are left out. */
export function groupActions(byAction: RestoreActionCounts, items: readonly RestoreAction[]): ActionGroup[] {
  return RESTORE_ACTION_KINDS.map((kind) => ({
    kind,
    ...ACTION_LOOK[kind],
    count: byAction[kind] ?? 0,
    items: items.filter((a) => a.action === kind),
  })).filter((group) => group.count > 0 || group.items.length > 0);
}

/**
 * Whether the plan writes Conditional Access policies: they are enforced as soon as they are
 * written, so the wizard warns before it runs (they are written disabled and switched to their
 * snapshot state last).
 */
export function writesConditionalAccess(
  items: readonly RestoreAction[],
  types: readonly ObjectTypeKey[],
  complete: boolean,
): boolean {
  const writes = items.some(
    (a) => a.type === 'conditionalAccessPolicies' && a.action !== 'skip' && a.action !== 'remove',
  );
  // With a cut list, a policy action may be among the unread ones.
  return writes || (!complete && types.includes('conditionalAccessPolicies'));
}

const VALUE_CHARS = 80;

/** A property value as the plan shows it: `(empty)`, the text itself, or compact JSON, cut at 80 characters. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
}

/** What an action names: the object (and, for a link, the linked object). */
export function actionSubject(action: RestoreAction): string {
  const name = action.displayName ?? action.id;
  if (action.link === null) return name;
  return `${name} → ${action.link.relation}: ${action.link.targetId}`;
}

const COUNT_WORDS: ReadonlyArray<[keyof RestoreCounts, string]> = [
  ['restoredDeleted', 'from the recycle bin'],
  ['recreated', 're-created'],
  ['updated', 'updated'],
  ['linksAdded', 'links added'],
  ['linksRemoved', 'links removed'],
  ['removed', 'removed'],
  ['skipped', 'skipped'],
  ['failed', 'failed'],
];

/** `2 re-created · 1 updated · 1 failed`, or `Nothing written` for a restore that wrote nothing. */
export function countsSummary(counts: RestoreCounts): string {
  const parts = COUNT_WORDS.filter(([key]) => counts[key] > 0).map(
    ([key, word]) => `${counts[key].toLocaleString('en-US')} ${word}`,
  );
  return parts.length === 0 ? 'Nothing written' : parts.join(' · ');
}

/** `cli:ada` → `ada (command line)`, `user:ada@contoso.com` → `ada@contoso.com`. */
export function restoreActorLabel(actor: string): string {
  if (actor.startsWith('user:')) return actor.slice('user:'.length);
  if (actor.startsWith('cli:')) return `${actor.slice('cli:'.length)} (command line)`;
  return actor;
}

export function typeLabels(types: readonly ObjectTypeKey[]): string {
  return types.map(objectTypeLabel).join(', ');
}

/** The query parameters of `/restore/new`, as the router gives them (strings). */
export interface WizardQuery {
  readonly snapshot?: string | undefined;
  readonly types?: string | undefined;
  readonly ids?: string | undefined;
  readonly properties?: string | undefined;
  readonly relationships?: string | undefined;
  readonly removeNew?: string | undefined;
}

function list(value: string | undefined): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length === 0 ? undefined : items;
}

/**
 * The plan request the wizard's query names (`snapshot`, `types`, `ids`, `properties`,
 * `relationships`, `removeNew`, mirroring the API's request), or why it is not a valid one.
 */
export function requestFromQuery(
  query: WizardQuery,
): { ok: true; request: RestorePlanRequest } | { ok: false; error: string } {
  let types: ObjectTypeKey[] | undefined;
  if (list(query.types) !== undefined) {
    const parsed = parseObjectTypeList(query.types!);
    if (!parsed.ok) return { ok: false, error: `Unknown object type(s): ${parsed.unknown.join(', ')}` };
    types = parsed.keys;
  }
  const ids = list(query.ids);
  const properties = list(query.properties);
  const request: RestorePlanRequest = {
    snapshotId: query.snapshot?.trim() || 'latest',
    ...(types === undefined ? {} : { types }),
    ...(ids === undefined ? {} : { ids }),
    ...(properties === undefined ? {} : { properties }),
    relationships: query.relationships !== 'false',
    removeNew: query.removeNew === 'true',
  };
  const checked = restorePlanRequestSchema.safeParse(request);
  if (!checked.success) return { ok: false, error: checked.error.issues.map((i) => i.message).join('; ') };
  return { ok: true, request };
}

/** The wizard's query for a plan request (the inverse of `requestFromQuery`). */
export function queryFromRequest(request: {
  readonly snapshotId: string;
  readonly types?: readonly string[] | undefined;
  readonly ids?: readonly string[] | undefined;
  readonly properties?: readonly string[] | undefined;
  readonly relationships?: boolean | undefined;
  readonly removeNew?: boolean | undefined;
}): Params {
  return {
    snapshot: request.snapshotId,
    ...(request.types === undefined ? {} : { types: request.types.join(',') }),
    ...(request.ids === undefined ? {} : { ids: request.ids.join(',') }),
    ...(request.properties === undefined ? {} : { properties: request.properties.join(',') }),
    ...(request.relationships === false ? { relationships: 'false' } : {}),
    ...(request.removeNew === true ? { removeNew: 'true' } : {}),
  };
}

/** A restore's outcome, from its actions: re-created (old → new id), skipped and failed ones. */
export interface RestoreOutcome {
  /** Written as planned, other than re-created: from the recycle bin, updated, linked, removed. */
  readonly restored: readonly RestoreAction[];
  readonly recreated: ReadonlyArray<{ readonly action: RestoreAction; readonly newId: string }>;
  readonly skipped: readonly RestoreAction[];
  readonly failed: readonly RestoreAction[];
}

export function restoreOutcome(run: RestoreRun, actions: readonly RestoreAction[]): RestoreOutcome {
  return {
    restored: actions.filter((a) => a.state === 'done' && a.action !== 'recreate' && a.action !== 'skip'),
    recreated: actions
      .filter((a) => a.action === 'recreate' && a.state === 'done')
      .map((action) => ({ action, newId: action.newId ?? run.idMap[action.id] ?? '—' })),
    skipped: actions.filter((a) => a.state === 'skipped' || a.action === 'skip'),
    failed: actions.filter((a) => a.state === 'failed'),
  };
}

/** Whether the restore re-created users (who get temporary passwords). */
export function recreatedUsers(run: RestoreRun, actions: readonly RestoreAction[]): boolean {
  return (
    run.counts.recreated > 0 &&
    (actions.length === 0 || actions.some((a) => a.action === 'recreate' && a.type === 'users'))
  );
}
