// `npm start` as a new developer runs it: HQ on PGlite, seeded; the demo profile enrolled and
// synced; the desk served through the web harness at the address it prints, with the demo staff's
// passwords and current codes (never their TOTP secrets); Ctrl-C (SIGTERM) stops HQ and the desk.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtRendererDir } from '../../electron/core/hosts/web/harness';
import { profileSandbox, realSecretStore } from '../support/keyring';

const start = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const listening = (port: number) =>
  fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );

describe.skipIf(!existsSync(join(builtRendererDir, 'index.html')))('npm start', () => {
  const secrets = realSecretStore();
  const sandbox = profileSandbox(secrets);
  afterAll(() => sandbox.cleanup());

  it('runs the demo on embedded defaults, prints how to sign in, and stops on Ctrl-C', async () => {
    const [hqPort, deskPort] = [await freePort(), await freePort()];
    const demo = spawn(process.execPath, [start], {
      env: {
        ...process.env,
        BRANCHDESK_DATA_DIR: join(sandbox.path, 'profile'),
        HQ_DATA_DIR: join(sandbox.path, 'hq'),
        HQ_PORT: String(hqPort),
        DESK_PORT: String(deskPort),
        DEMO_CUSTOMERS: '60',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    demo.stdout.on('data', (chunk) => (output += chunk));
    demo.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => demo.on('exit', resolve));

    await expect
      .poll(() => /#token=\S+/.test(output) && /code now \d{6}/.test(output), {
        timeout: 150_000,
        interval: 500,
      })
      .toBe(true);
    const profile = JSON.parse(
      readFileSync(join(sandbox.path, 'profile', 'vault.json'), 'utf8'),
    ) as { profileId: string };
    sandbox.forget(profile.profileId);

    const address = /(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(output)![1]!;
    const page = await fetch(address.split('#')[0]!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    for (const user of ['teller1', 'rm1', 'supervisor1', 'auditor1', 'itadmin1'])
      expect(output).toMatch(new RegExp(`${user}\\s.*password \\S+\\s+code now \\d{6}`));
    expect(output).not.toMatch(/TOTP secret|otpauth:/);
    expect(output).toContain('▶ 总行服务');

    demo.kill('SIGTERM');
    expect(await exited).not.toBeUndefined();
    await expect.poll(() => listening(deskPort), { timeout: 15_000 }).toBe(false);
    await expect.poll(() => listening(hqPort), { timeout: 15_000 }).toBe(false);
  }, 240_000);
});
