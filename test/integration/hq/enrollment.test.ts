// A branch device enrolls with a real HQ process, checks its status, and wipes its vault when HQ
// revokes it: branchctl against HQ over HTTP on loopback, with the real keychain.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceAccount } from '../../../electron/core/device/enrollment';
import { keyAccounts, readProfile, vaultPaths } from '../../../electron/core/vault';
import { branchctl } from '../../support/branchctl';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';

const secrets = realSecretStore();

describe('device enrollment', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq;
  const codes: string[] = [];

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '50', '--branches', '2', '--seed', '3']).status,
    ).toBe(0);
    for (let i = 0; i < 3; i++)
      codes.push(hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim());
    server = await startHq(hq);
  }, 120_000);
  afterAll(async () => {
    await server.stop();
    sandbox.cleanup();
  });

  const dataDir = () => join(sandbox.path, 'branch');

  it('creates a profile if needed, enrolls it, and keeps the credential only in the keychain', () => {
    const run = branchctl([
      'enroll',
      '--hq',
      server.url,
      '--code',
      codes[0]!,
      '--device-name',
      '柜台 1',
      '--data-dir',
      dataDir(),
      '--json',
    ]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const { value } = JSON.parse(run.stdout);
    expect(value).toMatchObject({
      branchId: 'B001',
      branchName: '北京朝阳支行',
      hqUrl: server.url,
    });
    sandbox.forget(value.profileId);
    const credential = secrets.get(deviceAccount(value.profileId));
    expect(credential).toMatch(new RegExp(`^${value.deviceId}\\.[A-Za-z0-9_-]{43}$`));
    expect(run.stdout).not.toContain(credential!.split('.')[1]);
  });

  it('reports the device active, and refuses to enroll the same profile twice', () => {
    const status = branchctl(['device', 'status', '--data-dir', dataDir(), '--lang', 'en']);
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/\(branch B001\): active/);
    const again = branchctl([
      'enroll',
      '--hq',
      server.url,
      '--code',
      codes[1]!,
      '--data-dir',
      dataDir(),
      '--json',
    ]);
    expect(JSON.parse(again.stdout).error.code).toBe('DEVICE_ALREADY_ENROLLED');
  });

  it('refuses a wrong code, plain HTTP beyond loopback, and an unreachable HQ, with typed errors', () => {
    const other = join(sandbox.path, 'other');
    const wrong = branchctl([
      'enroll',
      '--hq',
      server.url,
      '--code',
      'AAAA-BBBB-CCCC',
      '--data-dir',
      other,
      '--json',
    ]);
    expect(JSON.parse(wrong.stdout).error.code).toBe('ENROLLMENT_CODE_INVALID');
    sandbox.forget(readProfile(vaultPaths(other).profile).profileId);
    const plain = branchctl([
      'enroll',
      '--hq',
      'http://hq.example.com',
      '--code',
      codes[1]!,
      '--data-dir',
      other,
      '--json',
    ]);
    expect(JSON.parse(plain.stdout).error).toMatchObject({
      code: 'INPUT_INVALID',
      details: { issues: expect.stringContaining('https') },
    });
    const down = branchctl([
      'enroll',
      '--hq',
      'http://127.0.0.1:9',
      '--code',
      codes[1]!,
      '--data-dir',
      other,
      '--json',
    ]);
    expect(JSON.parse(down.stdout).error.code).toBe('HQ_UNREACHABLE');
    const bad = branchctl([
      'enroll',
      '--hq',
      server.url,
      '--code',
      'not a code',
      '--data-dir',
      other,
      '--json',
    ]);
    expect(bad.status).toBe(2);
  });

  it('wipes the vault when HQ has revoked the device: keys out of the keychain, files gone', async () => {
    const profileId = readProfile(vaultPaths(dataDir()).profile).profileId;
    const deviceId = secrets.get(deviceAccount(profileId))!.split('.')[0]!;
    // HQ's console, HQ serving meanwhile (on PGlite it runs the command: hq/console-socket.ts).
    expect(hqCommand(hq, ['revoke-device', '--device', deviceId]).status).toBe(0);

    const run = branchctl(['device', 'status', '--data-dir', dataDir(), '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).value).toMatchObject({ status: 'revoked', wiped: true });
    expect(secrets.get(keyAccounts(profileId).current)).toBeNull();
    expect(secrets.get(deviceAccount(profileId))).toBeNull();
    expect(existsSync(vaultPaths(dataDir()).database)).toBe(false);
    expect(existsSync(vaultPaths(dataDir()).profile)).toBe(false);
  });
});
