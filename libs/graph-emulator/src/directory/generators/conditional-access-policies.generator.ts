import {
  BUILT_IN_AUTH_STRENGTHS,
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from '../catalog';
import type { Json } from '../object-collection';
import { appId } from './applications.generator';
import { type CollectionGenerator, DAY_MS, type GeneratorContext, iso } from './generator-context';

export const conditionalAccessPoliciesGenerator: CollectionGenerator = {
  count: () => 9,
  generate: conditionalAccessPolicy,
};

export function conditionalAccessPolicy(ctx: GeneratorContext, ordinal: number): Json {
  const id = ctx.id('conditionalAccessPolicies', ordinal);
  const created = ctx.createdAt(12, ordinal, 8);
  const users = (
    o: Partial<
      Record<
        'includeUsers' | 'excludeUsers' | 'includeGroups' | 'excludeGroups' | 'includeRoles' | 'excludeRoles',
        string[]
      >
    >,
  ) => ({
    includeUsers: [],
    excludeUsers: [],
    includeGroups: [],
    excludeGroups: [],
    includeRoles: [],
    excludeRoles: [],
    includeGuestsOrExternalUsers: null,
    excludeGuestsOrExternalUsers: null,
    ...o,
  });
  const apps = (include: string[], exclude: string[] = []) => ({
    includeApplications: include,
    excludeApplications: exclude,
    includeUserActions: [],
    includeAuthenticationContextClassReferences: [],
    applicationFilter: null,
  });
  const grant = (builtInControls: string[], operator = 'OR', authenticationStrength: Json | null = null) => ({
    operator,
    builtInControls,
    customAuthenticationFactors: [],
    termsOfUse: [],
    authenticationStrength,
  });
  const breakGlass = ctx.id('users', 1 % ctx.counts.users);
  const adminRoles = [
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    USER_ADMINISTRATOR,
    '194ae4cb-b126-40b2-bd5b-6091b380977d',
    'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  ];
  const financeGroup = ctx.id('groups', 3 % ctx.counts.groups);
  const strongAuth = {
    id: BUILT_IN_AUTH_STRENGTHS[2]!.id,
    displayName: BUILT_IN_AUTH_STRENGTHS[2]!.displayName,
  };
  const definitions: Array<{
    name: string;
    state: string;
    conditions: Json;
    grantControls: Json | null;
    sessionControls: Json | null;
  }> = [
    {
      name: 'Require MFA for administrators',
      state: 'enabled',
      conditions: {
        users: users({ includeRoles: adminRoles, excludeUsers: [breakGlass] }),
        applications: apps(['All']),
        clientAppTypes: ['all'],
      },
      grantControls: grant(['mfa']),
      sessionControls: null,
    },
    {
      name: 'Block legacy authentication',
      state: 'enabled',
      conditions: {
        users: users({ includeUsers: ['All'], excludeUsers: [breakGlass] }),
        applications: apps(['All']),
        clientAppTypes: ['exchangeActiveSync', 'other'],
      },
      grantControls: grant(['block']),
      sessionControls: null,
    },
    {
      name: 'Require MFA outside trusted locations',
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        users: users({ includeUsers: ['All'], excludeGroups: [ctx.id('groups', 0)] }),
        applications: apps(['All']),
        clientAppTypes: ['all'],
        locations: {
          includeLocations: ['All'],
          excludeLocations: ['AllTrusted', ctx.id('namedLocations', 0)],
        },
      },
      grantControls: grant(['mfa']),
      sessionControls: null,
    },
    {
      name: 'Block sign-ins from blocked countries',
      state: 'enabled',
      conditions: {
        users: users({ includeUsers: ['All'], excludeUsers: [breakGlass] }),
        applications: apps(['All']),
        clientAppTypes: ['all'],
        locations: { includeLocations: [ctx.id('namedLocations', 2)], excludeLocations: [] },
      },
      grantControls: grant(['block']),
      sessionControls: null,
    },
    {
      name: 'Require compliant device for Finance apps',
      state: 'enabled',
      conditions: {
        users: users({ includeGroups: [financeGroup] }),
        applications: apps([appId(ctx, 0), '00000003-0000-0ff1-ce00-000000000000']),
        clientAppTypes: ['all'],
        platforms: { includePlatforms: ['windows', 'macOS'], excludePlatforms: [] },
      },
      grantControls: grant(['compliantDevice', 'domainJoinedDevice'], 'OR'),
      sessionControls: null,
    },
    {
      name: 'Phishing-resistant MFA for privileged roles',
      state: 'enabled',
      conditions: {
        users: users({ includeRoles: [GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR] }),
        applications: apps(['All']),
        clientAppTypes: ['all'],
      },
      grantControls: grant([], 'OR', strongAuth),
      sessionControls: null,
    },
    {
      name: 'Require MFA for risky sign-ins',
      state: 'disabled',
      conditions: {
        users: users({ includeUsers: ['All'] }),
        applications: apps(['All']),
        clientAppTypes: ['all'],
        signInRiskLevels: ['high', 'medium'],
        userRiskLevels: [],
      },
      grantControls: grant(['mfa']),
      sessionControls: null,
    },
    {
      name: 'Guest session lifetime',
      state: 'enabled',
      conditions: {
        users: users({ includeUsers: ['GuestsOrExternalUsers'] }),
        applications: apps(['All'], [appId(ctx, 1)]),
        clientAppTypes: ['all'],
      },
      grantControls: grant(['mfa']),
      sessionControls: {
        applicationEnforcedRestrictions: null,
        cloudAppSecurity: null,
        persistentBrowser: { isEnabled: true, mode: 'never' },
        signInFrequency: {
          isEnabled: true,
          type: 'hours',
          value: 8,
          authenticationType: 'primaryAndSecondaryAuthentication',
          frequencyInterval: 'timeBased',
        },
        disableResilienceDefaults: null,
      },
    },
    {
      // Applications and actions tagged with the authentication context c1 (generated by the
      // authentication contexts' generator) need a compliant device.
      name: 'Require trusted device for sensitive actions',
      state: 'enabled',
      conditions: {
        users: users({ includeUsers: ['All'], excludeUsers: [breakGlass] }),
        applications: { ...apps([]), includeAuthenticationContextClassReferences: ['c1'] },
        clientAppTypes: ['all'],
      },
      grantControls: grant(['compliantDevice']),
      sessionControls: null,
    },
  ];
  const def = definitions[ordinal % definitions.length]!;
  return {
    id,
    templateId: null,
    displayName: def.name,
    createdDateTime: iso(created),
    modifiedDateTime: iso(created + 5 * DAY_MS),
    state: def.state,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: ['all'],
      platforms: null,
      locations: null,
      devices: null,
      clientApplications: null,
      ...def.conditions,
    },
    grantControls: def.grantControls,
    sessionControls: def.sessionControls,
  };
}
