import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionData } from 'express-session';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type { AuthSessionRepository } from '../../persistence/repositories/auth-session.repository';
import { loadSessionSecret, SESSION_SECRET_FILE } from './session-secret';
import { DatabaseSessionStore, hashSessionId } from './session-store';

const NOW = new Date('2026-11-26T08:00:00.000Z');

describe(DatabaseSessionStore.name, () => {
  let sut: DatabaseSessionStore;
  let sessions: jest.Mocked<AuthSessionRepository>;

  beforeEach(() => {
    sessions = strictDouble<AuthSessionRepository>('AuthSessionRepository');
    sut = new DatabaseSessionStore(sessions, new FixedClock(NOW));
  });

  const call = <T>(fn: (cb: (err: unknown, value?: T) => void) => void) =>
    new Promise<T | undefined>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

  const USER = {
    tenantId: 't',
    objectId: 'o',
    name: 'Adele',
    upn: 'adele@contoso.com',
    wids: [],
    roles: ['Global Administrator'],
    evidence: 'wids',
    checkedAt: NOW.getTime(),
  } as const;

  it('stores a signed-in session under the hash of its id, until the cookie expires', async () => {
    sessions.save.mockResolvedValue();
    const expires = new Date(NOW.getTime() + 3600_000);
    const data = {
      cookie: { expires, originalMaxAge: 3600_000 },
      csrfToken: 't',
      user: USER,
    } as unknown as SessionData;

    await call((cb) => sut.set('sid-1', data, cb));

    expect(sessions.save).toHaveBeenCalledWith(hashSessionId('sid-1'), JSON.stringify(data), expires);
    expect(hashSessionId('sid-1')).not.toContain('sid-1');
  });

  it('keeps a sign-in in progress (no one signed in yet) for 10 minutes only, on saves and touches', async () => {
    sessions.save.mockResolvedValue();
    sessions.extend.mockResolvedValue();
    const expires = new Date(NOW.getTime() + 8 * 3600_000);
    const pending = {
      cookie: { expires, originalMaxAge: 8 * 3600_000 },
      oidc: { state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/', createdAt: NOW.getTime() },
    } as unknown as SessionData;

    await call((cb) => sut.set('sid-1', pending, cb));
    await call((cb) => sut.touch('sid-1', pending, cb));

    const tenMinutesOn = new Date(NOW.getTime() + 10 * 60_000);
    expect(sessions.save).toHaveBeenCalledWith(hashSessionId('sid-1'), JSON.stringify(pending), tenMinutesOn);
    expect(sessions.extend).toHaveBeenCalledWith(hashSessionId('sid-1'), tenMinutesOn);
  });

  it('reads live sessions by the hash and reports none for unknown ids', async () => {
    sessions.findLive.mockResolvedValueOnce(JSON.stringify({ csrfToken: 't' })).mockResolvedValueOnce(null);

    await expect(call((cb) => sut.get('sid-1', cb))).resolves.toEqual({ csrfToken: 't' });
    await expect(call((cb) => sut.get('sid-2', cb))).resolves.toBeNull();
    expect(sessions.findLive).toHaveBeenCalledWith(hashSessionId('sid-1'), NOW);
  });

  it('passes database errors to express-session', async () => {
    sessions.delete.mockRejectedValue(new Error('database is locked'));

    await expect(call((cb) => sut.destroy('sid-1', cb))).rejects.toThrow('database is locked');
  });
});

describe(loadSessionSecret.name, () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'session-secret-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses the configured secret and writes nothing', async () => {
    expect(loadSessionSecret('c'.repeat(40), dir)).toBe('c'.repeat(40));
    await expect(stat(join(dir, SESSION_SECRET_FILE))).rejects.toThrow();
  });

  it('generates a secret once, mode 0600, and reuses it', async () => {
    const first = loadSessionSecret(undefined, dir);
    const second = loadSessionSecret(undefined, dir);

    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    expect((await readFile(join(dir, SESSION_SECRET_FILE), 'utf8')).trim()).toBe(first);
    expect((await stat(join(dir, SESSION_SECRET_FILE))).mode & 0o777).toBe(0o600);
  });
});
