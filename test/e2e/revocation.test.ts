// A teller at work in Chromium when HQ revokes the device: the next background sync wipes it,
// the desk drops what it showed and says why (zh-CN), offers no sign-in, and says the same after
// a reload. The web harness, the core with a real vault and keychain, a real HQ process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreHost } from '../../electron/core/hosts/desk/host';
import { enrollDevice, type Enrollment } from '../../electron/core/device/enrollment';
import { syncRound } from '../../electron/core/sync/engine';
import { openVault, vaultPaths } from '../../electron/core/vault';
import { startHarness, type Harness } from '../../electron/core/hosts/web/harness';
import { demoUsers } from '../../hq/seed';
import { chromiumPath, launchBrowser, screenshot, seriousViolations } from '../support/browser';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../support/hq';
import { profileSandbox, realSecretStore } from '../support/keyring';
import { waitingTotpCodes } from '../support/staff';

const rendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));
const SEED = 29;
const teller = demoUsers(SEED).find((user) => user.username === 'teller1')!;

describe.skipIf(!chromiumPath || !existsSync(join(rendererDir, 'index.html')))(
  'a desk when HQ revokes its device',
  () => {
    const secrets = realSecretStore();
    const sandbox = profileSandbox(secrets);
    let hq: HqEnv;
    let server: RunningHq;
    let host: CoreHost;
    let harness: Harness;
    let browser: Browser;
    let page: Page;
    let enrolled: Enrollment;
    let dataDir: string;

    beforeAll(async () => {
      hq = { dataDir: join(sandbox.path, 'hq') };
      expect(
        hqCommand(hq, ['seed', '--customers', '40', '--branches', '1', '--seed', String(SEED)])
          .status,
      ).toBe(0);
      const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
      server = await startHq(hq);
      dataDir = join(sandbox.path, 'desk');
      enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
      sandbox.forget(enrolled.profileId);
      const vault = openVault(dataDir, secrets);
      await syncRound(vault, secrets).finally(() => vault.close());
      host = new CoreHost({ dataDir, secrets, syncIntervalMs: 3_600_000 });
      host.start();
      harness = await startHarness({ host, rendererDir });
      browser = await launchBrowser();
      page = await (await browser.newContext({ reducedMotion: 'reduce' })).newPage();
    }, 240_000);
    afterAll(async () => {
      await browser?.close();
      await harness?.close();
      await host?.stop();
      await server?.stop();
      sandbox.cleanup();
    });

    it('signs the teller out with the reason, wipes, and offers no sign-in again', async () => {
      await page.goto(harness.pageUrl);
      await page.getByTestId('login-username').fill(teller.username);
      await page.getByTestId('login-password').fill(teller.password);
      await page.getByTestId('login-totp').fill(await waitingTotpCodes(teller.totpSecret)());
      await page.getByTestId('login-submit').click();
      await page.getByTestId('search-input').waitFor();

      // HQ's console, HQ serving meanwhile (on PGlite it runs the command: hq/console-socket.ts).
      expect(hqCommand(hq, ['revoke-device', '--device', enrolled.deviceId]).status).toBe(0);
      await host.syncNow(); // the background round, as its timer would run it

      const notice = page.getByTestId('device-revoked');
      await notice.waitFor();
      expect(await notice.textContent()).toContain('此设备已被总行停用');
      expect(await notice.textContent()).toContain('任何人都不能再在此登录');
      expect(await page.getByTestId('login-username').count()).toBe(0);
      expect(await page.getByTestId('search-input').count()).toBe(0);
      expect(existsSync(vaultPaths(dataDir).database)).toBe(false);
      await screenshot(page, 'device-revoked');
      expect(await seriousViolations(page)).toEqual([]);

      await page.reload();
      await page.getByTestId('device-revoked').waitFor();
      expect(await page.getByTestId('login-username').count()).toBe(0);
    }, 180_000);
  },
);
