// One desk for an end-to-end test file: a seeded HQ process, an enrolled device with a real
// vault and keychain, the core behind the web harness, and Debian's Chromium on its page at
// 1366×768. Sign-in as any demo member of staff, sign-out, and a reader of the device's vault.
// Each test file opens its own desk (vitest runs files in separate processes).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { enrollDevice } from '../../electron/core/device/enrollment';
import { CoreHost } from '../../electron/core/hosts/desk/host';
import {
  builtRendererDir,
  startHarness,
  type Harness,
} from '../../electron/core/hosts/web/harness';
import { syncRound } from '../../electron/core/sync/engine';
import { openVault, type Vault } from '../../electron/core/vault';
import { demoUsers, type SeededUser } from '../../hq/seed';
import { chromiumPath, launchBrowser } from './browser';
import { hqCommand, startHq, type HqEnv, type RunningHq } from './hq';
import { profileSandbox, realSecretStore } from './keyring';
import { credentialsIn, waitingTotpCodes } from './staff';

// The harness's own default, so the e2e tests break if `npm run dev:web` looks in the wrong place.
export const rendererDir = builtRendererDir;

/** Why the desk's e2e tests cannot run here, or undefined when they can. */
export const deskUnavailable = !chromiumPath
  ? 'Chromium is not installed (apt-get install chromium)'
  : !existsSync(join(rendererDir, 'index.html'))
    ? 'the renderer is not built (npm run build; npm test builds it)'
    : undefined;
if (deskUnavailable) console.warn(`e2e: skipped, ${deskUnavailable}`);

export interface DeskOptions {
  /** The demo seed: customers, staff and their credentials follow from it. */
  seed: number;
  /** Customers HQ holds for the branch (default 200). */
  customers?: number;
  /** Shifts the core's clock (ms), e.g. to make the idle lock or an age show. */
  clockOffset?: () => number;
  /** A training HQ and a training profile (培训模式). */
  training?: boolean;
  /** Staff who have not seen the desk's first-run tour (by default they have). */
  firstRunTour?: boolean;
}

export interface Desk {
  page: Page;
  browser: Browser;
  harness: Harness;
  host: CoreHost;
  hq: HqEnv;
  server: RunningHq;
  /** The device's vault, opened a second time for reading what the core wrote. */
  vault: Vault;
  dataDir: string;
  secrets: ReturnType<typeof realSecretStore>;
  staff: Map<string, SeededUser>;
  /** A fresh TOTP code for `username` (waits for the next step if both near ones were used). */
  code(username: string): Promise<string>;
  /** Opens the page (when not open) and signs `username` in; waits for the frame. */
  signIn(username: string, options?: { locale?: 'zh-CN' | 'en' }): Promise<void>;
  /** Signs whoever is signed in out, back to the sign-in form. */
  signOut(): Promise<void>;
  /**
   * The counter's customer screen (客户确认屏) in a page of its own, as the harness prints it:
   * its own token, its own connection. Waits until it shows something.
   */
  openCustomerScreen(): Promise<Page>;
  /** Searches a customer number and opens that customer's 360, as a teller does (F2, Enter). */
  openCustomer(customerNumber: string): Promise<void>;
  close(): Promise<void>;
}

export async function openDesk(options: DeskOptions): Promise<Desk> {
  const secrets = realSecretStore();
  const sandbox = profileSandbox(secrets);
  const hq: HqEnv = { dataDir: join(sandbox.path, 'hq') };
  const seeded = hqCommand(hq, [
    'seed',
    '--customers',
    String(options.customers ?? 200),
    '--branches',
    '1',
    '--seed',
    String(options.seed),
    ...(options.training ? ['--training'] : []),
  ]);
  expect(seeded.status, seeded.stderr).toBe(0);
  const enrollCode = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
  const server = await startHq(hq);
  const dataDir = join(sandbox.path, 'desk');
  const enrolled = await enrollDevice(dataDir, secrets, {
    hqUrl: server.url,
    code: enrollCode,
    ...(options.training ? { training: true } : {}),
  });
  sandbox.forget(enrolled.profileId);
  const vault = openVault(dataDir, secrets);
  await syncRound(vault, secrets);
  const offset = options.clockOffset ?? (() => 0);
  const host = new CoreHost({
    dataDir,
    secrets,
    clock: () => Date.now() + offset(),
    syncIntervalMs: 3_600_000,
    // Each test orders its syncs against HQ's edits: no nudges from HQ.
    changeStream: false,
  });
  host.start();
  const harness = await startHarness({ host, rendererDir });
  const browser = await launchBrowser({ firstRunTour: options.firstRunTour ?? false });
  const page = await (
    await browser.newContext({ viewport: { width: 1366, height: 768 }, reducedMotion: 'reduce' })
  ).newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') console.error('page console:', message.text());
  });

  const staff = new Map(demoUsers(options.seed).map((user) => [user.username, user]));
  const codes = new Map<string, () => Promise<string>>();
  const code = (username: string) => {
    if (!codes.has(username))
      codes.set(username, waitingTotpCodes(staff.get(username)!.totpSecret));
    return codes.get(username)!();
  };

  const desk: Desk = {
    page,
    browser,
    harness,
    host,
    hq,
    server,
    vault,
    dataDir,
    secrets,
    staff,
    code,
    async signIn(username, { locale } = {}) {
      if (!page.url().startsWith(harness.url)) await page.goto(harness.pageUrl);
      if (locale) {
        // The desk keeps the chosen language in localStorage (renderer/src/i18n.ts).
        const key = 'branchdesk.locale';
        const current = await page.evaluate(`window.localStorage.getItem('${key}')`);
        if ((current ?? 'zh-CN') !== locale) {
          await page.evaluate(`window.localStorage.setItem('${key}', '${locale}')`);
          await page.reload();
        }
      }
      await page.getByTestId('login-username').waitFor();
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(staff.get(username)!.password);
      await page.getByTestId('login-totp').fill(await code(username));
      await page.getByTestId('login-submit').click();
      await page.getByTestId('signed-in-user').waitFor();
    },
    async signOut() {
      await page.getByTestId('sign-out-button').click();
      await page.getByTestId('login-username').waitFor();
    },
    async openCustomer(customerNumber) {
      await page.getByTestId('search-input').fill(customerNumber);
      await expect
        .poll(() => page.getByTestId('search-result').first().textContent())
        .toContain(customerNumber);
      await page.getByTestId('search-input').press('Enter');
      await page.getByTestId('customer-view').waitFor();
    },
    async openCustomerScreen() {
      const screen = await (
        await browser.newContext({
          viewport: { width: 1024, height: 768 },
          reducedMotion: 'reduce',
        })
      ).newPage();
      screen.on('pageerror', (error) => console.error('customer screen error:', error.message));
      await screen.goto(harness.displayUrl);
      await screen.getByTestId('display-idle').waitFor();
      return screen;
    },
    async close() {
      await browser.close();
      await harness.close();
      await host.stop();
      vault.close();
      // The one running now: a test may have restarted HQ (e.g. to add staff at its console).
      await desk.server.stop();
      sandbox.cleanup();
    },
  };
  return desk;
}

/**
 * Adds a member of branch staff at HQ's console while the desk runs (HQ serving meanwhile: on
 * PGlite it runs the command itself, hq/console-socket.ts), and returns what they sign in with:
 * their password and fresh TOTP codes.
 */
export async function addDeskStaff(
  desk: Desk,
  username: string,
  options: { name: string; roles: string; branch?: string },
): Promise<{ password: string; code: () => Promise<string> }> {
  const added = hqCommand(desk.hq, [
    'user',
    'add',
    ...['--username', username, '--name', options.name, '--roles', options.roles],
    ...['--branch', options.branch ?? 'B001'],
  ]);
  if (added.status !== 0) throw new Error(`user add ${username} failed:\n${added.stderr}`);
  const credentials = credentialsIn(added.stdout);
  return { password: credentials.password, code: waitingTotpCodes(credentials.totpSecret) };
}
