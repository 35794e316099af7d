// The desktop app end to end through Playwright's `_electron`: the real main process, preload,
// app:// page and core utility process, against a real HQ and an enrolled profile: launch,
// sign in with TOTP, search, lock. These run wherever the Electron binary is installed; where it
// is not (this project's CI machine cannot download it) they skip and say so, and the same flows
// stay covered in Chromium through the web harness (test/e2e/desk.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollDevice } from '../../electron/core/device/enrollment';
import { demoUsers } from '../../hq/seed';
import { totpAt } from '../../shared/auth/totp';
import { hqCommand, startHq, type RunningHq } from '../support/hq';
import { profileSandbox, realSecretStore } from '../support/keyring';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The Electron binary npm installed, without triggering its download (index.js would). */
function electronBinary(): string | undefined {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
const built = existsSync(join(root, 'out/main/index.js'));
const skipReason = !binary
  ? 'the Electron binary is not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1; it downloads from GitHub)'
  : !built
    ? 'the app is not built (npm run build)'
    : undefined;
if (skipReason)
  console.warn(`electron e2e: skipped, ${skipReason}; the web-harness e2e covers the same flows`);

const SEED = 21;

describe.skipIf(skipReason !== undefined)('the desktop app (Electron)', () => {
  // Made in beforeAll: a skipped run needs no keychain.
  let sandbox: ReturnType<typeof profileSandbox>;
  let server: RunningHq;
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    const secrets = realSecretStore();
    sandbox = profileSandbox(secrets);
    const hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '200', '--branches', '1', '--seed', `${SEED}`]).status,
    ).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server = await startHq(hq);
    const userData = join(sandbox.path, 'user-data');
    const dataDir = join(sandbox.path, 'profile');
    const enrolled = await enrollDevice(dataDir, secrets, {
      hqUrl: server.url,
      code,
    });
    sandbox.forget(enrolled.profileId);
    app = await _electron.launch({
      executablePath: binary!,
      args: [join(root, 'out/main/index.js'), `--user-data-dir=${userData}`, '--no-sandbox'],
      env: { ...process.env, BRANCHDESK_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '1' },
    });
    page = await app.firstWindow();
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await server?.stop();
    sandbox?.cleanup();
  });

  it('opens the desk from app://, hardened, with no Node in the page', async () => {
    await page.getByTestId('login-username').waitFor();
    expect(page.url()).toBe('app://branchdesk/index.html');
    expect(await page.evaluate('typeof require')).toBe('undefined');
    expect(await page.evaluate('typeof process')).toBe('undefined');
    expect(await page.evaluate('Object.keys(window.branchdesk).sort().join()')).toBe(
      'call,onClose,onSync',
    );
    const windows = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((window) => ({
        url: window.webContents.getURL(),
        devTools: window.webContents.isDevToolsOpened(),
      })),
    );
    expect(windows).toEqual([{ url: 'app://branchdesk/index.html', devTools: false }]);
  });

  it('signs in with TOTP, searches, and locks', async () => {
    const teller = demoUsers(SEED).find((user) => user.username === 'teller1')!;
    await page.getByTestId('login-username').fill(teller.username);
    await page.getByTestId('login-password').fill(teller.password);
    await page.getByTestId('login-totp').fill(totpAt(teller.totpSecret, Date.now()));
    await page.getByTestId('login-submit').click();
    await page.getByTestId('search-input').waitFor({ timeout: 30_000 });
    await page.getByTestId('search-input').fill('C');
    await page.getByTestId('search-result').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('search-input').press('Control+l');
    await page.getByTestId('unlock-password').waitFor();
  });
});
