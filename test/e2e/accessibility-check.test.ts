// The accessibility check the e2e tests make on every screen (test/support/browser.ts) finds what
// it is there to find: on a page that has axe already and on one that has not, after a reload.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchBrowser, seriousViolations } from '../support/browser';

const fit = `<!doctype html><html lang="zh-CN"><head><title>柜面</title></head>
<body><main><h1>客户查询</h1><button type="button">查询</button></main></body></html>`;

describe.skipIf(!chromiumPath)('the accessibility check of the e2e tests', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });
  afterAll(async () => browser?.close());

  const spoil = () =>
    page.evaluate(() => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.spoiled = '';
      document.querySelector('main')!.append(button); // a button with no name: critical
      const image = document.createElement('img');
      image.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
      document.querySelector('main')!.append(image); // an image with no text: critical
    });

  it('finds serious violations the first time it runs on a page and on every later check', async () => {
    await page.setContent(fit);
    await spoil();
    const first = await seriousViolations(page);
    expect(first.map((line) => line.split(':')[0]).sort()).toEqual(['button-name', 'image-alt']);

    // Mended: nothing. Spoiled again: found again, by the axe already in the page.
    await page.evaluate(() => {
      document.querySelectorAll('[data-spoiled], img').forEach((node) => node.remove());
    });
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate('typeof window.axe?.run')).toBe('function');
    await spoil();
    expect((await seriousViolations(page)).length).toBe(2);
  });

  it('checks a page again after it is loaded anew (axe goes back in)', async () => {
    await page.goto(`data:text/html;charset=utf-8,${encodeURIComponent(fit)}`);
    expect(await page.evaluate('typeof window.axe')).toBe('undefined');
    await spoil();
    expect((await seriousViolations(page)).length).toBe(2);
  });
});
