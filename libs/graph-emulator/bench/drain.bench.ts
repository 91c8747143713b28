/**
 * Serves a 100,000-user tenant and measures: tenant creation time, first page of
 * /v1.0/users?$top=999, a full drain of all users, a groups delta round with members, and peak RSS.
 * Prints one JSON line.
 * Run: `npm run bench:emulator` (or `npx tsx libs/graph-emulator/bench/drain.bench.ts [users]`).
 */
import express from 'express';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createWorld } from '../src/directory/world';
import { createGraphRouter } from '../src/graph/graph-router';
import type { GraphRequestContext } from '../src/shared/graph-context';
import { AdjustableClock } from '../src/shared/world-port';

async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 100_000);
  const clock = new AdjustableClock();
  const t0 = performance.now();
  const world = createWorld({ seed: 1, tenants: 1, usersPerTenant: users, clock });
  const createMs = performance.now() - t0;
  const tenantId = world.listTenants()[0]!.tenantId;
  const app = express();
  app.use(
    '/v1.0',
    (_req, res, next) => {
      const ctx: GraphRequestContext = {
        tenantId,
        appId: 'bench',
        kind: 'app',
        roles: ['User.Read.All', 'Group.Read.All'],
        scopes: [],
        requestId: randomUUID(),
        version: 'v1.0',
      };
      res.locals['graph'] = ctx;
      next();
    },
    createGraphRouter(world),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const first = performance.now();
  let res = await fetch(`${base}/v1.0/users?$top=999`);
  let body = (await res.json()) as { value: unknown[]; '@odata.nextLink'?: string };
  const firstPageMs = performance.now() - first;
  let count = body.value.length;
  let pages = 1;
  const drainStart = performance.now();
  while (body['@odata.nextLink']) {
    const next = new URL(body['@odata.nextLink']);
    res = await fetch(`${base}${next.pathname}${next.search}`);
    body = (await res.json()) as typeof body;
    count += body.value.length;
    pages++;
  }
  const drainMs = performance.now() - drainStart + firstPageMs;
  // The same first page again, in a warmed-up process (the cold figure includes JIT and module warm-up).
  const warm = performance.now();
  await (await fetch(`${base}/v1.0/users?$top=999`)).json();
  const warmFirstPageMs = performance.now() - warm;
  // Group memberships through delta, the way a backup reads them.
  const groupsStart = performance.now();
  let memberships = 0;
  let groupUrl: string | undefined = `${base}/v1.0/groups/delta?$select=displayName,members`;
  while (groupUrl) {
    const page = (await (await fetch(groupUrl, { headers: { Prefer: 'odata.maxpagesize=999' } })).json()) as {
      value: Array<{ 'members@delta': unknown[] }>;
      '@odata.nextLink'?: string;
    };
    for (const g of page.value) memberships += g['members@delta'].length;
    groupUrl = page['@odata.nextLink']
      ? `${base}${new URL(page['@odata.nextLink']).pathname}${new URL(page['@odata.nextLink']).search}`
      : undefined;
  }
  const groupDeltaMs = performance.now() - groupsStart;
  clearInterval(sample);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  server.close();
  process.stdout.write(
    `${JSON.stringify({ users, tenantCreateMs: Math.round(createMs), firstPageMs: Math.round(firstPageMs), warmFirstPageMs: Math.round(warmFirstPageMs), drainMs: Math.round(drainMs), pages, drained: count, groupDeltaMs: Math.round(groupDeltaMs), memberships, peakRssMb: Math.round(peakRss / 1048576) })}\n`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
