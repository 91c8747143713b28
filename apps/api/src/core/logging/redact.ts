export const REDACTED = '[redacted]';

/** Field names whose values never reach a log: credentials, tokens, cookies, secrets. */
const SENSITIVE_KEY =
  /secret|token|password|passwd|passphrase|private[-_]?key|authorization|cookie|api[-_]?key|credential/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` with every sensitive field replaced, at any depth. Only plain objects and
 * arrays are walked (class instances such as requests are handled by their serializers).
 */
export function redactSensitive<T>(value: T, depth = 0): T {
  if (depth > 10) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => redactSensitive(item, depth + 1)) as T;
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] = isSensitiveKey(key) ? REDACTED : redactSensitive(inner, depth + 1);
  }
  return copy as T;
}

/** Path segments that are secrets themselves: the token of an onboarding link (`/onboarding/<token>`). */
const SECRET_PATH_SEGMENT = /(\/onboarding\/)[^/?#]+/g;

/**
 * Query parameters that carry secrets or sign-in material: the OIDC authorization `code`,
 * `state` and `session_state` of the sign-in callback, the consent callback's `state`, the PKCE
 * and nonce values of the redirect to Microsoft, tokens, assertions and client secrets.
 */
const SECRET_QUERY_NAMES = [
  'code',
  'state',
  'session_state',
  'nonce',
  'code_verifier',
  'code_challenge',
  'token',
  'id_token',
  'access_token',
  'refresh_token',
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
];
const SECRET_QUERY_NAME = new Set(SECRET_QUERY_NAMES);
const SECRET_QUERY_PARAMETER = new RegExp(`([?&](?:${SECRET_QUERY_NAMES.join('|')})=)[^&#]*`, 'gi');

function isSecretQueryName(name: string): boolean {
  return SECRET_QUERY_NAME.has(name.toLowerCase()) || isSensitiveKey(name);
}

/** A URL fit for the log (a request's, a redirect's): secret path segments and query parameters replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PATH_SEGMENT, `$1${REDACTED}`).replace(SECRET_QUERY_PARAMETER, `$1${REDACTED}`);
}

/** A parsed query (Express `req.query`) fit for the log: the same parameters as `redactUrl` replaced. */
export function redactQuery(query: unknown): unknown {
  if (!isPlainObject(query)) return query;
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    copy[name] = isSecretQueryName(name) ? REDACTED : value;
  }
  return copy;
}
