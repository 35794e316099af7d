// branchctl as IT uses it: real processes, real keychain, real files.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyAccounts, readProfile, vaultPaths } from '../../electron/core/vault';
import { branchctl } from '../support/branchctl';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();

describe('branchctl', () => {
  const dir = profileSandbox(secrets);
  afterAll(() => dir.cleanup());

  function init(name: string): string {
    const dataDir = join(dir.path, name);
    const run = branchctl(['init', '--data-dir', dataDir, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    dir.forget(result.value.profileId);
    return dataDir;
  }

  it('init creates a profile and says where its key lives, in Chinese by default', () => {
    const dataDir = join(dir.path, 'human');
    const run = branchctl(['init', '--data-dir', dataDir], {
      ...process.env,
      LANG: 'C.UTF-8',
      BRANCHDESK_LANG: '',
    });
    expect(run.status, run.stderr).toBe(0);
    const profileId = readProfile(vaultPaths(dataDir).profile).profileId;
    dir.forget(profileId);
    expect(run.stdout).toContain(`已创建档案 ${profileId}`);
    expect(run.stdout).toContain(`vault:${profileId}`);
    expect(run.stdout).not.toContain(secrets.get(keyAccounts(profileId).current)!);
  });

  it('doctor reports a healthy vault and exits 0, in English with --lang en', () => {
    const dataDir = init('healthy');
    const run = branchctl(['doctor', '--data-dir', dataDir, '--lang', 'en']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('✓ database integrity');
    expect(run.stdout).toContain('Verdict: healthy');
  });

  it('doctor --json gives every check machine-readably', () => {
    const dataDir = init('json');
    const run = branchctl(['doctor', '--data-dir', dataDir, '--json']);
    expect(run.status).toBe(0);
    const { ok, value } = JSON.parse(run.stdout);
    expect(ok).toBe(true);
    expect(value.healthy).toBe(true);
    expect(value.checks.map((check: { id: string }) => check.id)).toEqual(
      expect.arrayContaining([
        'secret_store',
        'metadata',
        'key',
        'open',
        'profile_binding',
        'schema_version',
        'pragmas',
        'integrity',
      ]),
    );
  });

  it('doctor names the failed check and exits 1 when the key is wrong', () => {
    const dataDir = init('wrong-key');
    const profileId = readProfile(vaultPaths(dataDir).profile).profileId;
    secrets.set(keyAccounts(profileId).current, randomBytes(32).toString('hex'));
    const run = branchctl(['doctor', '--data-dir', dataDir, '--lang', 'en']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('✗ decrypt and open the database');
    expect(run.stdout).toContain('VAULT_KEY_WRONG');
    expect(run.stdout).toContain('Verdict: unhealthy');
  });

  it('doctor on a folder with no profile exits 1 and says so', () => {
    const run = branchctl(['doctor', '--data-dir', join(dir.path, 'nothing'), '--json']);
    expect(run.status).toBe(1);
    const { value } = JSON.parse(run.stdout);
    expect(value.checks.find((check: { id: string }) => check.id === 'metadata')).toMatchObject({
      ok: false,
      errorCode: 'VAULT_NOT_FOUND',
    });
  });

  it('doctor reports a malformed vault.json without touching anything', () => {
    const dataDir = init('malformed');
    writeFileSync(vaultPaths(dataDir).profile, 'not json');
    const run = branchctl(['doctor', '--data-dir', dataDir, '--json']);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).value.checks[1]).toMatchObject({
      id: 'metadata',
      errorCode: 'VAULT_METADATA_INVALID',
    });
  });

  it('rekey rotates the key and the vault stays healthy', () => {
    const dataDir = init('rekey');
    const profileId = readProfile(vaultPaths(dataDir).profile).profileId;
    const before = secrets.get(keyAccounts(profileId).current);
    const run = branchctl(['rekey', '--data-dir', dataDir, '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(secrets.get(keyAccounts(profileId).current)).not.toBe(before);
    expect(branchctl(['doctor', '--data-dir', dataDir]).status).toBe(0);
  });

  it('init twice refuses the second time with exit 1 and a typed error', () => {
    const dataDir = init('twice');
    const run = branchctl(['init', '--data-dir', dataDir, '--json']);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe('VAULT_ALREADY_EXISTS');
  });

  it('exits 2 with usage on unknown commands and options', () => {
    expect(branchctl(['format']).status).toBe(2);
    expect(branchctl(['doctor', '--no-such-flag']).status).toBe(2);
    expect(branchctl([]).status).toBe(2);
    const help = branchctl(['help', '--lang', 'en']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: branchctl');
  });
});
