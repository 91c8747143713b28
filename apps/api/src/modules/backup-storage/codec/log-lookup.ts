import type { LogLookup } from '../../../persistence/repositories/backup-object.repository';

const MAX_ID_LENGTH = 512;
const MAX_TARGETS = 50;

/**
 * What the log index keeps of an entry in clear: its time (`activityDateTime` of a directory
 * audit, `createdDateTime` of a sign-in) and the ids of the objects a directory audit names in
 * `targetResources` (https://learn.microsoft.com/graph/api/resources/targetresource). No other
 * content leaves the encrypted payload.
 */
export function logLookupOf(entry: Readonly<Record<string, unknown>>): LogLookup {
  const time = entry['activityDateTime'] ?? entry['createdDateTime'];
  const parsed = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  const targets = Array.isArray(entry['targetResources']) ? (entry['targetResources'] as unknown[]) : [];
  const targetIds = new Set<string>();
  for (const target of targets.slice(0, MAX_TARGETS)) {
    const id =
      typeof target === 'object' && target !== null ? (target as Record<string, unknown>)['id'] : null;
    if (typeof id === 'string' && id !== '' && id.length <= MAX_ID_LENGTH) targetIds.add(id.toLowerCase());
  }
  return {
    activityAt: Number.isNaN(parsed) ? '' : new Date(parsed).toISOString(),
    targetIds: [...targetIds],
  };
}
