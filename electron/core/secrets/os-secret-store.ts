// The OS keychain through @napi-rs/keyring: Secret Service on Linux (never the kernel keyring,
// which forgets everything at reboot), Keychain on macOS, Credential Manager on Windows.
import { execFileSync } from 'node:child_process';
import { Entry, type EntryOptions } from '@napi-rs/keyring';
import { BranchDeskError } from '../../../shared/errors';
import { SECRET_SERVICE_NAME, type SecretStore, type SecretStoreInfo } from './secret-store';

const backendByPlatform: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'secret-service',
  darwin: 'macos-keychain',
  win32: 'windows-credential-manager',
};

const MAX_CACHED_ENTRIES = 32;

/** Secret Service collections that live only in memory. */
const volatileCollections = new Set(['/org/freedesktop/secrets/collection/session']);

export class OsSecretStore implements SecretStore {
  private readonly backend: string;
  private readonly options: EntryOptions;
  private info: SecretStoreInfo | undefined;
  /**
   * Each Entry holds its own D-Bus connection (on Linux) until it is garbage-collected, and V8
   * does not count file descriptors: a core that made a new Entry per call ran out of them
   * (past 1024, libdbus's select() spins). So entries are reused, a few dozen at most.
   */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly service: string = SECRET_SERVICE_NAME) {
    this.backend = backendByPlatform[process.platform] ?? process.platform;
    // Pin Linux to the Secret Service: the library's default silently falls back to keyutils.
    this.options = { linux: { store: 'secret-service' } };
  }

  describe(): SecretStoreInfo {
    if (this.info) return this.info;
    const facts: Record<string, string> = {};
    let persistent = true; // Keychain and Credential Manager always persist.
    if (process.platform === 'linux') {
      // Asks the Secret Service over D-Bus where its default collection lives. An answer proves
      // the service is reachable without writing anything; the path tells persistent from not.
      const collection = readDefaultCollection();
      if (collection === 'unreachable') {
        throw new BranchDeskError('SECRET_STORE_UNAVAILABLE', { backend: this.backend });
      }
      facts.collection = collection ?? 'none';
      persistent = collection !== undefined && !volatileCollections.has(collection);
    }
    this.info = { backend: this.backend, persistent, facts };
    return this.info;
  }

  get(account: string): string | null {
    return this.call('get', account, (entry) => entry.getPassword());
  }

  set(account: string, secret: string): void {
    this.call('set', account, (entry) => entry.setPassword(secret));
  }

  delete(account: string): boolean {
    return this.call('delete', account, (entry) => entry.deletePassword());
  }

  private entry(account: string): Entry {
    let entry = this.entries.get(account);
    if (entry) {
      this.entries.delete(account); // re-inserted below: most recently used last
    } else {
      entry = new Entry(this.service, account, this.options);
      if (this.entries.size >= MAX_CACHED_ENTRIES) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    this.entries.set(account, entry);
    return entry;
  }

  /**
   * Runs `action` on the account's entry. If the keychain service went away under it (a desktop
   * restarts a crashed keyring daemon; the entry's session died with the old one), the action
   * runs once more on a new entry: each of them is idempotent.
   */
  private call<T>(operation: string, account: string, action: (entry: Entry) => T): T {
    try {
      try {
        return action(this.entry(account));
      } catch (error) {
        if (!serviceVanished(error)) throw error;
        this.entries.delete(account);
        return action(this.entry(account));
      }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      // keyring reports an unreachable or refusing platform store this way on every OS.
      if (/platform storage|secret service|dbus|no storage access/i.test(text)) {
        throw new BranchDeskError(
          'SECRET_STORE_UNAVAILABLE',
          { backend: this.backend },
          { cause: error },
        );
      }
      throw new BranchDeskError('SECRET_STORE_FAILED', { operation }, { cause: error });
    }
  }
}

/** The Secret Service (or the session an entry had with it) is gone: a daemon that died. */
function serviceVanished(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /disconnected from message bus|NoReply|ServiceUnknown|UnknownObject|no such object|session (wrapping the secret )?does not exist/i.test(
    text,
  );
}

/**
 * The object path of the Secret Service's default collection; undefined when it has none;
 * `unreachable` when no Secret Service answers on the session bus.
 */
function readDefaultCollection(): string | undefined | 'unreachable' {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return 'unreachable';
  let reply: string;
  try {
    reply = execFileSync(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--reply-timeout=3000',
        '--dest=org.freedesktop.secrets',
        '/org/freedesktop/secrets',
        'org.freedesktop.Secret.Service.ReadAlias',
        'string:default',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 },
    );
  } catch {
    return 'unreachable';
  }
  const path = /object path "([^"]+)"/.exec(reply)?.[1];
  return path === undefined || path === '/' ? undefined : path;
}
