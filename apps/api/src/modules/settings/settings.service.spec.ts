import { OBJECT_TYPE_KEYS, type TenantResponse } from '@entra-backup/common';
import type { GraphClientFactory } from '@entra-backup/graph';
import type { AuditEventRecord, TenantSettingsRepository } from '../../persistence/repositories';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import { AuditAction } from '../audit/audit-action';
import { ConsentExceptionCode } from '../consent/consent.exception';
import { ConsentGrantsService } from '../consent/consent-grants.service';
import type { ConsentGrantRepository } from '../../persistence/repositories/consent-grant.repository';
import type { AuditService } from '../audit/audit.service';
import { TenantException, TenantExceptionCode } from '../tenants/tenants.exception';
import type { TenantsService } from '../tenants/tenants.service';
import { SettingsExceptionCode } from './settings.exception';
import { SettingsService } from './settings.service';
import { DESCRIPTORS } from '../exporters/registry';
import { usersDescriptor } from '../exporters/descriptors/users.descriptor';

const ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CREATED = '2026-01-01T00:00:00.000Z';
const NOW = new Date('2026-11-26T08:00:00.000Z');

const tenant: TenantResponse = {
  tenantId: ID,
  displayName: 'Contoso',
  createdAt: CREATED,
  updatedAt: CREATED,
};

describe(SettingsService.name, () => {
  let sut: SettingsService;
  let tenants: jest.Mocked<TenantsService>;
  let settings: jest.Mocked<TenantSettingsRepository>;
  let audit: jest.Mocked<AuditService>;
  let grants: jest.Mocked<ConsentGrantRepository>;
  let graph: jest.Mocked<GraphClientFactory>;

  beforeEach(() => {
    grants = strictDouble<ConsentGrantRepository>('ConsentGrantRepository');
    graph = strictDouble<GraphClientFactory>('GraphClientFactory');
    tenants = strictDouble<TenantsService>('TenantsService');
    settings = strictDouble<TenantSettingsRepository>('TenantSettingsRepository');
    audit = strictDouble<AuditService>('AuditService');
    sut = new SettingsService(
      tenants,
      settings,
      audit,
      new FixedClock(NOW),
      new ConsentGrantsService(grants),
      graph,
    );
    tenants.get.mockResolvedValue(tenant);
  });

  describe('get', () => {
    it('reports all 14 types off for a tenant without rows, dated at creation', async () => {
      settings.findByTenant.mockResolvedValue([]);

      const result = await sut.get(ID);

      expect(Object.keys(result.enabledTypes)).toEqual([...OBJECT_TYPE_KEYS]);
      expect(Object.values(result.enabledTypes).every((v) => !v)).toBe(true);
      expect(result).toMatchObject({ tenantId: ID, updatedAt: CREATED });
    });

    it('applies stored rows, ignores keys this version does not know, and dates by the newest row', async () => {
      settings.findByTenant.mockResolvedValue([
        { objectType: 'users', enabled: true, updatedAt: new Date('2026-02-01T00:00:00.000Z') },
        { objectType: 'groups', enabled: false, updatedAt: new Date('2026-03-01T00:00:00.000Z') },
        { objectType: 'futureType', enabled: true, updatedAt: new Date('2026-04-01T00:00:00.000Z') },
      ]);

      const result = await sut.get(ID);

      expect(result.enabledTypes).toMatchObject({ users: true, groups: false, devices: false });
      expect(result.enabledTypes).not.toHaveProperty('futureType');
      expect(result.updatedAt).toBe('2026-03-01T00:00:00.000Z');
    });

    it('passes TENANT_NOT_FOUND through', async () => {
      tenants.get.mockRejectedValue(TenantException.notFound(ID));

      await expect(sut.get(ID)).rejects.toMatchObject({ code: TenantExceptionCode.TENANT_NOT_FOUND });
    });
  });

  describe('update', () => {
    it('saves only the switches that change and audits them', async () => {
      settings.findByTenant
        .mockResolvedValueOnce([{ objectType: 'users', enabled: true, updatedAt: new Date(CREATED) }])
        .mockResolvedValueOnce([
          { objectType: 'users', enabled: true, updatedAt: new Date(CREATED) },
          { objectType: 'groups', enabled: true, updatedAt: NOW },
        ]);
      settings.saveEnabledTypes.mockResolvedValue();
      audit.record.mockResolvedValue({} as AuditEventRecord);
      grants.find.mockResolvedValue({
        tenantId: ID,
        grantedRoles: ['User.Read.All'],
        grantedBy: 'admin@contoso.com',
        grantedAt: NOW,
        verifiedAt: NOW,
      });

      const result = await sut.update(ID, { users: true, groups: true, devices: false }, 'api');

      expect(settings.saveEnabledTypes).toHaveBeenCalledWith(ID, { groups: true }, NOW);
      expect(audit.record).toHaveBeenCalledWith({
        actor: 'api',
        action: AuditAction.SETTINGS_UPDATED,
        tenantId: ID,
        details: { enabledTypes: { groups: true } },
      });
      expect(result.enabledTypes).toMatchObject({ users: true, groups: true });
      expect(result.updatedAt).toBe(NOW.toISOString());
    });

    it('refuses to switch a type on before admin consent, whoever asks (portal or CLI)', async () => {
      settings.findByTenant.mockResolvedValue([]);
      grants.find.mockResolvedValue(null);

      await expect(sut.update(ID, { users: true, groups: false }, 'cli:alice')).rejects.toMatchObject({
        code: ConsentExceptionCode.CONSENT_REQUIRED,
        message: expect.stringContaining('Grant admin consent'),
      });
      expect(settings.saveEnabledTypes).not.toHaveBeenCalled();
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('writes and audits nothing when nothing changes', async () => {
      settings.findByTenant.mockResolvedValue([]);

      await expect(sut.update(ID, { users: false }, 'api')).resolves.toMatchObject({ updatedAt: CREATED });
      expect(settings.saveEnabledTypes).not.toHaveBeenCalled();
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('names every unknown key before touching anything', async () => {
      await expect(sut.update(ID, { users: true, bogus: true, nope: false }, 'api')).rejects.toMatchObject({
        code: SettingsExceptionCode.UNKNOWN_OBJECT_TYPE,
        message: 'Unknown object types: bogus, nope',
      });
      expect(tenants.get).not.toHaveBeenCalled();
    });

    it('fails with TENANT_NOT_FOUND for an unknown tenant', async () => {
      tenants.get.mockRejectedValue(TenantException.notFound(ID));

      await expect(sut.update(ID, { users: true }, 'api')).rejects.toMatchObject({
        code: TenantExceptionCode.TENANT_NOT_FOUND,
      });
      expect(audit.record).not.toHaveBeenCalled();
    });
  });

  describe('getStatus', () => {
    it('reports consent missing and no permissions before admin consent', async () => {
      settings.findByTenant.mockResolvedValue([]);
      grants.find.mockResolvedValue(null);

      const result = await sut.getStatus(ID);

      expect(result.consentGranted).toBe(false);
      expect(result.types.users).toEqual({
        enabled: false,
        permissionsGranted: false,
        requiredPermissions: ['User.Read.All'],
        // Users' directory extension values need the lookup of the tenant's extensions; their
        // authentication methods a permission of their own.
        collections: [
          {
            collection: 'directoryExtensionValues',
            permissions: [{ permission: 'Directory.Read.All', granted: false }],
            granted: false,
          },
          {
            collection: 'authenticationMethods',
            granted: false,
            permissions: [{ permission: 'UserAuthenticationMethod.Read.All', granted: false }],
          },
        ],
      });
      expect(Object.values(result.types).every((t) => !t.permissionsGranted)).toBe(true);
    });

    it('marks the types whose read permissions the recorded grant holds', async () => {
      settings.findByTenant.mockResolvedValue([{ objectType: 'users', enabled: true, updatedAt: NOW }]);
      grants.find.mockResolvedValue({
        tenantId: ID,
        grantedRoles: ['User.Read.All', 'AuditLog.Read.All'],
        grantedBy: 'admin@contoso.com',
        grantedAt: NOW,
        verifiedAt: NOW,
      });

      const result = await sut.getStatus(ID);

      expect(result.consentGranted).toBe(true);
      expect(result.types.users).toMatchObject({ enabled: true, permissionsGranted: true });
      expect(result.types.signInLogs.permissionsGranted).toBe(true);
      expect(result.types.groups).toMatchObject({
        enabled: false,
        permissionsGranted: false,
        requiredPermissions: ['Group.Read.All'],
      });
    });
  });

  describe('getStatus with a collection needing more permissions than its type', () => {
    beforeEach(() => {
      // Users without their directory extension values (whose lookup needs Directory.Read.All).
      const { extensionsFor: _values, ...users } = usersDescriptor.collections[0];
      jest.replaceProperty(DESCRIPTORS, 'users', {
        ...usersDescriptor,
        collections: [
          users,
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
      settings.findByTenant.mockResolvedValue([{ objectType: 'users', enabled: true, updatedAt: NOW }]);
    });
    afterEach(() => jest.restoreAllMocks());

    it("keeps the type's own permissions apart and says which collection is skipped without its grant", async () => {
      grants.find.mockResolvedValue({
        tenantId: ID,
        grantedRoles: ['User.Read.All'],
        grantedBy: 'admin@contoso.com',
        grantedAt: NOW,
        verifiedAt: NOW,
      });

      const result = await sut.getStatus(ID);

      expect(result.types.users).toEqual({
        enabled: true,
        permissionsGranted: true,
        requiredPermissions: ['User.Read.All'],
        collections: [
          {
            collection: 'authenticationMethods',
            permissions: [{ permission: 'UserAuthenticationMethod.Read.All', granted: false }],
            granted: false,
          },
        ],
      });
      expect(result.types.devices).not.toHaveProperty('collections');
    });

    it('marks the collection granted once the consent holds its permission', async () => {
      grants.find.mockResolvedValue({
        tenantId: ID,
        grantedRoles: ['User.Read.All', 'UserAuthenticationMethod.Read.All'],
        grantedBy: 'admin@contoso.com',
        grantedAt: NOW,
        verifiedAt: NOW,
      });

      const result = await sut.getStatus(ID);

      expect(result.types.users.collections).toEqual([
        {
          collection: 'authenticationMethods',
          permissions: [{ permission: 'UserAuthenticationMethod.Read.All', granted: true }],
          granted: true,
        },
      ]);
    });
  });

  describe('updateWithStatus', () => {
    it('refuses to switch a type on before consent, writing nothing', async () => {
      settings.findByTenant.mockResolvedValue([]);
      grants.find.mockResolvedValue(null);

      await expect(sut.updateWithStatus(ID, { users: true }, 'user:a@b')).rejects.toMatchObject({
        code: ConsentExceptionCode.CONSENT_REQUIRED,
      });
      expect(settings.saveEnabledTypes).not.toHaveBeenCalled();
    });

    it('lets a type be switched off without consent', async () => {
      settings.findByTenant.mockResolvedValue([{ objectType: 'users', enabled: true, updatedAt: NOW }]);
      settings.saveEnabledTypes.mockResolvedValue();
      audit.record.mockResolvedValue({} as AuditEventRecord);
      grants.find.mockResolvedValue(null);

      await expect(sut.updateWithStatus(ID, { users: false }, 'user:a@b')).resolves.toMatchObject({
        consentGranted: false,
      });
      expect(settings.saveEnabledTypes).toHaveBeenCalledWith(ID, { users: false }, NOW);
    });
  });

  describe('recordGrantedConsent', () => {
    it("records the permissions of the app's token in the tenant as its admin consent", async () => {
      settings.findByTenant.mockResolvedValue([]);
      graph.getGrantedAppRoles.mockResolvedValue(['User.Read.All', 'Group.Read.All']);
      grants.save.mockResolvedValue();
      grants.find.mockResolvedValue({
        tenantId: ID,
        grantedRoles: ['Group.Read.All', 'User.Read.All'],
        grantedBy: 'cli:alice',
        grantedAt: NOW,
        verifiedAt: NOW,
      });
      audit.record.mockResolvedValue({} as AuditEventRecord);

      const result = await sut.recordGrantedConsent(ID, 'cli:alice');

      expect(grants.save).toHaveBeenCalledWith({
        tenantId: ID,
        grantedRoles: ['User.Read.All', 'Group.Read.All'],
        grantedBy: 'cli:alice',
        grantedAt: NOW,
        verifiedAt: NOW,
      });
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({ action: AuditAction.CONSENT_GRANTED, actor: 'cli:alice' }),
      );
      expect(result.consentGranted).toBe(true);
    });

    it('records nothing when the app gets no token or no permission in the tenant', async () => {
      settings.findByTenant.mockResolvedValue([]);
      graph.getGrantedAppRoles.mockRejectedValueOnce(
        new Error('AADSTS7000229: no service principal\r\nTrace'),
      );

      await expect(sut.recordGrantedConsent(ID, 'cli:alice')).rejects.toMatchObject({
        code: ConsentExceptionCode.CONSENT_REQUIRED,
        message: expect.stringContaining('AADSTS7000229: no service principal'),
      });
      graph.getGrantedAppRoles.mockResolvedValueOnce([]);
      await expect(sut.recordGrantedConsent(ID, 'cli:alice')).rejects.toMatchObject({
        message: expect.stringContaining('no application permission is granted'),
      });
      expect(grants.save).not.toHaveBeenCalled();
    });
  });
});
