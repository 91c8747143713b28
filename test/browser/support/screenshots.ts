import type { Page, TestInfo } from '@playwright/test';
import { join } from 'node:path';

/** Where every browser spec saves its step-by-step screenshots (git-ignored). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'artifacts', 'screenshots');

/**
 * Saves a full-page screenshot of the current step as
 * `artifacts/screenshots/<spec file>/<step>.png`, and attaches it to the test report.
 */
export async function screenshotStep(page: Page, testInfo: TestInfo, step: string): Promise<void> {
  const spec = testInfo.file
    .split(/[\\/]/)
    .pop()!
    .replace(/\.spec\.ts$/, '');
  const path = join(SCREENSHOT_DIR, spec, `${step}.png`);
  // From the top: a full-page capture of a scrolled page draws the shell's sticky toolbar where
  // the viewport was, across the middle of the content.
  await page.evaluate(() =>
    (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
  );
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  await testInfo.attach(step, { path, contentType: 'image/png' });
}

/** How far the page scrolls sideways at the current viewport (0 when it fits). */
export function horizontalOverflow(page: Page): Promise<number> {
  // The callback runs in the browser; its globals are typed here without the DOM library.
  return page.evaluate(() => {
    const browser = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number } };
    };
    return browser.document.documentElement.scrollWidth - browser.innerWidth;
  });
}
