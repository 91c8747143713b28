import { summarizeObject } from '../browse-index';
import { conditionalAccessPoliciesDescriptor } from './conditional-access-policies.descriptor';
import {
  DEFAULT_APP_MANAGEMENT_POLICY,
  methodConfigurationWrite,
  TENANT_POLICY_COLLECTIONS,
} from './tenant-policies.shared';

const PARTNER = '5ac61c2d-93d7-4341-a4b9-4ea6320388cd';
const collection = (name: string) => TENANT_POLICY_COLLECTIONS.find((c) => c.name === name)!;

describe('tenant-wide policy collections', () => {
  it('are collections of the Conditional Access type, each with its own least-privileged write permission', () => {
    const names = conditionalAccessPoliciesDescriptor.collections.map((c) => c.name);
    for (const c of TENANT_POLICY_COLLECTIONS) expect(names).toContain(c.name);
    expect(Object.fromEntries(TENANT_POLICY_COLLECTIONS.map((c) => [c.name, c.permissions]))).toEqual({
      authorizationPolicy: { read: [], write: ['Policy.ReadWrite.Authorization'] },
      identitySecurityDefaultsEnforcementPolicy: { read: [], write: ['Policy.ReadWrite.SecurityDefaults'] },
      authenticationMethodsPolicy: { read: [], write: ['Policy.ReadWrite.AuthenticationMethod'] },
      crossTenantAccessPolicy: { read: [], write: ['Policy.ReadWrite.CrossTenantAccess'] },
      crossTenantAccessPolicyDefault: { read: [], write: ['Policy.ReadWrite.CrossTenantAccess'] },
      crossTenantAccessPolicyPartners: { read: [], write: ['Policy.ReadWrite.CrossTenantAccess'] },
      adminConsentRequestPolicy: { read: [], write: ['Policy.ReadWrite.ConsentRequest'] },
      // Policy.Read.All is not among the documented read permissions of this list.
      permissionGrantPolicies: {
        read: ['Policy.Read.PermissionGrant'],
        write: ['Policy.ReadWrite.PermissionGrant'],
      },
    });
    expect(DEFAULT_APP_MANAGEMENT_POLICY.permissions).toEqual({
      read: ['Policy.Read.All'],
      write: ['Policy.ReadWrite.ApplicationConfiguration'],
    });
  });

  it('update singletons at their fixed path whatever the id, the consent request policy by replacing it', () => {
    const authorization = collection('authorizationPolicy').restore!;
    expect(authorization.itemPath('authorizationPolicy')).toBe('/policies/authorizationPolicy');
    expect(authorization.itemPath('anything')).toBe('/policies/authorizationPolicy');
    expect(collection('crossTenantAccessPolicyDefault').restore!.itemPath('x')).toBe(
      '/policies/crossTenantAccessPolicy/default',
    );
    expect(collection('adminConsentRequestPolicy').restore!.replace).toBe(true);
    expect(authorization.replace).toBeUndefined();
  });

  it('name a partner configuration by its tenant id, and write it back under that id', () => {
    const partners = collection('crossTenantAccessPolicyPartners');
    expect(partners.singleton).toBeUndefined();
    expect(partners.normalize!({ tenantId: PARTNER, isServiceProvider: true })).toEqual({
      id: PARTNER,
      tenantId: PARTNER,
      isServiceProvider: true,
    });
    expect(partners.restore!.createPath).toBe('/policies/crossTenantAccessPolicy/partners');
    expect(partners.restore!.itemPath(PARTNER)).toBe(`/policies/crossTenantAccessPolicy/partners/${PARTNER}`);
    expect(partners.restore!.createOnly).toEqual(['tenantId']);
  });

  it('write a method configuration by its id with its type, without the id in the body', () => {
    expect(
      methodConfigurationWrite({
        '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
        id: 'Fido2',
        state: 'enabled',
      }),
    ).toEqual({
      method: 'PATCH',
      path: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2',
      body: { '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', state: 'enabled' },
    });
  });

  it('browse a policy Graph serves without a name under its label, with its key settings', () => {
    const consent = summarizeObject('h', 'conditionalAccessPolicies', 'adminConsentRequestPolicy', {
      id: 'adminConsentRequestPolicy',
      isEnabled: true,
      reviewers: [{ query: '/users/x' }, { query: '/groups/y' }],
      requestDurationInDays: 30,
    });
    expect(consent.name).toBe('Admin consent request policy');
    expect(JSON.parse(consent.display)).toMatchObject({
      isEnabled: true,
      reviewers: 2,
      requestDurationInDays: 30,
    });
    const authorization = summarizeObject('h', 'conditionalAccessPolicies', 'authorizationPolicy', {
      id: 'authorizationPolicy',
      displayName: 'Authorization Policy',
      defaultUserRolePermissions: {
        permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-low'],
      },
    });
    expect(authorization.name).toBe('Authorization Policy');
    expect(JSON.parse(authorization.display)).toMatchObject({
      userConsent: 'ManagePermissionGrantsForSelf.microsoft-user-default-low',
    });
    const methods = summarizeObject('h', 'conditionalAccessPolicies', 'authenticationMethodsPolicy', {
      id: 'authenticationMethodsPolicy',
      authenticationMethodConfigurations: [
        { id: 'Fido2', state: 'enabled' },
        { id: 'Sms', state: 'disabled' },
      ],
    });
    expect(JSON.parse(methods.display)).toMatchObject({ methods: 1 });
  });
});
