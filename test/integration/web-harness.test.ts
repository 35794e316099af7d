// The web harness's doors: the bridge refuses a connection without the per-run token, with a
// wrong one, or from another origin; the file server never serves outside the built renderer;
// every page carries a CSP with no inline script and a fresh style nonce.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CoreHost } from '../../electron/core/hosts/desk/host';
import {
  harnessCsp,
  resolveAsset,
  startHarness,
  type Harness,
} from '../../electron/core/hosts/web/harness';
import { tempDir } from '../support/files';

/** A host whose desks answer every call with the command's name: the bridge is what is tested. */
const echoHost = {
  openDesk: () => ({
    call: async (command: string) => ({ ok: true as const, value: { command } }),
    close: async () => {},
  }),
  syncEvent: () => ({
    online: null,
    running: false,
    lastSuccessAt: null,
    lastError: null,
    progress: null,
  }),
  onSync: () => () => {},
} as unknown as CoreHost;

describe('the web harness', () => {
  const dir = tempDir('branchdesk-harness-');
  const root = join(dir.path, 'renderer');
  let harness: Harness;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(
      join(root, 'index.html'),
      '<html><head><title>t</title></head><body></body></html>',
    );
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir.path, 'secret.txt'), 'not for the browser');
    harness = await startHarness({ host: echoHost, rendererDir: root });
  });
  afterAll(async () => {
    await harness.close();
    dir.cleanup();
  });

  function connect(protocols: string[], origin = harness.url) {
    return new Promise<{ opened: boolean; status?: number; socket?: WebSocket }>((resolve) => {
      const socket = new WebSocket(`${harness.url.replace('http', 'ws')}/bridge`, protocols, {
        origin,
      });
      socket.on('open', () => resolve({ opened: true, socket }));
      socket.on('unexpected-response', (_request, response) =>
        resolve({ opened: false, status: response.statusCode ?? 0 }),
      );
      socket.on('error', () => resolve({ opened: false }));
    });
  }

  it('bridges commands for a page with the token, and refuses everyone else', async () => {
    const good = await connect([`branchdesk.${harness.token}`]);
    expect(good.opened).toBe(true);
    const answer = new Promise<unknown>((resolve) =>
      good.socket!.on('message', (data) => {
        const message = JSON.parse(String(data));
        if ('id' in message) resolve(message);
      }),
    );
    good.socket!.send(JSON.stringify({ id: 7, command: 'session.status', input: {} }));
    expect(await answer).toEqual({
      id: 7,
      result: { ok: true, value: { command: 'session.status' } },
    });
    good.socket!.close();

    expect(await connect([])).toMatchObject({ opened: false, status: 401 });
    expect(await connect(['branchdesk.wrong-token'])).toMatchObject({ opened: false, status: 401 });
    expect(
      await connect([`branchdesk.${harness.token}`], 'http://127.0.0.1.evil.test'),
    ).toMatchObject({ opened: false, status: 403 });
  });

  it('answers a malformed message with a typed error, and keeps the connection', async () => {
    const { socket } = await connect([`branchdesk.${harness.token}`]);
    const messages: unknown[] = [];
    socket!.on('message', (data) => messages.push(JSON.parse(String(data))));
    socket!.send('not json');
    socket!.send(JSON.stringify({ id: 1, command: 'x', input: {}, extra: true }));
    socket!.send(JSON.stringify({ id: 2, command: 'session.status', input: {} }));
    const answers = () => messages.filter((message) => 'id' in (message as object));
    await expect.poll(() => answers().length).toBe(3); // two refusals and one answer
    expect(answers().filter((m) => (m as { result: { ok: boolean } }).result.ok === false)).toEqual(
      [
        expect.objectContaining({
          result: expect.objectContaining({
            error: expect.objectContaining({ code: 'INPUT_INVALID' }),
          }),
        }),
        expect.objectContaining({
          result: expect.objectContaining({
            error: expect.objectContaining({ code: 'INPUT_INVALID' }),
          }),
        }),
      ],
    );
    socket!.close();
  });

  it('serves only the built renderer, with a strict CSP on pages', async () => {
    const page = await fetch(`${harness.url}/`);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(await page.text()).toContain(`content="${nonce}"`);
    const again = (await fetch(`${harness.url}/`)).headers.get('content-security-policy');
    expect(again).not.toBe(csp); // a fresh nonce per page
    expect((await fetch(`${harness.url}/assets/app.js`)).status).toBe(200);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/%00'])
      expect((await fetch(`${harness.url}${path}`)).status, path).toBe(404);
    expect((await fetch(`${harness.url}/`, { method: 'POST' })).status).toBe(405);
  });

  it('resolves asset paths inside the root only', () => {
    expect(resolveAsset('/srv/r', '/')).toBe('/srv/r/index.html');
    expect(resolveAsset('/srv/r', '/assets/a.js?x=1')).toBe('/srv/r/assets/a.js');
    expect(resolveAsset('/srv/r', '/../r2/x')).toBeUndefined();
    expect(resolveAsset('/srv/r', '/..%2fetc/passwd')).toBeUndefined();
    expect(resolveAsset('/srv/r', '/%E0%A4%A')).toBeUndefined();
    expect(resolveAsset('/srv/r', '/a\\..\\..\\x')).toBeUndefined();
    expect(harnessCsp('http://127.0.0.1:5874', 'bm9uY2Vub25jZW5vbmNl')).toContain(
      'connect-src ws://127.0.0.1:5874/bridge',
    );
  });
});
