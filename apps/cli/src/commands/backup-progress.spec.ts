import type { BackupProgressEvent, BackupRunSummary } from '@entra-backup/common';
import type { CliIo } from '../cli-io';
import { createProgressView, LineProgress, renderSkippedCollections } from './backup-progress';

const RUN = 'run-1';
const AT = '2026-11-26T08:00:00.000Z';

function captured(isTTY: boolean): { io: CliIo; text: () => string } {
  let text = '';
  const stream = { isTTY, columns: 120, write: (chunk: string) => ((text += chunk), true), on: () => stream };
  return { io: { stdout: { write: () => true }, stderr: stream }, text: () => text };
}

const events: BackupProgressEvent[] = [
  { kind: 'run-started', runId: RUN, tenantId: 't', mode: 'full', types: ['users', 'groups'], at: AT },
  { kind: 'type-started', runId: RUN, type: 'users', at: AT },
  { kind: 'type-progress', runId: RUN, type: 'users', collection: 'users', pages: 1, read: 999, at: AT },
  { kind: 'type-progress', runId: RUN, type: 'users', collection: 'users', pages: 2, read: 1500, at: AT },
  { kind: 'type-finished', runId: RUN, type: 'users', status: 'succeeded', read: 1500, at: AT },
  {
    kind: 'type-finished',
    runId: RUN,
    type: 'groups',
    status: 'skipped',
    reason: 'No licence',
    read: 0,
    at: AT,
  },
];

describe(LineProgress.name, () => {
  it('writes a line per start and finish, and at most one progress line per type every 5 seconds', () => {
    const { io, text } = captured(false);
    let now = 0;
    const sut = createProgressView(io, {}, () => now);

    for (const event of events) {
      now += 3_000;
      sut.handle(event);
    }
    sut.stop();

    expect(text().split('\n')).toEqual([
      'backup run-1 (full) started: users, groups',
      'users: started',
      // 3 s after the start: too soon; 6 s after it: shown.
      // Issue #10: live figures are what was read from Graph, not the snapshot's objects.
      'users: 1500 read from Graph so far, 2 pages (users)',
      'users: succeeded, 1500 read from Graph',
      'groups: skipped, 0 read from Graph (No licence)',
      '',
    ]);
  });
});

describe('final figures', () => {
  it("prints the snapshot's objects per type when the run ends, not the figures read", () => {
    const { io, text } = captured(false);
    const sut = createProgressView(io, {});
    sut.handle({
      kind: 'run-finished',
      runId: RUN,
      at: AT,
      summary: {
        runId: RUN,
        snapshotId: 'snap',
        status: 'completed',
        mode: 'incremental',
        trigger: 'cli',
        actor: 'cli:me',
        counts: { users: 250, builtInRoles: 36 },
        types: {
          users: { status: 'succeeded', objects: 250, added: 1, changed: 0, removed: 0, requests: 1 },
          builtInRoles: {
            status: 'succeeded',
            objects: 36,
            added: 0,
            changed: 0,
            removed: 0,
            requests: 2,
            related: [{ collection: 'roleAssignments', objects: 20, added: 0, changed: 0, removed: 0 }],
          },
        },
        requests: 3,
        retries: 0,
        throttledWaits: 0,
        throttledWaitMs: 0,
        bytesStored: 0,
        durationMs: 10,
        startedAt: AT,
        finishedAt: AT,
      },
    });
    expect(text()).toBe(
      'backup run-1 completed: users 250 objects, builtInRoles 36 objects (+ 20 role assignments)\n',
    );
  });
});

describe('terminal progress', () => {
  it('draws one bar per type with its object count and state', () => {
    const { io, text } = captured(true);
    const sut = createProgressView(io, { users: 1000 });

    for (const event of events) sut.handle(event);
    sut.stop();

    const screen = text();
    expect(screen).toMatch(/users\s+\|[█░]+\| 1500 read succeeded/);
    expect(screen).toMatch(/groups\s*\|[█░]+\| 0 read skipped/);
  });
});

describe(renderSkippedCollections.name, () => {
  const summary = (
    skippedCollections?: Array<{ collection: string; reason: string; missingPermissions: string[] }>,
  ) =>
    ({
      types: {
        users: {
          status: 'succeeded',
          objects: 3,
          added: 0,
          changed: 0,
          removed: 0,
          requests: 2,
          ...(skippedCollections ? { skippedCollections } : {}),
        },
      },
    }) as unknown as BackupRunSummary;

  it('names each collection not captured with its reason', () => {
    const reason =
      "Not backed up: the tenant's consent lacks UserAuthenticationMethod.Read.All; grant admin consent again in Settings";
    expect(
      renderSkippedCollections(
        summary([
          {
            collection: 'authenticationMethods',
            reason,
            missingPermissions: ['UserAuthenticationMethod.Read.All'],
          },
        ]),
      ),
    ).toBe(
      `Not captured in this snapshot (their previous state is kept):\n  users authentication methods: ${reason}\n`,
    );
  });

  it('prints nothing when every collection was read', () => {
    expect(renderSkippedCollections(summary())).toBe('');
  });
});
