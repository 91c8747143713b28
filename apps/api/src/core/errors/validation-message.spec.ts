import { createTenantSchema, updateSettingsSchema } from '@entra-backup/common';
import type { z } from 'zod';
import { describeZodIssues } from './validation-message';

function messageFor(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  if (result.error === undefined) throw new Error('expected the input to be invalid');
  return describeZodIssues(result.error.issues);
}

describe(describeZodIssues.name, () => {
  it('names each bad field once, without repeating a name the message already has', () => {
    expect(messageFor(createTenantSchema, { tenantId: 'x', displayName: '' })).toBe(
      'tenantId must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47; displayName must not be empty',
    );
  });

  it('lists unknown keys', () => {
    expect(messageFor(updateSettingsSchema, { enabledTypes: { bogus: true } })).toBe(
      'enabledTypes has unknown key: bogus',
    );
  });

  it('uses the dotted path for nested fields and "body" for the root', () => {
    expect(messageFor(updateSettingsSchema, { enabledTypes: { users: 1 } })).toMatch(
      /^enabledTypes\.users: /,
    );
    expect(messageFor(updateSettingsSchema, 'text')).toMatch(/^body: /);
  });
});
