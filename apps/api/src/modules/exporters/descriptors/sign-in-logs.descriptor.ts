import type { Descriptor } from '../descriptor';
import { type BrowseSpec, firstString, valueAt } from '../browse-spec';

/** The columns of the Entra admin center's sign-in log. */
const SIGN_INS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'date', label: 'Date', kind: 'date', value: 'createdDateTime' },
    { key: 'user', label: 'User', kind: 'text', value: firstString('userDisplayName', 'userPrincipalName') },
    { key: 'application', label: 'Application', kind: 'text', value: 'appDisplayName' },
    {
      key: 'status',
      label: 'Status',
      kind: 'enum',
      // errorCode 0 is a success: https://learn.microsoft.com/graph/api/resources/signinstatus
      value: (o) => {
        const code = valueAt(o, 'status.errorCode');
        return code === undefined || code === null ? null : code === 0 ? 'Success' : 'Failure';
      },
      filter: [
        { value: 'Success', label: 'Success' },
        { value: 'Failure', label: 'Failure' },
      ],
    },
    { key: 'ipAddress', label: 'IP address', kind: 'text', value: 'ipAddress' },
    {
      key: 'location',
      label: 'Location',
      kind: 'text',
      value: (o) => {
        const parts = ['location.city', 'location.state', 'location.countryOrRegion']
          .map((p) => valueAt(o, p))
          .filter((v): v is string => typeof v === 'string' && v !== '');
        return parts.length === 0 ? null : parts.join(', ');
      },
    },
    {
      key: 'conditionalAccess',
      label: 'Conditional Access',
      kind: 'enum',
      value: 'conditionalAccessStatus',
      filter: [
        { value: 'success', label: 'Success' },
        { value: 'failure', label: 'Failure' },
        { value: 'notApplied', label: 'Not applied' },
      ],
    },
  ],
  search: ['userPrincipalName', 'userDisplayName', 'appDisplayName', 'appId', 'ipAddress'],
  timeColumn: 'date',
};

export const signInLogsDescriptor: Descriptor = {
  key: 'signInLogs',
  collections: [
    {
      // Newest first, up to 1000 per page; incremental by `createdDateTime ge` the last watermark:
      // https://learn.microsoft.com/graph/api/signin-list
      name: 'signIns',
      browse: SIGN_INS_BROWSE,
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
