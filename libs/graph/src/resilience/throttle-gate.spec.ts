import { ManualClock } from '../../test/support/manual-clock';
import { ThrottleGate, throttleFamilyOf } from './throttle-gate';

describe(ThrottleGate.name, () => {
  it('keeps a closed family closed until the given time, other families stay open', async () => {
    const clock = new ManualClock();
    const sut = new ThrottleGate(clock);
    sut.close('directory', clock.now() + 3000);
    expect(sut.remainingMs(['intune'])).toBe(0);
    let opened = false;
    const waiting = sut.waitOpen(['directory']).then((waited) => {
      opened = true;
      return waited;
    });
    await clock.advance(2999);
    expect(opened).toBe(false);
    await clock.advance(1);
    await expect(waiting).resolves.toBe(3000);
  });

  it('keeps waiting when the closure is extended meanwhile', async () => {
    const clock = new ManualClock();
    const sut = new ThrottleGate(clock);
    sut.close('directory', clock.now() + 1000);
    let opened = false;
    const waiting = sut.waitOpen(['directory', 'reports']).then(() => (opened = true));
    await clock.advance(500);
    sut.close('reports', clock.now() + 2000);
    sut.close('directory', clock.now() + 100);
    await clock.advance(1500);
    expect(opened).toBe(false);
    await clock.advance(500);
    await expect(waiting).resolves.toBe(true);
  });

  it('lets writes through up to the write budget at once, then at its refill rate', async () => {
    const clock = new ManualClock();
    const sut = new ThrottleGate(clock, {}, { directory: { burst: 40, perSecond: 20 } });
    await expect(sut.waitOpen(['directory'], undefined, { directory: 20 })).resolves.toBe(0);
    await expect(sut.waitOpen(['directory'], undefined, { directory: 20 })).resolves.toBe(0);
    // The budget is spent: 20 more writes need one second of refill; reads are not held back.
    await expect(sut.waitOpen(['directory'])).resolves.toBe(0);
    const writes = sut.waitOpen(['directory'], undefined, { directory: 20 });
    await clock.advance(999);
    let sent = false;
    void writes.then(() => (sent = true));
    await Promise.resolve();
    expect(sent).toBe(false);
    await clock.advance(1);
    await expect(writes).resolves.toBe(1000);
  });

  it('never shortens a closure', () => {
    const clock = new ManualClock();
    const sut = new ThrottleGate(clock);
    sut.close('directory', clock.now() + 5000);
    sut.close('directory', clock.now() + 1000);
    expect(sut.remainingMs(['directory'])).toBe(5000);
  });

  it.each([
    ['/users?$select=id', 'directory'],
    ['https://graph.microsoft.com/v1.0/groups/1/members', 'directory'],
    ['/deviceManagement/deviceConfigurations', 'intune'],
    ['https://graph.microsoft.com/beta/deviceManagement/configurationPolicies', 'intune'],
    ['/auditLogs/signIns', 'reports'],
    ['/identity/conditionalAccess/policies', 'conditionalAccess'],
    ['/informationProtection/bitlocker/recoveryKeys', 'directory'],
  ])('maps %s to the %s family', (path, family) => {
    expect(throttleFamilyOf(path)).toBe(family);
  });
});

describe(`${ThrottleGate.name} pacing`, () => {
  const pace = { reports: { requests: 5, windowMs: 10_000 } };

  it('lets a paced family send its documented number of requests per window, then waits for the oldest to age out', async () => {
    const clock = new ManualClock();
    const sut = new ThrottleGate(clock, pace);
    for (let i = 0; i < 5; i++) await expect(sut.waitOpen(['reports'])).resolves.toBe(0);
    let sixth = false;
    const waiting = sut.waitOpen(['reports']).then((waited) => {
      sixth = true;
      return waited;
    });
    await clock.advance(9_999);
    expect(sixth).toBe(false);
    await clock.advance(1);
    await expect(waiting).resolves.toBe(10_000);
  });

  it('paces only the paced family: directory requests never wait for it', async () => {
    const clock = new ManualClock();
    const sut = new ThrottleGate(clock, pace);
    for (let i = 0; i < 5; i++) await sut.waitOpen(['reports']);
    await expect(sut.waitOpen(['directory'])).resolves.toBe(0);
    expect(sut.remainingMs(['reports'])).toBe(0);
  });

  it('spreads concurrent waiters over successive windows: no window ever holds more than the limit', async () => {
    const clock = new ManualClock();
    const sut = new ThrottleGate(clock, pace);
    const start = clock.now();
    const sentAt: number[] = [];
    const waiters = Array.from({ length: 12 }, () =>
      sut.waitOpen(['reports']).then(() => sentAt.push(clock.now() - start)),
    );
    for (let i = 0; i < 25; i++) await clock.advance(1_000);
    await Promise.all(waiters);
    expect(sentAt).toHaveLength(12);
    for (const t of sentAt)
      expect(sentAt.filter((u) => u > t - 10_000 && u <= t).length).toBeLessThanOrEqual(5);
    expect(Math.max(...sentAt)).toBe(20_000);
  });

  it('paces with the documented reports limit by default', async () => {
    const clock = new ManualClock();
    const sut = new ThrottleGate(clock);
    for (let i = 0; i < 5; i++) await sut.waitOpen(['reports']);
    let sixth = false;
    void sut.waitOpen(['reports']).then(() => (sixth = true));
    await clock.advance(10_000);
    expect(sixth).toBe(false);
    await clock.advance(250);
    expect(sixth).toBe(true);
  });
});
