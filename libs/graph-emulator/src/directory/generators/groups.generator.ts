import { DEPARTMENTS } from '../catalog';
import type { Json } from '../object-collection';
import { hash32 } from '../prng';
import { ascii, type CollectionGenerator, type GeneratorContext, iso } from './generator-context';
import { DEPARTMENT_COUNT, isGuest, userDepartmentIndex, userEnabled, userSkuId } from './users.generator';

const DYNAMIC_GROUP_SLOT = 9;

export const groupsGenerator: CollectionGenerator = {
  count: (ctx) => Math.max(12, Math.round(ctx.spec.users / 20)),
  generate: group,
};

export function groupKind(ordinal: number): 'security' | 'unified' | 'dynamic' {
  const slot = ordinal % 10;
  if (slot === DYNAMIC_GROUP_SLOT && Math.floor(ordinal / 10) < DEPARTMENT_COUNT) return 'dynamic';
  if (slot >= 6 && slot <= 8) return 'unified';
  return 'security';
}

export function group(ctx: GeneratorContext, ordinal: number): Json {
  const kind = groupKind(ordinal);
  const r = ctx.rng(2, ordinal);
  const dept = DEPARTMENTS[kind === 'dynamic' ? Math.floor(ordinal / 10) : ordinal % DEPARTMENT_COUNT]!;
  const created = ctx.createdAt(2, ordinal, ctx.counts.groups);
  const n = Math.floor(ordinal / DEPARTMENT_COUNT) + 1;
  const roleAssignable = ordinal === 0;
  const displayName =
    ordinal === 0
      ? 'Tier 0 Administrators'
      : kind === 'unified'
        ? `${dept} Team ${n}`
        : kind === 'dynamic'
          ? `All ${dept} (dynamic)`
          : `SG-${dept.replace(/ /g, '')}-${['Access', 'Licensing', 'VPN', 'Printers', 'Apps', 'Devices'][ordinal % 6]}-${n}`;
  const nick = ascii(displayName).slice(0, 40) + (ordinal > 0 ? String(ordinal) : '');
  const synced = kind === 'security' && ordinal % 7 === 3;
  // Group-based licensing: the SG-...-Licensing-n security groups carry the tenant's licence.
  const licensing = kind === 'security' && ordinal > 0 && ordinal % 6 === 1;
  return {
    id: ctx.id('groups', ordinal),
    assignedLabels: [],
    assignedLicenses: licensing ? [{ disabledPlans: [], skuId: userSkuId(ctx) }] : [],
    classification: null,
    createdDateTime: iso(created),
    deletedDateTime: null,
    description: kind === 'dynamic' ? `Everyone in ${dept}` : `${displayName} members`,
    displayName,
    expirationDateTime: null,
    groupTypes: kind === 'unified' ? ['Unified'] : kind === 'dynamic' ? ['DynamicMembership'] : [],
    isAssignableToRole: roleAssignable ? true : null,
    licenseProcessingState: licensing ? { state: 'ProcessingComplete' } : null,
    mail: kind === 'unified' ? `${nick}@${ctx.spec.domain}` : null,
    mailEnabled: kind === 'unified',
    mailNickname: nick,
    membershipRule:
      kind === 'dynamic' ? `(user.department -eq "${dept}") and (user.accountEnabled -eq true)` : null,
    membershipRuleProcessingState: kind === 'dynamic' ? 'On' : null,
    onPremisesDomainName: synced ? ctx.onPremDomain : null,
    onPremisesLastSyncDateTime: synced ? iso(ctx.epoch - 3_600_000) : null,
    onPremisesNetBiosName: synced ? 'CORP' : null,
    onPremisesSamAccountName: synced ? nick.slice(0, 20) : null,
    onPremisesSecurityIdentifier: synced ? `${ctx.domainSid}-${5000 + ordinal}` : null,
    onPremisesSyncEnabled: synced ? true : null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: kind === 'unified' ? [`SMTP:${nick}@${ctx.spec.domain}`] : [],
    renewedDateTime: iso(created),
    resourceBehaviorOptions: [],
    // Microsoft 365 groups behind a team: https://learn.microsoft.com/graph/teams-list-all-teams
    resourceProvisioningOptions: kind === 'unified' && ordinal % 2 === 0 ? ['Team'] : [],
    securityEnabled: kind !== 'unified' || r.chance(0.3),
    securityIdentifier: `S-1-12-1-${hash32(ctx.seed, ctx.spec.index, 2, ordinal, 11)}-${hash32(ctx.seed, ctx.spec.index, 2, ordinal, 12)}-${hash32(ctx.seed, ctx.spec.index, 2, ordinal, 13)}-${hash32(ctx.seed, ctx.spec.index, 2, ordinal, 14)}`,
    theme: null,
    visibility: kind === 'unified' ? (r.chance(0.7) ? 'Private' : 'Public') : null,
    onPremisesProvisioningErrors: [],
    serviceProvisioningErrors: [],
  };
}

/** Generated membership: users, nested groups (always of a lower ordinal: no cycles) and devices. */
export function groupMembers(ctx: GeneratorContext, ordinal: number): string[] {
  if (groupKind(ordinal) === 'dynamic') {
    const ids: string[] = [];
    for (let u = Math.floor(ordinal / 10); u < ctx.counts.users; u += DEPARTMENT_COUNT) {
      if (inDynamicGroup(ctx, u)) ids.push(ctx.id('users', u));
    }
    return ids;
  }
  return assignedMemberRefs(ctx, ordinal).map((ref) => ctx.id(ref.collection, ref.ordinal));
}

function inDynamicGroup(ctx: GeneratorContext, userOrdinal: number): boolean {
  return userEnabled(ctx, userOrdinal) && !isGuest(userOrdinal);
}

/** Whether generated membership of a group lists an object, without materialising the member list. */
export function groupContains(
  ctx: GeneratorContext,
  groupOrdinal: number,
  collection: 'users' | 'groups' | 'devices',
  ordinal: number,
): boolean {
  if (groupKind(groupOrdinal) === 'dynamic') {
    return (
      collection === 'users' &&
      userDepartmentIndex(ordinal) === Math.floor(groupOrdinal / 10) &&
      inDynamicGroup(ctx, ordinal)
    );
  }
  return assignedMemberRefs(ctx, groupOrdinal).some(
    (ref) => ref.collection === collection && ref.ordinal === ordinal,
  );
}

function assignedMemberRefs(
  ctx: GeneratorContext,
  ordinal: number,
): Array<{ collection: 'users' | 'groups' | 'devices'; ordinal: number }> {
  const kind = groupKind(ordinal);
  const users = ctx.counts.users;
  const refs: Array<{ collection: 'users' | 'groups' | 'devices'; ordinal: number }> = [];
  if (ordinal === 0) {
    for (const u of [0, 1, 2]) if (u < users) refs.push({ collection: 'users', ordinal: u });
    return refs;
  }
  const r = ctx.rng(2, ordinal, 1);
  const seen = new Set<number>();
  const size = Math.min(users, 3 + r.int(28));
  while (seen.size < size) {
    const u = r.int(users);
    if (seen.has(u)) continue;
    seen.add(u);
    refs.push({ collection: 'users', ordinal: u });
  }
  if (kind === 'security' && ordinal >= 10 && r.chance(0.2)) {
    const nested = 1 + r.int(ordinal - 1);
    if (groupKind(nested) !== 'unified') refs.push({ collection: 'groups', ordinal: nested });
  }
  if (kind === 'security' && ordinal % 10 === 1) {
    const devices = new Set<number>();
    for (let i = 0; i < 2; i++) devices.add(r.int(ctx.counts.devices));
    for (const d of devices) refs.push({ collection: 'devices', ordinal: d });
  }
  return refs;
}

export function groupOwners(ctx: GeneratorContext, ordinal: number): string[] {
  const kind = groupKind(ordinal);
  const r = ctx.rng(2, ordinal, 2);
  const count = kind === 'unified' ? 1 + r.int(2) : r.int(2);
  const ids = new Set<string>();
  for (let i = 0; i < count; i++) ids.add(ctx.id('users', r.int(ctx.counts.users)));
  return [...ids];
}
