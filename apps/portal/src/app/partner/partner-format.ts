import { type ConsentHealth, STALE_BACKUP_HOURS, type PartnerTenantRow } from '@entra-backup/common';

/** How the dashboard shows a tenant's consent health: an icon, a word and a tone (never colour alone). */
export function consentLook(consent: ConsentHealth): { icon: string; label: string; tone: string } {
  switch (consent.state) {
    case 'ok':
      return { icon: 'verified_user', label: 'Granted', tone: 'ok' };
    case 'missing':
      return {
        icon: 'gpp_maybe',
        label: `${consent.missing.length} ${consent.missing.length === 1 ? 'permission' : 'permissions'} missing`,
        tone: 'warn',
      };
    case 'revoked':
      return { icon: 'gpp_bad', label: 'Revoked', tone: 'error' };
    case 'none':
      return { icon: 'gpp_bad', label: 'Not granted', tone: 'error' };
  }
}

/** "less than an hour ago", "5 h ago", "3 days ago". */
export function formatAge(hours: number): string {
  if (hours < 1) return 'less than an hour ago';
  if (hours < 48) return `${Math.floor(hours)} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** The last backup finished longer ago than the dashboard's "stale" filter allows (or never). */
export function isStale(row: PartnerTenantRow): boolean {
  const age = row.lastBackup?.ageHours ?? null;
  return age === null || age > STALE_BACKUP_HOURS;
}
