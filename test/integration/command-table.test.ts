// The command table is the only door to the core: unknown commands, bad input and missing
// permissions are refused there with typed errors, before any handler runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandContract, commandNames } from '../../shared/commands/contract';
import { dispatch, type CommandContext } from '../../electron/core/commands';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();
const operator: CommandContext = { principal: { kind: 'local_operator', osUser: 'it' }, secrets };
const anonymous: CommandContext = { principal: { kind: 'anonymous' }, secrets };

describe('the command table', () => {
  const dir = profileSandbox(secrets);
  afterAll(() => dir.cleanup());

  it('declares a permission, an input schema and an output schema for every command', () => {
    for (const name of commandNames) {
      const spec = commandContract[name];
      expect(spec.permission, name).toBeTruthy();
      expect(spec.input, name).toBeDefined();
      expect(spec.output, name).toBeDefined();
    }
  });

  it('refuses an unknown command', async () => {
    const result = await dispatch('vault.format_disk', {}, operator);
    expect(result).toMatchObject({ ok: false, error: { code: 'COMMAND_UNKNOWN' } });
  });

  it('refuses a caller without the permission, and runs nothing', async () => {
    const dataDir = join(dir.path, 'anonymous');
    const result = await dispatch('vault.init', { dataDir }, anonymous);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED', details: { permission: 'administer_device' } },
    });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses invalid input with the rule that failed, never echoing the value', async () => {
    for (const input of [
      {},
      { dataDir: '' },
      { dataDir: 42 },
      { dataDir: 'a\0b' },
      { dataDir: '/tmp/x', extra: 'secret-value' },
      null,
      'text',
    ]) {
      const result = await dispatch('vault.init', input, operator);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('INPUT_INVALID');
        expect(JSON.stringify(result.error)).not.toContain('secret-value');
        expect(result.error.message['zh-CN']).toMatch(/^输入不正确/);
      }
    }
  });

  it('runs a valid command and returns output that satisfies its schema', async () => {
    const dataDir = join(dir.path, 'ok');
    const result = await dispatch('vault.init', { dataDir }, operator);
    expect(result.ok).toBe(true);
    if (result.ok) {
      const value = commandContract['vault.init'].output.parse(result.value);
      dir.forget(value.profileId);
      expect(value.keyAccount).toBe(`vault:${value.profileId}`);
    }
  });
});
