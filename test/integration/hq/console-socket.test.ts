// HQ's console while HQ serves on PGlite (hq/console-socket.ts): the command runs in the serving
// HQ, with its output, exit status and audit record as if the console had run it; relative paths
// are the console's; errors come in the console's language; the socket is its owner's alone and
// goes with HQ; a socket a killed HQ left behind is passed over and the console opens the folder.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSocketPath } from '../../../hq/console-socket';
import { branchctl } from '../../support/branchctl';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { readProfile, vaultPaths } from '../../../electron/core/vault';

const secrets = realSecretStore();

describe.skipIf(process.platform === 'win32')('HQ’s console while HQ serves on PGlite', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq | undefined;
  const socket = () => consoleSocketPath(hq.dataDir);
  const auditEntries = () => {
    const run = hqCommand(hq, ['audit', 'verify', '--hq']);
    expect(run.status, run.stderr).toBe(0);
    return Number(/HQ audit chain: (\d+) entries, intact/.exec(run.stdout)![1]);
  };

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    const seeded = hqCommand(hq, ['seed', '--customers', '20', '--branches', '1', '--seed', '5']);
    expect(seeded.status, seeded.stderr).toBe(0);
    server = await startHq(hq);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    sandbox.cleanup();
  });

  it('runs a command in the serving HQ: its output, its status, its effect and its audit record', async () => {
    expect(statSync(socket()).isSocket()).toBe(true);
    expect(statSync(socket()).mode & 0o777).toBe(0o600);
    const before = auditEntries();
    const made = hqCommand(hq, ['enroll-code', '--branch', 'B001']);
    expect(made.status, made.stderr).toBe(0);
    const code = made.stdout.trim();
    expect(code).toMatch(/^\S+$/);
    // The code is HQ's: a device enrolls with it while HQ keeps serving.
    const dataDir = join(sandbox.path, 'device');
    const enrolled = branchctl([
      'enroll',
      '--hq',
      server!.url,
      '--code',
      code,
      '--data-dir',
      dataDir,
    ]);
    expect(enrolled.status, enrolled.stderr).toBe(0);
    sandbox.forget(readProfile(vaultPaths(dataDir).profile).profileId);
    // Recorded in HQ's own audit like any console command (and the two `audit verify` runs).
    expect(auditEntries()).toBe(before + 2);
  }, 120_000);

  it('reads relative paths from the console’s own folder', () => {
    const folder = join(sandbox.path, 'notices');
    mkdirSync(folder);
    writeFileSync(join(folder, 'zh.txt'), '隐私政策\n我们如何处理您的个人信息。\n');
    writeFileSync(
      join(folder, 'en.txt'),
      'Privacy notice\nHow we handle your personal information.\n',
    );
    const published = hqCommand(
      hq,
      [
        'privacy',
        'notice',
        'publish',
        ...['--version', '2027.1', '--effective-from', '2027-01-01', '--zh', 'zh.txt'],
        ...['--en', 'en.txt'],
      ],
      { cwd: folder },
    );
    expect(published.status, published.stderr).toBe(0);
    expect(hqCommand(hq, ['privacy', 'notice', 'list']).stdout).toContain('2027.1');
  });

  it('answers in the console’s language, with the console’s exit statuses', () => {
    const device = randomUUID();
    const en = hqCommand(hq, ['revoke-device', '--device', device], {
      env: { LANG: 'en_US.UTF-8' },
    });
    expect(en.status).toBe(1);
    expect(en.stderr).toContain(`Error [DEVICE_NOT_FOUND]: There is no device ${device}.`);
    const zh = hqCommand(hq, ['revoke-device', '--device', device], {
      env: { LANG: 'zh_CN.UTF-8' },
    });
    expect(zh.status).toBe(1);
    expect(zh.stderr).toContain(`Error [DEVICE_NOT_FOUND]: 设备 ${device} 不存在。`);
    const usage = hqCommand(hq, ['revoke-device', '--device', 'not-an-id']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage:');
  });

  it('refuses a second HQ on the folder and a request it does not understand, and goes on', async () => {
    const second = hqCommand(hq, ['serve', '--port', '0']);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('HQ_DATA_BUSY');
    const answer = await new Promise<string>((resolve, reject) => {
      const raw = createConnection(socket());
      let text = '';
      raw.setEncoding('utf8');
      raw.on('data', (chunk: string) => (text += chunk));
      raw.on('end', () => resolve(text));
      raw.on('error', reject);
      raw.write('{"argv": "enroll-code"}\n');
    });
    expect(JSON.parse(answer)).toMatchObject({ status: 1, stdout: '' });
    expect(hqCommand(hq, ['enroll-code', '--branch', 'B001']).status).toBe(0);
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
  });

  it('goes with HQ; a socket a killed HQ left is passed over and the console opens the folder', async () => {
    await server!.kill();
    server = undefined;
    expect(existsSync(socket())).toBe(true); // nobody removed it
    const direct = hqCommand(hq, ['enroll-code', '--branch', 'B001']);
    expect(direct.status, direct.stderr).toBe(0);
    server = await startHq(hq);
    expect(statSync(socket()).mode & 0o777).toBe(0o600);
    expect(hqCommand(hq, ['enroll-code', '--branch', 'B001']).status).toBe(0);
    await server.stop();
    server = undefined;
    expect(existsSync(socket())).toBe(false);
  });
});
