import type { z } from 'zod';

/**
 * One readable sentence naming every bad field, e.g.
 * `tenantId must be a GUID ...; enabledTypes has unknown keys: bogus, nope`.
 */
export function describeZodIssues(issues: readonly z.core.$ZodIssue[], root = 'body'): string {
  return issues.map((issue) => describeIssue(issue, root)).join('; ');
}

function describeIssue(issue: z.core.$ZodIssue, root: string): string {
  const field = issue.path.length === 0 ? root : issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return `${field} has unknown ${issue.keys.length === 1 ? 'key' : 'keys'}: ${issue.keys.join(', ')}`;
  }
  return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
}
