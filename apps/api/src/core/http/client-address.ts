import type { Request } from 'express';

/**
 * The caller's network address for the audit trail and key usage. An IPv4 client of a dual-stack
 * socket arrives as `::ffff:203.0.113.7`; it is recorded as the IPv4 address it is.
 */
export function clientAddress(request: Request): string | null {
  const raw = request.ip ?? request.socket?.remoteAddress ?? null;
  if (raw === null) return null;
  return raw.startsWith('::ffff:') && raw.includes('.') ? raw.slice('::ffff:'.length) : raw;
}
