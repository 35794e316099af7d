// The vault: one SQLCipher 4 database per profile, keyed by 32 random bytes that live only in
// the OS keychain. Every refusal leaves the files exactly as they were.
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { BranchDeskError } from '../../../shared/errors';
import type { SecretStore } from '../secrets';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrations';
import {
  keyAccounts,
  PROFILE_FORMAT_VERSION,
  readProfile,
  vaultPaths,
  writeProfile,
  type VaultProfile,
} from './profile';
import {
  applyConnectionPragmas,
  createCipherDatabase,
  isBusyError,
  isHotJournalError,
  isWrongKeyError,
  openCipherDatabase,
  preflightDatabaseFile,
  type SqliteDatabase,
} from './sqlcipher';

/** An open profile. Close it when done; the connection holds the decrypted page cache. */
export class Vault {
  constructor(
    readonly dataDir: string,
    readonly profile: VaultProfile,
    private connection: SqliteDatabase,
    /** Which keychain account opened it: `staging` only mid-rotation or in a read-only look. */
    readonly keySource: 'current' | 'staging',
  ) {}

  /**
   * The vault's connection. It changes only when a whole new file takes the vault's place (the
   * initial-sync snapshot, sync/snapshot.ts): anything that keeps statements prepared on it
   * keys them by this connection, not by the Vault (commands/per-vault.ts).
   */
  get db(): SqliteDatabase {
    return this.connection;
  }

  get profileId(): string {
    return this.profile.profileId;
  }

  /** Takes `db`, a connection to the file now at the vault's path, in place of the closed one. */
  replaceConnection(db: SqliteDatabase): void {
    if (this.connection.open) throw new Error('the vault connection being replaced is still open');
    this.connection = db;
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }
}

/**
 * What `make` builds on the vault's connection (prepared statements, mostly), built again when
 * the connection changes: a long-lived service keeps working after the initial-sync snapshot
 * puts a new file in the vault's place (sync/snapshot.ts).
 */
export function perConnection<T>(vault: Vault, make: (db: SqliteDatabase) => T): () => T {
  let madeFor: SqliteDatabase | undefined;
  let made: T | undefined;
  return () => {
    if (madeFor !== vault.db || made === undefined) {
      made = make(vault.db);
      madeFor = vault.db;
    }
    return made;
  };
}

export interface OpenVaultOptions {
  /** Open without writing anything: no migrations, no key promotion (used by `doctor`). */
  readonly?: boolean;
  /**
   * Also run `PRAGMA integrity_check` (a full read of the file) and refuse a vault that fails
   * it. Doctor always does; the app does after an unclean shutdown.
   */
  verifyIntegrity?: boolean;
}

/** Refuses a keychain that is unreachable or would forget the key at reboot. */
export function assertPersistentSecretStore(secrets: SecretStore): void {
  const info = secrets.describe();
  if (!info.persistent) {
    throw new BranchDeskError('SECRET_STORE_NOT_PERSISTENT', { backend: info.backend });
  }
}

/** Creates a new profile in `dataDir`: a fresh key in the keychain and an empty vault. */
export function createVault(dataDir: string, secrets: SecretStore): Vault {
  const paths = vaultPaths(dataDir);
  if ([paths.profile, paths.database, `${paths.database}-wal`].some((file) => existsSync(file))) {
    throw new BranchDeskError('VAULT_ALREADY_EXISTS', { dataDir });
  }
  assertPersistentSecretStore(secrets);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const profile: VaultProfile = {
    profileId: randomUUID(),
    formatVersion: PROFILE_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
  };
  const accounts = keyAccounts(profile.profileId);
  const key = randomBytes(32).toString('hex');
  secrets.set(accounts.current, key);
  // Read it back: a store that accepts a secret but cannot return it would strand the vault.
  if (secrets.get(accounts.current) !== key) {
    secrets.delete(accounts.current);
    throw new BranchDeskError('SECRET_STORE_FAILED', { operation: 'verify' });
  }

  let db: SqliteDatabase | undefined;
  try {
    db = createCipherDatabase(paths.database, key);
    if (process.platform !== 'win32') chmodSync(paths.database, 0o600);
    applyConnectionPragmas(db);
    migrate(db);
    db.prepare('INSERT INTO vault_meta (key, value) VALUES (?, ?), (?, ?)').run(
      'profile_id',
      profile.profileId,
      'created_at',
      profile.createdAt,
    );
    // Fold the WAL into the main file before the profile becomes visible, so page 1 is on disk.
    db.pragma('wal_checkpoint(TRUNCATE)');
    writeProfile(paths.profile, profile);
    return new Vault(dataDir, profile, db, 'current');
  } catch (error) {
    // Undo only what this call created: the profile never became visible.
    db?.close();
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(`${paths.database}${suffix}`, { force: true });
    secrets.delete(accounts.current);
    throw error;
  }
}

/** Opens an existing profile, settling an interrupted key rotation and migrating the schema. */
export function openVault(
  dataDir: string,
  secrets: SecretStore,
  options: OpenVaultOptions = {},
): Vault {
  const readonly = options.readonly ?? false;
  const paths = vaultPaths(dataDir);
  const profile = readProfile(paths.profile);
  if (!existsSync(paths.database)) {
    throw new BranchDeskError('VAULT_DATABASE_MISSING', { profileId: profile.profileId });
  }
  preflightDatabaseFile(paths.database);
  assertPersistentSecretStore(secrets);

  const { db, source } = unlock(paths.database, profile.profileId, secrets, readonly);
  try {
    applyConnectionPragmas(db);
    assertProfileBinding(db, profile);
    // Checked before this call writes anything of its own, so a corrupt file stays as it was.
    if (options.verifyIntegrity) {
      const problem = integrityProblem(db);
      if (problem) throw new BranchDeskError('VAULT_CORRUPT', { problem });
    }
    if (!readonly) {
      settleRotation(profile.profileId, secrets, source);
      removeRotationCopy(paths.database);
      // WAL is a property of the file; set it again in case anything left it otherwise.
      db.pragma('journal_mode = WAL');
      migrate(db);
    }
    return new Vault(dataDir, profile, db, source);
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Finds the key that opens the database: the current one, else the staging one left by an
 * interrupted rotation. Each candidate is tried read-only first, so a wrong key never gets a
 * connection that could write (or checkpoint) anything.
 */
function unlock(
  file: string,
  profileId: string,
  secrets: SecretStore,
  readonly: boolean,
): { db: SqliteDatabase; source: 'current' | 'staging' } {
  const accounts = keyAccounts(profileId);
  // The staging key is fetched only if the current one fails: each keychain read is a D-Bus
  // round trip (about 8 ms), and a rotation is interrupted rarely.
  const candidates = (function* () {
    const current = secrets.get(accounts.current);
    if (current !== null) yield { source: 'current' as const, key: current };
    const staging = secrets.get(accounts.staging);
    if (staging !== null) yield { source: 'staging' as const, key: staging };
    if (current === null && staging === null) {
      throw new BranchDeskError('VAULT_KEY_MISSING', { profileId });
    }
  })();

  for (const { source, key } of candidates) {
    let probe: SqliteDatabase;
    try {
      probe = openCipherDatabase(file, key, { readonly: true });
    } catch (error) {
      if (isWrongKeyError(error)) continue;
      if (isHotJournalError(error)) {
        // A bulk load (rollback-journal mode) was cut short and its journal is waiting. It
        // was written with the current key (rotation never rekeys the live file in place), so
        // only the current key may roll it back.
        if (readonly)
          throw new BranchDeskError('VAULT_INTERRUPTED', { profileId }, { cause: error });
        if (source !== 'current') continue;
        try {
          return { db: openCipherDatabase(file, key), source };
        } catch (recoveryError) {
          if (isWrongKeyError(recoveryError)) continue;
          throw mapOpenError(recoveryError, file);
        }
      }
      throw mapOpenError(error, file);
    }
    if (readonly) return { db: probe, source };
    probe.close();
    try {
      return { db: openCipherDatabase(file, key), source };
    } catch (error) {
      throw mapOpenError(error, file);
    }
  }
  throw new BranchDeskError('VAULT_KEY_WRONG', { profileId });
}

function mapOpenError(error: unknown, file: string): BranchDeskError {
  if (isBusyError(error)) return new BranchDeskError('VAULT_BUSY', {}, { cause: error });
  return new BranchDeskError('VAULT_NOT_A_DATABASE', { file }, { cause: error });
}

/** Where a key rotation builds the re-encrypted copy before swapping it in. */
export function rotationCopyPath(database: string): string {
  return `${database}.rotating`;
}

/** Removes an unfinished rotation copy: until the swap, the live file is the vault. */
export function removeRotationCopy(database: string): void {
  const copy = rotationCopyPath(database);
  for (const suffix of ['', '-journal', '-wal', '-shm'])
    rmSync(`${copy}${suffix}`, { force: true });
}

/**
 * Finishes an interrupted rotation: if the staging key opened the database, the swap happened,
 * so the staging key becomes the current one. (A staging key that did not open it is stale and
 * harmless; `doctor` reports it and the next rotation replaces it.)
 */
function settleRotation(
  profileId: string,
  secrets: SecretStore,
  source: 'current' | 'staging',
): void {
  if (source !== 'staging') return;
  const accounts = keyAccounts(profileId);
  const staging = secrets.get(accounts.staging);
  if (staging === null) return;
  secrets.set(accounts.current, staging);
  secrets.delete(accounts.staging);
}

/** The first problem `PRAGMA integrity_check` reports, or undefined when the file is sound. */
export function integrityProblem(db: SqliteDatabase): string | undefined {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const first = rows[0]?.integrity_check;
  return rows.length === 1 && first === 'ok' ? undefined : (first ?? 'no result');
}

function assertProfileBinding(db: SqliteDatabase, profile: VaultProfile): void {
  if (schemaVersion(db) < 1) return; // A read-only look at a vault not yet migrated.
  const row = db.prepare("SELECT value FROM vault_meta WHERE key = 'profile_id'").get() as
    { value: string } | undefined;
  if (row?.value !== profile.profileId) {
    throw new BranchDeskError('VAULT_PROFILE_MISMATCH', {
      expected: profile.profileId,
      actual: row?.value ?? 'none',
    });
  }
}

export { LATEST_SCHEMA_VERSION };
