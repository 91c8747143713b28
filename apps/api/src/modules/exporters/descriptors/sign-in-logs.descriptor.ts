import type { Descriptor } from '../descriptor';

export const signInLogsDescriptor: Descriptor = {
  key: 'signInLogs',
  collections: [
    {
      // Newest first, up to 1000 per page; incremental by `createdDateTime ge` the last watermark:
      // https://learn.microsoft.com/graph/api/signin-list
      name: 'signIns',
      version: 'v1.0',
      path: '/auditLogs/signIns',
      pageSize: 1000,
      supportsTop: true,
      log: { timeProperty: 'createdDateTime' },
    },
  ],
  permissions: { read: ['AuditLog.Read.All'], write: [] },
  skipWhen: [
    {
      // Tenants without Entra ID P1/P2 cannot read sign-ins through the API.
      kind: 'licenseRequired',
      reason: 'Sign-in logs need an Entra ID P1 or P2 licence, which this tenant does not have',
    },
  ],
  secretFields: [],
};
