import type { Json } from '../directory/object-collection';
import type { TenantDirectory } from '../directory/tenant-directory';
import { extensionName, tenantExtensionProperties } from './routes/application-children.routes';
import { badRequest, isExtensionName } from './odata';

export { isExtensionName };

/**
 * Directory extension values on users and groups. Graph returns a value only when `$select` names
 * its extension (`extension_{appId without dashes}_{name}`), on lists, single GETs and delta
 * queries alike, and only while the extension is defined (an application that is deleted takes
 * its extensions' values with it; restored from the recycle bin, it brings them back). Values are
 * written with the object's own PATCH; `null` removes one.
 * https://learn.microsoft.com/graph/extensibility-overview#directory-microsoft-entra-id-extensions
 * https://learn.microsoft.com/graph/api/resources/extensionproperty
 */

export type ExtensionCollection = 'users' | 'groups';

/** Random streams of the generated values (the generator's code range 75-79). */
export const EXTENSION_VALUES_CODE = 75;

const TARGETS: Record<ExtensionCollection, string> = { users: 'User', groups: 'Group' };
const TYPE_NAMES: Record<ExtensionCollection, string> = { users: 'User', groups: 'Group' };

/** Per tenant, per object id: the values written or generated (generated on first use). */
const stores = new WeakMap<TenantDirectory, Map<string, Json>>();

/** The application of the seed that defines the generated extensions (`definesGeneratedExtensions`). */
const DEFINING_APP_ORDINAL = 1;

/** Cloud-only users whose ordinal is 2 modulo 4 carry a cost centre; groups whose ordinal is divisible by 3 a project code. */
function generated(tenant: TenantDirectory, collection: ExtensionCollection, id: string): Json {
  const ordinal = tenant.collection(collection).ordinalOf(id);
  if (ordinal === undefined || tenant.createdAtOf(id) !== undefined) return {};
  if (tenant.gen.counts.applications <= DEFINING_APP_ORDINAL) return {};
  const appId = String(tenant.gen.generate('applications', DEFINING_APP_ORDINAL)['appId']);
  const rng = tenant.gen.rng(EXTENSION_VALUES_CODE, ordinal, collection === 'users' ? 0 : 1);
  if (collection === 'users' && ordinal % 4 === 2)
    return { [extensionName(appId, 'costCenter')]: `CC-${1000 + rng.int(9000)}` };
  if (collection === 'groups' && ordinal % 3 === 0)
    return { [extensionName(appId, 'projectCode')]: `PRJ-${String(rng.int(100_000)).padStart(5, '0')}` };
  return {};
}

function storedValues(tenant: TenantDirectory, collection: ExtensionCollection, id: string): Json {
  let store = stores.get(tenant);
  if (!store) stores.set(tenant, (store = new Map()));
  const key = id.toLowerCase();
  let values = store.get(key);
  if (!values) store.set(key, (values = generated(tenant, collection, key)));
  return values;
}

/** The extensions defined now for a collection's objects, by name (lower-case). */
export function definedExtensions(
  tenant: TenantDirectory,
  collection: ExtensionCollection,
): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const definition of tenantExtensionProperties(tenant)) {
    const targets = definition['targetObjects'];
    if (Array.isArray(targets) && targets.includes(TARGETS[collection]))
      out.set(String(definition['name']).toLowerCase(), definition);
  }
  return out;
}

/** The values an object carries for extensions defined now. */
export function extensionValuesOf(tenant: TenantDirectory, collection: ExtensionCollection, obj: Json): Json {
  const values = storedValues(tenant, collection, String(obj['id']));
  const names = Object.keys(values);
  if (names.length === 0) return {};
  const defined = definedExtensions(tenant, collection);
  return Object.fromEntries(names.filter((n) => defined.has(n.toLowerCase())).map((n) => [n, values[n]]));
}

/** The object with its extension values when `select` names any extension (projection picks them). */
export function withExtensionValues(
  tenant: TenantDirectory,
  collection: ExtensionCollection,
  obj: Json,
  select: readonly string[] | undefined,
): Json {
  if (!select?.some(isExtensionName)) return obj;
  return { ...obj, ...extensionValuesOf(tenant, collection, obj) };
}

/** The extension values in a write body, after checking them against their definitions; removed from `body`. */
export function takeExtensionValues(
  tenant: TenantDirectory,
  collection: ExtensionCollection,
  body: Json,
): Json {
  const names = Object.keys(body).filter(isExtensionName);
  if (names.length === 0) return {};
  const defined = definedExtensions(tenant, collection);
  const out: Json = {};
  for (const name of names) {
    const definition = defined.get(name.toLowerCase());
    // An extension that is not defined (or not for this type) is an unknown property.
    if (!definition)
      throw badRequest(
        `Property '${name}' does not exist on type 'microsoft.graph.${collection.slice(0, -1)}'.`,
      );
    const value = body[name];
    if (value !== null && !validValue(definition, value))
      throw badRequest(
        `Invalid value specified for property '${name}' of resource '${TYPE_NAMES[collection]}'.`,
      );
    out[String(definition['name'])] = value;
    delete body[name];
  }
  return out;
}

/** Stores checked values on an object (null removes one). */
export function writeExtensionValues(
  tenant: TenantDirectory,
  collection: ExtensionCollection,
  id: string,
  values: Json,
): void {
  const stored = storedValues(tenant, collection, id);
  for (const [name, value] of Object.entries(values)) {
    if (value === null) delete stored[name];
    else stored[name] = value;
  }
}

/**
 * Values must match the definition's `dataType` (String and Binary at most 256 characters/bytes,
 * Integer 32-bit); a multi-valued extension takes a collection of such values.
 * https://learn.microsoft.com/graph/api/resources/extensionproperty
 */
function validValue(definition: Json, value: unknown): boolean {
  if (definition['isMultiValued'] === true)
    return Array.isArray(value) && value.length > 0 && value.every((v) => validScalar(definition, v));
  return validScalar(definition, value);
}

function validScalar(definition: Json, value: unknown): boolean {
  switch (definition['dataType']) {
    case 'String':
      return typeof value === 'string' && value.length <= 256;
    case 'Binary':
      return typeof value === 'string' && Buffer.from(value, 'base64').length <= 256;
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Integer':
      return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31;
    case 'LargeInteger':
      return Number.isSafeInteger(value);
    case 'DateTime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    default:
      return false;
  }
}
