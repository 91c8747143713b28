import { DEFAULT_REDIRECT_URIS, DEMO_APP_ROLES, parseCliArgs, UsageError } from './cli';

describe(parseCliArgs.name, () => {
  it('applies the documented defaults', () => {
    const sut = parseCliArgs([], '/srv');

    expect(sut).toEqual({
      port: 8443,
      host: '127.0.0.1',
      dataDir: '/srv/data/emulator',
      seed: 1,
      tenants: 2,
      usersPerTenant: 250,
      nonPremiumTenants: [],
      softDelete: {},
      app: {
        displayName: 'Entra Backup (demo)',
        redirectUris: DEFAULT_REDIRECT_URIS,
        requiredAppRoles: DEMO_APP_ROLES,
      },
      faults: {},
    });
  });

  it('reads sizes, app and fault flags', () => {
    const sut = parseCliArgs(
      [
        '--port',
        '9443',
        '--tenants',
        '3',
        '--users',
        '1000',
        '--seed',
        '7',
        '--data-dir',
        'x',
        '--non-premium',
        '0,2',
        '--client-id',
        'aaaaaaaa-0000-4000-8000-00000000000a',
        '--client-secret',
        's3cret',
        '--redirect-uri',
        'https://a.example/cb',
        '--redirect-uri',
        'http://localhost:4200/cb',
        '--app-roles',
        'User.Read.All,Group.Read.All',
        '--fault-rate',
        '0.1',
        '--fault-statuses',
        '503',
        '--latency-ms',
        '20',
        '--storm-requests',
        '3',
        '--expired-page-token-rate',
        '0.05',
        '--hard-delete',
        'securityGroups,conditionalAccessPolicies',
        '--replication-delay-ms',
        '2000',
        '--replication-delay-rate',
        '0.5',
      ],
      '/srv',
    );

    expect(sut).toMatchObject({
      port: 9443,
      tenants: 3,
      usersPerTenant: 1000,
      seed: 7,
      dataDir: '/srv/x',
      nonPremiumTenants: [0, 2],
      softDelete: { securityGroups: false, conditionalAccessPolicies: false },
      app: {
        clientId: 'aaaaaaaa-0000-4000-8000-00000000000a',
        clientSecret: 's3cret',
        redirectUris: ['https://a.example/cb', 'http://localhost:4200/cb'],
        requiredAppRoles: ['User.Read.All', 'Group.Read.All'],
      },
      faults: {
        errorRate: 0.1,
        errorStatuses: [503],
        latencyMs: 20,
        storm: { requests: 3 },
        expiredPageTokenRate: 0.05,
        replicationDelayMs: 2000,
        replicationDelayRate: 0.5,
      },
    });
  });

  it.each([
    [['--port', 'abc'], /--port must be an integer/],
    [['--port', '70000'], /--port must be an integer between 0 and 65535/],
    [['--fault-rate', '2'], /--fault-rate must be a number between 0 and 1/],
    [['--bogus'], /unknown option '--bogus'/],
    [['--tenants', '2', '--non-premium', '2'], /--non-premium: '2' is not a tenant index between 0 and 1/],
    [['--fault-statuses', '502'], /--fault-statuses: '502'/],
    [['--hard-delete', 'devices'], /--hard-delete: 'devices' is not one of users, microsoft365Groups/],
  ])('rejects %j with a one-line message', (argv, message) => {
    expect(() => parseCliArgs(argv, '/srv')).toThrow(UsageError);
    expect(() => parseCliArgs(argv, '/srv')).toThrow(message);
  });
});
