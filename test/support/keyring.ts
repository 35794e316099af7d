// Tests that touch the OS keychain run inside scripts/with-keyring.sh (npm test arranges it).
// Outside it, on Linux, they fail with a pointer instead of silently using something else.
import v8 from 'node:v8';
import vm from 'node:vm';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OsSecretStore, type SecretStore } from '../../electron/core/secrets';
import { auditKeyAccount, deviceAccount } from '../../electron/core/device/enrollment';
import { legacySessionAccount } from '../../electron/core/session/refresh-tokens';
import { keyAccounts } from '../../electron/core/vault';
import { tempDir } from './files';

export function realSecretStore(): OsSecretStore {
  if (
    process.platform === 'linux' &&
    !process.env.BRANCHDESK_KEYRING_READY &&
    !process.env.DBUS_SESSION_BUS_ADDRESS
  ) {
    throw new Error(
      'No Secret Service: run the tests with `npm test` (it starts gnome-keyring via scripts/with-keyring.sh).',
    );
  }
  return new OsSecretStore();
}

/** The environment of a child process that cannot reach any Secret Service. */
export function envWithoutKeychain(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.BRANCHDESK_KEYRING_READY;
  env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/branchdesk-no-bus';
  return env;
}

/**
 * Points the Secret Service's `default` alias at the in-memory `session` collection, as a
 * keychain that forgets at reboot would be. Only for a private keyring started by the test.
 */
export function makeDefaultCollectionVolatile(): void {
  const result = spawnSync('dbus-send', [
    '--session',
    '--print-reply',
    '--dest=org.freedesktop.secrets',
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service.SetAlias',
    'string:default',
    'objpath:/org/freedesktop/secrets/collection/session',
  ]);
  if (result.status !== 0) throw new Error(`SetAlias failed: ${result.stderr}`);
}

const withKeyring = fileURLToPath(new URL('../../scripts/with-keyring.sh', import.meta.url));

/**
 * Runs a shell command inside a fresh, private D-Bus session and gnome-keyring (Linux), apart
 * from the one the tests share; returns its stdout. For tests that must bend the keychain.
 */
export function inPrivateKeyring(command: string, extraEnv: NodeJS.ProcessEnv = {}): string {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  delete env.BRANCHDESK_KEYRING_READY;
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const run = spawnSync(withKeyring, ['bash', '-c', command], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.error) throw run.error;
  return run.stdout;
}

/**
 * A temp folder for profiles plus the keychain entries they create: `forget(id)` records a
 * profile, `cleanup()` deletes its current and staging keys and the folder.
 */
export function profileSandbox(secrets: SecretStore) {
  const dir = tempDir();
  const profileIds: string[] = [];
  return {
    path: dir.path,
    forget(profileId: string): void {
      profileIds.push(profileId);
    },
    cleanup(): void {
      for (const [index, id] of profileIds.splice(0).entries()) {
        secrets.delete(keyAccounts(id).current);
        secrets.delete(keyAccounts(id).staging);
        for (const account of [deviceAccount(id), auditKeyAccount(id), legacySessionAccount(id)])
          secrets.delete(account);
        // Hundreds of accounts each leave a keychain connection behind until collected.
        if (index % 100 === 99) releaseKeychainConnections();
      }
      dir.cleanup();
    },
  };
}

/**
 * Closes the keychain connections of keyring entries no longer referenced. @napi-rs/keyring
 * keeps one D-Bus connection per entry until the entry is garbage-collected, and V8 does not
 * count file descriptors; a test that makes hundreds of profiles in one process would pass 1024
 * of them, where libdbus's select() spins. (The app reuses its few entries: OsSecretStore.)
 */
export function releaseKeychainConnections(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}
