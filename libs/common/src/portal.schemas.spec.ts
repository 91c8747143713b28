import { loginQuerySchema, scheduleSchema, sessionSchema } from './portal.schemas';

describe('loginQuerySchema', () => {
  it.each([
    '/',
    '/settings',
    '/settings/72f988bf-86f1-41af-91ab-2d7cd011db47?consent=granted',
    '/backups#top',
  ])('accepts the portal path %s', (returnTo) => {
    expect(loginQuerySchema.safeParse({ returnTo }).success).toBe(true);
  });

  it.each([
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'settings',
    '',
  ])('rejects %j, which could leave the site', (returnTo) => {
    expect(loginQuerySchema.safeParse({ returnTo }).success).toBe(false);
  });
});

describe('sessionSchema', () => {
  it('describes a signed-out visitor', () => {
    expect(sessionSchema.parse({ authenticated: false, demoMode: true, csrfToken: null })).toEqual({
      authenticated: false,
      demoMode: true,
      csrfToken: null,
    });
  });
});

describe('scheduleSchema', () => {
  it('requires the 12-hour interval and an offset within it', () => {
    const base = {
      tenantId: 't',
      active: true,
      nextRunAt: null,
      lastRunAt: null,
      lastRunId: null,
      intervalHours: 12,
      offsetMinutes: 719,
      firstFullBackupDueBy: null,
      lastFullBackupAt: null,
    };
    expect(scheduleSchema.safeParse(base).success).toBe(true);
    expect(scheduleSchema.safeParse({ ...base, offsetMinutes: 720 }).success).toBe(false);
    expect(scheduleSchema.safeParse({ ...base, intervalHours: 24 }).success).toBe(false);
  });
});
