// The customer 360 in Chromium, role by role: its sections as tabs a keyboard can walk; a note and
// a task (then completed) added by an RM, kept in the vault, queued in the outbox and taken by
// HQ; an RM reveals an account number (reason, value, audit entry) but gets no ID-number reveal;
// an auditor sees no reveal or edit control at all; Esc in the reveal dialog closes the dialog
// only; the English page carries no full-width punctuation and no Chinese product name.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { CustomerService, CustomerStore } from '../../electron/core/customers';
import type { Customer } from '../../shared/customer';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';
import { addHqUser, hqAdmin, startHq, type RunningHq } from '../support/hq';

const tabs = [
  'profile',
  'documents',
  'contacts',
  'addresses',
  'kyc',
  'accounts',
  'consents',
  'service',
  'tasks',
] as const;

describe.skipIf(deskUnavailable)('the customer 360 in Chromium', () => {
  let desk: Desk;
  let someone: Customer;
  let restarted: RunningHq | undefined;
  const stored = () => new CustomerStore(desk.vault.db).get(someone.id)!.customer;

  beforeAll(async () => {
    desk = await openDesk({ seed: 41, customers: 80 });
    const store = new CustomerStore(desk.vault.db);
    const ids = desk.vault.db
      .prepare("SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_key")
      .pluck()
      .all() as string[];
    someone = ids
      .map((id) => store.get(id)!.customer)
      .find(
        (customer) =>
          customer.accounts.length > 0 &&
          customer.addresses.length > 0 &&
          customer.identityDocuments[0]?.type === 'resident_id',
      )!;
  }, 240_000);

  afterAll(async () => {
    await restarted?.stop();
    await desk?.close();
  });

  const page = () => desk.page;
  const tab = (key: (typeof tabs)[number]) => page().getByTestId(`customer-tab-${key}`);
  const showTab = async (key: (typeof tabs)[number]) => {
    await tab(key).click();
    await page().getByTestId(`customer-pane-${key}`).waitFor();
  };
  async function openSomeone() {
    await page().getByTestId('search-input').fill(someone.customerNumber);
    await expect
      .poll(() => page().getByTestId('search-result').first().textContent())
      .toContain(someone.customerNumber);
    await page().getByTestId('search-input').press('Enter');
    await page().getByTestId('customer-view').waitFor();
  }
  /** The key of the tab showing. */
  const selected = async () => {
    const id = await page()
      .locator('[role="tab"][aria-selected="true"] [data-testid^="customer-tab-"]')
      .first()
      .getAttribute('data-testid');
    return id?.replace('customer-tab-', '');
  };

  it('groups the customer in tabs the keyboard can walk, and remembers the last one', async () => {
    await desk.signIn('rm1');
    await openSomeone();
    for (const key of tabs) expect(await tab(key).isVisible()).toBe(true);
    expect(await selected()).toBe('profile');
    await page().locator('[role="tab"][aria-selected="true"]').first().focus();
    await page().keyboard.press('ArrowRight');
    await page().keyboard.press('Enter');
    await expect.poll(selected).toBe('documents');
    await page().keyboard.press('ArrowRight');
    await page().keyboard.press('ArrowRight');
    await page().keyboard.press('Enter');
    await expect.poll(selected).toBe('addresses');
    // Elsewhere and back to the same customer: the same tab. Leaving by the menu leaves no
    // query (perhaps an ID number) on screen, as Esc does.
    await page().getByTestId('nav-settings').click();
    expect(await page().getByTestId('search-input').inputValue()).toBe('');
    await page().getByTestId('nav-search').click();
    await openSomeone();
    await expect.poll(selected).toBe('addresses');
    for (const key of tabs) {
      await showTab(key);
      await screenshot(page(), `customer-${key}-zh`);
    }
    expect(await seriousViolations(page())).toEqual([]);
  });

  it('gives an RM an account-number reveal (reason, value, audit) and no ID-number reveal', async () => {
    expect(await page().locator('[data-testid^="reveal-identity_number-"]').count()).toBe(0);
    await showTab('documents');
    expect(await page().locator('[data-testid^="reveal-identity_number-"]').count()).toBe(0);
    await showTab('accounts');
    await page().getByTestId('reveal-account_number-0').click();
    // Esc in the dialog closes the dialog, not the customer.
    await page().getByRole('dialog').waitFor();
    await page().keyboard.press('Escape');
    await page().locator('.ant-modal').waitFor({ state: 'hidden' });
    expect(await page().getByTestId('customer-view').isVisible()).toBe(true);

    await page().getByTestId('reveal-account_number-0').click();
    await page().getByTestId('reveal-reason').click();
    await page().getByText('客户本人在场且已核实身份').click();
    await page().locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    // Esc with the reason chosen still closes only the dialog; then reveal for real.
    await page().getByTestId('reveal-confirm').click();
    await expect
      .poll(() => page().getByTestId('value-account_number-0').textContent())
      .toBe(someone.accounts[0]!.maskedNumber);
    const reveal = new AuditLog(desk.vault)
      .entries({ action: 'reveal', target: someone.id })
      .at(-1);
    expect(reveal).toMatchObject({ actor: 'user:rm1' });
    expect(JSON.parse(reveal!.details)).toEqual({
      field: 'account_number',
      index: 0,
      reason: 'customer_present_verified',
    });
    expect(await page().getByTestId('customer-view').isVisible()).toBe(true);
  });

  it('adds a note and a task and completes it, kept after reopening, queued, and at HQ after a sync', async () => {
    // HQ is away while the RM works, so the changes wait in the outbox where they can be seen.
    const port = Number(new URL(desk.server.url).port);
    await desk.server.stop();
    const queued = () =>
      desk.vault.db
        .prepare('SELECT mutation FROM outbox WHERE customer_id = ?')
        .pluck()
        .all(someone.id) as string[];
    const notes = stored().notes.length;
    await showTab('service');
    await page().getByTestId('add-note').click();
    await page().getByTestId('note-text').fill('客户咨询大额存单，约下周回电');
    await page().getByTestId('note-save').click();
    await expect
      .poll(() => page().getByTestId('timeline').textContent())
      .toContain('客户咨询大额存单，约下周回电');
    expect(stored().notes).toHaveLength(notes + 1);

    await showTab('tasks');
    await page().getByTestId('add-task').click();
    await page().getByTestId('task-title').fill('回电确认大额存单');
    await page().locator('#task-due').fill('2030-03-01');
    await page().locator('#task-due').press('Enter');
    // Enter takes the date and submits the form, as the save button would.
    await expect
      .poll(() => page().getByTestId('tasks-table').textContent())
      .toContain('回电确认大额存单');
    const row = page().locator('tr', { hasText: '回电确认大额存单' });
    await row.getByTestId('task-done').click();
    await expect.poll(() => row.getByTestId('task-status').textContent()).toBe('已完成');

    // Back to the search and the customer again: what the core stored.
    await page().keyboard.press('Escape');
    await page().getByTestId('customer-view').waitFor({ state: 'detached' });
    await openSomeone();
    await expect.poll(selected).toBe('tasks');
    await expect
      .poll(() => page().locator('tr', { hasText: '回电确认大额存单' }).textContent())
      .toContain('已完成');
    await showTab('service');
    expect(await page().getByTestId('timeline').textContent()).toContain('约下周回电');

    const note = stored().notes.find((entry) => entry.text === '客户咨询大额存单，约下周回电')!;
    const task = stored().tasks.find((entry) => entry.title === '回电确认大额存单')!;
    expect(note.author).toBe('user:rm1');
    expect(task).toMatchObject({ status: 'done', dueOn: '2030-03-01', assignee: 'user:rm1' });

    const fields = queued().flatMap((text) => Object.keys(JSON.parse(text).fields ?? {}));
    expect(fields.filter((field) => field === 'notes')).toHaveLength(1);
    expect(fields.filter((field) => field === 'tasks')).toHaveLength(2);

    // HQ back (a PGlite HQ adds staff only while stopped: an admin to read its record with).
    const account = addHqUser(desk.hq);
    restarted = await startHq(desk.hq, { port });
    await desk.host.syncNow();
    await expect
      .poll(
        () =>
          desk.vault.db
            .prepare('SELECT count(*) FROM outbox WHERE customer_id = ?')
            .pluck()
            .get(someone.id) as number,
        { timeout: 15_000 },
      )
      .toBe(0);
    const admin = hqAdmin(() => restarted!.url, account);
    const atHq = (await admin.scope('B001')).get(someone.id)!.customer as unknown as Customer;
    expect(atHq.notes.map((entry) => entry.id)).toContain(note.id);
    expect(atHq.tasks).toContainEqual(task);
  });

  it('shows English with ASCII punctuation and products by their English names', async () => {
    await desk.signOut();
    await desk.signIn('rm1', { locale: 'en' });
    await openSomeone();
    for (const key of tabs) {
      await showTab(key);
      // The desk's own words (tabs, column and field labels, buttons, tags); names and notes
      // are data, as written.
      const chrome = await page()
        .locator(
          '[data-testid="customer-view"] :is([role="tab"], th, .ant-descriptions-item-label, button, .ant-tag)',
        )
        .allTextContents();
      expect(chrome.join(' | '), key).not.toMatch(/[（），：]/);
      await screenshot(page(), `customer-${key}-en`);
    }
    await showTab('accounts');
    const products = await page()
      .locator('[data-testid="accounts-table"] tbody tr td:first-child')
      .allTextContents();
    expect(products.length).toBeGreaterThan(0);
    for (const product of products) expect(product).not.toMatch(/\p{Script=Han}/u);
    // A nationality by its name in the reader's language, never its ISO code.
    await showTab('profile');
    const profile = (await page().getByTestId('customer-pane-profile').textContent()) ?? '';
    expect(profile).not.toMatch(/Nationality[A-Z]{3}\b/);
    expect(profile).toMatch(/Nationality\S/);
    expect(await seriousViolations(page())).toEqual([]);
  });

  it('shows an auditor no reveal and no edit control, and the customer’s sync conflicts', async () => {
    // A conflict parked for this customer (as a sync would): the header says so.
    new CustomerService(desk.vault).sync.park(
      {
        kind: 'update',
        mutationId: randomUUID(),
        customerId: someone.id,
        hlc: '000001767225600000-0000-device',
        actor: 'user:teller1',
        device: randomUUID(),
        baseVersion: 1,
        fields: { englishName: { from: 'A', to: 'B' } },
      },
      'englishName',
      { base: 'A', local: 'B', hq: 'C', hqVersion: 2 },
    );
    await desk.signOut();
    await desk.signIn('auditor1', { locale: 'zh-CN' });
    await openSomeone();
    expect(await page().getByTestId('customer-conflicts').textContent()).toContain('同步冲突 1 项');
    for (const key of tabs) {
      await showTab(key);
      const controls = page().locator(
        '[data-testid="customer-view"] :is([data-testid^="reveal-"], [data-testid^="edit-"], [data-testid^="add-"], [data-testid="record-visit"], [data-testid="task-done"])',
      );
      expect(await controls.count(), key).toBe(0);
    }
    await screenshot(page(), 'customer-auditor-zh');
  });
});
