import {
  type AlertKind,
  type AlertSettings,
  type ObjectTypeKey,
  objectTypeLabel,
} from '@entra-backup/common';

type Json = Readonly<Record<string, unknown>>;

/** An alert as the rules find it; the alerts service addresses and sends it. */
export interface AlertFinding {
  readonly kind: AlertKind;
  readonly subject: string;
  /** Plain text: what happened and what to do. */
  readonly body: string;
  /** The type whose comparison shows it (the link opens the compare page on it). */
  readonly type: ObjectTypeKey;
  readonly data: Json;
}

/** One object of a watched collection that differs between two snapshots, with both versions. */
export interface ObjectChange {
  readonly type: ObjectTypeKey;
  readonly collection: string;
  readonly id: string;
  /** Null: added since the previous snapshot. */
  readonly before: Json | null;
  /** Null: gone since the previous snapshot. */
  readonly after: Json | null;
}

/** What the identity rules need of a backup's diff against the previous snapshot. */
export interface DiffFacts {
  /** Per type, the objects of its primary collection gone since the previous snapshot. */
  readonly removed: ReadonlyArray<{ readonly type: ObjectTypeKey; readonly ids: readonly string[] }>;
  /** Added, changed and removed objects of the `WATCHED_COLLECTIONS`. */
  readonly objects: readonly ObjectChange[];
  /** Log entries of the `WATCHED_LOGS` that the new snapshot added. */
  readonly addedLogs: ReadonlyArray<{ readonly type: ObjectTypeKey; readonly entry: Json }>;
}

/** Collections whose objects the rules read in both snapshots. */
export const WATCHED_COLLECTIONS: ReadonlyArray<{
  readonly type: ObjectTypeKey;
  readonly collection: string;
}> = [
  { type: 'conditionalAccessPolicies', collection: 'policies' },
  { type: 'builtInRoles', collection: 'roleAssignments' },
  { type: 'appRegistrations', collection: 'applications' },
  { type: 'enterpriseApps', collection: 'servicePrincipals' },
];

/** Log collections whose new entries the rules read. */
export const WATCHED_LOGS: ReadonlyArray<{ readonly type: ObjectTypeKey; readonly collection: string }> = [
  { type: 'auditLogs', collection: 'directoryAudits' },
];

/**
 * Role template ids (= role definition ids of built-in roles) that own the tenant:
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
 */
export const PRIVILEGED_ROLES: Readonly<Record<string, string>> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
};

/** The directory audit activity of a BitLocker recovery key read (category KeyManagement). */
export const BITLOCKER_READ_ACTIVITY = 'Read BitLocker key';

export type IdentityThresholds = Pick<AlertSettings, 'massDeletionThreshold' | 'bitlockerReadThreshold'>;

/** Every identity alert a backup's diff raises, in a stable order. */
export function identityAlerts(
  facts: DiffFacts,
  thresholds: IdentityThresholds,
  /** Application ids whose reads are expected: this product's own app backs the keys up. */
  ownAppIds: readonly string[] = [],
): AlertFinding[] {
  return [
    ...massDeletions(facts, thresholds.massDeletionThreshold),
    ...conditionalAccessWeakened(facts),
    ...newPrivilegedAssignments(facts),
    ...newCredentials(facts),
    ...bitlockerReads(facts, thresholds.bitlockerReadThreshold, ownAppIds),
  ];
}

export function massDeletions(facts: DiffFacts, threshold: number): AlertFinding[] {
  return facts.removed
    .filter((r) => r.ids.length > threshold)
    .map((r) => ({
      kind: 'identity.mass-deletion',
      type: r.type,
      subject: `${r.ids.length} ${objectTypeLabel(r.type).toLowerCase()} deleted since the last backup`,
      body:
        `${r.ids.length} ${objectTypeLabel(r.type).toLowerCase()} are gone since the previous snapshot ` +
        `(more than the threshold of ${threshold}). If this was not planned, restore them from the previous snapshot.`,
      data: { type: r.type, count: r.ids.length, threshold, ids: r.ids.slice(0, 100) },
    }));
}

export function conditionalAccessWeakened(facts: DiffFacts): AlertFinding[] {
  const deleted: Json[] = [];
  const disabled: Json[] = [];
  for (const change of watched(facts, 'conditionalAccessPolicies', 'policies')) {
    if (change.before !== null && change.after === null) deleted.push(change.before);
    else if (
      change.after !== null &&
      change.after['state'] === 'disabled' &&
      (change.before === null ? false : change.before['state'] !== 'disabled')
    ) {
      disabled.push(change.after);
    }
  }
  const out: AlertFinding[] = [];
  const describe = (p: Json) => ({ id: String(p['id'] ?? ''), displayName: String(p['displayName'] ?? '') });
  if (deleted.length > 0)
    out.push({
      kind: 'identity.conditional-access',
      type: 'conditionalAccessPolicies',
      subject: `Conditional Access ${plural(deleted.length, 'policy', 'policies')} deleted: ${names(deleted)}`,
      body:
        `Deleted since the previous snapshot: ${names(deleted)}. ` +
        'If this was not intended, restore the policy from the previous snapshot.',
      data: { change: 'deleted', policies: deleted.map(describe) },
    });
  if (disabled.length > 0)
    out.push({
      kind: 'identity.conditional-access',
      type: 'conditionalAccessPolicies',
      subject: `Conditional Access ${plural(disabled.length, 'policy', 'policies')} disabled: ${names(disabled)}`,
      body:
        `Switched off since the previous snapshot: ${names(disabled)}. ` +
        'Sign-ins are no longer checked by it; turn it back on if this was not intended.',
      data: { change: 'disabled', policies: disabled.map(describe) },
    });
  return out;
}

export function newPrivilegedAssignments(facts: DiffFacts): AlertFinding[] {
  const added = watched(facts, 'builtInRoles', 'roleAssignments')
    .filter((c) => c.before === null && c.after !== null)
    .map((c) => c.after!)
    .filter((a) => PRIVILEGED_ROLES[String(a['roleDefinitionId'] ?? '').toLowerCase()] !== undefined);
  if (added.length === 0) return [];
  const assignments = added.map((a) => ({
    id: String(a['id'] ?? ''),
    principalId: String(a['principalId'] ?? ''),
    role: PRIVILEGED_ROLES[String(a['roleDefinitionId']).toLowerCase()]!,
    roleDefinitionId: String(a['roleDefinitionId']).toLowerCase(),
    directoryScopeId: typeof a['directoryScopeId'] === 'string' ? a['directoryScopeId'] : null,
  }));
  return [
    {
      kind: 'identity.privileged-role',
      type: 'builtInRoles',
      subject: `New ${[...new Set(assignments.map((a) => a.role))].join(' and ')} ${plural(assignments.length, 'assignment', 'assignments')}`,
      body:
        assignments.map((a) => `${a.role} assigned to principal ${a.principalId}`).join('\n') +
        '\nCheck that each was intended: these roles control the whole tenant.',
      data: { assignments },
    },
  ];
}

export function newCredentials(facts: DiffFacts): AlertFinding[] {
  const out: AlertFinding[] = [];
  for (const { type, collection } of WATCHED_COLLECTIONS.filter(
    (w) => w.type === 'appRegistrations' || w.type === 'enterpriseApps',
  )) {
    const found: Array<{ id: string; displayName: string; credentials: Json[] }> = [];
    for (const change of watched(facts, type, collection)) {
      if (change.after === null) continue;
      const before = new Set(credentialsOf(change.before).map((c) => String(c['keyId'])));
      const added = credentialsOf(change.after).filter((c) => !before.has(String(c['keyId'])));
      if (added.length > 0)
        found.push({
          id: change.id,
          displayName: String(change.after['displayName'] ?? change.id),
          credentials: added.map((c) => ({
            keyId: String(c['keyId']),
            kind: c['__kind'],
            displayName: c['displayName'] ?? null,
            endDateTime: c['endDateTime'] ?? null,
          })),
        });
    }
    if (found.length === 0) continue;
    const noun = type === 'appRegistrations' ? 'application' : 'service principal';
    out.push({
      kind: 'identity.new-credential',
      type,
      subject: `New credential on ${found.length === 1 ? `${noun} ${found[0]!.displayName}` : `${found.length} ${noun}s`}`,
      body:
        found
          .map(
            (f) =>
              `${f.displayName}: ${f.credentials.length} new ${plural(f.credentials.length, 'secret or certificate', 'secrets or certificates')}`,
          )
          .join('\n') +
        '\nA new credential lets whoever holds it sign in as the app; remove it if nobody you know added it.',
      data: { objects: found },
    });
  }
  return out;
}

export function bitlockerReads(
  facts: DiffFacts,
  threshold: number,
  ownAppIds: readonly string[] = [],
): AlertFinding[] {
  const own = new Set(ownAppIds.map((id) => id.toLowerCase()));
  const reads = facts.addedLogs.filter(
    (l) =>
      l.type === 'auditLogs' &&
      l.entry['activityDisplayName'] === BITLOCKER_READ_ACTIVITY &&
      !own.has(initiatingAppId(l.entry)),
  );
  if (reads.length <= threshold) return [];
  const readers = new Map<string, number>();
  for (const read of reads) {
    const who = initiator(read.entry);
    readers.set(who, (readers.get(who) ?? 0) + 1);
  }
  return [
    {
      kind: 'identity.bitlocker-reads',
      type: 'auditLogs',
      subject: `${reads.length} BitLocker keys read since the last backup`,
      body:
        `${reads.length} BitLocker recovery keys were read (more than the threshold of ${threshold}), by ` +
        [...readers.entries()].map(([who, n]) => `${who} (${n})`).join(', ') +
        '. Recovery keys unlock disks: check that these reads were expected.',
      data: { count: reads.length, threshold, readers: Object.fromEntries(readers) },
    },
  ];
}

function watched(facts: DiffFacts, type: ObjectTypeKey, collection: string): ObjectChange[] {
  return facts.objects.filter((o) => o.type === type && o.collection === collection);
}

function credentialsOf(object: Json | null): Json[] {
  if (object === null) return [];
  const list = (key: string, kind: string): Json[] => {
    const value = object[key];
    return Array.isArray(value)
      ? value
          .filter(
            (c): c is Json => typeof c === 'object' && c !== null && typeof (c as Json)['keyId'] === 'string',
          )
          .map((c) => ({ ...c, __kind: kind }))
      : [];
  };
  return [...list('passwordCredentials', 'password'), ...list('keyCredentials', 'certificate')];
}

function initiatingAppId(entry: Json): string {
  const by = entry['initiatedBy'] as { app?: { appId?: string } } | undefined;
  return (by?.app?.appId ?? '').toLowerCase();
}

function initiator(entry: Json): string {
  const by = entry['initiatedBy'] as
    { user?: { userPrincipalName?: string; id?: string }; app?: { displayName?: string } } | undefined;
  return by?.user?.userPrincipalName ?? by?.app?.displayName ?? by?.user?.id ?? 'unknown';
}

function names(objects: readonly Json[]): string {
  const list = objects.map((o) => String(o['displayName'] ?? o['id'] ?? ''));
  return list.length <= 3 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
