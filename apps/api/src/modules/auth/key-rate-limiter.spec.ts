import { loadAppConfig } from '../../config/app-config';
import { BURST_WINDOW_SECONDS, KeyRateLimiter } from './key-rate-limiter';

function limiterWith(env: Record<string, string>): KeyRateLimiter {
  return new KeyRateLimiter(loadAppConfig({ ENTRA_BACKUP_DATA_DIR: '/tmp/eb', ...env }), undefined);
}

async function admitted(sut: KeyRateLimiter, key: string, times: number): Promise<boolean[]> {
  const verdicts: boolean[] = [];
  for (let i = 0; i < times; i++) verdicts.push((await sut.admit(key)).allowed);
  return verdicts;
}

describe(KeyRateLimiter.name, () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-26T08:00:00.000Z') });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('counts in memory on SQLite, 600 a minute by default', () => {
    const sut = limiterWith({});

    expect(sut.store).toBe('memory');
    expect(sut.limit).toBe(600);
  });

  it('refuses a key beyond its limit with the seconds until the window ends', async () => {
    const sut = limiterWith({ ENTRA_BACKUP_API_RATE_LIMIT: '3', ENTRA_BACKUP_API_RATE_BURST: '0' });

    await expect(admitted(sut, 'k1', 3)).resolves.toEqual([true, true, true]);
    jest.advanceTimersByTime(20_000);
    await expect(sut.admit('k1')).resolves.toEqual({ allowed: false, limit: 3, retryAfterSeconds: 40 });
  });

  it('never slows one key for another', async () => {
    const sut = limiterWith({ ENTRA_BACKUP_API_RATE_LIMIT: '2', ENTRA_BACKUP_API_RATE_BURST: '0' });

    await admitted(sut, 'busy', 5);

    await expect(admitted(sut, 'calm', 2)).resolves.toEqual([true, true]);
  });

  it('admits a key again once its minute is over', async () => {
    const sut = limiterWith({ ENTRA_BACKUP_API_RATE_LIMIT: '2', ENTRA_BACKUP_API_RATE_BURST: '0' });
    await admitted(sut, 'k1', 3);

    jest.advanceTimersByTime(60_000);

    await expect(sut.admit('k1')).resolves.toMatchObject({ allowed: true, remaining: 1 });
  });

  it('lets a key burst beyond its limit, with the allowance refilled over ten minutes', async () => {
    const sut = limiterWith({ ENTRA_BACKUP_API_RATE_LIMIT: '2', ENTRA_BACKUP_API_RATE_BURST: '3' });

    await expect(admitted(sut, 'k1', 6)).resolves.toEqual([true, true, true, true, true, false]);
    // A new minute: the steady limit is back, the burst allowance is spent.
    jest.advanceTimersByTime(60_000);
    await expect(admitted(sut, 'k1', 3)).resolves.toEqual([true, true, false]);
    jest.advanceTimersByTime(BURST_WINDOW_SECONDS * 1000);
    await expect(admitted(sut, 'k1', 5)).resolves.toEqual([true, true, true, true, true]);
  });

  it('limits nothing with a limit of 0', async () => {
    const sut = limiterWith({ ENTRA_BACKUP_API_RATE_LIMIT: '0' });

    expect(sut.store).toBe('off');
    await expect(admitted(sut, 'k1', 1000)).resolves.not.toContain(false);
  });
});
