// Debian's Chromium through playwright-core, headless, for the end-to-end tests, and axe for
// accessibility. Where Chromium is missing the tests say so and skip (CI installs it).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
export const chromiumPath =
  process.env.BRANCHDESK_CHROMIUM ?? candidates.find((path) => existsSync(path));

export const screenshotsDir = fileURLToPath(
  new URL('../../test-results/screenshots', import.meta.url),
);

export async function launchBrowser(options: { firstRunTour?: boolean } = {}): Promise<Browser> {
  if (!chromiumPath) throw new Error('Chromium not found (apt-get install chromium)');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Root (CI containers) cannot use Chromium's sandbox.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  if (options.firstRunTour) return browser;
  // The staff of the tests have seen the desk's first-run tour already (it would cover the page
  // each test drives); test/e2e/tour.test.ts launches without this to see it.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const context = await newContext(...args);
    await context.addInitScript(() => {
      for (const role of ['teller', 'rm', 'supervisor', 'auditor', 'itadmin', 'compliance'])
        for (let n = 1; n <= 5; n++)
          window.localStorage.setItem(`branchdesk.tourSeen.${role}${n}`, '1');
    });
    return context;
  };
  return browser;
}

/** Saves a screenshot of the page under test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
}

/**
 * Serious or critical accessibility violations on the page, as `id: description` lines.
 *
 * Every rule of axe runs, the way axe-core itself runs in a page (`axe.run`), which is 6× faster
 * here than AxeBuilder's default (~0.15 s a screen against ~0.9 s; the e2e tests check hundreds):
 * - legacy mode: axe runs in the page itself. The default runs it in each frame and then opens a
 *   new blank page to put the results together (which cross-origin frames need; the desk has no
 *   frames).
 * - axe's source (half a megabyte of script) goes into the page once, not twice at every check;
 *   the desk is one page, and a reload or navigation clears it so it goes in again.
 * - only violations are gathered in full (axe's `resultTypes`): passes are not read.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate('typeof window.axe?.run === "function"');
  const results = await new AxeBuilder({ page, ...(loaded ? { axeSource: ';' } : {}) })
    .setLegacyMode()
    .options({ resultTypes: ['violations'] })
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} at ${violation.nodes
          .map((node) => `${node.target.join(' ')} (${node.failureSummary ?? ''})`)
          .join(', ')}`,
    );
}

/**
 * Watches the page's calls to the core (the harness's WebSocket: a request carries an `id`, its
 * answer the same `id`). `settled()` resolves once no call is unanswered, nothing has moved for
 * `quietMs` and the page has painted twice since: the screen shows its data. A test waiting a
 * fixed time per screen waited longer on most screens and could still be early on a slow one.
 * Gives up after `atMostMs` (a call that waits on a person, say) and lets the test go on.
 */
export function watchBridge(page: Page): {
  settled(quietMs?: number, atMostMs?: number): Promise<void>;
} {
  const unanswered = new Set<string>();
  let moved = Date.now();
  const idOf = (payload: string | Buffer): number | undefined => {
    try {
      const id = (JSON.parse(String(payload)) as { id?: unknown }).id;
      return typeof id === 'number' ? id : undefined;
    } catch {
      return undefined;
    }
  };
  let sockets = 0;
  page.on('websocket', (socket) => {
    sockets++;
    const key = (id: number) => `${socket.url()}#${id}`;
    socket.on('framesent', ({ payload }) => {
      const id = idOf(payload);
      if (id !== undefined) unanswered.add(key(id));
      moved = Date.now();
    });
    socket.on('framereceived', ({ payload }) => {
      const id = idOf(payload);
      if (id !== undefined) unanswered.delete(key(id));
      moved = Date.now();
    });
    socket.on('close', () => {
      for (const pending of [...unanswered])
        if (pending.startsWith(`${socket.url()}#`)) unanswered.delete(pending);
      moved = Date.now();
    });
  });
  const paintedTwice = () =>
    page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
        ),
    );
  return {
    async settled(quietMs = 60, atMostMs = 3_000) {
      // Watching from after the page opened its socket would see nothing, and wait for nothing.
      if (sockets === 0) throw new Error('watchBridge: the page has opened no socket to the core');
      const deadline = Date.now() + atMostMs;
      while (Date.now() < deadline) {
        const quietFor = Date.now() - moved;
        if (unanswered.size === 0 && quietFor >= quietMs) {
          const before = moved;
          await paintedTwice();
          if (unanswered.size === 0 && moved === before) return;
        } else
          await new Promise((resolve) => setTimeout(resolve, Math.max(10, quietMs - quietFor)));
      }
    },
  };
}

/**
 * The bar charts on the page (`.home-chart`: ECharts on a canvas, its figures in a table beside)
 * whose figures are not all 0 but whose canvas shows no bar: fewer than 100 strongly coloured
 * pixels, where the axes, grid and words are grey or black. English labels once took a chart's
 * whole width and left the bars none.
 */
export async function barChartsWithoutBars(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bare: string[] = [];
    for (const chart of Array.from(document.querySelectorAll<HTMLElement>('.home-chart'))) {
      const figures = Array.from(chart.querySelectorAll('table a')).map((link) =>
        Number(link.textContent),
      );
      if (!figures.some((figure) => figure > 0)) continue;
      const canvas = chart.querySelector('canvas');
      const pixels = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let at = 0; pixels && at < pixels.length; at += 4) {
        const [red, green, blue, alpha] = [
          pixels[at]!,
          pixels[at + 1]!,
          pixels[at + 2]!,
          pixels[at + 3]!,
        ];
        if (alpha > 200 && Math.max(red, green, blue) - Math.min(red, green, blue) > 80) coloured++;
      }
      if (coloured < 100) bare.push(chart.dataset.testid ?? '(a chart)');
    }
    return bare;
  });
}
