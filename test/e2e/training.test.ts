// 培训模式 in Chromium: a training profile enrolled with a training HQ. Every screen carries the
// watermark 培训 / TRAINING, over dialogs too and on the printed page; a trainee does a guided
// exercise (find a walk-in by the ID tail) and is told what was right; a supervisor sees who
// completed which. Every screenshot taken here is checked for the watermark first.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';

describe.skipIf(deskUnavailable)('the training mode in Chromium', () => {
  let desk: Desk;
  const page = () => desk.page;

  /** The watermark covers the whole viewport, above everything; then the screenshot. */
  async function shot(on: Page, name: string) {
    const mark = on.getByTestId('training-watermark');
    expect(await mark.isVisible()).toBe(true);
    const box = (await mark.boundingBox())!;
    const viewport = on.viewportSize()!;
    expect(box).toMatchObject({ x: 0, y: 0, width: viewport.width, height: viewport.height });
    const style = await mark.evaluate((element) => {
      const computed = getComputedStyle(element);
      return { image: computed.backgroundImage, z: Number(computed.zIndex) };
    });
    expect(decodeURIComponent(style.image)).toContain('培训 TRAINING');
    expect(style.z).toBeGreaterThan(1000); // above antd's dialogs
    expect(await on.getByTestId('training-banner').textContent()).toMatch(/培训模式|TRAINING/u);
    await screenshot(on, name);
  }

  beforeAll(async () => {
    desk = await openDesk({ seed: 83, customers: 60, training: true });
  }, 240_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('marks every screen, dialogs and the printed page included', async () => {
    await page().goto(desk.harness.pageUrl);
    await page().getByTestId('login-username').waitFor();
    await expect.poll(() => page().getByTestId('training-watermark').count()).toBe(1);
    await shot(page(), 'training-login-zh');
    await desk.signIn('teller1');
    await shot(page(), 'training-desk-zh');
    const number = desk.vault.db
      .prepare("SELECT customer_number FROM customer WHERE kind = 'individual' LIMIT 1")
      .pluck()
      .get() as string;
    await desk.openCustomer(number);
    await shot(page(), 'training-customer-zh');
    // A dialog: the reveal's reason.
    await page().getByRole('button', { name: '查看明文' }).first().click();
    await page().locator('.ant-modal').first().waitFor();
    await shot(page(), 'training-dialog-zh');
    await page().keyboard.press('Escape');
    // On paper too.
    await page().emulateMedia({ media: 'print' });
    expect(await page().getByTestId('training-watermark').isVisible()).toBe(true);
    const pdf = await page().pdf({ format: 'A4' });
    expect(pdf.length).toBeGreaterThan(1000);
    await page().emulateMedia({ media: 'screen' });
    // And the customer screen.
    const screen = await desk.openCustomerScreen();
    await expect.poll(() => screen.getByTestId('training-watermark').count()).toBe(1);
    await shot(screen, 'training-customer-screen-zh');
    await screen.close();
  });

  it('guides a trainee through an exercise and tells what was right', async () => {
    await page().getByTestId('nav-training').click();
    await page().getByTestId('training-view').waitFor();
    await page().getByTestId('exercise-start-find_walk_in').click();
    const task = page().getByTestId('exercise-find_walk_in').getByTestId('exercise-task');
    await task.waitFor();
    const tail = /尾号为 (\d{3}[\dX])/u.exec((await task.textContent()) ?? '')![1]!;
    await page().getByTestId('search-input').fill(tail);
    await page().getByTestId('search-result').first().waitFor();
    await page().getByTestId('search-input').press('Enter');
    await page().getByTestId('customer-view').waitFor();
    await page().getByTestId('nav-training').click();
    await page().getByTestId('exercise-check-find_walk_in').click();
    const findings = page().getByTestId('exercise-find_walk_in').getByTestId('exercise-findings');
    await findings.waitFor();
    expect(await findings.textContent()).toContain('打开了正确的客户');
    await page().getByTestId('exercise-passed').waitFor();
    await shot(page(), 'training-exercise-zh');
  });

  it('shows a supervisor who completed which', async () => {
    await desk.signOut();
    await desk.signIn('supervisor1');
    await page().getByTestId('nav-training').click();
    await page().getByTestId('training-progress').waitFor();
    expect(await page().getByTestId('training-progress').textContent()).toContain('user:teller1');
    await shot(page(), 'training-progress-zh');
  });
});
