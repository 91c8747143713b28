import type { DashboardRun } from '../../persistence/repositories/partner-dashboard.repository';
import { consentHealth } from './consent-health';

const REQUIRED = ['Directory.Read.All', 'Group.Read.All', 'User.Read.All'];
const VERIFIED = new Date('2026-12-02T00:00:00.000Z');

function failedRun(overrides: Partial<DashboardRun> = {}): DashboardRun {
  return {
    runId: 'run-1',
    status: 'failed',
    startedAt: new Date('2026-12-05T00:00:00.000Z'),
    finishedAt: new Date('2026-12-05T00:01:00.000Z'),
    reason: null,
    ...overrides,
  };
}

const REFUSAL =
  "Token acquisition for tenant x failed: AADSTS700016: Application with identifier 'y' was not found in the directory 'x'.";

describe(consentHealth.name, () => {
  it('is none, missing everything, without a recorded grant', () => {
    expect(consentHealth({ grant: null, required: REQUIRED, lastFinishedRun: null, failures: [] })).toEqual({
      state: 'none',
      missing: REQUIRED,
    });
  });

  it('is ok when the grant holds every permission, and names what it lacks otherwise', () => {
    const ok = consentHealth({
      grant: { grantedRoles: [...REQUIRED, 'Extra.Read.All'], verifiedAt: VERIFIED },
      required: REQUIRED,
      lastFinishedRun: null,
      failures: [],
    });
    expect(ok).toEqual({ state: 'ok', missing: [] });
    const missing = consentHealth({
      grant: { grantedRoles: ['User.Read.All'], verifiedAt: VERIFIED },
      required: REQUIRED,
      lastFinishedRun: null,
      failures: [],
    });
    expect(missing).toEqual({ state: 'missing', missing: ['Directory.Read.All', 'Group.Read.All'] });
  });

  it('is revoked when a run after the grant failed because the tenant refused the app', () => {
    const grant = { grantedRoles: REQUIRED, verifiedAt: VERIFIED };
    expect(
      consentHealth({
        grant,
        required: REQUIRED,
        lastFinishedRun: failedRun(),
        failures: [{ typeKey: 'users', reason: REFUSAL, graphCode: null }],
      }),
    ).toEqual({ state: 'revoked', missing: REQUIRED });
    expect(
      consentHealth({
        grant,
        required: REQUIRED,
        lastFinishedRun: failedRun({ reason: REFUSAL }),
        failures: [],
      }).state,
    ).toBe('revoked');
    expect(
      consentHealth({
        grant,
        required: REQUIRED,
        lastFinishedRun: failedRun(),
        failures: [{ typeKey: 'users', reason: 'gone', graphCode: 'Authorization_IdentityNotFound' }],
      }).state,
    ).toBe('revoked');
  });

  it('is not revoked by an outage, by a refusal before consent was granted again, or by a partial run', () => {
    const grant = { grantedRoles: REQUIRED, verifiedAt: VERIFIED };
    const outage = [{ typeKey: 'users', reason: 'connect ETIMEDOUT', graphCode: null }];
    const refusal = [{ typeKey: 'users', reason: REFUSAL, graphCode: null }];
    for (const [lastFinishedRun, failures] of [
      [failedRun(), outage],
      [failedRun({ startedAt: new Date('2026-12-01T00:00:00.000Z') }), refusal],
      [failedRun({ status: 'partial' }), refusal],
    ] as const) {
      expect(consentHealth({ grant, required: REQUIRED, lastFinishedRun, failures }).state).toBe('ok');
    }
  });
});
