import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import { type AuditPage, auditPageSchema } from '@entra-backup/common';
import { type Observable, map } from 'rxjs';

/** What the page filters on (the API's filters, as the form holds them). */
export interface AuditFilterForm {
  /** A category key (`backup`) or empty for all. */
  readonly category: string;
  readonly actor: string;
  readonly outcome: '' | 'success' | 'refused' | 'failed';
  /** `YYYY-MM-DD` (the day, in the browser's time zone) or empty. */
  readonly from: string;
  readonly to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterForm = { category: '', actor: '', outcome: '', from: '', to: '' };

export const auditUrl = (tenantId: string) => `/api/tenants/${encodeURIComponent(tenantId)}/audit`;

/** The query parameters of a filter: only what is set; days become instants (`to` is the day after). */
export function auditQueryOf(filter: AuditFilterForm): Record<string, string> {
  const query: Record<string, string> = {};
  if (filter.category !== '') query['action'] = `${filter.category}.*`;
  if (filter.actor.trim() !== '') query['actor'] = filter.actor.trim();
  if (filter.outcome !== '') query['outcome'] = filter.outcome;
  const from = startOfDay(filter.from, 0);
  const to = startOfDay(filter.to, 1);
  if (from !== undefined) query['from'] = from;
  if (to !== undefined) query['to'] = to;
  return query;
}

/** The download link of the filtered log (`audit.csv` or `audit.json`). */
export function auditDownloadUrl(tenantId: string, format: 'csv' | 'json', filter: AuditFilterForm): string {
  const query = new URLSearchParams(auditQueryOf(filter)).toString();
  return `${auditUrl(tenantId)}.${format}${query === '' ? '' : `?${query}`}`;
}

/** The first page of the filtered log; idle while the tenant is undefined. */
export function auditFirstPageResource(
  tenantId: Signal<string | undefined>,
  filter: Signal<AuditFilterForm>,
): HttpResourceRef<AuditPage | undefined> {
  return httpResource(
    () => {
      const id = tenantId();
      return id === undefined ? undefined : { url: auditUrl(id), params: auditQueryOf(filter()) };
    },
    { parse: (raw) => auditPageSchema.parse(raw) },
  );
}

/** Further pages of the log, by cursor. */
@Injectable({ providedIn: 'root' })
export class AuditApi {
  private readonly http = inject(HttpClient);

  nextPage(tenantId: string, filter: AuditFilterForm, cursor: string): Observable<AuditPage> {
    const params: Record<string, string> = { ...auditQueryOf(filter), cursor };
    return this.http
      .get<unknown>(auditUrl(tenantId), { params })
      .pipe(map((raw) => auditPageSchema.parse(raw)));
  }
}

/** Midnight of a `YYYY-MM-DD` day (plus `days`) in the browser's time zone, as an instant. */
function startOfDay(day: string, days: number): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
