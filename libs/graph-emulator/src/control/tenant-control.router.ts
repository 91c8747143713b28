import express, { type Request, type Response, type Router } from 'express';
import type { Json } from '../directory/object-collection';
import { DirectoryError, type TenantDirectory } from '../directory/tenant-directory';
import type { DirectoryUserSummary } from '../shared/graph-context';
import type { AuditEventInput } from '../shared/world-port';
import { COLLECTION_NAMES, type CollectionName } from '../directory/tenant-generator';
import type { EmulatorWorld } from '../directory/world';
import { Readable } from 'node:stream';
import { truthLines, TRUTH_COLLECTIONS } from './tenant-truth';

function fail(res: Response, status: number, message: string): void {
  res.status(status).json({ error: { code: status === 404 ? 'NotFound' : 'BadRequest', message } });
}

function collectionParam(value: unknown): CollectionName | undefined {
  return typeof value === 'string' && (COLLECTION_NAMES as readonly string[]).includes(value)
    ? (value as CollectionName)
    : undefined;
}

const AUDITED: Partial<Record<CollectionName, { noun: string; category: string; type: string }>> = {
  users: { noun: 'user', category: 'UserManagement', type: 'User' },
  groups: { noun: 'group', category: 'GroupManagement', type: 'Group' },
  applications: { noun: 'application', category: 'ApplicationManagement', type: 'Application' },
  servicePrincipals: {
    noun: 'service principal',
    category: 'ApplicationManagement',
    type: 'ServicePrincipal',
  },
  devices: { noun: 'device', category: 'Device', type: 'Device' },
  administrativeUnits: {
    noun: 'administrative unit',
    category: 'AdministrativeUnit',
    type: 'AdministrativeUnit',
  },
  conditionalAccessPolicies: { noun: 'conditional access policy', category: 'Policy', type: 'Policy' },
  namedLocations: { noun: 'named location', category: 'Policy', type: 'Policy' },
  roleAssignments: { noun: 'role assignment', category: 'RoleManagement', type: 'Role' },
  roleDefinitions: { noun: 'role definition', category: 'RoleManagement', type: 'Role' },
};

function pascalNoun(noun: string): string {
  return noun
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function nounOf(collection: CollectionName): string {
  return AUDITED[collection]?.noun ?? collection;
}

type AuditTarget = AuditEventInput['targetResources'][number];
type ModifiedProperty = NonNullable<AuditTarget['modifiedProperties']>[number];

/**
 * An object as a directory audit entry names it (https://learn.microsoft.com/graph/api/resources/targetresource):
 * a user by its UPN (Entra leaves the display name empty), a group by name with its group type.
 */
function targetOf(
  t: TenantDirectory,
  collection: CollectionName,
  id: string,
  modifiedProperties: ModifiedProperty[] = [],
  object: Json | undefined = t.collection(collection).get(id),
): AuditTarget {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const groupTypes = Array.isArray(object?.['groupTypes']) ? (object['groupTypes'] as unknown[]) : [];
  return {
    id,
    type: AUDITED[collection]?.type ?? collection,
    displayName: collection === 'users' ? null : text(object?.['displayName']),
    userPrincipalName: collection === 'users' ? text(object?.['userPrincipalName']) : null,
    groupType:
      collection === 'groups' ? (groupTypes.includes('Unified') ? 'unifiedGroups' : 'azureAD') : null,
    modifiedProperties,
  };
}

/**
 * The attributes an update changed, as Entra lists them under the target: the attribute name in
 * Pascal case, old and new values as JSON arrays, then "Included Updated Properties".
 */
function modifiedPropertiesOf(before: Json, patch: Json): ModifiedProperty[] {
  const changed = Object.keys(patch).filter(
    (name) => name !== 'id' && JSON.stringify(before[name] ?? null) !== JSON.stringify(patch[name] ?? null),
  );
  const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
  const asList = (value: unknown) =>
    value === undefined || value === null ? '[]' : JSON.stringify(Array.isArray(value) ? value : [value]);
  if (changed.length === 0) return [];
  return [
    ...changed.map((name) => ({
      displayName: pascal(name),
      oldValue: asList(before[name]),
      newValue: asList(patch[name]),
    })),
    {
      displayName: 'Included Updated Properties',
      oldValue: null,
      newValue: JSON.stringify(changed.map(pascal).join(', ')),
    },
  ];
}

/** An admin's change is audited like one made in the portal, initiated by the tenant's first Global Administrator. */
function auditAdminChange(
  t: TenantDirectory,
  collection: CollectionName,
  id: string,
  verb: 'Add' | 'Update' | 'Delete' | 'Restore',
  activity?: string,
  admin: DirectoryUserSummary | undefined = t.listSignInUsers(1)[0],
  targets: AuditTarget[] = [targetOf(t, collection, id)],
): void {
  const audited = AUDITED[collection];
  if (!audited) return;
  t.recordAudit({
    category: audited.category,
    activityDisplayName: activity ?? `${verb} ${audited.noun}`,
    operationType: verb === 'Restore' ? 'Update' : verb,
    result: 'success',
    loggedByService:
      collection === 'conditionalAccessPolicies' || collection === 'namedLocations'
        ? 'Conditional Access'
        : 'Core Directory',
    initiatedBy: admin ? { user: { id: admin.id, userPrincipalName: admin.userPrincipalName } } : {},
    targetResources: targets,
  });
}

/** Applies an admin change through the same store and change log Graph writes use, so delta sees it. */
function applyChange(t: TenantDirectory, body: Json): Json {
  const action = body['action'];
  const collection = collectionParam(body['collection']);
  const id = typeof body['id'] === 'string' ? body['id'] : undefined;
  switch (action) {
    case 'update': {
      if (!collection || !id || typeof body['patch'] !== 'object' || body['patch'] === null)
        throw new DirectoryError('badRequest', "update needs 'collection', 'id' and an object 'patch'");
      const before = t.collection(collection).get(id);
      const object = t.update(collection, id, body['patch'] as Json);
      const objectId = String(object['id']);
      auditAdminChange(t, collection, objectId, 'Update', undefined, undefined, [
        targetOf(t, collection, objectId, modifiedPropertiesOf(before ?? {}, body['patch'] as Json)),
      ]);
      return { object };
    }
    case 'delete': {
      if (!collection || !id) throw new DirectoryError('badRequest', "delete needs 'collection' and 'id'");
      const result = t.remove(collection, id);
      auditAdminChange(t, collection, id.toLowerCase(), 'Delete');
      return result;
    }
    case 'restore': {
      if (!id) throw new DirectoryError('badRequest', "restore needs 'id'");
      const restored = t.restore(id);
      auditAdminChange(t, restored.collection, id.toLowerCase(), 'Restore');
      return { object: restored.object };
    }
    case 'purge': {
      // Permanent delete from any recycle bin, administrative units included (the portal waits 30 days for those).
      if (!id) throw new DirectoryError('badRequest', "purge needs 'id'");
      const purged = t.purge(id, { force: true });
      auditAdminChange(
        t,
        purged.collection,
        id.toLowerCase(),
        'Delete',
        `Hard delete ${nounOf(purged.collection)}`,
      );
      return { purged: purged.collection };
    }
    case 'hardDelete': {
      // Delete and purge at once: the object is gone for good, as after a hard delete or an expired bin.
      if (!collection || !id)
        throw new DirectoryError('badRequest', "hardDelete needs 'collection' and 'id'");
      const result = t.remove(collection, id);
      auditAdminChange(t, collection, id.toLowerCase(), 'Delete');
      if (result.soft) {
        t.purge(id, { force: true });
        auditAdminChange(t, collection, id.toLowerCase(), 'Delete', `Hard delete ${nounOf(collection)}`);
      }
      return { soft: false };
    }
    case 'addMember':
    case 'removeMember':
    case 'addOwner':
    case 'removeOwner': {
      const memberId = body['memberId'];
      const owner = collection ?? 'groups';
      if (!id || typeof memberId !== 'string')
        throw new DirectoryError('badRequest', `${String(action)} needs 'id' and 'memberId'`);
      const relation = String(action).endsWith('Member') ? 'members' : 'owners';
      const adding = String(action).startsWith('add');
      if (adding) t.addRelated(relation, owner, id, memberId);
      else t.removeRelated(relation, owner, id, memberId);
      const noun = AUDITED[owner]?.noun ?? owner;
      // Entra's "Add member to group" names the member first, with the group's id and name as its
      // modified properties (`Group.ObjectID`, `Group.DisplayName`), then the group itself.
      const ownerId = id.toLowerCase();
      const ownerObject = t.collection(owner).get(ownerId);
      const prefix = owner === 'groups' ? 'Group' : pascalNoun(noun);
      const quoted = (value: unknown) => JSON.stringify(String(value ?? ''));
      const member = t.resolve(memberId);
      const memberTarget = member
        ? targetOf(t, member.collection, memberId.toLowerCase(), [], member.object)
        : { id: memberId.toLowerCase(), type: 'User' };
      auditAdminChange(
        t,
        owner,
        ownerId,
        'Update',
        `${adding ? 'Add' : 'Remove'} ${relation === 'members' ? 'member' : 'owner'} ${adding ? 'to' : 'from'} ${noun}`,
        undefined,
        [
          {
            ...memberTarget,
            modifiedProperties: [
              {
                displayName: `${prefix}.ObjectID`,
                oldValue: adding ? null : quoted(ownerId),
                newValue: adding ? quoted(ownerId) : null,
              },
              {
                displayName: `${prefix}.DisplayName`,
                oldValue: adding ? null : quoted(ownerObject?.['displayName']),
                newValue: adding ? quoted(ownerObject?.['displayName']) : null,
              },
            ],
          },
          targetOf(t, owner, ownerId),
        ],
      );
      return { ok: true };
    }
    case 'disableConditionalAccessPolicy': {
      if (!id) throw new DirectoryError('badRequest', "disableConditionalAccessPolicy needs 'id'");
      const object = t.update('conditionalAccessPolicies', id, {
        state: 'disabled',
        modifiedDateTime: t.nowIso(),
      });
      auditAdminChange(t, 'conditionalAccessPolicies', String(object['id']), 'Update');
      return { object };
    }
    case 'generateSignIns':
    case 'generateAudits': {
      const count = Number(body['count']);
      if (!Number.isInteger(count) || count < 1 || count > 100_000)
        throw new DirectoryError('badRequest', "'count' must be an integer between 1 and 100000");
      t.generateActivity(action === 'generateSignIns' ? 'signIns' : 'directoryAudits', count);
      return { generated: count };
    }
    case 'setPremium': {
      if (typeof body['premium'] !== 'boolean')
        throw new DirectoryError('badRequest', "'premium' must be true or false");
      t.premium = body['premium'];
      return { premium: t.premium };
    }
    case 'requireDeltaResync': {
      if (!collection) throw new DirectoryError('badRequest', "requireDeltaResync needs 'collection'");
      t.resyncBefore.set(collection, t.seq);
      return { resyncBefore: t.seq };
    }
    case 'changePercent': {
      const percent = Number(body['percent']);
      const target = collection ?? 'users';
      if (!Number.isFinite(percent) || percent <= 0 || percent > 100)
        throw new DirectoryError('badRequest', "'percent' must be between 0 and 100");
      return { changed: changePercent(t, target, percent) };
    }
    default:
      throw new DirectoryError(
        'badRequest',
        `Unknown action '${String(action)}'. Use update, delete, restore, purge, hardDelete, addMember, removeMember, addOwner, removeOwner, disableConditionalAccessPolicy, generateSignIns, generateAudits, setPremium, requireDeltaResync or changePercent.`,
      );
  }
}

/** Changes N% of a collection's objects (an edit of a text property), spread evenly over it. */
function changePercent(t: TenantDirectory, collection: CollectionName, percent: number): number {
  const c = t.collection(collection);
  const total = c.positions;
  const count = Math.max(1, Math.round((total * percent) / 100));
  const step = total / count;
  let changed = 0;
  // One admin for the whole batch: finding the Global Administrator walks every role assignment.
  const admin = t.listSignInUsers(1)[0];
  for (let i = 0; i < count; i++) {
    const obj = c.at(Math.floor(i * step));
    if (!obj) continue;
    const field = 'jobTitle' in obj ? 'jobTitle' : 'description' in obj ? 'description' : 'displayName';
    t.update(collection, String(obj['id']), {
      [field]: `${String(obj[field] ?? '')} (changed ${t.seq + 1})`.trim(),
    });
    auditAdminChange(t, collection, String(obj['id']), 'Update', undefined, admin);
    changed++;
  }
  return changed;
}

/**
 * `/_emulator/tenants`: list tenants, read a tenant's ground truth, change it as an admin would.
 * Changes go through the same store and change log as Graph writes.
 */
export function createTenantControlRouter(world: EmulatorWorld): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  router.get('/', (_req: Request, res: Response) => {
    res.json({
      tenants: world
        .listTenants()
        .map((t) => ({ ...t, users: world.directory(t.tenantId)?.collection('users').count() })),
    });
  });
  router.get('/:tenantId/truth', (req: Request, res: Response) => {
    if (!world.directory(String(req.params['tenantId'])))
      return fail(res, 404, `Unknown tenant '${String(req.params['tenantId'])}'`);
    res.json({ collections: TRUTH_COLLECTIONS });
  });
  router.get('/:tenantId/truth/:collection', (req: Request, res: Response) => {
    const t = world.directory(String(req.params['tenantId']));
    if (!t) return fail(res, 404, `Unknown tenant '${String(req.params['tenantId'])}'`);
    const name = String(req.params['collection']);
    if (!(TRUTH_COLLECTIONS as readonly string[]).includes(name))
      return fail(res, 404, `Unknown collection '${name}'. Known: ${TRUTH_COLLECTIONS.join(', ')}`);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    // Streamed with backpressure: a million-user tenant never sits in memory as JSON.
    Readable.from(truthLines(t, name as (typeof TRUTH_COLLECTIONS)[number])).pipe(res);
  });
  router.post('/:tenantId/changes', (req: Request, res: Response) => {
    const t = world.directory(String(req.params['tenantId']));
    if (!t) return fail(res, 404, `Unknown tenant '${String(req.params['tenantId'])}'`);
    const body = req.body as unknown;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return fail(res, 400, 'Send a JSON object with an action.');
    try {
      res.json(applyChange(t, body as Json));
    } catch (e) {
      if (e instanceof DirectoryError) return fail(res, e.kind === 'notFound' ? 404 : 400, e.message);
      throw e;
    }
  });
  return router;
}
