import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Scans the page as it is now with axe-core (WCAG 2.x A and AA rules) and fails with the rule,
 * its impact and the offending elements when any violation is serious or critical.
 */
export async function expectNoSeriousAxeViolations(page: Page, where: string): Promise<void> {
  // A snack bar holds its content in an aria-hidden element for its first 150 ms, then moves it
  // into its live region to be announced (Angular Material's MatSnackBarContainer); scanning in
  // between reports Material's own transient state, so wait for the announcement.
  await expect(page.locator('.mat-mdc-snack-bar-label > [aria-hidden]')).toHaveCount(0);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe-core violations on ${where}`).toEqual([]);
}
