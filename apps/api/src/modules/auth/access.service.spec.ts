import { GraphAuthenticationError, GraphRequestError } from '@entra-backup/graph';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type { ConsentGrantsService } from '../consent/consent-grants.service';
import { AccessService, ROLE_RECHECK_MS } from './access.service';
import type { VerifiedIdentity } from './oidc-client';
import type { TenantDirectory } from './tenant-directory';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const PRA = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
const NOW = new Date('2026-11-26T08:00:00.000Z');

const identity = (wids: string[]): VerifiedIdentity => ({
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  objectId: 'oid-1',
  name: 'Adele',
  upn: 'adele@contoso.com',
  wids,
});

describe(AccessService.name, () => {
  let sut: AccessService;
  let directory: jest.Mocked<TenantDirectory>;
  let grants: jest.Mocked<ConsentGrantsService>;
  let clock: FixedClock;

  beforeEach(() => {
    directory = strictDouble<TenantDirectory>('TenantDirectory');
    grants = strictDouble<ConsentGrantsService>('ConsentGrantsService');
    clock = new FixedClock(NOW);
    sut = new AccessService(directory, grants, clock);
  });

  it('before consent, takes the roles from the validated ID token (wids)', async () => {
    grants.isGranted.mockResolvedValue(false);

    const principal = await sut.principalFor(identity([GA, 'b79fbf4d-3ef9-4689-8143-76b194e85509']));

    expect(principal).toMatchObject({ roles: ['Global Administrator'], evidence: 'wids' });
    expect(sut.hasAccess(principal)).toBe(true);
    expect(directory.userRoleTemplateIds).not.toHaveBeenCalled();
  });

  it('after consent, believes the directory, not the claim', async () => {
    grants.isGranted.mockResolvedValue(true);
    directory.userRoleTemplateIds.mockResolvedValue([]);

    const principal = await sut.principalFor(identity([GA]));

    expect(principal).toMatchObject({ roles: [], evidence: 'directory' });
    expect(sut.hasAccess(principal)).toBe(false);
    expect(directory.userRoleTemplateIds).toHaveBeenCalledWith(
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
      'oid-1',
    );
  });

  it('recognises a Privileged Role Administrator from the directory', async () => {
    grants.isGranted.mockResolvedValue(true);
    directory.userRoleTemplateIds.mockResolvedValue([PRA]);

    await expect(sut.principalFor(identity([]))).resolves.toMatchObject({
      roles: ['Privileged Role Administrator'],
      evidence: 'directory',
    });
  });

  it('falls back to wids when the tenant refuses the role read (consent revoked)', async () => {
    grants.isGranted.mockResolvedValue(true);
    directory.userRoleTemplateIds.mockRejectedValue(
      new GraphAuthenticationError('AADSTS700016', 'tid', 'unauthorized_client', false),
    );

    await expect(sut.principalFor(identity([GA]))).resolves.toMatchObject({
      roles: ['Global Administrator'],
      evidence: 'wids',
    });
  });

  it('does not guess during an outage: other errors propagate', async () => {
    grants.isGranted.mockResolvedValue(true);
    directory.userRoleTemplateIds.mockRejectedValue(new Error('connect ECONNREFUSED'));

    await expect(sut.principalFor(identity([GA]))).rejects.toThrow('ECONNREFUSED');
  });

  it('re-checks a session role after ROLE_RECHECK_MS only', async () => {
    grants.isGranted.mockResolvedValue(true);
    directory.userRoleTemplateIds.mockResolvedValue([GA]);
    const principal = await sut.principalFor(identity([GA]));

    clock.set(new Date(NOW.getTime() + ROLE_RECHECK_MS - 1));
    await expect(sut.refreshed(principal)).resolves.toBe(principal);

    directory.userRoleTemplateIds.mockResolvedValue([]);
    clock.set(new Date(NOW.getTime() + ROLE_RECHECK_MS));
    await expect(sut.refreshed(principal)).resolves.toMatchObject({ roles: [] });
  });

  it('keeps the last answer when a re-check hits an outage', async () => {
    grants.isGranted.mockResolvedValue(true);
    directory.userRoleTemplateIds.mockResolvedValue([GA]);
    const principal = await sut.principalFor(identity([GA]));
    directory.userRoleTemplateIds.mockRejectedValue(new Error('connect ECONNREFUSED'));
    clock.set(new Date(NOW.getTime() + ROLE_RECHECK_MS));

    await expect(sut.refreshed(principal)).resolves.toBe(principal);
  });

  it('treats a 403 from Graph as a refusal', async () => {
    grants.isGranted.mockResolvedValue(true);
    directory.userRoleTemplateIds.mockRejectedValue(
      new GraphRequestError({
        kind: 'forbidden',
        method: 'GET',
        path: '/v1.0/roleManagement/directory/roleAssignments',
        status: 403,
        code: 'Authorization_RequestDenied',
      }),
    );

    await expect(sut.principalFor(identity([]))).resolves.toMatchObject({ roles: [], evidence: 'wids' });
  });
});
