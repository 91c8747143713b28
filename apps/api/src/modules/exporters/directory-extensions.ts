import { type GraphClient, GraphRequestError } from '@entra-backup/graph';

/**
 * Directory extensions: properties an application defines (`extensionProperties`) for users,
 * groups and other directory objects, named `extension_{appId without dashes}_{name}`. Their
 * values sit on the objects themselves and Graph returns them only when `$select` names them, so
 * a run first asks which extensions the tenant has.
 * https://learn.microsoft.com/graph/api/resources/extensionproperty
 */

/** The directory objects whose collections carry extension values (`CollectionSpec.extensionsFor`). */
export type ExtensionTarget = 'User' | 'Group';

/** How a type's outcome and Settings name its extension values when they cannot be read. */
export const EXTENSION_VALUES_PART = 'directoryExtensionValues';

/**
 * The lookup's permission: Directory.Read.All is both the least and the only application
 * permission listed for getAvailableExtensionProperties:
 * https://learn.microsoft.com/graph/api/directoryobject-getavailableextensionproperties
 */
export const EXTENSION_LOOKUP_PERMISSIONS = ['Directory.Read.All'] as const;

export const EXTENSION_LOOKUP_PATH = '/directoryObjects/getAvailableExtensionProperties';

const EXTENSION_NAME = /^extension_([0-9a-f]{32})_(.+)$/i;

/** Whether a property is a directory extension value (`extension_{32 hex}_{name}`). */
export function isExtensionProperty(name: string): boolean {
  return EXTENSION_NAME.test(name);
}

/** The appId (with dashes, lower-case) of the application defining an extension, or null. */
export function extensionAppId(name: string): string | null {
  const match = EXTENSION_NAME.exec(name);
  if (!match) return null;
  const hex = match[1]!.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The name of the same extension defined by another application: `appIdOf` maps the defining
 * app's appId (with dashes, lower-case) to the appId it has now, or undefined when unchanged. A
 * re-created application gets a new appId, and its re-created extension a new name.
 */
export function renameExtension(name: string, appIdOf: (appId: string) => string | undefined): string {
  const match = EXTENSION_NAME.exec(name);
  const appId = extensionAppId(name);
  if (!match || appId === null) return name;
  const next = appIdOf(appId);
  return next === undefined ? name : `extension_${next.replace(/-/g, '').toLowerCase()}_${match[2]!}`;
}

/** What one run knows about the tenant's directory extensions. */
export type ExtensionResolution =
  | { readonly kind: 'resolved'; readonly names: ReadonlyMap<ExtensionTarget, readonly string[]> }
  | { readonly kind: 'skipped'; readonly reason: string; readonly missingPermissions: readonly string[] };

/**
 * Reads the tenant's directory extension definitions once per run, for every collection that
 * selects extension values: one POST, with an empty body (both extensions synchronised from
 * on-premises and cloud ones). A 403 means the consent lacks Directory.Read.All: the values are
 * skipped, the collections still backed up.
 *
 * Microsoft documents a known issue: the action answers an empty list in tenants with more than
 * 1,000 service principals. Such a tenant's extension values are then not selected (its objects
 * are stored without them) until Microsoft fixes it.
 */
export class DirectoryExtensionLookup {
  private pending: Promise<ExtensionResolution> | undefined;

  constructor(private readonly grantedPermissions: readonly string[] | undefined) {}

  resolve(client: GraphClient, signal: AbortSignal | undefined): Promise<ExtensionResolution> {
    this.pending ??= this.read(client, signal);
    return this.pending;
  }

  private async read(client: GraphClient, signal: AbortSignal | undefined): Promise<ExtensionResolution> {
    const granted = this.grantedPermissions;
    const missing = EXTENSION_LOOKUP_PERMISSIONS.filter((p) => granted !== undefined && !granted.includes(p));
    if (missing.length > 0)
      return {
        kind: 'skipped',
        reason:
          `Directory extension values not backed up (their last captured values are kept): the ` +
          `tenant's consent lacks ${missing.join(', ')}; grant admin consent again in Settings`,
        missingPermissions: missing,
      };
    const options = signal ? { signal } : {};
    let definitions: Record<string, unknown>[];
    try {
      const first = await client.post<{ value?: unknown; '@odata.nextLink'?: unknown }>(
        EXTENSION_LOOKUP_PATH,
        {},
        options,
      );
      definitions = Array.isArray(first?.value) ? [...(first.value as Record<string, unknown>[])] : [];
      const next = first?.['@odata.nextLink'];
      if (typeof next === 'string')
        for await (const page of client.pages<Record<string, unknown>>(next, options)) {
          if (page.restarted) definitions.length = 0;
          definitions.push(...page.items);
        }
    } catch (error) {
      if (
        error instanceof GraphRequestError &&
        error.status === 403 &&
        error.code === 'Authorization_RequestDenied'
      )
        return {
          kind: 'skipped',
          reason:
            `Directory extension values not backed up (their last captured values are kept): ` +
            `Microsoft Graph denied access (Authorization_RequestDenied); the tenant's consent may ` +
            `lack ${EXTENSION_LOOKUP_PERMISSIONS.join(', ')}; grant admin consent again in Settings`,
          missingPermissions: [...EXTENSION_LOOKUP_PERMISSIONS],
        };
      throw error;
    }
    const names = new Map<ExtensionTarget, string[]>([
      ['User', []],
      ['Group', []],
    ]);
    for (const definition of definitions) {
      const name = definition['name'];
      const targets = definition['targetObjects'];
      if (typeof name !== 'string' || !isExtensionProperty(name) || !Array.isArray(targets)) continue;
      for (const [target, list] of names)
        if (targets.includes(target) && !list.includes(name)) list.push(name);
    }
    for (const list of names.values()) list.sort();
    return { kind: 'resolved', names };
  }
}

/**
 * What a collection's stored deltaLink was taken with, kept beside it as `extensionNames.<collection>`:
 * a deltaLink tracks the properties selected when it was issued, so a changed set of extensions
 * makes the run enumerate the collection again instead of replaying it.
 */
export function extensionNamesKey(collection: string): string {
  return `extensionNames.${collection}`;
}

export function extensionNamesState(names: readonly string[]): string {
  return `names:${names.join(',')}`;
}
