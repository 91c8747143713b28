import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type ReconciliationPolicy,
  type UpdateReconciliationPolicyRequest,
  reconciliationPolicySchema,
} from '@entra-backup/common';
import { type Observable, map } from 'rxjs';

export const reconciliationUrl = (tenantId: string) =>
  `/api/tenants/${encodeURIComponent(tenantId)}/settings/reconciliation`;

/** How often the tenant's backup is a full read that reports drift; idle while the tenant is undefined. */
export function reconciliationResource(
  tenantId: Signal<string | undefined>,
): HttpResourceRef<ReconciliationPolicy | undefined> {
  return httpResource(
    () => {
      const id = tenantId();
      return id === undefined ? undefined : reconciliationUrl(id);
    },
    { parse: (raw) => reconciliationPolicySchema.parse(raw) },
  );
}

@Injectable({ providedIn: 'root' })
export class ReconciliationApi {
  private readonly http = inject(HttpClient);

  setEveryDays(tenantId: string, everyDays: number): Observable<ReconciliationPolicy> {
    const body: UpdateReconciliationPolicyRequest = { everyDays };
    return this.http
      .put<unknown>(reconciliationUrl(tenantId), body)
      .pipe(map((raw) => reconciliationPolicySchema.parse(raw)));
  }
}
