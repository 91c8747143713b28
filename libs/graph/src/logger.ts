/** Logging port of the Graph library. Messages carry no tokens, secrets or request bodies. */
export interface GraphLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
}

export const silentGraphLogger: GraphLogger = {
  debug: () => undefined,
  warn: () => undefined,
};

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Copy of `headers` safe to log: credentials are replaced by a marker. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? '[redacted]' : value;
  }
  return out;
}
