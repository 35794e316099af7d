// The teller's desk end to end: Debian's Chromium (headless) against the web harness, the core
// with a real encrypted vault and keychain, and a real HQ process. Sign-in with TOTP, a wrong
// password and the lockout, search by every kind of identifier, the customer view, a reveal
// with a reason (and its audit entry), the idle lock and unlock, Ctrl+L. Screenshots of each
// screen go to test-results/screenshots; axe finds no serious or critical violation on any.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { dispatch } from '../../electron/core/commands';
import { CustomerStore } from '../../electron/core/customers';
import { namePinyin } from '../../electron/core/customers/terms';
import { CoreHost } from '../../electron/core/hosts/desk/host';
import { enrollDevice } from '../../electron/core/device/enrollment';
import { syncRound } from '../../electron/core/sync/engine';
import { openVault, type Vault } from '../../electron/core/vault';
import { startHarness, type Harness } from '../../electron/core/hosts/web/harness';
import type { Customer } from '../../shared/customer';
import { demoUsers } from '../../hq/seed';
import { CustomerSearch } from '../../electron/core/search';
import { computeResidentIdCheck } from '../../shared/validation';
import { APP_VERSION } from '../../shared/version';
import { chromiumPath, launchBrowser, screenshot, seriousViolations } from '../support/browser';
import {
  addHqUser,
  hqAdmin,
  hqCommand,
  startHq,
  type HqAccount,
  type HqEnv,
  type RunningHq,
} from '../support/hq';
import { profileSandbox, realSecretStore } from '../support/keyring';
import { waitingTotpCodes } from '../support/staff';

const rendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));
const SEED = 12;
const staff = new Map(demoUsers(SEED).map((user) => [user.username, user]));
const MINUTE = 60_000;

if (!chromiumPath)
  console.warn('e2e: skipped, Chromium is not installed (apt-get install chromium)');
if (!existsSync(join(rendererDir, 'index.html')))
  console.warn('e2e: skipped, the renderer is not built (npm run build; npm test builds it)');

describe.skipIf(!chromiumPath || !existsSync(join(rendererDir, 'index.html')))(
  'the teller’s desk in Chromium',
  () => {
    const secrets = realSecretStore();
    const sandbox = profileSandbox(secrets);
    let hq: HqEnv;
    let account: HqAccount;
    let server: RunningHq;
    let host: CoreHost;
    let harness: Harness;
    let browser: Browser;
    let page: Page;
    let reader: Vault;
    let someone: Customer;
    let offset = 0;
    const codes = new Map<string, () => Promise<string>>();
    const code = (username: string) => {
      if (!codes.has(username))
        codes.set(username, waitingTotpCodes(staff.get(username)!.totpSecret));
      return codes.get(username)!();
    };

    beforeAll(async () => {
      hq = { dataDir: join(sandbox.path, 'hq') };
      expect(
        hqCommand(hq, ['seed', '--customers', '400', '--branches', '1', '--seed', String(SEED)])
          .status,
      ).toBe(0);
      const enrollCode = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
      account = addHqUser(hq);
      server = await startHq(hq);
      const dataDir = join(sandbox.path, 'desk');
      const enrolled = await enrollDevice(dataDir, secrets, {
        hqUrl: server.url,
        code: enrollCode,
      });
      sandbox.forget(enrolled.profileId);
      reader = openVault(dataDir, secrets);
      await syncRound(reader, secrets);
      const store = new CustomerStore(reader.db);
      const ids = reader.db
        .prepare("SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_key")
        .pluck()
        .all() as string[];
      // Someone with an ID card and a mobile, whose name no one else here shares.
      someone = ids
        .map((id) => store.get(id)!.customer)
        .find(
          (customer) =>
            customer.identityDocuments[0]?.type === 'resident_id' &&
            customer.phones.some((phone) => phone.kind === 'mobile') &&
            reader.db
              .prepare('SELECT count(*) FROM customer WHERE legal_name = ?')
              .pluck()
              .get(customer.legalName) === 1,
        )!;
      host = new CoreHost({
        dataDir,
        secrets,
        clock: () => Date.now() + offset,
        syncIntervalMs: 3_600_000,
        // Each test orders its syncs against HQ's edits: no nudges from HQ.
        changeStream: false,
      });
      host.start();
      harness = await startHarness({ host, rendererDir });
      browser = await launchBrowser();
      page = await (
        await browser.newContext({
          viewport: { width: 1366, height: 768 },
          reducedMotion: 'reduce',
        })
      ).newPage();
      page.on('pageerror', (error) => console.error('page error:', error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') console.error('page console:', message.text());
      });
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await harness?.close();
      await host?.stop();
      reader?.close();
      await server?.stop();
      sandbox.cleanup();
    });

    async function signIn(username: string, password = staff.get(username)!.password) {
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-totp').fill(await code(username));
      await page.getByTestId('login-submit').click();
    }

    it('refuses a page without the harness token', async () => {
      const stranger = await (await browser.newContext()).newPage();
      await stranger.goto(harness.url);
      await expect.poll(() => stranger.textContent('body')).toContain('连接已断开');
      await stranger.close();
    });

    it('shows a wrong password where it happened, and locks the account after five', async () => {
      for (let attempt = 1; attempt <= 4; attempt++) {
        if (attempt === 1) {
          await page.goto(harness.pageUrl);
          await page.getByTestId('login-username').waitFor();
        }
        await page.getByTestId('login-username').fill('rm1');
        await page.getByTestId('login-password').fill('not the password');
        await page.getByTestId('login-totp').fill('000000');
        await page.getByTestId('login-submit').click();
        await expect
          .poll(() => page.getByTestId('login-error').textContent())
          .toContain(`再错 ${5 - attempt} 次`);
      }
      await page.getByTestId('login-password').fill('still not it');
      await page.getByTestId('login-totp').fill('000000');
      await page.getByTestId('login-submit').click();
      await expect
        .poll(() => page.getByTestId('login-error').textContent())
        .toContain('账户已锁定');
      await screenshot(page, 'login-locked');
    });

    /** Types into the search box; the customer must be among the results (first, unless `anywhere`). */
    async function search(text: string, anywhere = false) {
      await page.getByTestId('search-input').fill(text);
      const shown = () =>
        anywhere
          ? page.getByTestId('search-results').textContent()
          : page.getByTestId('search-result').first().textContent();
      await expect.poll(shown, { timeout: 10_000 }).toContain(someone.customerNumber);
    }

    /** The command context of teller1, signed in at this desk's vault (not through the page). */
    function asTeller() {
      const userId = reader.db
        .prepare("SELECT user_id FROM staff_credential WHERE username = 'teller1'")
        .pluck()
        .get() as string;
      return {
        principal: { kind: 'user', userId, username: 'teller1', roles: ['teller'] },
        secrets,
        vault: reader,
      } as const;
    }

    /**
     * In an open editor: `invalid` in its field shows what `says` and leaves Save disabled; then
     * `valid`, and Ctrl+S saves. The field is `<editor>-input` unless named.
     */
    async function editWithCheck(
      editor: string,
      check: { field?: string; invalid: string; says: string; valid: string },
    ) {
      const field = page.getByTestId(check.field ?? `${editor}-input`);
      await field.fill(check.invalid);
      await expect
        .poll(() => page.getByTestId('customer-view').textContent())
        .toContain(check.says);
      expect(await page.getByTestId(`${editor}-save`).isDisabled()).toBe(true);
      await field.fill(check.valid);
      await field.press('Control+s');
    }

    it('signs a teller in with password and TOTP, in Chinese first', async () => {
      await page.reload();
      await page.getByTestId('login-username').waitFor();
      expect(await page.title()).toBe('BranchDesk 网点客户工作台');
      expect(page.url()).not.toContain('token'); // off the address bar
      await expect.poll(() => page.getByTestId('device-enrolled').textContent()).toContain('B001');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'login');
      await signIn('teller1');
      await expect.poll(() => page.getByTestId('signed-in-user').textContent()).toBe('柜员 王芳');
      await expect
        .poll(() =>
          page.getByTestId('search-input').evaluate((el) => el === el.ownerDocument.activeElement),
        )
        .toBe(true);
    });

    it('finds the customer by full ID, ID tail, phone, Chinese name and pinyin initials', async () => {
      const id = someone.identityDocuments[0]!.number;
      const mobile = someone.phones
        .find((phone) => phone.kind === 'mobile')!
        .e164.replace('+86', '');
      await search(id);
      await screenshot(page, 'search');
      expect(await seriousViolations(page)).toEqual([]);
      await search(id.slice(-6));
      await search(mobile);
      await search(someone.legalName);
      // Names are masked for no one at a teller's desk; ID and phone are.
      const row = await page.getByTestId('search-result').first().textContent();
      expect(row).toContain(someone.legalName);
      expect(row).not.toContain(id);
      expect(row).not.toContain(mobile.slice(3, 7) + mobile.slice(7));
      await search(namePinyin(someone.legalName)!.initials, true);

      // An ID card reader types the 18 characters and Enter faster than any answer comes back.
      await page.getByTestId('search-input').fill('');
      await page.getByTestId('search-input').pressSequentially(id, { delay: 0 });
      await page.getByTestId('search-input').press('Enter');
      await page.getByTestId('customer-view').waitFor();
      expect(await page.getByTestId('customer-name').textContent()).toBe(someone.legalName);
      await page.keyboard.press('Escape');
      await page.getByTestId('customer-view').waitFor({ state: 'detached' });
    });

    it('opens the customer with Enter, masked; a reveal needs a reason and is audited', async () => {
      await search(someone.legalName);
      await page.getByTestId('search-input').press('Enter');
      await page.getByTestId('customer-view').waitFor();
      expect(await page.getByTestId('customer-name').textContent()).toBe(someone.legalName);
      const masked = await page.getByTestId('value-identity_number-0').first().textContent();
      expect(masked).toContain('*');
      await screenshot(page, 'customer');
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByTestId('reveal-identity_number-0').first().click();
      await page.getByTestId('reveal-confirm').click(); // no reason yet
      await expect.poll(() => page.textContent('.ant-modal')).toContain('请选择查看原因');
      await page.getByTestId('reveal-reason').click();
      await page.getByText('客户本人在场且已核实身份').click();
      await page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
      await page.getByTestId('reveal-confirm').click();
      await expect
        .poll(() => page.getByTestId('value-identity_number-0').first().textContent())
        .toBe(someone.identityDocuments[0]!.number);
      await page.locator('.ant-modal').waitFor({ state: 'hidden' });
      await screenshot(page, 'customer-revealed');
      const reveal = new AuditLog(reader).entries({ action: 'reveal', target: someone.id }).at(-1);
      expect(reveal).toMatchObject({ actor: 'user:teller1' });
      expect(JSON.parse(reveal!.details)).toEqual({
        field: 'identity_number',
        index: 0,
        reason: 'customer_present_verified',
      });
    });

    it('edits a phone in place: an invalid number shows why and saves nothing; a valid one saves and reaches HQ', async () => {
      const index = someone.phones.findIndex((phone) => phone.kind === 'mobile');
      const version = () => new CustomerStore(reader.db).get(someone.id)!.customer.version;
      const before = version();
      await page.getByTestId('customer-tab-contacts').click();
      await page.getByTestId(`edit-phone-${index}`).click();
      await page.getByTestId('phone-input').fill('1381234');
      await expect
        .poll(() => page.getByTestId('customer-view').textContent())
        .toContain('手机号码应为11位数字');
      expect(await page.getByTestId('phone-save').isDisabled()).toBe(true);
      await page.getByTestId('phone-input').press('Control+s');
      expect(version()).toBe(before);
      await screenshot(page, 'edit-phone-invalid');
      await page.getByTestId('phone-input').fill('139 1234 5678');
      await page.getByTestId('phone-input').press('Control+s');
      await expect
        .poll(() => page.getByTestId(`value-phone-${index}`).textContent())
        .toBe('139 **** 5678');
      expect(version()).toBe(before + 1);
      await host.syncNow(); // the edit started a round already; this waits for it
      const admin = hqAdmin(() => server.url, account);
      await expect
        .poll(async () => (await admin.scope('B001')).get(someone.id)?.customer.phones)
        .toContainEqual(expect.objectContaining({ e164: '+8613912345678' }));
    });

    it('locks itself after five idle minutes, clears the screen, and unlocks with the password', async () => {
      offset += 5 * MINUTE + 1000;
      await page.getByTestId('unlock-password').waitFor({ timeout: 15_000 });
      expect(await page.textContent('body')).not.toContain(someone.legalName);
      expect(await page.getByTestId('lock-user').textContent()).toContain('柜员 王芳');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'lock');
      await page.getByTestId('unlock-password').fill('wrong');
      await page.getByTestId('unlock-submit').click();
      await expect.poll(() => page.getByTestId('unlock-error').textContent()).toContain('再错');
      // Only the password was asked for: the refusal does not speak of a username or code.
      expect(await page.getByTestId('unlock-error').textContent()).toMatch(/^密码不正确/);
      await page.getByTestId('unlock-password').fill(staff.get('teller1')!.password);
      await page.getByTestId('unlock-submit').click();
      await page.getByTestId('search-input').waitFor();
      expect(await page.getByTestId('search-input').inputValue()).toBe('');
    });

    it('locks at Ctrl+L', async () => {
      await page.getByTestId('search-input').press('Control+l');
      await page.getByTestId('unlock-password').waitFor();
      const last = new AuditLog(reader).entries({ action: 'lock' }).at(-1);
      expect(JSON.parse(last!.details)).toEqual({ reason: 'manual' });
    });

    it('shows a supervisor the approvals inbox, where a teller’s identity change is approved', async () => {
      // The teller proposes a new English name at this desk's vault (through the command table;
      // the edit form is driven in the edits test below): it waits for a supervisor.
      const proposed = await dispatch(
        'customer.update',
        {
          id: someone.id,
          baseVersion: new CustomerStore(reader.db).get(someone.id)!.customer.version,
          changes: { englishName: 'LI JIEHUI' },
        },
        asTeller(),
      );
      expect(
        proposed.ok && (proposed.value as { pendingChangeId: number }).pendingChangeId,
      ).toBeTruthy();

      // The locked teller's desk is switched to the supervisor.
      await page.getByText('切换用户').click();
      await signIn('supervisor1');
      await page.getByTestId('nav-approvals').click();
      await page.getByTestId('approvals-view').waitFor();
      await expect.poll(() => page.getByTestId('approvals-view').textContent()).toContain('英文名');
      // The field by its label, never its internal name.
      expect(await page.getByTestId('approvals-view').textContent()).not.toContain('englishName');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'approvals');
      await page.locator('[data-testid^="approve-"]').first().click();
      await expect
        .poll(() => page.getByTestId('approvals-view').textContent(), { timeout: 15_000 })
        .toContain('没有待审批的变更');
      expect(new CustomerStore(reader.db).get(someone.id)!.customer.englishName).toBe('LI JIEHUI');
      const approved = new AuditLog(reader).entries({ action: 'approve' }).at(-1);
      expect(approved).toMatchObject({ actor: 'user:supervisor1', target: someone.id });
    });

    it('parks an identity conflict in the queue, shows the three values side by side, and resolves it in the UI', async () => {
      const admin = hqAdmin(() => server.url, account);
      // The last test's approval started a sync round. Had it pulled HQ's edit below after the
      // proposal was made, the held change's base version would be stale and the approval
      // refused (CUSTOMER_VERSION_CONFLICT): the clean-clone CI saw that twice. Let it finish.
      await host.syncNow();
      const base = new CustomerStore(reader.db).get(someone.id)!.customer;
      // HQ corrects the English name while the branch, not yet synced, proposes another.
      await admin.edit(someone.id, { englishName: 'LI JIE HUI' });
      const proposed = await dispatch(
        'customer.update',
        { id: someone.id, baseVersion: base.version, changes: { englishName: 'LEE JIEHUI' } },
        asTeller(),
      );
      expect(proposed.ok).toBe(true);
      await page.getByTestId('nav-search').click();
      await page.getByTestId('nav-approvals').click();
      await page.locator('[data-testid^="approve-"]').first().click();
      await expect
        .poll(() => page.getByTestId('approvals-view').textContent(), { timeout: 15_000 })
        .toContain('没有待审批的变更');
      await host.syncNow(); // the approval started a round; this waits for it

      await page.getByTestId('nav-conflicts').click();
      await page.getByTestId('conflict-sides').waitFor();
      expect(await page.getByTestId('conflict-base').textContent()).toBe(base.englishName);
      expect(await page.getByTestId('conflict-local').textContent()).toBe('LEE JIEHUI');
      expect(await page.getByTestId('conflict-hq').textContent()).toBe('LI JIE HUI');
      expect(await page.getByTestId('conflicts-view').textContent()).toContain('英文名');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'conflicts');

      await page.getByTestId('conflict-take-local').click();
      await page.getByTestId('conflicts-none').waitFor();
      await host.syncNow();
      await expect
        .poll(async () => (await admin.scope('B001')).get(someone.id)?.customer.englishName)
        .toBe('LEE JIEHUI');
      const resolved = new AuditLog(reader).entries({ action: 'resolve_conflict' }).at(-1);
      expect(resolved).toMatchObject({ actor: 'user:supervisor1', target: someone.id });
    });

    it('shows an auditor the audit log with its chain, and names masked; a teller sees no audit log', async () => {
      await page.getByRole('button', { name: '退出登录' }).click();
      await signIn('auditor1');
      await page.getByTestId('nav-audit').click();
      await page.getByTestId('audit-view').waitFor();
      await expect
        .poll(() => page.getByTestId('audit-chain').textContent())
        .toContain('哈希链完整');
      await expect.poll(() => page.getByTestId('audit-view').textContent()).toContain('柜员 王芳'); // the member of staff by display name, not user:teller1
      expect(await page.getByTestId('nav-approvals').count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'audit');
      // Filtering by member of staff, action, customer and dates: test/e2e/audit-viewer.test.ts.
      await page.getByTestId('search-input').fill(someone.customerNumber);
      await expect
        .poll(() => page.getByTestId('search-result').first().textContent())
        .toContain(someone.customerNumber);
      const name = await page.getByTestId('result-name').first().textContent();
      expect(name).not.toBe(someone.legalName);
      expect(name).toContain('*');

      await page.getByRole('button', { name: '退出登录' }).click();
      await signIn('teller1');
      await page.getByTestId('search-input').waitFor();
      expect(await page.getByTestId('nav-audit').count()).toBe(0);
      expect(await page.getByTestId('nav-approvals').count()).toBe(0);
    });
    it('shows the device, version and keys in settings; ? opens the list of keys; the rejected ledger', async () => {
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('settings-view').waitFor();
      expect(await page.getByTestId('settings-branch').textContent()).toContain('B001');
      expect(await page.getByTestId('settings-version').textContent()).toBe(APP_VERSION);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'settings');
      await page.getByTestId('nav-rejected').click();
      await page.getByTestId('rejected-view').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByTestId('nav-search').click();
      await page.locator('body').click({ position: { x: 700, y: 400 } });
      await page.keyboard.press('?');
      await page.getByTestId('shortcut-sheet').waitFor();
      expect(await page.getByTestId('shortcut-sheet').textContent()).toContain('Alt+N');
      await page.keyboard.press('Escape');
      await page.getByTestId('shortcut-sheet').waitFor({ state: 'hidden' });
    });

    it('keeps the result list virtual: only the rows in view are drawn, and scrolling loads the next page', async () => {
      // The query with the most results among a few broad ones.
      const direct = new CustomerSearch(reader.db);
      const broad = ['1', '13', 'w', 'l', 'z', 'y', 'c']
        .map((query) => ({
          query,
          count: direct.search(query, { limit: 100, offset: 0 }).items.length,
        }))
        .sort((a, b) => b.count - a.count)[0]!;
      expect(broad.count).toBeGreaterThan(50);
      await page.getByTestId('search-input').fill(broad.query);
      await expect.poll(() => page.getByTestId('search-count').textContent()).toContain('至少 50');
      const drawn = await page.getByTestId('search-result').count();
      expect(drawn).toBeLessThan(30);
      await page.getByTestId('search-results').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await expect
        .poll(() => page.getByTestId('search-count').textContent())
        .not.toContain('至少 50 ');
      expect(await page.getByTestId('search-result').count()).toBeLessThan(30);
      // The keyboard still walks the list, and the selected row stays in view.
      await page.getByTestId('search-input').fill(someone.customerNumber);
      await expect.poll(() => page.getByTestId('search-count').textContent()).not.toContain('至少');
      await page.getByTestId('search-input').fill(broad.query);
      await expect.poll(() => page.getByTestId('search-count').textContent()).toContain('至少 50');
      for (let step = 0; step < 20; step++)
        await page.getByTestId('search-input').press('ArrowDown');
      const selected = page.locator('[data-testid="search-result"][aria-selected="true"]');
      expect(await selected.getAttribute('id')).toBe('result-20');
      expect(await selected.isVisible()).toBe(true);
      await screenshot(page, 'search-many');
    });

    it('creates a customer with Alt+N: checks as typed, warns of the same ID on file, fills birth date and gender from the ID', async () => {
      await page.getByTestId('search-input').press('Alt+n');
      await page.getByTestId('new-customer-view').waitFor();
      await page.getByTestId('new-legal-name').fill('测试新客户');
      await page.getByTestId('new-document-number').fill(someone.identityDocuments[0]!.number);
      await page.getByTestId('new-customer-existing').waitFor();
      expect(await page.getByTestId('new-customer-existing').textContent()).toContain(
        someone.customerNumber,
      );
      await page.getByTestId('new-document-number').fill('11010519900307123');
      await expect
        .poll(() => page.getByTestId('new-customer-view').textContent())
        .toContain('身份证号码应为18位');
      expect(await page.getByTestId('new-customer-save').isDisabled()).toBe(true);
      const first17 = '11010519900307' + '52' + '3'; // born 1990-03-07, male (odd 17th digit)
      const id = first17 + computeResidentIdCheck(first17);
      await page.getByTestId('new-document-number').fill(id);
      // Dates are date pickers now, found by their field's id.
      await expect.poll(() => page.locator('#new-birth-date').inputValue()).toBe('1990-03-07');
      await page.getByTestId('new-customer-existing').waitFor({ state: 'detached' });
      await page.getByTestId('new-mobile').fill('139 0000 1111');
      await page.locator('#new-expires-on').click();
      await page.keyboard.type('2036-03-07');
      await page.keyboard.press('Tab');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'new-customer');
      await page.getByTestId('new-mobile').press('Control+s');
      await page.getByTestId('new-customer-done').waitFor();
      const created = reader.db
        .prepare('SELECT id FROM customer WHERE legal_name = ?')
        .pluck()
        .get('测试新客户') as string;
      const record = new CustomerStore(reader.db).get(created)!.customer;
      expect(record).toMatchObject({ kind: 'individual', gender: 'male', birthDate: '1990-03-07' });
      // A list entry carries its own id (the sync merges phones entry by entry).
      expect(record.phones).toEqual([
        { id: expect.any(String), kind: 'mobile', e164: '+8613900001111', primary: true },
      ]);
    });

    it('keeps what was typed across a lock as a draft in the vault, offered back to the same user', async () => {
      await page.keyboard.press('Escape'); // from the last test's new customer back to search
      await page.getByTestId('search-input').press('Alt+n');
      await page.getByTestId('new-legal-name').fill('草稿客户');
      await page.getByTestId('new-mobile').fill('139 0000 2222');
      const drafts = () =>
        reader.db.prepare("SELECT body FROM desk_draft WHERE form = 'new_customer'").pluck().all();
      await expect.poll(() => drafts().join()).toContain('139 0000 2222');
      await page.keyboard.press('Control+l');
      await page.getByTestId('unlock-password').waitFor();
      expect(await page.textContent('body')).not.toContain('草稿客户');
      await page.getByTestId('unlock-password').fill(staff.get('teller1')!.password);
      await page.getByTestId('unlock-submit').click();
      await page.getByTestId('search-input').press('Alt+n');
      await page.getByTestId('draft-offer').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByTestId('draft-restore').click();
      expect(await page.getByTestId('new-legal-name').inputValue()).toBe('草稿客户');
      expect(await page.getByTestId('new-mobile').inputValue()).toBe('139 0000 2222');
    });

    it('edits the email and adds an address with checks as typed, records a visit, and holds a name change for a supervisor', async () => {
      const stored = () => new CustomerStore(reader.db).get(someone.id)!.customer;
      await page.getByTestId('search-input').fill(someone.customerNumber);
      await expect
        .poll(() => page.getByTestId('search-result').first().textContent())
        .toContain(someone.customerNumber);
      await page.getByTestId('search-input').press('Enter');
      await page.getByTestId('customer-view').waitFor();

      await page.getByTestId('customer-tab-contacts').click();
      await page.getByTestId('edit-email').click();
      await editWithCheck('email', {
        invalid: 'li.jiehui@',
        says: '“@”后面的域名不正确',
        valid: 'li.jiehui@example.cn',
      });
      await page.getByTestId('email-input').waitFor({ state: 'detached' });
      expect(stored().email).toBe('li.jiehui@example.cn');

      await page.getByTestId('customer-tab-addresses').click();
      const addresses = stored().addresses.length;
      await page.getByTestId('add-address').click();
      await page.getByTestId('address-district').fill('110105');
      await page.getByTestId('address-line').fill('建国路 1 号 2 单元 301');
      await editWithCheck('address', {
        field: 'address-postcode',
        invalid: '1000',
        says: '邮政编码应为6位数字',
        valid: '100020',
      });
      await page.getByTestId('address-editor').waitFor({ state: 'detached' });
      expect(stored().addresses).toHaveLength(addresses + 1);
      expect(stored().addresses.at(-1)).toMatchObject({
        districtCode: '110105',
        cityCode: '110100',
        provinceCode: '110000',
        line: '建国路 1 号 2 单元 301',
        postcode: '100020',
      });

      await page.getByTestId('customer-tab-service').click();
      await page.getByTestId('record-visit').click();
      await page.getByTestId('visit-text').fill('办理预留手机号变更');
      await page.getByTestId('visit-save').click();
      await expect
        .poll(() => page.getByTestId('timeline').textContent())
        .toContain('办理预留手机号变更');
      expect(stored().visits.at(-1)).toMatchObject({
        kind: 'branch',
        author: 'user:teller1',
        text: '办理预留手机号变更',
      });
      // The same visit saved again (its answer lost) is recorded once.
      const visit = stored().visits.at(-1)!;
      const visits = stored().visits.length;
      const again = await dispatch(
        'customer.record_visit',
        { id: someone.id, visitId: visit.id, kind: 'branch', text: '办理预留手机号变更' },
        asTeller(),
      );
      expect(again.ok).toBe(true);
      expect(stored().visits).toHaveLength(visits);
      // A visit in someone else's name is refused.
      const forged = await dispatch(
        'customer.update',
        {
          id: someone.id,
          baseVersion: stored().version,
          changes: {
            visits: [
              ...stored().visits,
              { id: randomUUID(), at: visit.at, author: 'user:supervisor1', kind: 'home' },
            ],
          },
        },
        asTeller(),
      );
      expect(forged).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });

      const version = stored().version;
      await page.getByTestId('customer-tab-profile').click();
      await page.getByTestId('edit-name-englishName').click();
      await page.getByTestId('name-englishName-input').fill('LEE JIE HUI');
      await page.getByTestId('name-englishName-input').press('Control+s');
      await expect
        .poll(() => page.getByTestId('edit-notice').textContent())
        .toContain('待主管审批');
      await expect
        .poll(() => page.getByTestId('awaiting-approval').textContent())
        .toContain('英文名');
      expect(stored().version).toBe(version); // nothing applied until approved
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'customer-edits');
      await page.getByTestId('search-input').press('Escape');
    });

    it('edits while HQ is down: the change waits as pending, and goes when HQ is back', async () => {
      const port = Number(new URL(server.url).port);
      await server.stop();
      const index = someone.phones.findIndex((phone) => phone.kind === 'mobile');
      await page.getByTestId('search-input').fill(someone.legalName);
      await expect
        .poll(() => page.getByTestId('search-result').first().textContent())
        .toContain(someone.customerNumber);
      await page.getByTestId('search-input').press('Enter');
      await page.getByTestId('customer-tab-contacts').click();
      await page.getByTestId(`edit-phone-${index}`).click();
      await page.getByTestId('phone-input').fill('137 2222 3333');
      await page.getByTestId('phone-input').press('Control+s');
      await expect
        .poll(() => page.getByTestId(`value-phone-${index}`).textContent())
        .toBe('137 **** 3333');
      await host.syncNow();
      await expect.poll(() => page.getByTestId('status-online').textContent()).toBe('离线');
      await expect
        .poll(() => page.getByTestId('status-pending').textContent(), { timeout: 15_000 })
        .not.toBe('待同步 0 项');
      await screenshot(page, 'offline-pending');

      server = await startHq(hq, { port });
      await host.syncNow();
      await expect.poll(() => page.getByTestId('status-online').textContent()).toBe('已连接总行');
      await expect
        .poll(() => page.getByTestId('status-pending').textContent(), { timeout: 15_000 })
        .toBe('待同步 0 项');
      const admin = hqAdmin(() => server.url, account);
      expect((await admin.scope('B001')).get(someone.id)?.customer.phones).toContainEqual(
        expect.objectContaining({ e164: '+8613722223333' }),
      );
    });
  },
);
