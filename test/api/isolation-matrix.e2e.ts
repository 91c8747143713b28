import { randomBytes, randomUUID } from 'node:crypto';
import {
  type CallHandler,
  type ExecutionContext,
  ImATeapotException,
  type NestInterceptor,
} from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CSRF_HEADER, type Permission } from '@entra-backup/common';
import {
  ApiKeyEntity,
  PartnerEntity,
  PartnerMemberEntity,
  TenantEntity,
} from '../../apps/api/src/persistence/entities';
import { hashKeySecret } from '../../apps/api/src/modules/auth/principal-resolver.service';
import { OPENAPI_PERMISSION_EXTENSION } from '../../apps/api/src/modules/auth/access.decorator';
import { buildOpenApiDocument } from '../../apps/api/src/openapi';
import { type EmulatorTestApp, type SignedIn, signIn, startAppWithEmulator } from './support/emulator-app';

jest.setTimeout(300_000);

/**
 * Who may call what, for every operation of the OpenAPI document. The guard's decision is what is
 * under test: a request the guard lets through is answered by the marker interceptor below with
 * 418 before any handler runs, so the matrix neither changes data nor depends on request bodies;
 * a refusal is the guard's own 401/403. What each principal may do is restated here from the
 * issue's words (roles, key scopes), independently of the tables the guard uses.
 */
class GuardPassedMarker implements NestInterceptor {
  /** Off while the principals sign in (sign-in itself must run), on for the matrix. */
  armed = false;

  intercept(_context: ExecutionContext, next: CallHandler) {
    if (!this.armed) return next.handle();
    throw new ImATeapotException('guard passed');
  }
}

const marker = new GuardPassedMarker();

type TenantName = 'A' | 'B';
type PartnerName = 'P' | 'Q';

/** What a principal may do, as the issue describes it. */
interface Expectation {
  readonly label: string;
  /** Permissions per tenant. */
  readonly onTenant: Partial<Record<TenantName, readonly Permission[]>>;
  /** Permissions on partner-level operations. */
  readonly onPartner: Partial<Record<PartnerName, readonly Permission[]>>;
  readonly authenticated: boolean;
}

const VIEW: readonly Permission[] = ['tenants:read'];
const OPERATE: readonly Permission[] = [...VIEW, 'backups:start', 'restores:run'];
/** Admin: settings, backups, restores, exports (with secrets), API keys and onboarding links. */
const PARTNER_ADMIN: readonly Permission[] = [
  ...OPERATE,
  'settings:write',
  'exports:download',
  'secrets:reveal',
  'keys:manage',
  'customers:onboard',
];
/** Owner: an Admin who also manages staff, customers and break-glass accounts. */
const PARTNER_OWNER: readonly Permission[] = [
  ...PARTNER_ADMIN,
  'staff:manage',
  'customers:manage',
  'emergency:manage',
];
/** A tenant's own admin: everything on their tenant, nothing of a partner's. */
const TENANT_ADMIN: readonly Permission[] = [
  ...OPERATE,
  'settings:write',
  'exports:download',
  'secrets:reveal',
  'keys:manage',
  'partner-link:manage',
  'emergency:manage',
];

function staff(label: string, partner: PartnerName, permissions: readonly Permission[]): Expectation {
  // P manages A; Q manages B.
  const tenant: TenantName = partner === 'P' ? 'A' : 'B';
  return {
    label,
    onTenant: { [tenant]: permissions },
    onPartner: { [partner]: permissions },
    authenticated: true,
  };
}

function partnerKey(
  label: string,
  permissions: readonly Permission[],
  tenants: TenantName[] = ['A'],
): Expectation {
  return {
    label,
    onTenant: Object.fromEntries(tenants.map((t) => [t, permissions])),
    onPartner: { P: permissions },
    authenticated: true,
  };
}

interface Caller {
  readonly expectation: Expectation;
  send(method: string, path: string): request.Test;
}

describe('Isolation matrix: every operation x every kind of principal (e2e)', () => {
  let env: EmulatorTestApp;
  let document: OpenAPIObject;
  const ids: Record<TenantName | PartnerName, string> = { A: '', B: '', P: randomUUID(), Q: randomUUID() };
  const callers: Caller[] = [];
  let tenantNames: string[] = [];

  beforeAll(async () => {
    env = await startAppWithEmulator({}, { beforeInit: (app) => app.useGlobalInterceptors(marker) });
    ids.A = env.tenantId;
    ids.B = env.otherTenantId;
    document = buildOpenApiDocument(env.app, 'test');
    const db = env.app.get(DataSource);
    const now = new Date();

    await db.getRepository(PartnerEntity).insert([
      { id: ids.P, name: 'Partner P', createdAt: now, createdBy: 'cli:test' },
      { id: ids.Q, name: 'Partner Q', createdAt: now, createdBy: 'cli:test' },
    ]);
    // Staff are people of the second tenant without any admin role there.
    const people = env.emulator.world
      .listSignInUsers(env.otherTenantId, 60)
      .filter((u) => u.roleTemplateIds.length === 0)
      .slice(0, 5);
    if (people.length < 5) throw new Error('the second emulated tenant needs five users without roles');
    const roles: Array<[PartnerName, string, readonly Permission[]]> = [
      ['P', 'owner', PARTNER_OWNER],
      ['P', 'admin', PARTNER_ADMIN],
      ['P', 'operator', OPERATE],
      ['P', 'viewer', VIEW],
      ['Q', 'owner', PARTNER_OWNER],
    ];
    await db.getRepository(PartnerMemberEntity).insert(
      roles.map(([partner, role], i) => ({
        partnerId: ids[partner],
        upn: people[i]!.userPrincipalName.toLowerCase(),
        role,
        homeTenantId: null,
        objectId: null,
        addedAt: now,
        addedBy: 'cli:test',
      })),
    );

    const sessionCaller = (signedIn: SignedIn, expectation: Expectation): Caller => ({
      expectation,
      send: (method, path) =>
        (signedIn.agent[method as 'get'](path) as request.Test).set(CSRF_HEADER, signedIn.csrfToken),
    });
    callers.push(
      sessionCaller(await signIn(env, env.admin), {
        label: 'tenant admin of A',
        onTenant: { A: TENANT_ADMIN },
        onPartner: {},
        authenticated: true,
      }),
      sessionCaller(await signIn(env, env.otherAdmin, { tenantId: env.otherTenantId }), {
        label: 'tenant admin of B',
        onTenant: { B: TENANT_ADMIN },
        onPartner: {},
        authenticated: true,
      }),
    );
    await db.getRepository(TenantEntity).update({ id: ids.A }, { partnerId: ids.P, partnerLinkedAt: now });
    await db.getRepository(TenantEntity).update({ id: ids.B }, { partnerId: ids.Q, partnerLinkedAt: now });
    tenantNames = (await db.getRepository(TenantEntity).find()).map((t) => t.displayName);

    for (const [i, [partner, role, permissions]] of roles.entries()) {
      const person = people[i]!;
      callers.push(
        sessionCaller(
          await signIn(
            env,
            { id: person.id, upn: person.userPrincipalName },
            { tenantId: env.otherTenantId },
          ),
          staff(`partner ${partner} ${role}`, partner, permissions),
        ),
      );
    }

    const keyCaller = async (
      scopes: string[],
      expectation: Expectation,
      options: { tenantIds?: string[]; expiresAt?: Date; revokedAt?: Date } = {},
    ): Promise<Caller> => {
      const prefix = randomBytes(6).toString('hex').slice(0, 8);
      const secret = randomBytes(32).toString('base64url');
      await db.getRepository(ApiKeyEntity).insert({
        id: randomUUID(),
        prefix,
        secretHash: hashKeySecret(secret),
        name: expectation.label,
        scopes: JSON.stringify(scopes),
        ownerKind: 'partner',
        ownerId: ids.P,
        tenantIds: options.tenantIds === undefined ? null : JSON.stringify(options.tenantIds),
        createdBy: 'user:owner',
        createdAt: now,
        expiresAt: options.expiresAt ?? null,
        lastUsedAt: null,
        lastUsedAddress: null,
        revokedAt: options.revokedAt ?? null,
      });
      return {
        expectation,
        send: (method, path) =>
          (request(env.http)[method as 'get'](path) as request.Test).set(
            'authorization',
            `Bearer eb_${prefix}_${secret}`,
          ),
      };
    };
    callers.push(
      await keyCaller(['read'], partnerKey('key read', VIEW)),
      await keyCaller(['backup'], partnerKey('key backup', ['backups:start'])),
      await keyCaller(['restore'], partnerKey('key restore', ['restores:run'])),
      await keyCaller(['export'], partnerKey('key export', ['exports:download', 'secrets:reveal'])),
      await keyCaller(['admin'], partnerKey('key admin', ['settings:write', 'customers:onboard'])),
      await keyCaller(
        ['read', 'backup'],
        partnerKey('key read+backup limited to A', [...VIEW, 'backups:start']),
        {
          tenantIds: [ids.A],
        },
      ),
      await keyCaller(
        ['read', 'backup'],
        partnerKey('key limited to another tenant', [...VIEW, 'backups:start'], []),
        {
          tenantIds: [randomUUID()],
        },
      ),
      await keyCaller(
        ['read'],
        { label: 'expired key', onTenant: {}, onPartner: {}, authenticated: false },
        {
          expiresAt: new Date(now.getTime() - 1000),
        },
      ),
      await keyCaller(
        ['read'],
        { label: 'revoked key', onTenant: {}, onPartner: {}, authenticated: false },
        {
          revokedAt: now,
        },
      ),
      {
        expectation: { label: 'no credentials', onTenant: {}, onPartner: {}, authenticated: false },
        send: (method, path) => request(env.http)[method as 'get'](path) as request.Test,
      },
    );
    marker.armed = true;
  });

  afterAll(async () => {
    await env?.close();
  });

  it('names the permission of every operation, so a new endpoint without a rule fails here', () => {
    const missing = operations(document)
      .filter((op) => op.rule === undefined)
      .map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(missing).toEqual([]);
  });

  it('allows every call exactly where the roles and key scopes say, and refuses it otherwise with no data', async () => {
    const wrong: string[] = [];
    let calls = 0;
    for (const op of operations(document)) {
      for (const target of targetsOf(op.path)) {
        const path = concretePath(op.path, target, ids);
        for (const caller of callers) {
          const expected = expectAllowed(caller.expectation, op.rule ?? '', target);
          const response = await caller.send(op.method, path).send({});
          calls += 1;
          // Public sign-in routes answer with their own redirect (their route guard runs first).
          const allowed =
            response.status === 418 || (op.rule === 'public' && ![401, 403].includes(response.status));
          if (allowed !== expected) {
            wrong.push(
              `${caller.expectation.label}: ${op.method.toUpperCase()} ${path} (${op.rule}) ` +
                `expected ${expected ? 'allowed' : 'refused'}, got ${response.status} ${JSON.stringify(response.body)}`,
            );
            continue;
          }
          if (!allowed) {
            const body = response.body as Record<string, unknown>;
            if (![401, 403].includes(response.status))
              wrong.push(`${caller.expectation.label}: ${path} refused with ${response.status}`);
            const keys = Object.keys(body).sort().join(',');
            if (keys !== 'code,correlationId,message,statusCode')
              wrong.push(`${path}: refusal body has ${keys}`);
            for (const name of tenantNames) {
              if (String(body['message']).includes(name))
                wrong.push(`${path}: refusal names the tenant ${name}`);
            }
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThan(500);
  });
});

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly rule: string | undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function operations(document: OpenAPIObject): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Record<string, unknown> | undefined>)[method];
      if (op === undefined) continue;
      const rule = op[OPENAPI_PERMISSION_EXTENSION];
      out.push({ method, path, rule: typeof rule === 'string' ? rule : undefined });
    }
  }
  return out;
}

interface Target {
  readonly tenant?: TenantName;
  readonly partner?: PartnerName;
}

function targetsOf(path: string): Target[] {
  const tenants: Array<TenantName | undefined> = path.includes('{tenantId}') ? ['A', 'B'] : [undefined];
  const partners: Array<PartnerName | undefined> = path.includes('{partnerId}') ? ['P', 'Q'] : [undefined];
  return tenants.flatMap((tenant) => partners.map((partner) => ({ tenant, partner })));
}

const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000001';

function concretePath(template: string, target: Target, ids: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'tenantId') return ids[target.tenant ?? 'A']!;
    if (name === 'partnerId') return ids[target.partner ?? 'P']!;
    if (name === 'snapshot') return 'latest';
    if (name === 'type') return 'users';
    if (name === 'collection') return 'users';
    if (name === 'upn') return 'nobody%40example.com';
    if (name === 'token') return 'no-such-token';
    return PLACEHOLDER_ID;
  });
}

function expectAllowed(expectation: Expectation, rule: string, target: Target): boolean {
  if (rule === 'public') return true;
  if (!expectation.authenticated) return false;
  if (rule === 'session') return true;
  const permission = rule as Permission;
  const onTenant = (t: TenantName) => expectation.onTenant[t]?.includes(permission) ?? false;
  const onPartner = (p: PartnerName) => expectation.onPartner[p]?.includes(permission) ?? false;
  if (target.tenant !== undefined && !onTenant(target.tenant)) return false;
  if (target.partner !== undefined && !onPartner(target.partner)) return false;
  if (target.tenant === undefined && target.partner === undefined) {
    return (
      Object.values(expectation.onTenant).some((p) => p?.includes(permission)) ||
      Object.values(expectation.onPartner).some((p) => p?.includes(permission))
    );
  }
  return true;
}
