import type { TenantDirectory } from '@entra-backup/graph-emulator';

type Json = Record<string, unknown>;

/** Graph's limit of requests per `$batch` envelope and of links per `@odata.bind` PATCH. */
const PER_ENVELOPE = 20;
const LINKS_PER_PATCH = 20;

/** What the disaster deletes, chosen before it happens (the directory as the full backup saw it). */
export interface Disaster {
  readonly userIds: readonly string[];
  readonly groupIds: readonly string[];
  /** Deleted objects synchronised from on-premises: a cloud restore cannot bring them back. */
  readonly synchronised: { readonly users: number; readonly groups: number };
  readonly minimum: MinimumWrites;
  /** Every link the restore should bring back (ids as in the snapshot). */
  readonly links: readonly ExpectedLink[];
}

export type LinkKind = 'members' | 'owners' | 'manager' | 'roleAssignments' | 'roleEligibilities';

/** A link lost with the disaster: `parent` holds it (group, user, or the principal of a role). */
export interface ExpectedLink {
  readonly kind: LinkKind;
  readonly parent: string;
  /** Member, owner, manager, or the role definition. */
  readonly target: string;
  /** The scope of a role assignment or eligibility. */
  readonly scope?: string;
}

/** Per kind of link: how many the restore should bring back, how many it did. */
export type LinkCheck = Record<LinkKind, { expected: number; restored: number; missingSample: string[] }>;

/**
 * The fewest write requests that bring the deleted objects and their links back, as Graph's
 * documented batching allows: every create in `$batch` envelopes of 20; group members as up to 20
 * links per `PATCH /groups/{id}` with `members@odata.bind`
 * (https://learn.microsoft.com/graph/api/group-post-members), 20 such PATCHes per envelope;
 * owners, managers, role assignments and eligibilities one request each, 20 per envelope. Links
 * follow the creates (they reference the new ids), so creates and links fill envelopes of their
 * own: `requests = ⌈creates / 20⌉ + ⌈link writes / 20⌉`.
 */
export interface MinimumWrites {
  readonly userCreates: number;
  readonly groupCreates: number;
  readonly memberLinks: number;
  /** Member links packed 20 per PATCH, per group. */
  readonly memberPatches: number;
  readonly ownerLinks: number;
  readonly managerLinks: number;
  readonly roleAssignments: number;
  readonly roleEligibilities: number;
  /** Write sub-requests (what Graph's write limits count). */
  readonly items: number;
  /** `$batch` envelopes: the minimum number of write HTTP requests. */
  readonly requests: number;
}

/** Counts of the directory a restore is judged by (before the disaster, after it, after the restore). */
export interface DirectoryFigures {
  readonly users: number;
  readonly groups: number;
  /** Members of cloud groups with assigned membership (what a restore can write). */
  readonly memberLinks: number;
  /** Members of dynamic groups (they follow the rule) and of groups synchronised from on-premises. */
  readonly dynamicOrSyncedMemberLinks: number;
  readonly ownerLinks: number;
  readonly managerLinks: number;
  readonly roleAssignments: number;
  readonly roleEligibilities: number;
}

/** `percent` of a collection's objects, spread evenly over it (as the control API's `changePercent`). */
function pickEvenly(t: TenantDirectory, collection: 'users' | 'groups', percent: number): Json[] {
  const c = t.collection(collection);
  const count = Math.max(1, Math.round((c.positions * percent) / 100));
  const step = c.positions / count;
  const out: Json[] = [];
  for (let i = 0; i < count; i++) {
    const object = c.at(Math.floor(i * step));
    if (object) out.push(object);
  }
  return out;
}

function each(t: TenantDirectory, collection: 'users' | 'groups', visit: (object: Json) => void): void {
  const c = t.collection(collection);
  for (let i = 0; i < c.positions; i++) {
    const object = c.at(i);
    if (object) visit(object);
  }
}

const synced = (object: Json): boolean => object['onPremisesSyncEnabled'] === true;
const dynamic = (group: Json): boolean =>
  Array.isArray(group['groupTypes']) && group['groupTypes'].includes('DynamicMembership');

/**
 * Chooses the victims (`userPercent` of the users, `groupPercent` of the groups, spread evenly) and
 * computes the minimum writes that undo their loss. Call before the disaster.
 */
export function planDisaster(t: TenantDirectory, userPercent: number, groupPercent: number): Disaster {
  const users = pickEvenly(t, 'users', userPercent);
  const groups = pickEvenly(t, 'groups', groupPercent);
  const id = (o: Json) => String(o['id']).toLowerCase();
  const victims = new Set([...users, ...groups].map(id));
  // Deleted objects that come back (cloud-only): re-created with a new id.
  const reborn = new Set([...users, ...groups].filter((o) => !synced(o)).map(id));
  const existsAfter = (objectId: string) => !victims.has(objectId.toLowerCase()) || reborn.has(objectId);

  const links: ExpectedLink[] = [];
  let memberPatches = 0;
  each(t, 'groups', (group) => {
    const groupId = id(group);
    if (!existsAfter(groupId) || synced(group)) return;
    const lost = (other: string) => victims.has(groupId) || victims.has(other.toLowerCase());
    if (!dynamic(group)) {
      const members = t
        .related('members', 'groups', groupId)
        .filter((m) => lost(m) && existsAfter(m.toLowerCase()));
      for (const m of members) links.push({ kind: 'members', parent: groupId, target: m.toLowerCase() });
      memberPatches += Math.ceil(members.length / LINKS_PER_PATCH);
    }
    for (const o of t.related('owners', 'groups', groupId))
      if (lost(o) && existsAfter(o.toLowerCase()))
        links.push({ kind: 'owners', parent: groupId, target: o.toLowerCase() });
  });
  each(t, 'users', (user) => {
    const userId = id(user);
    const manager = t.manager(userId)?.toLowerCase();
    if (manager === undefined || synced(user)) return;
    if ((victims.has(userId) || victims.has(manager)) && existsAfter(userId) && existsAfter(manager))
      links.push({ kind: 'manager', parent: userId, target: manager });
  });
  for (const [name, kind] of [
    ['roleAssignments', 'roleAssignments'],
    ['roleEligibilitySchedules', 'roleEligibilities'],
  ] as const) {
    for (const a of t.collection(name).values()) {
      const principal = String(a['principalId']).toLowerCase();
      if (!reborn.has(principal)) continue;
      links.push({
        kind,
        parent: principal,
        target: String(a['roleDefinitionId']).toLowerCase(),
        scope: String(a['directoryScopeId'] ?? a['appScopeId']),
      });
    }
  }
  const count = (kind: LinkKind) => links.filter((l) => l.kind === kind).length;
  const memberLinks = count('members');
  const ownerLinks = count('owners');
  const managerLinks = count('manager');
  const roleAssignments = count('roleAssignments');
  const roleEligibilities = count('roleEligibilities');

  const userCreates = users.filter((u) => !synced(u)).length;
  const groupCreates = groups.filter((g) => !synced(g)).length;
  const creates = userCreates + groupCreates;
  const linkWrites = memberPatches + ownerLinks + managerLinks + roleAssignments + roleEligibilities;
  return {
    userIds: users.map(id),
    groupIds: groups.map(id),
    synchronised: { users: users.length - userCreates, groups: groups.length - groupCreates },
    minimum: {
      userCreates,
      groupCreates,
      memberLinks,
      memberPatches,
      ownerLinks,
      managerLinks,
      roleAssignments,
      roleEligibilities,
      items: creates + linkWrites,
      requests: Math.ceil(creates / PER_ENVELOPE) + Math.ceil(linkWrites / PER_ENVELOPE),
    },
    links,
  };
}

/**
 * Checks every lost link in the directory after the restore, through the restore's id map (source
 * id → id of the re-created object).
 */
export function checkLinks(
  t: TenantDirectory,
  disaster: Disaster,
  idMap: Readonly<Record<string, string>>,
): LinkCheck {
  const now = (old: string) => (idMap[old] ?? old).toLowerCase();
  const roleKey = (principal: string, role: string, scope: string) => `${principal}|${role}|${scope}`;
  const roles = (name: 'roleAssignments' | 'roleEligibilitySchedules') =>
    new Set(
      [...t.collection(name).values()].map((a) =>
        roleKey(
          String(a['principalId']).toLowerCase(),
          String(a['roleDefinitionId']).toLowerCase(),
          String(a['directoryScopeId'] ?? a['appScopeId']),
        ),
      ),
    );
  const assignments = roles('roleAssignments');
  const eligibilities = roles('roleEligibilitySchedules');
  const present = (link: ExpectedLink): boolean => {
    const parent = now(link.parent);
    const target = now(link.target);
    switch (link.kind) {
      case 'members':
      case 'owners':
        return t.related(link.kind, 'groups', parent).some((id) => id.toLowerCase() === target);
      case 'manager':
        return t.manager(parent)?.toLowerCase() === target;
      case 'roleAssignments':
        return assignments.has(roleKey(parent, link.target, link.scope!));
      case 'roleEligibilities':
        return eligibilities.has(roleKey(parent, link.target, link.scope!));
    }
  };
  const check = {} as LinkCheck;
  for (const kind of ['members', 'owners', 'manager', 'roleAssignments', 'roleEligibilities'] as const)
    check[kind] = { expected: 0, restored: 0, missingSample: [] };
  for (const link of disaster.links) {
    const entry = check[link.kind];
    entry.expected += 1;
    if (present(link)) entry.restored += 1;
    else if (entry.missingSample.length < 5) {
      const reborn = (id: string) => (idMap[id] === undefined ? id : `${id} (now ${idMap[id]})`);
      entry.missingSample.push(`${reborn(link.parent)} -> ${reborn(link.target)}`);
    }
  }
  return check;
}

/** Users, groups and their links as the directory holds them now. */
export function directoryFigures(t: TenantDirectory): DirectoryFigures {
  let users = 0;
  let groups = 0;
  let memberLinks = 0;
  let dynamicOrSyncedMemberLinks = 0;
  let ownerLinks = 0;
  let managerLinks = 0;
  each(t, 'users', (user) => {
    users += 1;
    if (t.manager(String(user['id'])) !== undefined) managerLinks += 1;
  });
  each(t, 'groups', (group) => {
    groups += 1;
    const members = t.related('members', 'groups', String(group['id'])).length;
    if (dynamic(group) || synced(group)) dynamicOrSyncedMemberLinks += members;
    else memberLinks += members;
    ownerLinks += t.related('owners', 'groups', String(group['id'])).length;
  });
  return {
    users,
    groups,
    memberLinks,
    dynamicOrSyncedMemberLinks,
    ownerLinks,
    managerLinks,
    roleAssignments: t.collection('roleAssignments').count(),
    roleEligibilities: t.collection('roleEligibilitySchedules').count(),
  };
}
