// The OS keychain, for real: gnome-keyring's Secret Service on Linux.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OsSecretStore } from '../../electron/core/secrets';
import { envWithoutKeychain, inPrivateKeyring, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();
const probeScript = fileURLToPath(new URL('../support/describe-secret-store.ts', import.meta.url));

/** Runs the describe() probe in a child process with `env`. */
function describeInChild(env: NodeJS.ProcessEnv): unknown {
  const run = spawnSync(process.execPath, ['--import', 'tsx', probeScript], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

describe('the OS secret store', () => {
  it('stores, returns and deletes a secret under service BranchDesk', () => {
    const account = `test:${randomUUID()}`;
    expect(secrets.get(account)).toBeNull();
    secrets.set(account, 'a'.repeat(64));
    expect(secrets.get(account)).toBe('a'.repeat(64));
    // Visible to other Secret Service clients under the documented attributes.
    if (process.platform === 'linux') {
      const lookup = spawnSync(
        'secret-tool',
        ['lookup', 'service', 'BranchDesk', 'username', account],
        { encoding: 'utf8' },
      );
      if (lookup.error === undefined) expect(lookup.stdout).toBe('a'.repeat(64));
    }
    expect(secrets.delete(account)).toBe(true);
    expect(secrets.get(account)).toBeNull();
    expect(secrets.delete(account)).toBe(false);
  });

  it('reports a persistent Secret Service collection', () => {
    const info = secrets.describe();
    expect(info.persistent).toBe(true);
    if (process.platform === 'linux') {
      expect(info.backend).toBe('secret-service');
      expect(info.facts.collection).toBe('/org/freedesktop/secrets/collection/login');
    }
  });

  it.runIf(process.platform === 'linux')(
    'refuses, with a typed error, when no Secret Service can be reached',
    () => {
      expect(describeInChild(envWithoutKeychain())).toEqual({ error: 'SECRET_STORE_UNAVAILABLE' });
    },
  );

  it.runIf(process.platform === 'linux')(
    'reports a store that keeps secrets only in memory as not persistent',
    () => {
      // A private keyring session whose default collection is gnome-keyring's in-memory one.
      const run = inPrivateKeyring(`node --import tsx ${probeScript}`, {
        BRANCHDESK_TEST_VOLATILE_DEFAULT: '1',
      });
      expect(JSON.parse(run.trim().split('\n').pop()!)).toMatchObject({
        persistent: false,
        backend: 'secret-service',
      });
    },
  );

  it.skipIf(process.platform !== 'linux')(
    'keeps working when the keyring daemon dies and the session starts a new one',
    () => {
      // gnome-keyring 42 can abort when a client vanishes mid-request; a desktop restarts it,
      // and the store's cached entries then hold sessions with a daemon that is gone.
      const crashProbe = fileURLToPath(
        new URL('../support/keyring-daemon-crash.ts', import.meta.url),
      );
      const run = inPrivateKeyring(`node --import tsx ${crashProbe}`);
      expect(JSON.parse(run.trim().split('\n').pop()!)).toEqual({
        read: 'before',
        written: null,
        reread: 'after',
        deleted: true,
        restarted: true,
      });
    },
  );

  it.skipIf(process.platform !== 'linux')(
    'reuses its keychain connections: hundreds of calls leave the open file count bounded',
    () => {
      // Each keyring Entry holds a D-Bus connection until garbage collection; a long-running core
      // that made one per call ran past 1024 descriptors, where libdbus's select() spins.
      const open = () => readdirSync('/proc/self/fd').length;
      const fresh = new OsSecretStore();
      const accounts = [0, 1, 2].map(() => `test:${randomUUID()}`);
      fresh.get(accounts[0]!);
      const before = open();
      for (let i = 0; i < 300; i++) fresh.get(accounts[i % 3]!);
      expect(open() - before).toBeLessThanOrEqual(2);
    },
  );
});
