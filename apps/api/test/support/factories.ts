import type { NewTenant } from '../../src/persistence/repositories';

let sequence = 0;

/** A tenant with a fresh, valid, lower-case GUID; override any field. */
export function buildTenant(overrides: Partial<NewTenant> = {}): NewTenant {
  sequence += 1;
  return {
    id: buildTenantId(),
    displayName: `Contoso ${sequence}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 0, sequence)),
    ...overrides,
  };
}

export function buildTenantId(): string {
  return crypto.randomUUID();
}
