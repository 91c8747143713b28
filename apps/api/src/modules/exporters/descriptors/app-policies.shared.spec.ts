import { appPolicyCollection, assignmentWrite } from './app-policies.shared';

const POLICY = 'ffffffff-1111-4111-8111-111111111111';
const TARGET = 'eeeeeeee-1111-4111-8111-111111111111';
const APP = '#microsoft.graph.application';
const SP = '#microsoft.graph.servicePrincipal';

describe(appPolicyCollection.name, () => {
  it('reads the policies with their appliesTo references and needs only read permissions to do so', () => {
    const sut = appPolicyCollection('tokenLifetimePolicies');
    expect(sut.path).toBe('/policies/tokenLifetimePolicies');
    expect(sut.delta).toBeUndefined();
    expect(sut.children?.map((c) => [c.name, c.path(POLICY), c.reference])).toEqual([
      ['appliesTo', `/policies/tokenLifetimePolicies/${POLICY}/appliesTo`, true],
    ]);
    expect(sut.permissions).toEqual({
      read: ['Policy.Read.All'],
      write: ['Policy.ReadWrite.ApplicationConfiguration'],
    });
  });
});

describe(assignmentWrite.name, () => {
  it("writes an assignment on the assignee's side, for the object kinds Graph assigns each policy to", () => {
    expect(assignmentWrite('tokenLifetimePolicies', 'add', POLICY, TARGET, APP)).toEqual({
      method: 'POST',
      path: `/applications/${TARGET}/tokenLifetimePolicies/$ref`,
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/policies/tokenLifetimePolicies/${POLICY}` },
    });
    expect(assignmentWrite('appManagementPolicies', 'remove', POLICY, TARGET, SP)).toEqual({
      method: 'DELETE',
      path: `/servicePrincipals/${TARGET}/appManagementPolicies/${POLICY}/$ref`,
    });
    expect(assignmentWrite('claimsMappingPolicies', 'add', POLICY, TARGET, SP).path).toBe(
      `/servicePrincipals/${TARGET}/claimsMappingPolicies/$ref`,
    );
  });

  it('refuses an object kind the policy cannot be assigned to', () => {
    expect(() => assignmentWrite('claimsMappingPolicies', 'add', POLICY, TARGET, APP)).toThrow(
      /cannot be assigned to #microsoft.graph.application/,
    );
    expect(() => assignmentWrite('tokenIssuancePolicies', 'add', POLICY, TARGET, SP)).toThrow();
  });
});
