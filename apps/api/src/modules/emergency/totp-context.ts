/** Binds a sealed TOTP secret to its account, so a sealed value copied to another row fails to open. */
export function totpSecretContext(accountId: string): string {
  return `entra-backup/break-glass-totp/${accountId}`;
}
