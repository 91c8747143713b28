const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where to send a browser that opened the service under another loopback name than its public
 * URL (http://127.0.0.1:3000 when the public URL is http://localhost:3000, or the reverse): to
 * the same path at the public URL, because the sign-in's state lives in a cookie of the host the
 * browser started on, while Microsoft sends it back to the public URL's redirect URI. Only loopback
 * aliases on the same port are redirected: any other Host (a proxy that rewrites it, a test
 * client) is left alone, so a misconfigured proxy can never cause a redirect loop.
 * @returns the absolute URL to redirect to, or undefined to carry on here
 */
export function publicUrlRedirect(
  publicUrl: string,
  hostHeader: string | undefined,
  path: string,
): string | undefined {
  if (hostHeader === undefined || hostHeader === '') return undefined;
  let requested: URL;
  let target: URL;
  try {
    target = new URL(publicUrl);
    requested = new URL(`${target.protocol}//${hostHeader}`);
  } catch {
    return undefined;
  }
  const sameServerOtherName =
    LOOPBACK_HOSTS.has(target.hostname) &&
    LOOPBACK_HOSTS.has(requested.hostname) &&
    requested.hostname !== target.hostname &&
    requested.port === target.port;
  return sameServerOtherName ? `${publicUrl.replace(/\/+$/, '')}${path}` : undefined;
}
