// `npm run bench -- ui`: the teller's desk in Debian's Chromium against the web harness.
//   - keystroke to results rendered: the last character of a query typed into the search box,
//     from the page's input event to the frame after the answer's rows are in the page (the
//     whole way: bridge, command table with its audit entry, search, masking, React, layout),
//     over ID numbers, ID tails, phones, phone tails, names and pinyin initials;
//   - the renderer's JS heap after scrolling the whole result list of a broad query to its end
//     (every page loaded), after a garbage collection, against the heap before the search;
//   - `npm start` to an interactive sign-in screen on a seeded demo: the demo is started once to
//     seed and sync, stopped, and started again; the time is from spawning it to the sign-in
//     form answering in Chromium.
//
//   --customers N        customers in the desk's vault (default 200000)
//   --samples N          keystroke samples per query class (default 40)
//   --demo-customers N   customers in the demo HQ for the start-up figure (default 20000, as
//                        `npm start`); 0 skips that part. The demo's keychain entries live in
//                        the bench's throwaway keyring (scripts/with-keyring.sh).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { CustomerStore } from '../electron/core/customers';
import { namePinyin, nationalNumber } from '../electron/core/customers/terms';
import { CoreHost } from '../electron/core/hosts/desk/host';
import { enrollDevice, forgetProfileSecrets } from '../electron/core/device/enrollment';
import { OsSecretStore } from '../electron/core/secrets';
import { syncRound } from '../electron/core/sync/engine';
import { bulkLoad, openVault } from '../electron/core/vault';
import { startHarness } from '../electron/core/hosts/web/harness';
import { demoUsers } from '../hq/seed';
import { totpAt } from '../shared/auth/totp';
import type { Customer } from '../shared/customer';
import { generateCustomers } from '../shared/synthetic';
import { chromiumPath, launchBrowser } from '../test/support/browser';
import { tempDir } from '../test/support/files';
import { hqCommand, startHq } from '../test/support/hq';
import { freePort } from '../test/support/postgres';
import { report, round, summarize } from './support';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200000' },
    samples: { type: 'string', default: '40' },
    'demo-customers': { type: 'string', default: '20000' },
  },
});
const CUSTOMERS = Number(values.customers);
const SAMPLES = Number(values.samples);
const DEMO_CUSTOMERS = Number(values['demo-customers']);
const SEED = 9;
const root = fileURLToPath(new URL('..', import.meta.url));
const rendererDir = join(root, 'out/renderer');

if (!chromiumPath) {
  console.error('ui bench: Chromium is not installed (apt-get install chromium)');
  process.exit(2);
}

const dir = tempDir('branchdesk-bench-ui-');
const secrets = new OsSecretStore();
const profiles: string[] = [];
const results: Record<string, unknown> = { customers: CUSTOMERS };
const rows: (string | number)[][] = [['measure', 'result', 'target']];

try {
  // --- a desk vault: enrolled with a real HQ (staff, a few customers), then filled locally ---
  const hq = { dataDir: join(dir.path, 'hq') };
  const seeded = hqCommand(hq, [
    'seed',
    '--customers',
    '20',
    '--branches',
    '1',
    '--seed',
    `${SEED}`,
  ]);
  if (seeded.status !== 0) throw new Error(seeded.stderr);
  const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
  const server = await startHq(hq);
  const deskDir = join(dir.path, 'desk');
  try {
    const enrolled = await enrollDevice(deskDir, secrets, { hqUrl: server.url, code });
    profiles.push(enrolled.profileId);
    const vault = openVault(deskDir, secrets);
    await syncRound(vault, secrets); // the branch's staff, as a desk has them
    const loadStarted = performance.now();
    const sample: Customer[] = [];
    const stride = Math.max(1, Math.floor(CUSTOMERS / (SAMPLES * 8)));
    const store = new CustomerStore(vault.db);
    bulkLoad(vault.db, () => {
      let batch: Customer[] = [];
      let index = 0;
      for (const customer of generateCustomers({
        seed: 2027,
        count: CUSTOMERS,
        branches: ['B001'],
        rmsPerBranch: 8,
      })) {
        if (index++ % stride === 0) sample.push(customer);
        batch.push(customer);
        if (batch.length === 5000) {
          store.insertMany(batch);
          batch = [];
        }
      }
      if (batch.length) store.insertMany(batch);
    });
    vault.close();
    console.log(
      `loaded ${CUSTOMERS} customers in ${Math.round(performance.now() - loadStarted)} ms`,
    );

    // --- the desk: core host (no background sync: HQ does not hold these), harness, Chromium ---
    const host = new CoreHost({ dataDir: deskDir, secrets, backgroundSync: false });
    host.start();
    const harness = await startHarness({ host, rendererDir });
    const browser = await launchBrowser();
    try {
      const page = await (
        await browser.newContext({
          viewport: { width: 1366, height: 768 },
          reducedMotion: 'reduce',
        })
      ).newPage();
      await page.goto(harness.pageUrl);
      const teller = demoUsers(SEED).find((user) => user.username === 'teller1')!;
      await page.getByTestId('login-username').fill(teller.username);
      await page.getByTestId('login-password').fill(teller.password);
      await page.getByTestId('login-totp').fill(totpAt(teller.totpSecret, Date.now()));
      await page.getByTestId('login-submit').click();
      await page.getByTestId('search-input').waitFor();
      await installStopwatch(page);

      // --- keystroke to results rendered, per query class ---
      const classes = queryClasses(sample);
      const keystroke: Record<string, ReturnType<typeof summarize>> = {};
      const all: number[] = [];
      for (const [name, queries] of Object.entries(classes)) {
        const samples: number[] = [];
        for (const query of queries.slice(0, SAMPLES)) {
          samples.push(await lastKeystroke(page, query));
        }
        keystroke[name] = summarize(samples);
        all.push(...samples);
        rows.push([
          `keystroke → rendered, ${name}, p50 / p95 ms`,
          `${keystroke[name].p50_ms} / ${keystroke[name].p95_ms}`,
          '',
        ]);
      }
      const overall = summarize(all);
      keystroke.all = overall;
      results.keystroke_to_rendered = keystroke;
      rows.push(['keystroke → rendered, all classes, p95 ms', overall.p95_ms, '≤ 100']);

      // --- heap after scrolling a broad query's whole list ---
      const cdp = await page.context().newCDPSession(page);
      const heapMb = async () => {
        await cdp.send('HeapProfiler.collectGarbage');
        const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
        return round(usage.usedSize / 2 ** 20, 1);
      };
      await page.getByTestId('search-input').fill('');
      const heapBefore = await heapMb();
      const broad = 'w';
      await page.getByTestId('search-input').fill(broad);
      await page.locator(`[data-testid="search-results"][data-query="${broad}"]`).waitFor();
      const scrollStarted = performance.now();
      for (;;) {
        await page.getByTestId('search-results').evaluate((el) => (el.scrollTop = el.scrollHeight));
        await page.waitForTimeout(50);
        const text = (await page.getByTestId('search-count').textContent()) ?? '';
        if (!text.includes('至少')) break;
      }
      const scrollMs = performance.now() - scrollStarted;
      const listed = Number(
        /(\d+)/.exec((await page.getByTestId('search-count').textContent()) ?? '')?.[1],
      );
      const drawn = await page.getByTestId('search-result').count();
      const heapAfter = await heapMb();
      results.heap = {
        before_search_mb: heapBefore,
        after_full_scroll_mb: heapAfter,
        results_listed: listed,
        rows_in_page: drawn,
        scroll_to_end_ms: Math.round(scrollMs),
      };
      rows.push(['renderer JS heap before searching, MB', heapBefore, '']);
      rows.push([
        `renderer JS heap after scrolling all ${listed} results of "${broad}", MB`,
        heapAfter,
        '',
      ]);
      rows.push(['rows in the page at the end of the list', drawn, '']);
    } finally {
      await browser.close();
      await harness.close();
      await host.stop();
    }
  } finally {
    await server.stop();
  }

  // --- `npm start` to an interactive sign-in screen, on a seeded demo ---
  if (DEMO_CUSTOMERS > 0) {
    const demo = {
      dir: join(dir.path, 'demo'),
      hqPort: await freePort(),
      deskPort: await freePort(),
    };
    const first = await startDemo(demo);
    await first.ready;
    await stop(first.child);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const started = performance.now();
      const second = await startDemo(demo);
      const url = await second.ready;
      const urlMs = performance.now() - started;
      await page.goto(url);
      await page.getByTestId('login-username').waitFor();
      await page.getByTestId('login-username').fill('x'); // answers input: interactive
      const interactiveMs = performance.now() - started;
      await stop(second.child);
      results.npm_start = {
        demo_customers: DEMO_CUSTOMERS,
        to_url_printed_ms: Math.round(urlMs),
        to_interactive_sign_in_ms: Math.round(interactiveMs),
      };
      rows.push([
        `npm start → interactive sign-in (seeded demo, ${DEMO_CUSTOMERS} at HQ), s`,
        round(interactiveMs / 1000, 1),
        '',
      ]);
    } finally {
      await browser.close();
    }
  }

  report('ui', rows, results);
} finally {
  for (const id of profiles) forgetProfileSecrets(id, secrets);
  dir.cleanup();
}

/** Query texts per class, taken from customers spread through the vault. */
function queryClasses(sample: Customer[]): Record<string, string[]> {
  const ids = sample.flatMap((c) =>
    c.identityDocuments.filter((d) => d.type === 'resident_id').map((d) => d.number),
  );
  const phones = sample.flatMap((c) =>
    c.phones.filter((p) => p.kind === 'mobile').map((p) => nationalNumber(p.e164)),
  );
  return {
    id_number: ids,
    id_tail: ids.map((id) => id.slice(-6)),
    phone: phones,
    phone_tail: phones.map((phone) => phone.slice(-4)),
    name: sample.filter((c) => c.kind === 'individual').map((c) => c.legalName),
    pinyin_initials: sample
      .map((c) => namePinyin(c.legalName)?.initials)
      .filter((initials): initials is string => Boolean(initials && initials.length >= 2)),
  };
}

/**
 * Records, in the page, when the search box last got input and when the answer to the text
 * awaited was painted (the frame after its rows, or its "none", carry that query). In-page code
 * is passed as text: this file is compiled for Node, without the DOM's types.
 */
async function installStopwatch(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const watch = { typedAt: 0, paintedAt: 0, waitingFor: '' };
    window.stopwatch = watch;
    document
      .querySelector('[data-testid="search-input"]')
      .addEventListener('input', () => (watch.typedAt = performance.now()), true);
    new MutationObserver(() => {
      if (!watch.waitingFor || watch.paintedAt) return;
      const answered = document.querySelector('[data-query="' + CSS.escape(watch.waitingFor) + '"]');
      if (answered) requestAnimationFrame(() => (watch.paintedAt = performance.now()));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  })()`);
}

/** Types all but the last character, lets it settle, then times the last keystroke. */
async function lastKeystroke(page: Page, query: string): Promise<number> {
  const box = page.getByTestId('search-input');
  await box.fill(query.slice(0, -1));
  await page.waitForTimeout(30);
  await page.evaluate(
    `Object.assign(window.stopwatch, { waitingFor: ${JSON.stringify(query)}, typedAt: 0, paintedAt: 0 })`,
  );
  const last = query.slice(-1);
  // A Chinese character arrives as an input method commits it: text, with no key of its own.
  if (/^[\x21-\x7e]$/.test(last)) await box.press(last);
  else await page.keyboard.insertText(last);
  // Polled with evaluate: waitForFunction evaluates text with eval, which the desk's CSP forbids.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ms = await page.evaluate<number>(
      'window.stopwatch.paintedAt > 0 ? window.stopwatch.paintedAt - window.stopwatch.typedAt : -1',
    );
    if (ms >= 0) return ms;
    if (Date.now() > deadline)
      throw new Error(`no answer painted for a query of ${query.length} characters`);
    await page.waitForTimeout(5);
  }
}

/** `npm start` (scripts/start.mjs) in its own folders and ports; `ready` gives the desk's URL. */
async function startDemo(demo: { dir: string; hqPort: number; deskPort: number }) {
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: {
      ...process.env,
      BRANCHDESK_DATA_DIR: join(demo.dir, 'profile'),
      HQ_DATA_DIR: join(demo.dir, 'hq'),
      HQ_PORT: String(demo.hqPort),
      DESK_PORT: String(demo.deskPort),
      DEMO_CUSTOMERS: String(DEMO_CUSTOMERS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+\/\S*token\S*)/.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.on('exit', (status) => reject(new Error(`npm start exited (${status}):\n${output}`)));
  });
  return { child, ready };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.on('exit', resolve));
  process.kill(-child.pid!, 'SIGINT');
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
