import { MAX_BATCH_SIZE } from '@entra-backup/graph';
import type { Descriptor, DescriptorHook, GraphObject } from '../descriptor';
import { type BrowseSpec, DEVICE_TARGET } from '../browse-spec';

const KEYS_PATH = '/informationProtection/bitlocker/recoveryKeys';

/**
 * The list never returns `key`; each key must be read on its own with `$select=key`, and every
 * such read writes a KeyManagement entry to the customer's directory audit log
 * (https://learn.microsoft.com/graph/api/bitlockerrecoverykey-get). A recovery key never changes
 * for a given key id, so keys already held by the previous snapshot are reused and only new ones
 * are read. Keys read by an earlier run that never committed them (killed, or the type failed) are
 * reused too: every key is stored durably, sealed, as soon as its read answers, before the run
 * goes on. Key material lives only in memory here and in encrypted storage; it is never logged.
 */
export const readMissingBitlockerKeys: DescriptorHook = async (context) => {
  const known = new Map<string, string>(await context.secretsReadBefore());
  for await (const { id, object } of context.previousObjects('recoveryKeys')) {
    const key = (object as { key?: unknown }).key;
    if (typeof key === 'string' && key !== '') known.set(id, key);
  }
  return {
    async enrichPage(objects: readonly GraphObject[]): Promise<GraphObject[]> {
      const missing = objects.filter((o) => !known.has(o.id));
      for (let start = 0; start < missing.length; start += MAX_BATCH_SIZE) {
        const window = missing.slice(start, start + MAX_BATCH_SIZE);
        const responses = await context.client.batch(
          window.map((o, index) => ({
            id: String(index),
            method: 'GET' as const,
            url: `${KEYS_PATH}/${encodeURIComponent(o.id)}?$select=key`,
          })),
          { version: 'v1.0', ...(context.signal ? { signal: context.signal } : {}) },
        );
        let reads = 0;
        const read: Array<[string, string]> = [];
        let failure: unknown;
        for (const [index, object] of window.entries()) {
          const response = responses.get(String(index));
          // A key deleted between the list and the read is simply not part of this snapshot.
          if (response?.status === 404) continue;
          if (response === undefined || response.error) {
            failure = response?.error ?? new Error('No answer for a BitLocker key read');
            break;
          }
          reads += 1;
          const key = (response.body as { key?: unknown } | undefined)?.key;
          if (typeof key === 'string' && key !== '') read.push([object.id, key]);
        }
        // Kept before anything else can fail: these reads are audited and must not be repeated.
        await context.rememberSecrets(read);
        for (const [id, key] of read) known.set(id, key);
        context.count('bitlockerKeyReads', reads);
        if (failure !== undefined) throw failure;
      }
      return objects.flatMap((o) => {
        const key = known.get(o.id);
        return key === undefined ? [] : [{ ...o, key }];
      });
    },
  };
};

/** Never the key itself: only what identifies it (https://learn.microsoft.com/graph/api/resources/bitlockerrecoverykey). */
const RECOVERY_KEYS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'device', label: 'Device', kind: 'text', value: 'deviceId' },
    {
      key: 'volumeType',
      label: 'Volume type',
      kind: 'enum',
      value: 'volumeType',
      filter: [
        { value: 'operatingSystemVolume', label: 'Operating system volume' },
        { value: 'fixedDataVolume', label: 'Fixed data volume' },
        { value: 'removableDataVolume', label: 'Removable data volume' },
      ],
    },
    { key: 'createdDateTime', label: 'Created', kind: 'date', value: 'createdDateTime' },
  ],
  search: ['deviceId'],
  relations: [
    {
      key: 'device',
      label: 'Device',
      path: 'deviceId',
      targets: [DEVICE_TARGET],
      byAltId: true,
      reverseLabel: 'BitLocker keys',
    },
  ],
};

export const bitlockerKeysDescriptor: Descriptor = {
  key: 'bitlockerKeys',
  collections: [
    {
      name: 'recoveryKeys',
      browse: RECOVERY_KEYS_BROWSE,
      version: 'v1.0',
      path: KEYS_PATH,
      // "This method does not support $top": Graph picks the page size (100 per page is assumed
      // for the minimum-requests figure). https://learn.microsoft.com/graph/api/bitlocker-list-recoverykeys
      pageSize: 100,
      supportsTop: false,
    },
  ],
  // BitlockerKey.Read.All is needed for `$select=key`; there is no write API (keys are escrowed by
  // devices). Microsoft's pages disagree on whether app-only access is supported; the localized and
  // beta pages list these application permissions.
  permissions: { read: ['BitlockerKey.Read.All'], write: [] },
  skipWhen: [],
  secretFields: ['key'],
  hook: readMissingBitlockerKeys,
};
