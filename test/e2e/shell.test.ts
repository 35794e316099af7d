// The desk's page itself in Chromium: no console error of its own (no CSP violation when a dialog
// opens, no missing favicon, no eval probe), and a reload keeps the signed-in session, or says
// plainly when the core could not keep it.
import type { ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';

describe.skipIf(deskUnavailable)('the desk page in Chromium', () => {
  let desk: Desk;
  const problems: string[] = [];
  beforeAll(async () => {
    desk = await openDesk({ seed: 31, customers: 60 });
    desk.page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    desk.page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
    });
  }, 240_000);
  afterAll(async () => desk?.close());

  it('opens dialogs and pop-ups without a console error, CSP violation or missing file', async () => {
    await desk.signIn('teller1');
    await desk.page.getByTestId('signed-in-user').click(); // out of the search box
    await desk.page.keyboard.press('?');
    await desk.page.getByRole('dialog').waitFor();
    await desk.page.keyboard.press('Escape');
    await desk.page.getByRole('dialog').waitFor({ state: 'hidden' });
    await desk.page.getByTestId('search-input').fill('王');
    await desk.page.getByTestId('search-result').first().waitFor();
    await desk.page.getByTestId('search-input').fill('');
    // The language menu is a pop-up on the page's layer too.
    await desk.page.getByLabel('language').click();
    await desk.page.getByRole('listbox').waitFor({ state: 'attached' });
    await desk.page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  }, 120_000);

  it('keeps the signed-in session across a reload, with what the user was doing', async () => {
    const signedIn = await desk.page.getByTestId('signed-in-user').textContent();
    // Twice: each connection gets a fresh resume token, the one presented is spent.
    for (let reload = 0; reload < 2; reload++) {
      await desk.page.reload();
      await desk.page.getByTestId('signed-in-user').waitFor();
      expect(await desk.page.getByTestId('signed-in-user').textContent()).toBe(signedIn);
      expect(await desk.page.getByTestId('login-username').count()).toBe(0);
    }
    // The reload is no sign-out: the audit log has no logout for it.
    const actions = desk.vault.db
      .prepare('SELECT action FROM audit_log ORDER BY seq')
      .pluck()
      .all() as string[];
    expect(actions.lastIndexOf('logout')).toBeLessThan(actions.lastIndexOf('login_success'));
    expect(problems).toEqual([]);
  }, 120_000);

  it('says so when a reloaded page finds its session gone', async () => {
    // The core restarts while the page is away: no session to go back to. The page leaves only
    // after the core stopped, so its connection's close reaches a stopped core (as it may when
    // the close arrives late): that close must not park the session for the new core.
    await desk.host.stop();
    await desk.page.goto('about:blank');
    desk.host.start();
    await desk.page.goBack();
    await desk.page.getByTestId('session-lost').waitFor();
    expect(await desk.page.getByTestId('session-lost').textContent()).toContain('请重新登录');
    // Signing in again clears the notice; signing out and reloading shows none.
    await desk.signIn('teller1');
    await desk.signOut();
    await desk.page.reload();
    await desk.page.getByTestId('login-username').waitFor();
    expect(await desk.page.getByTestId('session-lost').count()).toBe(0);
  }, 120_000);
});
