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
