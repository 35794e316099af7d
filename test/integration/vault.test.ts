// The vault against the real OS keychain and real SQLCipher files: what it creates, and every
// refusal, each of which must leave the data directory byte-for-byte as it was.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBranchDeskError, type ErrorCode } from '../../shared/errors';
import {
  createVault,
  keyAccounts,
  LATEST_SCHEMA_VERSION,
  openVault,
  schemaVersion,
  vaultPaths,
} from '../../electron/core/vault';
import { branchctl } from '../support/branchctl';
import { snapshot, tempDir } from '../support/files';
import { envWithoutKeychain, inPrivateKeyring, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();

function expectRefusal(action: () => unknown, code: ErrorCode): void {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected ${code}`).toBeDefined();
  expect(isBranchDeskError(thrown) ? thrown.code : thrown).toBe(code);
}

/** Writes through a raw connection with the vault's key, as an attacker holding the key could. */
function rawConnection(file: string, key: string): Database.Database {
  const db = new Database(file);
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key}'"`);
  return db;
}

describe('the vault', () => {
  let dir: ReturnType<typeof tempDir>;
  let dataDir: string;
  const profiles: string[] = [];

  beforeEach(() => {
    dir = tempDir();
    dataDir = join(dir.path, 'profile');
  });
  afterEach(() => {
    for (const id of profiles.splice(0)) {
      secrets.delete(keyAccounts(id).current);
      secrets.delete(keyAccounts(id).staging);
    }
    dir.cleanup();
  });

  function newVault(): string {
    const vault = createVault(dataDir, secrets);
    profiles.push(vault.profileId);
    vault.db.exec("CREATE TABLE probe (value TEXT NOT NULL); INSERT INTO probe VALUES ('kept')");
    vault.close();
    return vault.profileId;
  }

  it('creates a profile: vault.json, an SQLCipher database at the latest schema, and a 64-hex key in the keychain', () => {
    const profileId = newVault();
    const meta = JSON.parse(readFileSync(join(dataDir, 'vault.json'), 'utf8'));
    expect(meta).toEqual({ profileId, formatVersion: 1, createdAt: expect.any(String) });
    const key = secrets.get(keyAccounts(profileId).current);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(meta)).not.toContain(key);

    const vault = openVault(dataDir, secrets);
    expect(schemaVersion(vault.db)).toBe(LATEST_SCHEMA_VERSION);
    expect(vault.db.prepare('SELECT value FROM probe').pluck().get()).toBe('kept');
    expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(vault.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(vault.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(vault.db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(vault.db.pragma('temp_store', { simple: true })).toBe(2);
    vault.close();
  });

  it('gives every profile its own random key', () => {
    const first = newVault();
    dataDir = join(dir.path, 'second');
    const second = newVault();
    expect(secrets.get(keyAccounts(first).current)).not.toBe(
      secrets.get(keyAccounts(second).current),
    );
  });

  it('refuses to create a profile over an existing one, and keeps the existing key', () => {
    const profileId = newVault();
    const key = secrets.get(keyAccounts(profileId).current);
    const before = snapshot(dataDir);
    expectRefusal(() => createVault(dataDir, secrets), 'VAULT_ALREADY_EXISTS');
    expect(snapshot(dataDir)).toEqual(before);
    expect(secrets.get(keyAccounts(profileId).current)).toBe(key);
  });

  it('refuses to create a profile where only a stray branch.db exists', () => {
    newVault();
    rmSync(join(dataDir, 'vault.json'));
    const before = snapshot(dataDir);
    expectRefusal(() => createVault(dataDir, secrets), 'VAULT_ALREADY_EXISTS');
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('refuses to open a vault whose key is missing, and leaves the file untouched', () => {
    const profileId = newVault();
    secrets.delete(keyAccounts(profileId).current);
    const before = snapshot(dataDir);
    expectRefusal(() => openVault(dataDir, secrets), 'VAULT_KEY_MISSING');
    expect(snapshot(dataDir)).toEqual(before);
    // …and never makes a new key over the existing vault.
    expect(secrets.get(keyAccounts(profileId).current)).toBeNull();
  });

  it('refuses to open a vault with a wrong key, and leaves the file untouched', () => {
    const profileId = newVault();
    secrets.set(keyAccounts(profileId).current, randomBytes(32).toString('hex'));
    const before = snapshot(dataDir);
    expectRefusal(() => openVault(dataDir, secrets), 'VAULT_KEY_WRONG');
    expectRefusal(() => openVault(dataDir, secrets, { readonly: true }), 'VAULT_KEY_WRONG');
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('refuses a wrong key even when a crash left committed pages in the WAL, and touches neither file', () => {
    const profileId = newVault();
    const key = secrets.get(keyAccounts(profileId).current)!;
    // Leave a WAL behind: copy the files while a writer holds uncheckpointed frames.
    // A snapshot taken while a writer holds uncheckpointed commits is what a crash leaves.
    const writer = rawConnection(vaultPaths(dataDir).database, key);
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec("INSERT INTO probe VALUES ('in-wal')");
    const crashed = join(dir.path, 'crashed');
    mkdirSync(crashed);
    for (const name of ['vault.json', 'branch.db', 'branch.db-wal']) {
      copyFileSync(join(dataDir, name), join(crashed, name));
    }
    writer.close();
    expect(existsSync(join(crashed, 'branch.db-wal'))).toBe(true);

    secrets.set(keyAccounts(profileId).current, randomBytes(32).toString('hex'));
    const before = snapshot(crashed);
    expectRefusal(() => openVault(crashed, secrets), 'VAULT_KEY_WRONG');
    expect(snapshot(crashed)).toEqual(before);

    // With the right key the WAL's commit is recovered.
    secrets.set(keyAccounts(profileId).current, key);
    const vault = openVault(crashed, secrets);
    expect(vault.db.prepare('SELECT value FROM probe ORDER BY rowid').pluck().all()).toEqual([
      'kept',
      'in-wal',
    ]);
    vault.close();
  });

  it('refuses a file that is not a database, and leaves it untouched', () => {
    newVault();
    writeFileSync(vaultPaths(dataDir).database, 'this is a note, not a database\n');
    const before = snapshot(dataDir);
    expectRefusal(() => openVault(dataDir, secrets), 'VAULT_NOT_A_DATABASE');
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('refuses a plaintext SQLite database in place of the vault: no fallback to plaintext', () => {
    newVault();
    const file = vaultPaths(dataDir).database;
    rmSync(file);
    const plain = new Database(file);
    plain.exec("CREATE TABLE t (x); INSERT INTO t VALUES ('plain')");
    plain.close();
    const before = snapshot(dataDir);
    expectRefusal(() => openVault(dataDir, secrets), 'VAULT_PLAINTEXT');
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('refuses a vault that fails PRAGMA integrity_check when asked to verify, and leaves it untouched', () => {
    const profileId = newVault();
    const key = secrets.get(keyAccounts(profileId).current)!;
    corruptIndex(vaultPaths(dataDir).database, key);
    const before = snapshot(dataDir);
    expectRefusal(() => openVault(dataDir, secrets, { verifyIntegrity: true }), 'VAULT_CORRUPT');
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('refuses a database that belongs to another profile', () => {
    const first = newVault();
    const firstKey = secrets.get(keyAccounts(first).current)!;
    const firstDb = readFileSync(vaultPaths(dataDir).database);
    dataDir = join(dir.path, 'second');
    const second = newVault();
    // Someone copies profile one's database (and key) under profile two.
    writeFileSync(vaultPaths(dataDir).database, firstDb);
    secrets.set(keyAccounts(second).current, firstKey);
    const before = snapshot(dataDir);
    expectRefusal(() => openVault(dataDir, secrets), 'VAULT_PROFILE_MISMATCH');
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('refuses a database newer than this build, and leaves it untouched', () => {
    const profileId = newVault();
    const raw = rawConnection(
      vaultPaths(dataDir).database,
      secrets.get(keyAccounts(profileId).current)!,
    );
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const before = snapshot(dataDir);
    expectRefusal(() => openVault(dataDir, secrets), 'VAULT_TOO_NEW');
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('says clearly when there is no profile, when vault.json is malformed, and when branch.db is gone', () => {
    expectRefusal(() => openVault(dataDir, secrets), 'VAULT_NOT_FOUND');
    newVault();
    const descriptor = join(dataDir, 'vault.json');
    const good = readFileSync(descriptor);
    writeFileSync(descriptor, '{"profileId": 12');
    expectRefusal(() => openVault(dataDir, secrets), 'VAULT_METADATA_INVALID');
    writeFileSync(descriptor, good);
    rmSync(vaultPaths(dataDir).database);
    const before = snapshot(dataDir);
    expectRefusal(() => openVault(dataDir, secrets), 'VAULT_DATABASE_MISSING');
    expect(snapshot(dataDir)).toEqual(before);
    expect(existsSync(vaultPaths(dataDir).database)).toBe(false);
  });

  it('refuses to open, in a process that cannot reach the keychain, and leaves the file untouched', () => {
    newVault();
    const before = snapshot(dataDir);
    const run = branchctl(['rekey', '--data-dir', dataDir, '--json'], envWithoutKeychain());
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe('SECRET_STORE_UNAVAILABLE');
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('refuses to create a profile in a process that cannot reach the keychain, and creates nothing', () => {
    const run = branchctl(['init', '--data-dir', dataDir, '--json'], envWithoutKeychain());
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe('SECRET_STORE_UNAVAILABLE');
    expect(existsSync(dataDir)).toBe(false);
  });
});

/**
 * Makes an index disagree with its table while keeping every page validly encrypted, so only
 * `integrity_check` (not decryption) can notice.
 */
function corruptIndex(file: string, key: string): void {
  const db = rawConnection(file, key);
  db.exec(`
    CREATE TABLE ledger (id INTEGER PRIMARY KEY, code TEXT NOT NULL);
    CREATE INDEX ledger_code ON ledger (code);
    INSERT INTO ledger (code) VALUES ('a'), ('b'), ('c');
  `);
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  // Point the index's definition at another column: its stored entries no longer match.
  db.prepare(
    "UPDATE sqlite_schema SET sql = 'CREATE INDEX ledger_code ON ledger (id)' WHERE name = 'ledger_code'",
  ).run();
  db.pragma('writable_schema = OFF');
  db.close();
}

describe('the vault on a keychain that forgets at reboot', () => {
  it.runIf(process.platform === 'linux')(
    'refuses to create a profile, and refuses to open one, leaving the files untouched',
    () => {
      const dir = tempDir();
      try {
        const existing = join(dir.path, 'existing');
        const fresh = join(dir.path, 'fresh');
        const vault = createVault(existing, secrets);
        vault.close();
        const before = snapshot(existing);
        const makeVolatile = new URL('../support/make-volatile.ts', import.meta.url).pathname;
        const output = inPrivateKeyring(
          [
            `node --import tsx ${makeVolatile}`,
            `node bin/branchctl.mjs init --data-dir ${fresh} --json`,
            `node bin/branchctl.mjs rekey --data-dir ${existing} --json`,
          ].join('; '),
        );
        const [init, rekey] = output
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line));
        expect(init.error.code).toBe('SECRET_STORE_NOT_PERSISTENT');
        expect(rekey.error.code).toBe('SECRET_STORE_NOT_PERSISTENT');
        expect(existsSync(fresh)).toBe(false);
        expect(snapshot(existing)).toEqual(before);
        secrets.delete(keyAccounts(vault.profileId).current);
      } finally {
        dir.cleanup();
      }
    },
  );
});
