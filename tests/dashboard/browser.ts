/**
 * Debian's Chromium driven by playwright-core for the dashboard tests: a fresh profile each time,
 * no background networking (this machine has no network), screenshots at 1366x768.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import t from 'tap';

export const CHROMIUM = '/usr/bin/chromium';
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots of each main page land here (gitignored) for a person to look at. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'tests/.tmp/screenshots');

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is absent (apt-get install chromium); the dashboard browser tests are skipped`;
}

/**
 * A file's browser tests: run after building the dashboard if it is stale, with a per-file limit
 * for a cold Vite build on a busy 2-core machine; skipped with the reason shown when Chromium is
 * absent (never silently).
 */
export async function runBrowserTestFile(run: () => Promise<void>, timeoutMs = 900_000): Promise<void> {
  const missing = browserMissing();
  if (missing) {
    t.comment(missing);
    t.pass('skipped: no browser', { skip: missing });
    return;
  }
  t.setTimeout(timeoutMs);
  ensureDashboardBuilt();
  await run();
}

/** Builds dashboard/dist when it is missing or older than its sources (as `npm start` does). */
export function ensureDashboardBuilt(): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'dashboard/scripts/ensure-built.mjs')], { stdio: 'inherit', cwd: REPO_ROOT });
}

/** A browser with an empty profile; `close` removes the profile too. */
export async function openBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'zhengban-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a 1366x768 screenshot of what the page shows now. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Signs in through the login form. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.locator('input#username').fill(username);
  await page.locator('input#password').fill(password);
  await page.locator('button[type=submit]').click();
}
