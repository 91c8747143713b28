/**
 * The 14 directory object types the product backs up, in portal order.
 * This list is the single source of truth for keys and labels: the API,
 * the CLI, the exporter registry and the portal all derive from it. Labels are in sentence case,
 * as Microsoft's style guide and the Entra admin center write them; product names (Conditional
 * Access, BitLocker) keep their capitals.
 */
export const OBJECT_TYPES = [
  { key: 'users', label: 'Users' },
  { key: 'groups', label: 'Groups' },
  { key: 'builtInRoles', label: 'Built-in roles' },
  { key: 'customRoles', label: 'Custom roles' },
  { key: 'appRegistrations', label: 'App registrations' },
  { key: 'enterpriseApps', label: 'Enterprise applications' },
  { key: 'conditionalAccessPolicies', label: 'Conditional Access policies' },
  { key: 'devices', label: 'Devices' },
  { key: 'deviceConfigurations', label: 'Device configurations' },
  { key: 'deviceCompliancePolicies', label: 'Device compliance policies' },
  { key: 'adminUnits', label: 'Admin units' },
  { key: 'signInLogs', label: 'Sign-in logs' },
  { key: 'auditLogs', label: 'Audit logs' },
  { key: 'bitlockerKeys', label: 'BitLocker keys' },
] as const;

export type ObjectTypeKey = (typeof OBJECT_TYPES)[number]['key'];

export const OBJECT_TYPE_KEYS: readonly ObjectTypeKey[] = OBJECT_TYPES.map((t) => t.key);

const LABELS: Record<ObjectTypeKey, string> = Object.fromEntries(
  OBJECT_TYPES.map((t) => [t.key, t.label]),
) as Record<ObjectTypeKey, string>;

export function isObjectTypeKey(value: string): value is ObjectTypeKey {
  return (OBJECT_TYPE_KEYS as readonly string[]).includes(value);
}

export function objectTypeLabel(key: ObjectTypeKey): string {
  return LABELS[key];
}

/** A settings record with every type switched off: the default for a new tenant. */
export function allObjectTypesOff(): Record<ObjectTypeKey, boolean> {
  return Object.fromEntries(OBJECT_TYPE_KEYS.map((k) => [k, false])) as Record<ObjectTypeKey, boolean>;
}

/**
 * Parses a comma-separated list of type keys (or `all`). Returns the keys, or the
 * list of unknown keys so callers can name every bad one in one message.
 */
export function parseObjectTypeList(
  input: string,
): { ok: true; keys: ObjectTypeKey[] } | { ok: false; unknown: string[] } {
  const parts = input
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 1 && parts[0] === 'all') return { ok: true, keys: [...OBJECT_TYPE_KEYS] };
  const unknown = parts.filter((p) => !isObjectTypeKey(p));
  if (unknown.length > 0 || parts.length === 0)
    return { ok: false, unknown: parts.length === 0 ? [input] : unknown };
  return { ok: true, keys: [...new Set(parts)] as ObjectTypeKey[] };
}
