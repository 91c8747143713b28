const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_FIRST = /^\/[^/]+\/(oauth2|v2\.0|discovery|adminconsent)(\/|$)/;

/**
 * Turns a request path into a template for counters and fault rules: ids (GUIDs, UPNs, long opaque
 * segments, key segments such as `users('...')`) become `{id}`; the tenant of identity paths becomes `{tenant}`.
 * `/v1.0/users/0b1c.../memberOf` -> `/v1.0/users/{id}/memberOf`.
 */
export function pathTemplate(path: string): string {
  const clean = path.split('?')[0] ?? path;
  if (TENANT_FIRST.test(clean) && !clean.startsWith('/common/discovery/')) {
    return clean.replace(/^\/[^/]+/, '/{tenant}');
  }
  return clean
    .split('/')
    .map((segment) => {
      if (segment === '') return segment;
      const keyed = /^([A-Za-z]+)\(.+\)$/.exec(segment);
      if (keyed) return `${keyed[1]}({id})`;
      if (isId(decodeSafe(segment))) return '{id}';
      return segment;
    })
    .join('/');
}

function isId(segment: string): boolean {
  if (GUID.test(segment)) return true;
  if (segment.includes('@')) return true;
  if (segment.startsWith('$') || segment.startsWith('microsoft.graph.')) return false;
  // Long opaque ids (Intune, sign-in ids with suffixes) mix digits with letters; path words never contain digits
  // except API versions.
  return segment.length >= 16 && /\d/.test(segment) && !/^v\d/.test(segment);
}

function decodeSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
