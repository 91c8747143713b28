import express from 'express';
import type {
  DirectoryUserSummary,
  EmulatedTenantSummary,
  GraphRequestContext,
} from '../../src/shared/graph-context';
import type { AuditEventInput, EmulatorWorldPort, SignInEventInput } from '../../src/shared/world-port';
import type { DirectoryFactory, EmulatorDirectory } from '../../src/server/start-emulator';
import type { PlatformRequestHooks } from '../../src/platform/platform-hooks';

export const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';

export const TENANT_A: EmulatedTenantSummary = {
  tenantId: '11111111-1111-4111-8111-111111111111',
  displayName: 'Contoso',
  defaultDomain: 'contoso.onmicrosoft.com',
  premium: true,
};
export const TENANT_B: EmulatedTenantSummary = {
  tenantId: '22222222-2222-4222-8222-222222222222',
  displayName: 'Fabrikam',
  defaultDomain: 'fabrikam.onmicrosoft.com',
  premium: false,
};

function users(tenant: EmulatedTenantSummary): DirectoryUserSummary[] {
  const domain = tenant.defaultDomain;
  const prefix = tenant.tenantId.slice(0, 8);
  return [
    {
      id: `${prefix}-aaaa-4aaa-8aaa-000000000001`,
      userPrincipalName: `admin@${domain}`,
      displayName: 'Ada Admin',
      roleTemplateIds: [GLOBAL_ADMIN],
    },
    {
      id: `${prefix}-aaaa-4aaa-8aaa-000000000002`,
      userPrincipalName: `user@${domain}`,
      displayName: 'Uma User',
      roleTemplateIds: [],
    },
    {
      id: `${prefix}-aaaa-4aaa-8aaa-000000000003`,
      userPrincipalName: `third@${domain}`,
      displayName: 'Theo Third',
      roleTemplateIds: [],
    },
    {
      id: `${prefix}-aaaa-4aaa-8aaa-000000000004`,
      userPrincipalName: `fourth@${domain}`,
      displayName: 'Fay Fourth',
      roleTemplateIds: [],
    },
    {
      id: `${prefix}-aaaa-4aaa-8aaa-000000000005`,
      userPrincipalName: `fifth@${domain}`,
      displayName: 'Finn Fifth',
      roleTemplateIds: [],
    },
  ];
}

/** A tiny, fully inspectable directory standing in for the generated one in platform tests. */
export class FakeWorld implements EmulatorWorldPort {
  signIns: Array<{ tenantId: string } & SignInEventInput> = [];
  audits: Array<{ tenantId: string } & AuditEventInput> = [];
  private grants = new Map<string, string[]>();
  private readonly tenants = [TENANT_A, TENANT_B];
  private readonly usersByTenant = new Map(this.tenants.map((t) => [t.tenantId, users(t)]));

  listTenants(): EmulatedTenantSummary[] {
    return [...this.tenants];
  }
  getTenant(tenantId: string): EmulatedTenantSummary | undefined {
    return this.tenants.find((t) => t.tenantId === tenantId);
  }
  listSignInUsers(tenantId: string, limit: number): DirectoryUserSummary[] {
    return (this.usersByTenant.get(tenantId) ?? []).slice(0, limit);
  }
  findUser(tenantId: string, idOrUpn: string): DirectoryUserSummary | undefined {
    const key = idOrUpn.toLowerCase();
    return this.usersByTenant
      .get(tenantId)
      ?.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
  }
  allUsers(tenantId: string): DirectoryUserSummary[] {
    return this.usersByTenant.get(tenantId) ?? [];
  }
  recordSignIn(tenantId: string, event: SignInEventInput): void {
    this.signIns.push({ tenantId, ...event });
  }
  recordAudit(tenantId: string, event: AuditEventInput): void {
    this.audits.push({ tenantId, ...event });
  }
  applyAdminConsent(tenantId: string, app: { appId: string; displayName: string }, appRoles: string[]): void {
    this.grants.set(`${tenantId}|${app.appId}`, [...appRoles]);
  }
  grantedAppRoles(tenantId: string, appId: string): string[] {
    return [...(this.grants.get(`${tenantId}|${appId}`) ?? [])];
  }
  reset(): void {
    this.signIns = [];
    this.audits = [];
    this.grants = new Map();
  }
}

/** A Graph router (mounted at /v1.0 and /beta) with just enough to exercise the platform: paged users, sign-in logs and $batch. */
export const fakeDirectory: DirectoryFactory<FakeWorld> = ({ baseUrl }): EmulatorDirectory<FakeWorld> => {
  const world = new FakeWorld();
  const router = express.Router();
  router.get('/users', (req, res) => {
    const ctx = res.locals['graph'] as GraphRequestContext;
    const all = world.allUsers(ctx.tenantId);
    const start = Number(req.query['$skiptoken'] ?? 0);
    const page = all.slice(start, start + 2);
    const next =
      start + 2 < all.length ? `${baseUrl}/${ctx.version}/users?$skiptoken=${start + 2}` : undefined;
    res.send(
      JSON.stringify({
        '@odata.context': `${baseUrl}/${ctx.version}/$metadata#users`,
        ...(next ? { '@odata.nextLink': next } : {}),
        value: page.map((u) => ({
          id: u.id,
          userPrincipalName: u.userPrincipalName,
          displayName: u.displayName,
        })),
      }),
    );
  });
  router.get('/me/context', (_req, res) => {
    res.send(JSON.stringify(res.locals['graph']));
  });
  router.get('/auditLogs/signIns', (_req, res) => {
    res.send(JSON.stringify({ value: [] }));
  });
  router.post('/\\$batch', express.json(), (req, res) => {
    const hooks = res.locals['platform'] as PlatformRequestHooks;
    const requests = (req.body as { requests: Array<{ id: string; method: string; url: string }> }).requests;
    const responses = requests.map((r) => {
      const admission = hooks.admitSubRequest({ method: r.method, url: r.url });
      return admission.allowed
        ? { id: r.id, status: 200, headers: admission.headers, body: { value: [] } }
        : { id: r.id, status: admission.status, headers: admission.headers, body: admission.body };
    });
    res.send(JSON.stringify({ responses }));
  });
  return { world, graphRouter: router };
};
