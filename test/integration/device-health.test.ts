// IT's view of the device (device.health) and refusals in words, through dispatch as signed-in
// staff on a real vault and keychain: IT reads the doctor's checks on the desk's own profile and
// the last sync rounds (a failed one with its code); a teller is refused in a sentence, and so is
// a relationship manager revealing an ID number, with no permission's name in either language.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandContext } from '../../electron/core/commands';
import { syncRound } from '../../electron/core/sync/engine';
import { createVault, openVault, type Vault } from '../../electron/core/vault';
import type { Role } from '../../shared/access/permissions';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();

describe('device.health and refusals in words', () => {
  const sandbox = profileSandbox(secrets);
  let vault: Vault;
  let dataDir: string;

  beforeAll(() => {
    dataDir = join(sandbox.path, 'health');
    const created = createVault(dataDir, secrets);
    sandbox.forget(created.profileId);
    created.close();
    vault = openVault(dataDir, secrets);
  });
  afterAll(() => {
    vault.close();
    sandbox.cleanup();
  });

  const as = (role: Role): CommandContext => ({
    principal: { kind: 'user', userId: `u-${role}`, username: `${role}1`, roles: [role] },
    secrets,
    vault,
    dataDir,
  });

  it('gives IT the doctor, the enrollment and the last rounds, a failed one with its code', async () => {
    // Not enrolled: the round fails before it reaches HQ, and is remembered as failed.
    await expect(syncRound(vault, secrets)).rejects.toMatchObject({ code: 'DEVICE_NOT_ENROLLED' });
    const result = await dispatch('device.health', {}, as('it_admin'));
    if (!result.ok) throw new Error(result.error.code);
    const health = result.value as {
      doctor: { healthy: boolean; checks: { id: string }[] };
      about: { enrolled: boolean; lastSyncAt: string | null };
      rounds: { ok: boolean; error: string | null }[];
    };
    expect(health.doctor.healthy).toBe(true);
    expect(health.doctor.checks.map((check) => check.id)).toContain('integrity');
    expect(health.about).toMatchObject({ enrolled: false, lastSyncAt: null });
    expect(health.rounds).toEqual([
      expect.objectContaining({ ok: false, error: 'DEVICE_NOT_ENROLLED' }),
    ]);
  });

  it('refuses a teller the device in a sentence, without the permission name', async () => {
    const result = await dispatch('device.health', {}, as('teller'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('PERMISSION_DENIED');
    expect(result.error.message['zh-CN']).toBe('您的角色无权维护本设备。');
    expect(result.error.message.en).toBe('Your role may not look after this device.');
  });

  it('says in words that a relationship manager may not reveal an ID number', async () => {
    const result = await dispatch(
      'customer.reveal.identity_number',
      { id: '00000000-0000-4000-8000-000000000000', reason: 'complaint_handling' },
      as('relationship_manager'),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message['zh-CN']).toBe('您的角色无权查看完整证件号码。');
    expect(result.error.message.en).toBe('Your role may not reveal full ID numbers.');
    for (const text of Object.values(result.error.message))
      expect(text).not.toMatch(/reveal_|[a-z]+_[a-z]+|[A-Z_]{6,}/);
  });
});
