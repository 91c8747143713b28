/**
 * Fixed reference data: real built-in role template ids, Microsoft Graph's application
 * permission ids, well-known first-party app ids, and vocabularies for generated people.
 */

/** Microsoft Entra built-in roles with their real template ids.
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference */
export const BUILT_IN_ROLES: ReadonlyArray<{
  id: string;
  displayName: string;
  description: string;
  actions: string[];
}> = [
  {
    id: '62e90394-69f5-4237-9190-012177145e10',
    displayName: 'Global Administrator',
    description:
      'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
    actions: [
      'microsoft.directory/users/allProperties/allTasks',
      'microsoft.directory/groups/allProperties/allTasks',
      'microsoft.directory/applications/allProperties/allTasks',
      'microsoft.directory/roleAssignments/allProperties/allTasks',
    ],
  },
  {
    id: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
    displayName: 'Global Reader',
    description: 'Can read everything that a Global Administrator can, but not update anything.',
    actions: [
      'microsoft.directory/users/allProperties/read',
      'microsoft.directory/groups/allProperties/read',
    ],
  },
  {
    id: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
    displayName: 'Privileged Role Administrator',
    description:
      'Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.',
    actions: [
      'microsoft.directory/roleAssignments/allProperties/allTasks',
      'microsoft.directory/roleDefinitions/allProperties/allTasks',
    ],
  },
  {
    id: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
    displayName: 'User Administrator',
    description:
      'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
    actions: [
      'microsoft.directory/users/create',
      'microsoft.directory/users/delete',
      'microsoft.directory/groups/members/update',
    ],
  },
  {
    id: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
    displayName: 'Application Administrator',
    description: 'Can create and manage all aspects of app registrations and enterprise apps.',
    actions: ['microsoft.directory/applications/create', 'microsoft.directory/servicePrincipals/create'],
  },
  {
    id: 'cf1c38e5-3621-4004-a7cb-879624dced7c',
    displayName: 'Application Developer',
    description:
      "Can create application registrations independent of the 'Users can register applications' setting.",
    actions: ['microsoft.directory/applications/createAsOwner'],
  },
  {
    id: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
    displayName: 'Authentication Administrator',
    description:
      'Can access to view, set and reset authentication method information for any non-admin user.',
    actions: ['microsoft.directory/users/authenticationMethods/standard/restrictedRead'],
  },
  {
    id: '0526716b-113d-4c15-b2c8-68e3c22b9f80',
    displayName: 'Authentication Policy Administrator',
    description:
      'Can create and manage the authentication methods policy, tenant-wide MFA settings, password protection policy, and verifiable credentials.',
    actions: ['microsoft.directory/authenticationMethodPolicies/standard/update'],
  },
  {
    id: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
    displayName: 'Billing Administrator',
    description: 'Can perform common billing related tasks like updating payment information.',
    actions: ['microsoft.directory/organization/basic/update'],
  },
  {
    id: '158c047a-c907-4556-b7ef-446551a6b5f7',
    displayName: 'Cloud Application Administrator',
    description:
      'Can create and manage all aspects of app registrations and enterprise apps except App Proxy.',
    actions: ['microsoft.directory/applications/create'],
  },
  {
    id: '7698a772-787b-4ac8-901f-60d6b08affd2',
    displayName: 'Cloud Device Administrator',
    description: 'Limited access to manage devices in Microsoft Entra ID.',
    actions: ['microsoft.directory/devices/delete', 'microsoft.directory/bitlockerKeys/key/read'],
  },
  {
    id: '17315797-102d-40b4-93e0-432062caca18',
    displayName: 'Compliance Administrator',
    description:
      'Can read and manage compliance configuration and reports in Microsoft Entra ID and Microsoft 365.',
    actions: ['microsoft.directory/entitlementManagement/allProperties/read'],
  },
  {
    id: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
    displayName: 'Conditional Access Administrator',
    description: 'Can manage Conditional Access capabilities.',
    actions: [
      'microsoft.directory/conditionalAccessPolicies/create',
      'microsoft.directory/namedLocations/create',
    ],
  },
  {
    id: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
    displayName: 'Directory Readers',
    description:
      'Can read basic directory information. Commonly used to grant directory read access to applications and guests.',
    actions: ['microsoft.directory/users/standard/read', 'microsoft.directory/groups/standard/read'],
  },
  {
    id: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
    displayName: 'Directory Synchronization Accounts',
    description: 'Only used by Microsoft Entra Connect service.',
    actions: ['microsoft.directory/organization/dirSync/update'],
  },
  {
    id: '9360feb5-f418-4baa-8175-e2a00bac4301',
    displayName: 'Directory Writers',
    description:
      'Can read and write basic directory information. For granting access to applications, not intended for users.',
    actions: ['microsoft.directory/users/basic/update'],
  },
  {
    id: '29232cdf-9323-42fd-ade2-1d097af3e4de',
    displayName: 'Exchange Administrator',
    description: 'Can manage all aspects of the Exchange product.',
    actions: ['microsoft.office365.exchange/allEntities/basic/allTasks'],
  },
  {
    id: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
    displayName: 'Groups Administrator',
    description:
      'Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.',
    actions: ['microsoft.directory/groups/create', 'microsoft.directory/groups/delete'],
  },
  {
    id: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
    displayName: 'Guest Inviter',
    description: "Can invite guest users independent of the 'members can invite guests' setting.",
    actions: ['microsoft.directory/users/inviteGuest'],
  },
  {
    id: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
    displayName: 'Helpdesk Administrator',
    description: 'Can reset passwords for non-administrators and Helpdesk Administrators.',
    actions: ['microsoft.directory/users/password/update'],
  },
  {
    id: '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
    displayName: 'Hybrid Identity Administrator',
    description:
      'Manage Active Directory to Microsoft Entra cloud provisioning, Microsoft Entra Connect, pass-through authentication (PTA), password hash synchronization (PHS), seamless single sign-on (seamless SSO), and federation settings.',
    actions: ['microsoft.directory/cloudProvisioning/allProperties/allTasks'],
  },
  {
    id: '45d8d3c5-c802-45c6-b32a-1d70b5e1e86e',
    displayName: 'Identity Governance Administrator',
    description: 'Manage access using Microsoft Entra ID for identity governance scenarios.',
    actions: ['microsoft.directory/accessReviews/definitions/allProperties/allTasks'],
  },
  {
    id: '3a2c62db-5318-420d-8d74-23affee5d9d5',
    displayName: 'Intune Administrator',
    description: 'Can manage all aspects of the Intune product.',
    actions: ['microsoft.intune/allEntities/allTasks'],
  },
  {
    id: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
    displayName: 'License Administrator',
    description: 'Can manage product licenses on users and groups.',
    actions: ['microsoft.directory/users/assignLicense'],
  },
  {
    id: '966707d0-3269-4727-9be2-8c3a10f19b9d',
    displayName: 'Password Administrator',
    description: 'Can reset passwords for non-administrators and Password Administrators.',
    actions: ['microsoft.directory/users/password/update'],
  },
  {
    id: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
    displayName: 'Privileged Authentication Administrator',
    description:
      'Can access to view, set and reset authentication method information for any user (admin or non-admin).',
    actions: ['microsoft.directory/users/authenticationMethods/create'],
  },
  {
    id: '4a5d8f65-41da-4de4-8968-e035b65339cf',
    displayName: 'Reports Reader',
    description: 'Can read sign-in and audit reports.',
    actions: [
      'microsoft.directory/auditLogs/allProperties/read',
      'microsoft.directory/signInReports/allProperties/read',
    ],
  },
  {
    id: '194ae4cb-b126-40b2-bd5b-6091b380977d',
    displayName: 'Security Administrator',
    description:
      'Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.',
    actions: ['microsoft.directory/conditionalAccessPolicies/basic/update'],
  },
  {
    id: '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f',
    displayName: 'Security Operator',
    description: 'Creates and manages security events.',
    actions: ['microsoft.directory/identityProtection/allProperties/read'],
  },
  {
    id: '5d6b6bb7-de71-4623-b4af-96380a352509',
    displayName: 'Security Reader',
    description: 'Can read security information and reports in Microsoft Entra ID and Office 365.',
    actions: ['microsoft.directory/bitlockerKeys/key/read'],
  },
  {
    id: 'f023fd81-a637-4b56-95fd-791ac0226033',
    displayName: 'Service Support Administrator',
    description: 'Can read service health information and manage support tickets.',
    actions: ['microsoft.office365.supportTickets/allEntities/allTasks'],
  },
  {
    id: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
    displayName: 'SharePoint Administrator',
    description: 'Can manage all aspects of the SharePoint service.',
    actions: ['microsoft.office365.sharePoint/allEntities/allTasks'],
  },
  {
    id: '69091246-20e8-4a56-aa4d-066075b2a7a8',
    displayName: 'Teams Administrator',
    description: 'Can manage the Microsoft Teams service.',
    actions: ['microsoft.teams/allEntities/allProperties/allTasks'],
  },
  {
    id: '11451d60-acb2-45eb-a7d6-43d0f0125c13',
    displayName: 'Windows 365 Administrator',
    description: 'Can provision and manage all aspects of Cloud PCs.',
    actions: ['microsoft.cloudPC/allEntities/allProperties/allTasks'],
  },
  {
    id: '8329153b-31d0-4727-b945-745eb3bc5f31',
    displayName: 'Domain Name Administrator',
    description: 'Can manage domain names in cloud and on-premises.',
    actions: ['microsoft.directory/domains/allProperties/allTasks'],
  },
  {
    id: 'be2f45a1-457d-42af-a067-6ec1fa63bc45',
    displayName: 'External Identity Provider Administrator',
    description: 'Can configure identity providers for use in direct federation.',
    actions: ['microsoft.directory/domains/federation/update'],
  },
];

/** Built-in roles the docs label PRIVILEGED: acting on their holders is a sensitive action.
 * https://learn.microsoft.com/entra/identity/role-based-access-control/privileged-roles-permissions */
export const PRIVILEGED_ROLE_TEMPLATE_IDS: ReadonlySet<string> = new Set([
  '62e90394-69f5-4237-9190-012177145e10',
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'fe930be7-5e62-47db-91af-98c3a49a38b1',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'cf1c38e5-3621-4004-a7cb-879624dced7c',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  '158c047a-c907-4556-b7ef-446551a6b5f7',
  '7698a772-787b-4ac8-901f-60d6b08affd2',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  '9360feb5-f418-4baa-8175-e2a00bac4301',
  '8329153b-31d0-4727-b945-745eb3bc5f31',
  'be2f45a1-457d-42af-a067-6ec1fa63bc45',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
  '3a2c62db-5318-420d-8d74-23affee5d9d5',
  '966707d0-3269-4727-9be2-8c3a10f19b9d',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  '194ae4cb-b126-40b2-bd5b-6091b380977d',
  '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f',
  '5d6b6bb7-de71-4623-b4af-96380a352509',
]);

/** Roles that may perform sensitive actions on any user. https://learn.microsoft.com/graph/api/resources/users#who-can-perform-sensitive-actions */
export const SENSITIVE_ACTION_ROLE_TEMPLATE_IDS: ReadonlySet<string> = new Set([
  '62e90394-69f5-4237-9190-012177145e10',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
]);

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const PRIVILEGED_ROLE_ADMINISTRATOR = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
export const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
export const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
export const DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Application permissions (app roles) of Microsoft Graph's service principal, with their real ids.
 * https://learn.microsoft.com/graph/permissions-reference */
export const GRAPH_APP_ROLES: ReadonlyArray<{ id: string; value: string; displayName: string }> = [
  {
    id: 'df021288-bdef-4463-88db-98f22de89214',
    value: 'User.Read.All',
    displayName: "Read all users' full profiles",
  },
  {
    id: '741f803b-c850-494e-b5df-cde7c675a1ca',
    value: 'User.ReadWrite.All',
    displayName: "Read and write all users' full profiles",
  },
  { id: '5b567255-7703-4780-807c-7be8301ae99b', value: 'Group.Read.All', displayName: 'Read all groups' },
  {
    id: '62a82d76-70ea-41e2-9197-370581804d09',
    value: 'Group.ReadWrite.All',
    displayName: 'Read and write all groups',
  },
  {
    id: '98830695-27a2-44f7-8c18-0c3ebc9698f6',
    value: 'GroupMember.Read.All',
    displayName: 'Read all group memberships',
  },
  {
    id: 'dbaae8cf-10b5-4b86-a4a1-f871c94c6695',
    value: 'GroupMember.ReadWrite.All',
    displayName: 'Read and write all group memberships',
  },
  {
    id: '546168c3-1183-4281-9491-fafb24dea37e',
    value: 'GroupSettings.ReadWrite.All',
    displayName: 'Read and write all group settings',
  },
  {
    id: '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
    value: 'Directory.Read.All',
    displayName: 'Read directory data',
  },
  {
    id: '19dbc75e-c2e2-444c-a770-ec69d8559fc7',
    value: 'Directory.ReadWrite.All',
    displayName: 'Read and write directory data',
  },
  {
    id: '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
    value: 'Application.Read.All',
    displayName: 'Read all applications',
  },
  {
    id: '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9',
    value: 'Application.ReadWrite.All',
    displayName: 'Read and write all applications',
  },
  {
    id: '18a4783c-866b-4cc7-a460-3d5e5662c884',
    value: 'Application.ReadWrite.OwnedBy',
    displayName: 'Manage apps that this app creates or owns',
  },
  {
    id: '06b708a9-e830-4db3-a914-8e69da51d44f',
    value: 'AppRoleAssignment.ReadWrite.All',
    displayName: 'Manage app permission grants and app role assignments',
  },
  {
    id: '8e8e4742-1d95-4f68-9d56-6ee75648c72a',
    value: 'DelegatedPermissionGrant.ReadWrite.All',
    displayName: 'Manage all delegated permission grants',
  },
  {
    id: '483bed4a-2ad3-4361-a73b-c83ccdbdc53c',
    value: 'RoleManagement.Read.Directory',
    displayName: 'Read all directory RBAC settings',
  },
  {
    id: 'c7fbd983-d9aa-4fa7-84b8-17382c103bc4',
    value: 'RoleManagement.Read.All',
    displayName: 'Read role management data for all RBAC providers',
  },
  {
    id: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8',
    value: 'RoleManagement.ReadWrite.Directory',
    displayName: 'Read and write all directory RBAC settings',
  },
  {
    id: '246dd0d5-5bd0-4def-940b-0421030a5b68',
    value: 'Policy.Read.All',
    displayName: "Read your organization's policies",
  },
  {
    id: '37730810-e9ba-4e46-b07e-8ca78d182097',
    value: 'Policy.Read.ConditionalAccess',
    displayName: "Read your organization's conditional access policies",
  },
  {
    id: '01c0a623-fc9b-48e9-b794-0756f8e8f067',
    value: 'Policy.ReadWrite.ConditionalAccess',
    displayName: "Read and write your organization's conditional access policies",
  },
  {
    id: 'be74164b-cff1-491c-8741-e671cb536e13',
    value: 'Policy.ReadWrite.ApplicationConfiguration',
    displayName: "Read and write your organization's application configuration policies",
  },
  {
    id: '8e3bc81b-d2f3-4b7b-838c-32c88218d2f0',
    value: 'Policy.Read.AuthenticationMethod',
    displayName: 'Read all authentication method policies',
  },
  {
    id: '29c18626-4985-4dcd-85c0-193eef327366',
    value: 'Policy.ReadWrite.AuthenticationMethod',
    displayName: 'Read and write all authentication method policies',
  },
  {
    id: 'fb221be6-99f2-473f-bd32-01c6a0e9ca3b',
    value: 'Policy.ReadWrite.Authorization',
    displayName: "Read and write your organization's authorization policy",
  },
  {
    id: '1c6e93a6-28e2-4cbb-9f64-1a46a821124d',
    value: 'Policy.ReadWrite.SecurityDefaults',
    displayName: "Read and write your organization's security defaults policy",
  },
  {
    id: '338163d7-f101-4c92-94ba-ca46fe52447c',
    value: 'Policy.ReadWrite.CrossTenantAccess',
    displayName: "Read and write your organization's cross tenant access policies",
  },
  {
    id: '999f8c63-0a38-4f1b-91fd-ed1947bdd1a9',
    value: 'Policy.ReadWrite.ConsentRequest',
    displayName: "Read and write your organization's consent request policy",
  },
  {
    id: '9e640839-a198-48fb-8b9a-013fd6f6cbcd',
    value: 'Policy.Read.PermissionGrant',
    displayName: 'Read consent and permission grant policies',
  },
  {
    id: 'a402ca1c-2696-4531-972d-6e5ee4aa11ea',
    value: 'Policy.ReadWrite.PermissionGrant',
    displayName: 'Manage consent and permission grant policies',
  },
  { id: '7438b122-aefc-4978-80ed-43db9fcc7715', value: 'Device.Read.All', displayName: 'Read all devices' },
  {
    id: '1138cb37-bd11-4084-a2b7-9f71582aeddb',
    value: 'Device.ReadWrite.All',
    displayName: 'Read and write devices',
  },
  {
    id: 'dc377aa6-52d8-4e23-b271-2a7ae04cedf3',
    value: 'DeviceManagementConfiguration.Read.All',
    displayName: 'Read Microsoft Intune device configuration and policies',
  },
  {
    id: '9241abd9-d0e6-425a-bd4f-47ba86e767a4',
    value: 'DeviceManagementConfiguration.ReadWrite.All',
    displayName: 'Read and write Microsoft Intune device configuration and policies',
  },
  {
    id: '134fd756-38ce-4afd-ba33-e9623dbe66c2',
    value: 'AdministrativeUnit.Read.All',
    displayName: 'Read all administrative units',
  },
  {
    id: '5eb59dd3-1da2-4329-8733-9dabdc435916',
    value: 'AdministrativeUnit.ReadWrite.All',
    displayName: 'Read and write all administrative units',
  },
  {
    id: 'b0afded3-3588-46d8-8b3d-9842eff778da',
    value: 'AuditLog.Read.All',
    displayName: 'Read all audit log data',
  },
  {
    id: 'f690d423-6b29-4d04-98c6-694c42282419',
    value: 'BitlockerKey.ReadBasic.All',
    displayName: 'Read all BitLocker keys basic information',
  },
  {
    id: '57f1cf28-c0c4-4ec3-9a30-19a2eaaf2f6e',
    value: 'BitlockerKey.Read.All',
    displayName: 'Read all BitLocker keys',
  },
  {
    id: '498476ce-e0fe-48b0-b801-37ba7e2685c6',
    value: 'Organization.Read.All',
    displayName: 'Read organization information',
  },
  {
    id: '38d9df27-64da-44fd-b7c5-a6fbac20248f',
    value: 'UserAuthenticationMethod.Read.All',
    displayName: "Read all users' authentication methods",
  },
  {
    id: '50483e42-d915-4231-9639-7fdb7fd190e5',
    value: 'UserAuthenticationMethod.ReadWrite.All',
    displayName: "Read and write all users' authentication methods",
  },
];

/**
 * Delegated permissions (oauth2PermissionScopes) Microsoft Graph's service principal publishes here, with their
 * real ids: those generated grants use and the sign-in set the admin center suggests classifying as low impact
 * (openid, profile, email, offline_access). `type` says who may consent: `User` (users may) or `Admin`.
 * https://learn.microsoft.com/graph/permissions-reference,
 * https://learn.microsoft.com/entra/identity/enterprise-apps/configure-permission-classifications
 */
export const GRAPH_DELEGATED_SCOPES: ReadonlyArray<{
  id: string;
  value: string;
  type: 'User' | 'Admin';
  displayName: string;
}> = [
  {
    id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
    value: 'User.Read',
    type: 'User',
    displayName: 'Sign in and read user profile',
  },
  { id: '37f7f235-527c-4136-accd-4a02d197296e', value: 'openid', type: 'User', displayName: 'Sign users in' },
  {
    id: '14dad69e-099b-42c9-810b-d002981feec1',
    value: 'profile',
    type: 'User',
    displayName: "View users' basic profile",
  },
  {
    id: '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0',
    value: 'email',
    type: 'User',
    displayName: "View users' email address",
  },
  {
    id: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
    value: 'offline_access',
    type: 'User',
    displayName: 'Maintain access to data you have given it access to',
  },
  {
    id: 'a154be20-db9c-4678-8ab7-66f6cc099a59',
    value: 'User.Read.All',
    type: 'Admin',
    displayName: "Read all users' full profiles",
  },
  {
    id: '5f8c59db-677d-491f-a6b8-5f174b11ec1d',
    value: 'Group.Read.All',
    type: 'Admin',
    displayName: 'Read all groups',
  },
];

export const FIRST_PARTY_APPS: ReadonlyArray<{ appId: string; displayName: string }> = [
  { appId: MICROSOFT_GRAPH_APP_ID, displayName: 'Microsoft Graph' },
  { appId: '00000002-0000-0ff1-ce00-000000000000', displayName: 'Office 365 Exchange Online' },
  { appId: '00000003-0000-0ff1-ce00-000000000000', displayName: 'Office 365 SharePoint Online' },
];

/** Microsoft's tenant id, the owner organization of first-party service principals. */
export const MICROSOFT_SERVICES_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/** Built-in authentication strengths have fixed, documented ids.
 * https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths */
export const BUILT_IN_AUTH_STRENGTHS = [
  {
    id: '00000000-0000-0000-0000-000000000002',
    displayName: 'Multifactor authentication',
    description: 'Combinations of methods that satisfy strong authentication, such as a password + SMS',
    allowedCombinations: [
      'windowsHelloForBusiness',
      'fido2',
      'x509CertificateMultiFactor',
      'deviceBasedPush',
      'temporaryAccessPassOneTime',
      'temporaryAccessPassMultiUse',
      'password,microsoftAuthenticatorPush',
      'password,softwareOath',
      'password,hardwareOath',
      'password,sms',
      'password,voice',
      'federatedMultiFactor',
      'microsoftAuthenticatorPush,federatedSingleFactor',
      'softwareOath,federatedSingleFactor',
      'hardwareOath,federatedSingleFactor',
      'sms,federatedSingleFactor',
      'voice,federatedSingleFactor',
    ],
    requirementsSatisfied: 'mfa',
  },
  {
    id: '00000000-0000-0000-0000-000000000003',
    displayName: 'Passwordless MFA',
    description:
      'Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator',
    allowedCombinations: [
      'windowsHelloForBusiness',
      'fido2',
      'x509CertificateMultiFactor',
      'deviceBasedPush',
    ],
    requirementsSatisfied: 'mfa',
  },
  {
    id: '00000000-0000-0000-0000-000000000004',
    displayName: 'Phishing-resistant MFA',
    description:
      'Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
    requirementsSatisfied: 'mfa',
  },
] as const;

export const FIRST_NAMES = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Christopher',
  'Lisa',
  'Daniel',
  'Nancy',
  'Matthew',
  'Betty',
  'Anthony',
  'Sandra',
  'Mark',
  'Margaret',
  'Donald',
  'Ashley',
  'Steven',
  'Kimberly',
  'Andrew',
  'Emily',
  'Paul',
  'Donna',
  'Joshua',
  'Michelle',
  'Kenneth',
  'Carol',
  'Kevin',
  'Amanda',
  'Brian',
  'Melissa',
  'George',
  'Deborah',
  'Timothy',
  'Stephanie',
  'Ronald',
  'Rebecca',
  'Jason',
  'Sharon',
  'Edward',
  'Laura',
  'Jeffrey',
  'Cynthia',
  'Ryan',
  'Amy',
  'Jacob',
  'Kathleen',
  'Gary',
  'Angela',
  'Nicholas',
  'Shirley',
  'Eric',
  'Brenda',
  'Jonathan',
  'Emma',
  'Stephen',
  'Anna',
  'Larry',
  'Pamela',
  'Justin',
  'Nicole',
  'Scott',
  'Samantha',
  'Brandon',
  'Katherine',
  'Benjamin',
  'Christine',
  'Samuel',
  'Helen',
  'Gregory',
  'Debra',
  'Alexander',
  'Rachel',
  'Patrick',
  'Carolyn',
  'Frank',
  'Janet',
  'Raymond',
  'Maria',
  'Jack',
  'Olivia',
  'Dennis',
  'Heather',
  'Jerry',
  'Diane',
];
export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Hall',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Carter',
  'Roberts',
  'Gomez',
  'Phillips',
  'Evans',
  'Turner',
  'Diaz',
  'Parker',
  'Cruz',
  'Edwards',
  'Collins',
  'Reyes',
  'Stewart',
  'Morris',
  'Morales',
  'Murphy',
  'Cook',
  'Rogers',
  'Gutierrez',
  'Ortiz',
  'Morgan',
  'Cooper',
  'Peterson',
  'Bailey',
  'Reed',
  'Kelly',
  'Howard',
  'Ramos',
  'Kim',
  'Cox',
  'Ward',
  'Richardson',
  'Watson',
  'Brooks',
  'Chavez',
  'Wood',
  'James',
  'Bennett',
  'Gray',
  'Mendoza',
  'Ruiz',
  'Hughes',
  'Price',
  'Alvarez',
  'Castillo',
  'Sanders',
  'Patel',
  'Myers',
  'Long',
  'Ross',
  'Foster',
  'Jimenez',
];

export const DEPARTMENTS = [
  'Sales',
  'Marketing',
  'Engineering',
  'Finance',
  'Human Resources',
  'Legal',
  'Operations',
  'Support',
  'IT',
  'Research',
  'Procurement',
  'Facilities',
] as const;

export const JOB_TITLES: Record<(typeof DEPARTMENTS)[number], string[]> = {
  Sales: ['Account Executive', 'Sales Manager', 'Sales Representative'],
  Marketing: ['Marketing Manager', 'Content Strategist', 'Brand Specialist'],
  Engineering: ['Software Engineer', 'Senior Software Engineer', 'Engineering Manager'],
  Finance: ['Accountant', 'Financial Analyst', 'Controller'],
  'Human Resources': ['HR Generalist', 'Recruiter', 'HR Business Partner'],
  Legal: ['Paralegal', 'Corporate Counsel', 'Compliance Officer'],
  Operations: ['Operations Analyst', 'Logistics Coordinator', 'Operations Manager'],
  Support: ['Support Engineer', 'Customer Success Manager', 'Support Lead'],
  IT: ['Systems Administrator', 'Identity Engineer', 'IT Manager'],
  Research: ['Research Scientist', 'Data Scientist', 'Research Lead'],
  Procurement: ['Buyer', 'Procurement Specialist', 'Vendor Manager'],
  Facilities: ['Facilities Coordinator', 'Office Manager', 'Workplace Lead'],
};

export const LOCATIONS = [
  {
    city: 'Seattle',
    state: 'WA',
    country: 'United States',
    usageLocation: 'US',
    postalCode: '98101',
    street: '500 Pine Street',
    phone: '+1 206 555 0',
    ip: '52.160.',
  },
  {
    city: 'New York',
    state: 'NY',
    country: 'United States',
    usageLocation: 'US',
    postalCode: '10001',
    street: '11 Times Square',
    phone: '+1 212 555 0',
    ip: '40.76.',
  },
  {
    city: 'London',
    state: null,
    country: 'United Kingdom',
    usageLocation: 'GB',
    postalCode: 'EC2A 4BX',
    street: '2 Kingdom Street',
    phone: '+44 20 7946 0',
    ip: '51.140.',
  },
  {
    city: 'Berlin',
    state: null,
    country: 'Germany',
    usageLocation: 'DE',
    postalCode: '10117',
    street: 'Unter den Linden 17',
    phone: '+49 30 901820',
    ip: '20.52.',
  },
  {
    city: 'Paris',
    state: null,
    country: 'France',
    usageLocation: 'FR',
    postalCode: '75008',
    street: '39 Quai du Président Roosevelt',
    phone: '+33 1 70 36 0',
    ip: '20.40.',
  },
  {
    city: 'Amsterdam',
    state: null,
    country: 'Netherlands',
    usageLocation: 'NL',
    postalCode: '1017',
    street: 'Evert van de Beekstraat 354',
    phone: '+31 20 500 0',
    ip: '20.50.',
  },
  {
    city: 'Toronto',
    state: 'ON',
    country: 'Canada',
    usageLocation: 'CA',
    postalCode: 'M5J 2T3',
    street: '81 Bay Street',
    phone: '+1 416 555 0',
    ip: '52.228.',
  },
  {
    city: 'Sydney',
    state: 'NSW',
    country: 'Australia',
    usageLocation: 'AU',
    postalCode: '2000',
    street: '1 Epping Road',
    phone: '+61 2 5550 0',
    ip: '20.70.',
  },
] as const;

export const TENANT_NAMES = [
  'Contoso Demo',
  'Fabrikam',
  'Northwind Traders',
  'Tailspin Toys',
  'Adventure Works',
  'Woodgrove Bank',
  'Litware',
  'Wide World Importers',
  'Alpine Ski House',
  'Proseware',
];

export const APP_NAME_PARTS = {
  prefix: [
    'Contoso',
    'Payroll',
    'Expense',
    'HR',
    'CRM',
    'Inventory',
    'Analytics',
    'Helpdesk',
    'Onboarding',
    'Travel',
    'Billing',
    'Reporting',
  ],
  suffix: ['Portal', 'API', 'Sync Service', 'Connector', 'Web', 'Mobile', 'Automation', 'Dashboard'],
};

export const COUNTRY_CODES = [
  'US',
  'GB',
  'DE',
  'FR',
  'NL',
  'CA',
  'AU',
  'JP',
  'CN',
  'RU',
  'KP',
  'IR',
  'BR',
  'IN',
];
