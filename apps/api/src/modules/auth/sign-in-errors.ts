/**
 * Turns an OAuth error redirect (`error`, `error_description`) into plain words for the portal.
 * Microsoft's descriptions start with an AADSTS code and end with trace and correlation ids;
 * we keep the sentence and the code (admins search for it) and drop the ids.
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export function describeIdentityError(error: string, description: string | undefined): string {
  const firstLine = (description ?? '').split(/\r?\n/)[0]?.trim() ?? '';
  const match = /^(AADSTS\d+):\s*(.*)$/.exec(firstLine);
  const text = (match ? match[2] : firstLine)?.trim() ?? '';
  const code = match?.[1];
  const sentence = text !== '' ? text : (FRIENDLY[error] ?? `Microsoft answered "${error}".`);
  return code ? `${sentence} (${code})` : sentence;
}

const FRIENDLY: Record<string, string> = {
  access_denied: 'The request was declined.',
  consent_required: 'Consent was not given.',
  invalid_request: 'Microsoft rejected the request as invalid.',
  server_error: 'Microsoft had a temporary problem; please try again.',
  temporarily_unavailable: 'Microsoft is temporarily unavailable; please try again.',
};
