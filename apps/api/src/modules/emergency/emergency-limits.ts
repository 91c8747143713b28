import { EMERGENCY_LOCK_MINUTES, EMERGENCY_MAX_FAILURES } from '@entra-backup/common';
import type { AttemptLimits } from './attempt-limiter';

/** How much failure emergency sign-in tolerates. Injectable so tests can use their own. */
export interface EmergencyLimits {
  /** Consecutive failures of one user name of a tenant before it locks, and for how long. */
  readonly perAccount: AttemptLimits;
  /** Failures from one network address before it is refused for a while. */
  readonly perAddress: AttemptLimits;
}

export const EMERGENCY_LIMITS = Symbol('EMERGENCY_LIMITS');

const LOCK_MS = EMERGENCY_LOCK_MINUTES * 60_000;

export const DEFAULT_EMERGENCY_LIMITS: EmergencyLimits = {
  perAccount: { maxFailures: EMERGENCY_MAX_FAILURES, windowMs: LOCK_MS, blockMs: LOCK_MS },
  perAddress: { maxFailures: 20, windowMs: LOCK_MS, blockMs: LOCK_MS },
};
