import type { ConsentHealth } from '@entra-backup/common';
import type {
  DashboardRun,
  DashboardTypeFailure,
} from '../../persistence/repositories/partner-dashboard.repository';

/**
 * Identity platform errors meaning the tenant no longer lets the app in: its service principal
 * was deleted or disabled (consent withdrawn), as opposed to an outage or a throttled request.
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
const REFUSED_APP = /\bAADSTS(700016|7000229|65001|500014|7000112)\b/;
/** Graph's answer when the app's service principal is gone from the tenant. */
const REFUSED_GRAPH_CODES = new Set(['Authorization_IdentityNotFound']);

/**
 * A tenant's consent health from what the consent module recorded (the verified grant and its
 * roles) and what the last finished backup met: `none` without a grant; `revoked` when a run
 * after the grant was verified failed because the tenant refused the app; otherwise `missing`
 * or `ok` by the permissions the descriptors need (backup and restore) against the granted ones.
 */
export function consentHealth(input: {
  readonly grant: { readonly grantedRoles: readonly string[]; readonly verifiedAt: Date } | null;
  readonly required: readonly string[];
  readonly lastFinishedRun: DashboardRun | null;
  readonly failures: readonly DashboardTypeFailure[];
}): ConsentHealth {
  const { grant, required, lastFinishedRun, failures } = input;
  if (grant === null) return { state: 'none', missing: [...required] };
  if (
    lastFinishedRun !== null &&
    lastFinishedRun.status === 'failed' &&
    lastFinishedRun.startedAt.getTime() > grant.verifiedAt.getTime() &&
    refusedTheApp(lastFinishedRun, failures)
  ) {
    return { state: 'revoked', missing: [...required] };
  }
  const granted = new Set(grant.grantedRoles);
  const missing = required.filter((p) => !granted.has(p));
  return { state: missing.length === 0 ? 'ok' : 'missing', missing };
}

function refusedTheApp(run: DashboardRun, failures: readonly DashboardTypeFailure[]): boolean {
  if (run.reason !== null && REFUSED_APP.test(run.reason)) return true;
  return failures.some(
    (f) =>
      (f.reason !== null && REFUSED_APP.test(f.reason)) ||
      (f.graphCode !== null && REFUSED_GRAPH_CODES.has(f.graphCode)),
  );
}
