import { z } from 'zod';
import { type ObjectTypeKey, parseObjectTypeList } from './object-types';

/**
 * Query of `GET /tenants/{tenantId}/snapshots/{snapshot}/export.zip`: `types` is a comma-separated
 * list of type keys (default: every type the snapshot holds); `bitlockerKeys=true` asks for the
 * BitLocker recovery keys themselves, an audited request (without it the bitlockerKeys type is
 * exported without key material, as the command line's export does).
 */
export const snapshotExportQuerySchema = z
  .object({
    types: z
      .string()
      .optional()
      .transform((value, ctx): ObjectTypeKey[] | undefined => {
        if (value === undefined) return undefined;
        const parsed = parseObjectTypeList(value);
        if (parsed.ok) return parsed.keys;
        ctx.addIssue({ code: 'custom', message: `Unknown object type(s): ${parsed.unknown.join(', ')}` });
        return z.NEVER;
      }),
    bitlockerKeys: z
      .enum(['true', 'false'], { message: 'bitlockerKeys must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
  })
  .strict();
export type SnapshotExportQuery = z.input<typeof snapshotExportQuerySchema>;

/** The path of a snapshot's zip export, relative to the API root (`/api`). */
export function snapshotExportPath(
  tenantId: string,
  snapshot: string,
  options: { readonly types?: readonly ObjectTypeKey[]; readonly bitlockerKeys?: boolean } = {},
): string {
  const query = new URLSearchParams();
  if (options.types !== undefined) query.set('types', options.types.join(','));
  if (options.bitlockerKeys === true) query.set('bitlockerKeys', 'true');
  const search = query.toString();
  return (
    `/tenants/${encodeURIComponent(tenantId)}/snapshots/${encodeURIComponent(snapshot)}/export.zip` +
    (search === '' ? '' : `?${search}`)
  );
}
