import {
  OBJECT_TYPE_KEYS,
  type ObjectTypeKey,
  parseObjectTypeList,
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
