import { expect, type Page, type TestInfo } from '@playwright/test';
import { expectNoSeriousAxeViolations } from './accessibility';
import { demoControl } from './demo-control';
import { ACCOUNT_PICKER, pickDemoAccount } from './demo-sign-in';
import { screenshotStep } from './screenshots';

/**
 * The browser suites share one demo server (workers: 1, files in name order), so each spec signs
 * in and makes sure of what it needs (consent, enabled types) instead of assuming it is first.
 */
export interface DemoSession {
  readonly tenantId: string;
  readonly csrfToken: string;
}

/** Signs the demo Global Administrator in and grants admin consent unless an earlier spec did. */
export async function signInWithConsent(page: Page): Promise<DemoSession> {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Microsoft 365' }).click();
  await pickDemoAccount(page, 'global administrator');
  await expect(page).toHaveURL(/\/backups$/);
  const { tenantId } = await sessionOf(page);
  await ensureAdminConsent(page, tenantId);
  return sessionOf(page);
}

/**
 * For a signed-in Global Administrator: opens the tenant's Settings and grants admin consent
 * there unless it is granted already. Ends on the Settings page.
 */
export async function ensureAdminConsent(page: Page, tenantId: string): Promise<void> {
  await page.goto(`/settings/${tenantId}`);
  const grant = page.getByRole('button', { name: 'Grant admin consent' });
  await expect(grant.or(page.getByText('Permissions granted').first())).toBeVisible();
  if (await grant.isVisible()) {
    await grant.click();
    await expect(page.getByRole('heading', { name: ACCOUNT_PICKER })).toBeVisible();
    await pickDemoAccount(page, 'global administrator');
    await page.getByRole('button', { name: 'Accept' }).click();
    await expect(page.getByText('Admin consent granted.')).toBeVisible();
  }
}

/**
 * Switches the types with these labels (as `OBJECT_TYPES` spells them) on in Settings, leaving
 * those already on as they are. Ends on the Settings page.
 */
export async function switchTypesOn(
  page: Page,
  session: DemoSession,
  labels: readonly string[],
): Promise<void> {
  await page.goto(`/settings/${session.tenantId}`);
  for (const label of labels) {
    const toggle = page.getByRole('switch', { name: label, exact: true });
    await expect(toggle).toBeEnabled();
    if (!(await toggle.isChecked())) {
      await toggle.click();
      await expect(toggle).toBeChecked();
    }
  }
}

async function sessionOf(page: Page): Promise<DemoSession> {
  const session = (await (await page.request.get('/api/auth/session')).json()) as {
    csrfToken: string;
    user: { tenantId: string };
  };
  return { tenantId: session.user.tenantId, csrfToken: session.csrfToken };
}

/** Starts a backup of the given types over the REST API and waits until it has ended. */
export async function backUpNow(page: Page, session: DemoSession, types: readonly string[]): Promise<string> {
  const base = `/api/tenants/${session.tenantId}/backups`;
  let runId = '';
  // An earlier spec's run may still hold the tenant's lease for a moment.
  await expect
    .poll(
      async () => {
        const started = await page.request.post(base, {
          headers: { 'x-csrf-token': session.csrfToken },
          data: { types },
        });
        if (started.status() === 202) runId = ((await started.json()) as { runId: string }).runId;
        return started.status();
      },
      { timeout: 60_000 },
    )
    .toBe(202);
  await expect
    .poll(
      async () => ((await (await page.request.get(`${base}/${runId}`)).json()) as { status: string }).status,
      { timeout: 120_000 },
    )
    .not.toBe('running');
  return runId;
}

/** The snapshot a completed backup run wrote (the run must have completed, not partly). */
export async function snapshotOfRun(page: Page, session: DemoSession, runId: string): Promise<string> {
  const run = (await (
    await page.request.get(`/api/tenants/${session.tenantId}/backups/${runId}`)
  ).json()) as {
    status: string;
    summary: { snapshotId: string | null } | null;
  };
  expect(run.status, `backup run ${runId}`).toBe('completed');
  expect(run.summary?.snapshotId, `the snapshot of backup run ${runId}`).toBeTruthy();
  return run.summary!.snapshotId!;
}

/** The demo emulator's control API for the signed-in tenant: ground truth and admin changes. */
export function demoTenant(page: Page, session: DemoSession) {
  const { url: control, headers } = demoControl(`/tenants/${session.tenantId}`);
  return {
    async truth<T>(collection: string): Promise<T[]> {
      const response = await page.request.get(`${control}/truth/${collection}`, { headers });
      expect(response.status()).toBe(200);
      return (await response.text())
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as T);
    },
    async change(body: Record<string, unknown>): Promise<void> {
      const response = await page.request.post(`${control}/changes`, { data: body, headers });
      expect(response.status(), await response.text()).toBe(200);
    },
  };
}

/**
 * Runs `work` with the demo emulator's fault injection set to `faults` (e.g. latency that keeps a
 * run going), and puts the emulator's previous fault configuration back afterwards.
 */
export async function withDemoEmulatorFaults<T>(
  page: Page,
  faults: Record<string, unknown>,
  work: () => Promise<T>,
): Promise<T> {
  const { url, headers } = demoControl('/faults');
  const before = await page.request.get(url, { headers });
  expect(before.status(), await before.text()).toBe(200);
  const { config } = (await before.json()) as { config: Record<string, unknown> };
  const set = await page.request.put(url, { data: { ...config, ...faults }, headers });
  expect(set.status(), await set.text()).toBe(200);
  try {
    return await work();
  } finally {
    await page.request.put(url, { data: config, headers });
  }
}

/** How far the document scrolls sideways at the current viewport (0 when it fits). */
export function documentOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const browser = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number } };
    };
    return browser.document.documentElement.scrollWidth - browser.innerWidth;
  });
}

/**
 * What every page of a walk must pass: no serious or critical axe-core violation, no sideways
 * scrolling of the whole document at phone width (390 px), and a screenshot of the step.
 */
export async function expectSoundPage(page: Page, testInfo: TestInfo, step: string): Promise<void> {
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
  await expectNoSeriousAxeViolations(page, step);
  await screenshotStep(page, testInfo, step);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await expect
      .poll(() => documentOverflow(page), { message: `${step} scrolls sideways at 390 px` })
      .toBeLessThanOrEqual(0)
      .catch(async (error: unknown) => {
        // What to look at: the page as it overflows, and the innermost elements sticking out.
        await screenshotStep(page, testInfo, `${step}-390px`);
        const culprits = await elementsPastRightEdge(page);
        throw new Error(`${String(error)}\nSticking out at 390 px: ${culprits.join('; ')}`);
      });
    await screenshotStep(page, testInfo, `${step}-390px`);
  } finally {
    await page.setViewportSize(size);
  }
}

/**
 * The innermost elements whose right edge lies past the viewport and that no scrolling or
 * clipping box holds in (tag, first classes, right edge), at most 5.
 */
function elementsPastRightEdge(page: Page): Promise<string[]> {
  // The callback runs in the browser; its globals are typed here without the DOM library.
  return page.evaluate(() => {
    interface Element {
      readonly tagName: string;
      readonly className: unknown;
      readonly parentElement: Element | null;
      getBoundingClientRect(): { right: number };
      querySelectorAll(selector: string): ArrayLike<Element>;
    }
    const browser = globalThis as unknown as {
      innerWidth: number;
      document: Element;
      getComputedStyle(element: Element): { overflowX: string };
    };
    const past = (el: Element) => el.getBoundingClientRect().right > browser.innerWidth + 0.5;
    const heldIn = (el: Element) => {
      for (let up = el.parentElement; up !== null; up = up.parentElement) {
        if (browser.getComputedStyle(up).overflowX !== 'visible' && !past(up)) return true;
      }
      return false;
    };
    return Array.from(browser.document.querySelectorAll('body *'))
      .filter((el) => past(el) && !heldIn(el) && !Array.from(el.querySelectorAll('*')).some(past))
      .slice(0, 5)
      .map((el) => {
        const classes = typeof el.className === 'string' ? el.className.trim().split(/\s+/).slice(0, 3) : [];
        const name = [el.tagName.toLowerCase(), ...classes].join('.');
        return `${name} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`;
      });
  });
}
