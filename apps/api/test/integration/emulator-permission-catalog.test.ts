import { GRAPH_APP_ROLES } from '@entra-backup/graph-emulator';
import { requiredAppRoles } from '../../src/modules/exporters';

/*
 * Admin consent in the emulator grants only permissions its Microsoft Graph service principal
 * publishes as app roles (as Entra ID does). A descriptor naming a permission the emulator does not
 * know would leave every emulator-backed test and the demo mode with a consent that silently lacks
 * it, so the collection needing it would be skipped or left out of restore plans.
 */
describe('the emulated Microsoft Graph app roles', () => {
  it('include every application permission the product requests', () => {
    const published = new Set(GRAPH_APP_ROLES.map((role) => role.value));

    expect(requiredAppRoles().filter((permission) => !published.has(permission))).toEqual([]);
  });
});
