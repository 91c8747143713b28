import type { IdMapping } from '../../../persistence/repositories/restore.repository';
import { renameExtension } from '../../exporters/directory-extensions';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Old ids → new ids of the objects a restore re-created (and old → new `appId`s of re-created
 * applications). Rewrites every occurrence in a request body, wherever the reference sits
 * (a Conditional Access condition, `requiredResourceAccess`, an Intune assignment target,
 * `identifierUris` like `api://{appId}`): Graph ids are GUIDs, so a match is a reference. Directory
 * extension values are renamed too: `extension_{appId without dashes}_{name}` of a re-created
 * application is `extension_{its new appId without dashes}_{name}`.
 */
export class IdRewriter {
  private readonly map = new Map<string, string>();

  load(mappings: readonly IdMapping[]): void {
    for (const m of mappings) this.map.set(m.oldId.toLowerCase(), m.newId);
  }

  get size(): number {
    return this.map.size;
  }

  /** The target's id of a source id (unchanged when it was not re-created). */
  id(oldId: string): string {
    return this.map.get(oldId.toLowerCase()) ?? oldId;
  }

  rewrite(value: unknown): unknown {
    if (this.map.size === 0) return value;
    if (typeof value === 'string')
      return value.replace(GUID, (guid) => this.map.get(guid.toLowerCase()) ?? guid);
    if (Array.isArray(value)) return value.map((v) => this.rewrite(v));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          renameExtension(k, (appId) => this.map.get(appId)),
          this.rewrite(v),
        ]),
      );
    return value;
  }

  entries(): Array<[string, string]> {
    return [...this.map.entries()];
  }
}
