import type { ObjectTypeKey } from '@entra-backup/common';
import { Agent, fetch } from 'undici';
import type { CollectionSpec } from '../apps/api/src/modules/exporters/descriptor';
import { withQuery } from '../apps/api/src/modules/exporters/engine';
import { descriptorOf } from '../apps/api/src/modules/exporters/registry';

export interface RawDrainResult {
  readonly ms: number;
  /** Answered requests (pages and batch envelopes), 429 answers not included. */
  readonly requests: number;
  readonly throttled: number;
  readonly throttledWaitMs: number;
  readonly objects: number;
  readonly children: number;
}

export interface RawDrainTarget {
  readonly graphBaseUrl: string;
  readonly loginBaseUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly caCertPem: string;
}

const BATCH = 20;

/**
 * The lower bound of a backup on this machine: the same collections, queries, child lists and
 * BitLocker key reads as the exporter descriptors ask for, fetched by a bare paging loop over the
 * same HTTPS with the engine's type parallelism — no retries beyond waiting out a 429, no
 * storage, no hashing. Its request count is the minimum a client needs (full pages, full batches).
 */
export async function rawDrain(
  target: RawDrainTarget,
  types: readonly ObjectTypeKey[],
  typeConcurrency: number,
): Promise<RawDrainResult> {
  const dispatcher = new Agent({ connect: { ca: target.caCertPem }, connections: 8 });
  const token = await accessToken(target, dispatcher);
  const figures = { requests: 0, throttled: 0, throttledWaitMs: 0, objects: 0, children: 0 };

  const call = async (
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Record<string, unknown>> => {
    for (;;) {
      const response = await fetch(url, {
        method: init.method ?? 'GET',
        dispatcher,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
      });
      const text = await response.text();
      if (response.status === 429) {
        const wait = Number(response.headers.get('retry-after') ?? '1') * 1000;
        figures.throttled += 1;
        figures.throttledWaitMs += wait;
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      figures.requests += 1;
      if (!response.ok)
        throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
      return JSON.parse(text) as Record<string, unknown>;
    }
  };

  /** One $batch envelope per 20 GETs; 429 items are sent again after their Retry-After. */
  const batch = async (version: string, urls: string[]): Promise<unknown[]> => {
    const results: unknown[] = new Array(urls.length);
    let pending = urls.map((url, index) => ({ url, index }));
    while (pending.length > 0) {
      const body = JSON.stringify({
        requests: pending.map((p, i) => ({ id: String(i), method: 'GET', url: p.url })),
      });
      const envelope = await call(`${target.graphBaseUrl}/${version}/$batch`, { method: 'POST', body });
      const retry: typeof pending = [];
      let wait = 0;
      for (const item of envelope['responses'] as Array<{
        id: string;
        status: number;
        headers?: Record<string, string>;
        body?: unknown;
      }>) {
        const request = pending[Number(item.id)]!;
        if (item.status === 429) {
          retry.push(request);
          wait = Math.max(
            wait,
            Number(item.headers?.['Retry-After'] ?? item.headers?.['retry-after'] ?? '1') * 1000,
          );
        } else if (item.status >= 400) {
          throw new Error(`batch item ${request.url}: HTTP ${item.status}`);
        } else {
          results[request.index] = item.body;
        }
      }
      if (retry.length > 0) {
        figures.throttled += retry.length;
        figures.throttledWaitMs += wait;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      pending = retry;
    }
    return results;
  };

  const drainCollection = async (type: ObjectTypeKey, spec: CollectionSpec): Promise<void> => {
    const delta = spec.delta?.enumerateWithDelta ? spec.delta : undefined;
    const path = delta
      ? withQuery(delta.path, { $select: delta.select.join(',') })
      : withQuery(spec.path, listQuery(spec));
    const headers: Record<string, string> = delta ? { prefer: `odata.maxpagesize=${delta.maxPageSize}` } : {};
    let url: string | undefined = `${target.graphBaseUrl}/${spec.version}${path}`;
    while (url !== undefined) {
      const page = await call(url, { headers });
      const items = (page['value'] as Array<{ id: string }>) ?? [];
      figures.objects += items.length;
      const children = spec.children ?? [];
      const childUrls = items.flatMap((item) =>
        children.map((child) => withQuery(child.path(encodeURIComponent(item.id)), childQuery(child))),
      );
      for (let start = 0; start < childUrls.length; start += BATCH) {
        const bodies = await batch(spec.version, childUrls.slice(start, start + BATCH));
        for (const body of bodies) {
          let list = body as { value?: unknown[]; '@odata.nextLink'?: string } | undefined;
          figures.children += (list?.value ?? []).length;
          // Long child lists (big groups) continue through their nextLink, as the engine follows them.
          while (typeof list?.['@odata.nextLink'] === 'string') {
            list = (await call(list['@odata.nextLink'])) as typeof list;
            figures.children += (list?.value ?? []).length;
          }
        }
      }
      if (type === 'bitlockerKeys') {
        const keyUrls = items.map((item) => `${spec.path}/${encodeURIComponent(item.id)}?$select=key`);
        for (let start = 0; start < keyUrls.length; start += BATCH)
          await batch(spec.version, keyUrls.slice(start, start + BATCH));
      }
      const next = page['@odata.nextLink'];
      url = typeof next === 'string' ? next : undefined;
    }
  };

  const started = performance.now();
  // Scheduled as the engine does: log types one after another beside the directory types (they
  // share the reports limit), the directory types `typeConcurrency` at a time.
  const isLog = (type: ObjectTypeKey) => descriptorOf(type).collections.some((c) => c.log);
  const drainType = async (type: ObjectTypeKey): Promise<void> => {
    for (const spec of descriptorOf(type).collections) await drainCollection(type, spec);
  };
  const queue = types.filter((type) => !isLog(type));
  const logs = async (): Promise<void> => {
    for (const type of types.filter(isLog)) await drainType(type);
  };
  await Promise.all([
    logs(),
    ...Array.from({ length: Math.min(typeConcurrency, queue.length) }, async () => {
      for (let type = queue.shift(); type !== undefined; type = queue.shift()) await drainType(type);
    }),
  ]);
  const ms = performance.now() - started;
  await dispatcher.close();
  return { ms: Math.round(ms), ...figures };
}

function listQuery(spec: CollectionSpec): Record<string, string> {
  const query: Record<string, string> = {};
  if (spec.select) query['$select'] = spec.select.join(',');
  if (spec.filter) query['$filter'] = spec.filter;
  if (spec.expand && !spec.delta) query['$expand'] = spec.expand;
  if (spec.supportsTop) query['$top'] = String(spec.pageSize);
  return query;
}

function childQuery(child: NonNullable<CollectionSpec['children']>[number]): Record<string, string> {
  const query: Record<string, string> = {};
  if (child.select) query['$select'] = child.select.join(',');
  if (child.expand) query['$expand'] = child.expand;
  if (child.top !== undefined) query['$top'] = String(child.top);
  return query;
}

/** An app-only Graph token (client credentials) for the target tenant. */
export async function accessToken(
  target: Pick<RawDrainTarget, 'loginBaseUrl' | 'tenantId' | 'clientId' | 'clientSecret'>,
  dispatcher: Agent,
): Promise<string> {
  const response = await fetch(`${target.loginBaseUrl}/${target.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: target.clientId,
      client_secret: target.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
  });
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (!response.ok || body.access_token === undefined)
    throw new Error(`token request failed: ${body.error_description ?? response.status}`);
  return body.access_token;
}
