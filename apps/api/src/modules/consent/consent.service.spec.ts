import type { AuditEventRecord } from '../../persistence/repositories';
import type {
  ConsentStateRecord,
  ConsentStateRepository,
} from '../../persistence/repositories/consent-state.repository';
import { loadAppConfig } from '../../config/app-config';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type { AuditService } from '../audit/audit.service';
import type { SessionPrincipal } from '../auth/session.types';
import type { TenantDirectory } from '../auth/tenant-directory';
import type { TenantsService } from '../tenants/tenants.service';
import { ConsentExceptionCode } from './consent.exception';
import type { ConsentGrantsService } from './consent-grants.service';
import { CONSENT_STATE_TTL_MS, ConsentService, sha256 } from './consent.service';
import { DESCRIPTORS } from '../exporters/registry';
import { usersDescriptor } from '../exporters/descriptors/users.descriptor';
import { requiredAppRoles } from './consent-permissions';

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER = '00000000-0000-4000-8000-000000000001';
const NOW = new Date('2026-11-26T08:00:00.000Z');
const SESSION = 'session-id-1';

const principal: SessionPrincipal = {
  tenantId: TID,
  objectId: 'oid',
  name: 'Adele',
  upn: 'adele@contoso.com',
  wids: [],
  roles: ['Global Administrator'],
  evidence: 'wids',
  checkedAt: NOW.getTime(),
};

describe(ConsentService.name, () => {
  let sut: ConsentService;
  let states: jest.Mocked<ConsentStateRepository>;
  let grants: jest.Mocked<ConsentGrantsService>;
  let directory: jest.Mocked<TenantDirectory>;
  let audit: jest.Mocked<AuditService>;
  let clock: FixedClock;

  const pending = (overrides: Partial<ConsentStateRecord> = {}): ConsentStateRecord => ({
    stateHash: sha256('state-1'),
    tenantId: TID,
    sessionHash: sha256(SESSION),
    requestedBy: principal.upn,
    createdAt: NOW,
    expiresAt: new Date(NOW.getTime() + CONSENT_STATE_TTL_MS),
    usedAt: null,
    ...overrides,
  });

  beforeEach(() => {
    states = strictDouble<ConsentStateRepository>('ConsentStateRepository');
    grants = strictDouble<ConsentGrantsService>('ConsentGrantsService');
    directory = strictDouble<TenantDirectory>('TenantDirectory');
    audit = strictDouble<AuditService>('AuditService');
    audit.record.mockResolvedValue({} as AuditEventRecord);
    clock = new FixedClock(NOW);
    const config = loadAppConfig({
      AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      AZURE_CLIENT_SECRET: 's',
      ENTRA_BACKUP_PUBLIC_URL: 'https://backup.contoso.com',
    });
    sut = new ConsentService(
      config,
      states,
      grants,
      directory,
      audit,
      clock,
      strictDouble<TenantsService>('TenantsService'),
    );
  });

  it('builds the v2.0 adminconsent URL for the tenant and stores only the hash of a fresh state', async () => {
    states.insert.mockResolvedValue();

    const { redirectUrl } = await sut.start(TID, SESSION, principal);

    const url = new URL(redirectUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`https://login.microsoftonline.com/${TID}/v2.0/adminconsent`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: '11111111-2222-3333-4444-555555555555',
      scope: 'https://graph.microsoft.com/.default',
      redirect_uri: 'https://backup.contoso.com/api/consent/callback',
    });
    const state = url.searchParams.get('state')!;
    expect(states.insert).toHaveBeenCalledWith(
      expect.objectContaining({
        stateHash: sha256(state),
        sessionHash: sha256(SESSION),
        tenantId: TID,
        expiresAt: new Date(NOW.getTime() + CONSENT_STATE_TTL_MS),
      }),
    );
    expect(JSON.stringify(states.insert.mock.calls)).not.toContain(state);
  });

  it.each([
    ['missing', undefined, null, /missing/],
    ['forged', 'state-1', null, /not issued/],
    ['replayed', 'state-1', { usedAt: NOW }, /already used/],
    ['expired', 'state-1', { expiresAt: NOW }, /expired/],
    ['of another session', 'state-1', { sessionHash: sha256('other-session') }, /another sign-in session/],
    ['of another tenant', 'state-1', { tenantId: OTHER }, /another tenant/],
  ])('rejects a %s state', async (_case, state, row, message) => {
    states.find.mockResolvedValue(row === null ? null : pending(row));

    await expect(
      sut.complete(
        { ...(state === undefined ? {} : { state }), admin_consent: 'True', tenant: TID },
        SESSION,
        principal,
      ),
    ).rejects.toMatchObject({ code: ConsentExceptionCode.CONSENT_STATE_INVALID, message });
    expect(directory.grantedAppRoles).not.toHaveBeenCalled();
  });

  it('loses a race for the same state: only one callback consumes it', async () => {
    states.find.mockResolvedValue(pending());
    states.consume.mockResolvedValue(false);

    await expect(sut.complete({ state: 'state-1' }, SESSION, principal)).rejects.toMatchObject({
      message: /already used/,
    });
  });

  it("verifies the grant for the state's tenant, ignoring the callback's tenant parameter", async () => {
    states.find.mockResolvedValue(pending());
    states.consume.mockResolvedValue(true);
    directory.grantedAppRoles.mockResolvedValue(['User.Read.All', 'Group.Read.All']);
    grants.save.mockResolvedValue();
    grants.find.mockResolvedValue({
      tenantId: TID,
      grantedRoles: ['Group.Read.All', 'User.Read.All'],
      grantedBy: principal.upn,
      grantedAt: NOW,
      verifiedAt: NOW,
    });

    const outcome = await sut.complete(
      { state: 'state-1', admin_consent: 'True', tenant: OTHER },
      SESSION,
      principal,
    );

    expect(directory.grantedAppRoles).toHaveBeenCalledWith(TID);
    expect(grants.save).toHaveBeenCalledWith({
      tenantId: TID,
      grantedRoles: ['User.Read.All', 'Group.Read.All'],
      grantedBy: principal.upn,
      grantedAt: NOW,
      verifiedAt: NOW,
    });
    expect(outcome).toEqual({ tenantId: TID, granted: true, redirectTo: `/settings/${TID}?consent=granted` });
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'consent.granted', tenantId: TID }),
    );
  });

  it('returns the error description in plain words and records nothing', async () => {
    states.find.mockResolvedValue(pending());
    states.consume.mockResolvedValue(true);

    const outcome = await sut.complete(
      {
        state: 'state-1',
        admin_consent: 'True',
        error: 'consent_required',
        error_description:
          'AADSTS65004: User declined to consent to access the app.\r\nTrace ID: abc\r\nCorrelation ID: def',
      },
      SESSION,
      principal,
    );

    expect(outcome.granted).toBe(false);
    expect(decodeURIComponent(outcome.redirectTo)).toBe(
      `/settings/${TID}?consent=failed&consentError=User declined to consent to access the app. (AADSTS65004)`,
    );
    expect(grants.save).not.toHaveBeenCalled();
  });

  it('reports success without a usable app token as a failure', async () => {
    states.find.mockResolvedValue(pending());
    states.consume.mockResolvedValue(true);
    directory.grantedAppRoles.mockRejectedValue(
      new Error('AADSTS700016: Application not found in the directory'),
    );

    const outcome = await sut.complete({ state: 'state-1', admin_consent: 'True' }, SESSION, principal);

    expect(outcome.granted).toBe(false);
    expect(decodeURIComponent(outcome.redirectTo)).toContain('still cannot get a token');
    expect(grants.save).not.toHaveBeenCalled();
  });

  describe('with a collection needing more permissions than its type', () => {
    beforeEach(() => {
      jest.replaceProperty(DESCRIPTORS, 'users', {
        ...usersDescriptor,
        collections: [
          usersDescriptor.collections[0],
          {
            name: 'authenticationMethods',
            version: 'v1.0',
            path: '/users/x/authentication/methods',
            pageSize: 100,
            supportsTop: false,
            permissions: {
              read: ['UserAuthenticationMethod.Read.All'],
              write: ['UserAuthenticationMethod.ReadWrite.All'],
            },
          },
        ],
      });
    });
    afterEach(() => jest.restoreAllMocks());

    it("asks admin consent for the collection's read and write permissions with the types'", async () => {
      expect(requiredAppRoles()).toEqual(
        expect.arrayContaining([
          'User.Read.All',
          'UserAuthenticationMethod.Read.All',
          'UserAuthenticationMethod.ReadWrite.All',
        ]),
      );
      grants.find.mockResolvedValue({
        tenantId: TID,
        grantedRoles: ['User.Read.All'],
        grantedBy: 'admin@contoso.com',
        grantedAt: NOW,
        verifiedAt: NOW,
      });

      const status = await sut.status(TID);

      expect(status.readPermissions).toContainEqual({
        permission: 'UserAuthenticationMethod.Read.All',
        granted: false,
      });
      expect(status.writePermissions).toContainEqual({
        permission: 'UserAuthenticationMethod.ReadWrite.All',
        granted: false,
      });
      expect(status.missing).toEqual(
        expect.arrayContaining([
          'UserAuthenticationMethod.Read.All',
          'UserAuthenticationMethod.ReadWrite.All',
        ]),
      );
    });
  });
});
