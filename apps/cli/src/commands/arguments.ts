import {
  OBJECT_TYPE_KEYS,
  type ObjectTypeKey,
  PARTNER_ROLES,
  type PartnerRole,
  parseObjectTypeList,
  partnerRoleSchema,
  staffUpnSchema,
  tenantIdSchema,
} from '@entra-backup/common';
import { InvalidArgumentError } from 'commander';

/** Commander argument parser: a GUID tenant id, lower-cased. */
export function parseTenantIdArgument(value: string): string {
  const parsed = tenantIdSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'tenantId must be a GUID');
  }
  return parsed.data;
}

export interface ObjectTypeSelection {
  readonly all: boolean;
  readonly keys: readonly ObjectTypeKey[];
}

/** Commander option parser: comma-separated object type keys or `all`, naming every unknown key. */
export function parseObjectTypeListArgument(value: string): ObjectTypeSelection {
  const parsed = parseObjectTypeList(value);
  if (!parsed.ok) {
    throw new InvalidArgumentError(
      `Unknown object ${parsed.unknown.length === 1 ? 'type' : 'types'}: ${parsed.unknown.join(', ')} ` +
        `(known: all, ${OBJECT_TYPE_KEYS.join(', ')})`,
    );
  }
  return { all: value.trim() === 'all', keys: parsed.keys };
}

/** Commander argument parser: a sign-in name (UPN), lower-cased. */
export function parseUpnArgument(value: string): string {
  const parsed = staffUpnSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'not a sign-in name');
  }
  return parsed.data;
}

/** Commander option parser: a partner role (owner, admin, operator, viewer). */
export function parsePartnerRoleArgument(value: string): PartnerRole {
  const parsed = partnerRoleSchema.safeParse(value.trim().toLowerCase());
  if (!parsed.success) {
    throw new InvalidArgumentError(`Unknown role: ${value} (known: ${PARTNER_ROLES.join(', ')})`);
  }
  return parsed.data;
}
