/**
 * Admin tests in a real browser: Debian's Chromium through playwright-core (never a downloaded browser), an
 * admin harness listening on a free loopback port, sign-in through the form, and screenshots written to
 * test-artifacts/admin/<name>-<lang>-<width>.png.
 *
 * @example
 *   const b = await adminBrowser(t);            // t: the node:test context; everything closes after the test
 *   const page = await b.signedIn();            // a page signed in as the owner, JavaScript off
 *   await b.shots(page, 'users', '/admin/users'); // nl and en at 1280 and 390 px
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { adminHarness, OWNER, type AdminHarness } from './admin.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const ADMIN_SHOTS = join(process.cwd(), 'test-artifacts', 'admin');

/** false when Chromium is installed, else the reason to skip (for `test(name, { skip }, …)`). */
export const browserSkip: false | string = existsSync(CHROMIUM) ? false : `${CHROMIUM} does not exist (apt-get install chromium)`;

export interface AdminBrowser {
  h: AdminHarness;
  browser: Browser;
  /** The server's base URL, e.g. http://127.0.0.1:41234 */
  base: string;
  /** A new browser context (own cookies); JavaScript off unless asked. */
  context(opts?: { javaScript?: boolean; width?: number }): Promise<BrowserContext>;
  /** Signs in through the form in a new context and returns the page (on the dashboard, or where `next` led). */
  signedIn(who?: { email: string; password: string }, opts?: { javaScript?: boolean; width?: number }): Promise<Page>;
  /** Fills the sign-in form on the current page and submits it. */
  submitSignIn(page: Page, who: { email: string; password: string }): Promise<void>;
  /** A full-page screenshot of the page as it is: <name>-<lang>-<width>.png. */
  shot(page: Page, name: string): Promise<void>;
  /** Opens `path` in nl and en at 1280 and 390 px wide and takes a screenshot of each. */
  shots(page: Page, name: string, path: string): Promise<void>;
}

/** Starts the harness and Chromium; both close when the test ends. */
export async function adminBrowser(t: TestContext, opts: { harness?: AdminHarness } = {}): Promise<AdminBrowser> {
  mkdirSync(ADMIN_SHOTS, { recursive: true });
  const h = opts.harness ?? (await adminHarness());
  t.after(() => h.close());
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  h.deps.baseUrl = base;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  t.after(() => browser.close());

  const b: AdminBrowser = {
    h,
    browser,
    base,
    context: (o = {}) =>
      browser.newContext({ javaScriptEnabled: o.javaScript ?? false, viewport: { width: o.width ?? 1280, height: 900 }, locale: 'nl-NL', baseURL: base }),
    submitSignIn: async (page, who) => {
      await page.fill('#email', who.email);
      await page.fill('#password', who.password);
      await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/login"] button[type=submit]')]);
    },
    signedIn: async (who = OWNER, o = {}) => {
      const page = await (await b.context(o)).newPage();
      await page.goto('/admin/login');
      await b.submitSignIn(page, who);
      return page;
    },
    shot: async (page, name) => {
      const lang = await page.locator('html').getAttribute('lang');
      const width = page.viewportSize()?.width ?? 0;
      await page.screenshot({ path: join(ADMIN_SHOTS, `${name}-${lang}-${width}.png`), fullPage: true });
    },
    shots: async (page, name, path) => {
      const sep = path.includes('?') ? '&' : '?';
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        for (const lang of ['nl', 'en']) {
          await page.goto(`${path}${sep}lang=${lang}`);
          await b.shot(page, name);
        }
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    },
  };
  return b;
}
