import type { Descriptor } from '../descriptor';

export const auditLogsDescriptor: Descriptor = {
  key: 'auditLogs',
  collections: [
    {
      // Incremental by `activityDateTime ge` the last watermark: https://learn.microsoft.com/graph/api/directoryaudit-list
      name: 'directoryAudits',
      version: 'v1.0',
      path: '/auditLogs/directoryAudits',
      pageSize: 1000,
      supportsTop: true,
      log: { timeProperty: 'activityDateTime' },
    },
  ],
  permissions: { read: ['AuditLog.Read.All'], write: [] },
  skipWhen: [],
  secretFields: [],
};
