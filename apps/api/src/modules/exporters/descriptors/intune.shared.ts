import type { SkipRule } from '../descriptor';

export const INTUNE_PERMISSIONS = {
  read: ['DeviceManagementConfiguration.Read.All'],
  write: ['DeviceManagementConfiguration.ReadWrite.All'],
} as const;

/**
 * Intune's Graph APIs need an active Intune licence. An unlicensed tenant answers the plain list
 * request with 400 `BadRequest` ("Request not applicable to target tenant."), a generic code, and
 * we never classify by message text; since the engine's Intune requests are fixed and tested
 * against the documented query shapes, a 400 `BadRequest` on them means the tenant has no Intune.
 * A missing permission (403 Authorization_RequestDenied) stays a failure.
 * https://learn.microsoft.com/graph/api/resources/intune-graph-overview
 */
export const INTUNE_SKIP_RULES: readonly SkipRule[] = [
  {
    status: 400,
    code: 'BadRequest',
    reason: 'Intune is not available for this tenant (its Graph API needs an active Intune licence)',
  },
];
