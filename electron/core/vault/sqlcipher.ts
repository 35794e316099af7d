// Opening an SQLCipher 4 database with a raw 256-bit key, and the settings every connection uses.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { BranchDeskError } from '../../../shared/errors';

export type SqliteDatabase = Database.Database;

/** SQLCipher 4's page size; a valid vault file is a whole number of these pages. */
export const CIPHER_PAGE_SIZE = 4096;

/**
 * Page cache cap per connection, in KiB. Every page read from disk is decrypted and
 * HMAC-checked, so a page the cache holds costs nothing more than in a plain file: at 64 MiB a
 * 200k-row vault read 2.4x slower than plain, at 256 MiB it reads within the 1.3x target once
 * warm (bench/vault.bench.ts). SQLite fills the cache only as pages are touched, so a small
 * vault never uses the whole cap.
 */
export const CACHE_SIZE_KIB = 256 * 1024;

const KEY_PATTERN = /^[0-9a-f]{64}$/;

export interface CipherOpenOptions {
  readonly?: boolean;
}

/**
 * Opens `file` with `keyHex` and proves the key by reading the schema. Throws the raw SQLite
 * error on a wrong key (`SQLITE_NOTADB`) so the caller can try another key.
 */
export function openCipherDatabase(
  file: string,
  keyHex: string,
  options: CipherOpenOptions = {},
): SqliteDatabase {
  if (!KEY_PATTERN.test(keyHex)) {
    // A malformed entry in the keychain cannot be the key to any vault we made.
    throw Object.assign(new Error('key is not 64 lowercase hex characters'), {
      code: 'SQLITE_NOTADB',
    });
  }
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: true });
  try {
    for (const pragma of cipherPragmas(keyHex)) db.pragma(pragma);
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Creates a new, empty SQLCipher 4 database file. */
export function createCipherDatabase(file: string, keyHex: string): SqliteDatabase {
  const db = new Database(file);
  for (const pragma of cipherPragmas(keyHex)) db.pragma(pragma);
  db.pragma('journal_mode = WAL');
  return db;
}

/**
 * What a connection runs first to read and write the vault's format: SQLCipher 4 with the raw
 * key. Also the connection's default for files it ATTACHes with `KEY "x'…'"`.
 */
export function cipherPragmas(keyHex: string): string[] {
  return [`cipher = 'sqlcipher'`, 'legacy = 4', `key = "x'${keyHex}'"`];
}

/** The SQLite driver's module, for a worker thread that opens the vault's format itself. */
export const DRIVER_MODULE = 'better-sqlite3-multiple-ciphers';

/** The per-connection settings of ARCHITECTURE.md §3. `journal_mode` persists in the file. */
export function applyConnectionPragmas(db: SqliteDatabase): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma(`cache_size = -${CACHE_SIZE_KIB}`);
}

export function isWrongKeyError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_NOTADB';
}

/** A read-only connection met a hot rollback journal it is not allowed to roll back. */
export function isHotJournalError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_READONLY_ROLLBACK';
}

export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

const SQLITE_PLAINTEXT_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Refuses, without opening it, a file that cannot be an SQLCipher vault: empty, not a whole
 * number of pages, or a plaintext SQLite database.
 */
export function preflightDatabaseFile(file: string): void {
  const { size } = statSync(file);
  if (size === 0 || size % CIPHER_PAGE_SIZE !== 0) {
    throw new BranchDeskError('VAULT_NOT_A_DATABASE', { file });
  }
  const header = Buffer.alloc(SQLITE_PLAINTEXT_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.equals(SQLITE_PLAINTEXT_HEADER)) {
    throw new BranchDeskError('VAULT_PLAINTEXT', { file });
  }
}
