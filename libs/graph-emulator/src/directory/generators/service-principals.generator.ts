import {
  FIRST_PARTY_APPS,
  GRAPH_APP_ROLES,
  GRAPH_DELEGATED_SCOPES,
  MICROSOFT_SERVICES_TENANT_ID,
} from '../catalog';
import type { Json } from '../object-collection';
import { appHasRoles, appId, applicationOwners, appName, appRoles } from './applications.generator';
import { ascii, type CollectionGenerator, DAY_MS, type GeneratorContext, iso } from './generator-context';

/** First-party (Microsoft) service principals first, then one per generated application. */
export const servicePrincipalsGenerator: CollectionGenerator = {
  count: (ctx) => FIRST_PARTY_APPS.length + ctx.counts.applications,
  generate: servicePrincipal,
};

export function servicePrincipal(ctx: GeneratorContext, ordinal: number): Json {
  const id = ctx.id('servicePrincipals', ordinal);
  if (ordinal < FIRST_PARTY_APPS.length) {
    const app = FIRST_PARTY_APPS[ordinal]!;
    const isGraph = ordinal === 0;
    return {
      id,
      accountEnabled: true,
      addIns: [],
      alternativeNames: [],
      appDescription: null,
      appDisplayName: app.displayName,
      appId: app.appId,
      applicationTemplateId: null,
      appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT_ID,
      appRoleAssignmentRequired: false,
      appRoles: isGraph
        ? GRAPH_APP_ROLES.map((role) => ({
            allowedMemberTypes: ['Application'],
            description: `Allows the app to ${role.displayName.toLowerCase()}, without a signed-in user.`,
            displayName: role.displayName,
            id: role.id,
            isEnabled: true,
            origin: 'Application',
            value: role.value,
          }))
        : [],
      createdDateTime: iso(ctx.epoch - 1200 * DAY_MS),
      deletedDateTime: null,
      description: null,
      disabledByMicrosoftStatus: null,
      displayName: app.displayName,
      homepage: null,
      info: {
        logoUrl: null,
        marketingUrl: null,
        privacyStatementUrl: null,
        supportUrl: null,
        termsOfServiceUrl: null,
      },
      keyCredentials: [],
      loginUrl: null,
      logoutUrl: null,
      notes: null,
      notificationEmailAddresses: [],
      // The delegated permissions Microsoft Graph publishes, which grants and permission
      // classifications name: https://learn.microsoft.com/graph/api/resources/permissionscope
      oauth2PermissionScopes: isGraph
        ? GRAPH_DELEGATED_SCOPES.map((scope) => ({
            adminConsentDescription: `Allows the app to ${scope.displayName.toLowerCase()} on behalf of the signed-in user.`,
            adminConsentDisplayName: scope.displayName,
            id: scope.id,
            isEnabled: true,
            type: scope.type,
            userConsentDescription:
              scope.type === 'User'
                ? `Allows the app to ${scope.displayName.toLowerCase()} on your behalf.`
                : null,
            userConsentDisplayName: scope.type === 'User' ? scope.displayName : null,
            value: scope.value,
          }))
        : [],
      passwordCredentials: [],
      preferredSingleSignOnMode: null,
      replyUrls: [],
      servicePrincipalNames: [
        app.appId,
        isGraph ? 'https://graph.microsoft.com' : `https://${ascii(app.displayName)}.microsoft.com`,
      ],
      servicePrincipalType: 'Application',
      signInAudience: 'AzureADMultipleOrgs',
      tags: [],
      tokenEncryptionKeyId: null,
      preferredTokenSigningKeyThumbprint: null,
      resourceSpecificApplicationPermissions: [],
      samlSingleSignOnSettings: null,
      verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    };
  }
  const appOrdinal = ordinal - FIRST_PARTY_APPS.length;
  const name = appName(appOrdinal);
  return {
    id,
    accountEnabled: appOrdinal % 17 !== 5,
    addIns: [],
    alternativeNames: [],
    appDescription: null,
    appDisplayName: name,
    appId: appId(ctx, appOrdinal),
    applicationTemplateId: null,
    appOwnerOrganizationId: ctx.spec.tenantId,
    appRoleAssignmentRequired: appHasRoles(appOrdinal),
    appRoles: appRoles(ctx, appOrdinal),
    createdDateTime: iso(ctx.createdAt(3, appOrdinal, ctx.counts.applications) + 60_000),
    deletedDateTime: null,
    description: null,
    disabledByMicrosoftStatus: null,
    displayName: name,
    homepage: null,
    info: {
      logoUrl: null,
      marketingUrl: null,
      privacyStatementUrl: null,
      supportUrl: null,
      termsOfServiceUrl: null,
    },
    keyCredentials: [],
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    oauth2PermissionScopes: [],
    passwordCredentials: [],
    preferredSingleSignOnMode: null,
    replyUrls: [],
    servicePrincipalNames: [appId(ctx, appOrdinal)],
    servicePrincipalType: 'Application',
    signInAudience: appOrdinal % 7 === 3 ? 'AzureADMultipleOrgs' : 'AzureADMyOrg',
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    tokenEncryptionKeyId: null,
    preferredTokenSigningKeyThumbprint: null,
    resourceSpecificApplicationPermissions: [],
    samlSingleSignOnSettings: null,
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}

export function servicePrincipalOwners(ctx: GeneratorContext, ordinal: number): string[] {
  if (ordinal < FIRST_PARTY_APPS.length) return [];
  return applicationOwners(ctx, ordinal - FIRST_PARTY_APPS.length).slice(0, 1);
}
