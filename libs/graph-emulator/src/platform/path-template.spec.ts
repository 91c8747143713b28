import { pathTemplate } from './path-template';

describe(pathTemplate.name, () => {
  it.each([
    ['/v1.0/users', '/v1.0/users'],
    ['/v1.0/users/6f474efa-a807-41d8-b9ae-113b764dab6d/memberOf', '/v1.0/users/{id}/memberOf'],
    ['/v1.0/users/adele%40contoso.onmicrosoft.com', '/v1.0/users/{id}'],
    [
      '/beta/deviceManagement/configurationPolicies/1a2b3c4d5e6f7a8b9c0d_1/settings',
      '/beta/deviceManagement/configurationPolicies/{id}/settings',
    ],
    [
      "/v1.0/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')",
      '/v1.0/directoryRoles({id})',
    ],
    [
      '/v1.0/directory/deletedItems/microsoft.graph.user',
      '/v1.0/directory/deletedItems/microsoft.graph.user',
    ],
    ['/v1.0/users/$count', '/v1.0/users/$count'],
    ['/11111111-1111-4111-8111-111111111111/oauth2/v2.0/token', '/{tenant}/oauth2/v2.0/token'],
    ['/organizations/v2.0/adminconsent', '/{tenant}/v2.0/adminconsent'],
    ['/common/discovery/instance', '/common/discovery/instance'],
  ])('%s -> %s', (path, template) => {
    expect(pathTemplate(path)).toBe(template);
  });
});
