import type { Descriptor } from '../descriptor';
import { type BrowseSpec, firstString } from '../browse-spec';

/** The columns of the Entra admin center's audit log. */
const AUDITS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'date', label: 'Date', kind: 'date', value: 'activityDateTime' },
    { key: 'service', label: 'Service', kind: 'text', value: 'loggedByService' },
    { key: 'category', label: 'Category', kind: 'text', value: 'category' },
    { key: 'activity', label: 'Activity', kind: 'text', value: 'activityDisplayName' },
    {
      key: 'status',
      label: 'Status',
      kind: 'enum',
      value: 'result',
      filter: [
        { value: 'success', label: 'Success' },
        { value: 'failure', label: 'Failure' },
      ],
    },
    {
      key: 'initiatedBy',
      label: 'Initiated by (actor)',
      kind: 'text',
      value: firstString(
        'initiatedBy.user.userPrincipalName',
        'initiatedBy.user.displayName',
        'initiatedBy.app.displayName',
      ),
    },
    {
      key: 'target',
      label: 'Target',
      kind: 'text',
      value: (o) => {
        const targets = Array.isArray(o['targetResources']) ? (o['targetResources'] as unknown[]) : [];
        const names = targets
          .map((t) => firstString('displayName', 'userPrincipalName')((t ?? {}) as Record<string, unknown>))
          .filter((n): n is string => typeof n === 'string');
        return names.length === 0 ? null : names.join(', ');
      },
    },
  ],
  search: [
    'activityDisplayName',
    'initiatedBy.user.userPrincipalName',
    'initiatedBy.app.displayName',
    'correlationId',
  ],
  timeColumn: 'date',
};

export const auditLogsDescriptor: Descriptor = {
  key: 'auditLogs',
  collections: [
    {
      // Incremental by `activityDateTime ge` the last watermark: https://learn.microsoft.com/graph/api/directoryaudit-list
      name: 'directoryAudits',
      browse: AUDITS_BROWSE,
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
