/** A tenant-wide admin consent given through the emulated consent page. */
export interface ConsentRecord {
  tenantId: string;
  clientId: string;
  appDisplayName: string;
  appRoles: string[];
  consentedBy: { id: string; userPrincipalName: string };
  consentedAt: string;
}

/** Admin consents given since the last reset, newest last. */
export class ConsentLog {
  private readonly records: ConsentRecord[] = [];

  add(record: ConsentRecord): void {
    this.records.push(record);
  }

  has(tenantId: string, clientId: string): boolean {
    return this.records.some((r) => r.tenantId === tenantId && r.clientId === clientId.toLowerCase());
  }

  list(): ConsentRecord[] {
    return this.records.map((r) => ({ ...r, appRoles: [...r.appRoles] }));
  }

  clear(): void {
    this.records.length = 0;
  }
}
