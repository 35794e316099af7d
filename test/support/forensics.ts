// A forensic reader of what is on disk, independent of the code under test: it decrypts every
// page of the vault's SQLCipher 4 file and its WAL with node:crypto alone (no SQLite library),
// free pages and stale WAL frames included, so a test can prove a value is nowhere in them. And
// it reads every table of HQ's database as text, for the same proof there.
import { createDecipheriv, createHmac, pbkdf2Sync } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { vaultPaths } from '../../electron/core/vault/profile';

// SQLCipher 4's layout, which the vault keeps (electron/core/vault/sqlcipher.ts): 4096-byte
// pages, each ending in an 80-byte reserve of IV then HMAC-SHA512. The file's first 16 bytes
// are the salt, in place of page 1's first 16 bytes (SQLite's magic string).
export const PAGE_SIZE = 4096;
const SALT_SIZE = 16;
const IV_SIZE = 16;
const HMAC_SIZE = 64;
/** The bytes of a page SQLite itself uses: all but the reserve. */
export const USABLE_SIZE = PAGE_SIZE - IV_SIZE - HMAC_SIZE;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const WAL_HEADER_SIZE = 32;
const FRAME_HEADER_SIZE = 24;
const WAL_MAGIC = [0x377f0682, 0x377f0683];

export interface DecryptedPage {
  /** SQLite's number for the page, from 1. */
  page: number;
  /** The page's usable bytes in plaintext; page 1 starts with SQLite's magic string. */
  data: Buffer;
  /** The page's HMAC matched: the key and the layout are right, and the page is intact. */
  verified: boolean;
}

export interface DecryptedFrame extends DecryptedPage {
  /** The frame's place in the WAL file, from 1. Stale frames past the valid ones count too. */
  frame: number;
}

/** The salt of an SQLCipher file: its first 16 bytes. */
export function saltOf(file: string): Buffer {
  return readFileSync(file).subarray(0, SALT_SIZE);
}

/** Decrypts every page of an SQLCipher 4 database file, free pages included. */
export function decryptedPages(file: string, keyHex: string): DecryptedPage[] {
  const bytes = readFileSync(file);
  if (bytes.length % PAGE_SIZE !== 0) throw new Error(`${file} is not whole pages`);
  const cipher = pageCipher(keyHex, bytes.subarray(0, SALT_SIZE));
  const pages: DecryptedPage[] = [];
  for (let at = 0; at < bytes.length; at += PAGE_SIZE) {
    pages.push(cipher(bytes.subarray(at, at + PAGE_SIZE), at / PAGE_SIZE + 1));
  }
  return pages;
}

/**
 * Decrypts the page of every whole frame of a WAL file: a 32-byte header, then frames of a
 * 24-byte header (page number, big-endian, first) and one page encrypted as in the main file
 * (a page 1 starts with the salt there too). Frames a checkpoint or a WAL reset left behind are
 * read like live ones. [] for a missing or empty WAL.
 */
export function decryptedWalPages(walFile: string, keyHex: string, salt: Buffer): DecryptedFrame[] {
  if (!existsSync(walFile) || statSync(walFile).size === 0) return [];
  const bytes = readFileSync(walFile);
  if (!WAL_MAGIC.includes(bytes.readUInt32BE(0)) || bytes.readUInt32BE(8) !== PAGE_SIZE) {
    throw new Error(`${walFile} is not a WAL of ${PAGE_SIZE}-byte pages`);
  }
  const cipher = pageCipher(keyHex, salt);
  const frames: DecryptedFrame[] = [];
  const frameSize = FRAME_HEADER_SIZE + PAGE_SIZE;
  for (let at = WAL_HEADER_SIZE; at + frameSize <= bytes.length; at += frameSize) {
    const page = bytes.readUInt32BE(at);
    const start = at + FRAME_HEADER_SIZE;
    frames.push({
      ...cipher(bytes.subarray(start, start + PAGE_SIZE), page),
      frame: frames.length + 1,
    });
  }
  return frames;
}

/**
 * The decryption of one page by number. SQLCipher 4 with a raw key: AES-256-CBC without
 * padding under the key itself (no KDF), IV from the reserve; HMAC-SHA512 over ciphertext and
 * IV then the page number (4 bytes, little-endian), under PBKDF2-HMAC-SHA512 of the key with
 * the salt XOR 0x3a, 2 iterations. Page 1 is encrypted from byte 16, after the salt.
 */
function pageCipher(keyHex: string, salt: Buffer) {
  const key = Buffer.from(keyHex, 'hex');
  if (key.length !== 32) throw new Error('key is not 64 hex characters');
  const hmacSalt = Buffer.from(salt.map((byte) => byte ^ 0x3a));
  const hmacKey = pbkdf2Sync(key, hmacSalt, 2, 32, 'sha512');
  return (raw: Buffer, page: number): DecryptedPage => {
    const start = page === 1 ? SALT_SIZE : 0;
    const iv = raw.subarray(USABLE_SIZE, USABLE_SIZE + IV_SIZE);
    const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
    const plain = Buffer.concat([
      decipher.update(raw.subarray(start, USABLE_SIZE)),
      decipher.final(),
    ]);
    const pageNumber = Buffer.alloc(4);
    pageNumber.writeUInt32LE(page);
    const mac = createHmac('sha512', hmacKey)
      .update(raw.subarray(start, USABLE_SIZE + IV_SIZE))
      .update(pageNumber)
      .digest();
    return {
      page,
      data: page === 1 ? Buffer.concat([SQLITE_MAGIC, plain]) : plain,
      verified: mac.equals(raw.subarray(USABLE_SIZE + IV_SIZE, PAGE_SIZE)),
    };
  };
}

export interface VaultHit {
  needle: string;
  where: 'db' | 'wal';
  page: number;
}

/**
 * Where each needle occurs in the decrypted pages of a vault's database and WAL (`path` is the
 * data directory or the database file), as UTF-8 and as UTF-16LE: whole within a page, or
 * split across two pages as SQLite splits a long value (see `straddles`).
 */
export function vaultContains(path: string, keyHex: string, needles: string[]): VaultHit[] {
  const file = statSync(path).isDirectory() ? vaultPaths(path).database : path;
  const db = decryptedPages(file, keyHex);
  const wal = decryptedWalPages(`${file}-wal`, keyHex, saltOf(file));
  // A page can be on disk in several versions, the file's and any WAL frames': a value split
  // over two pages is looked for in every version of the second.
  const contents = new Map<number, Buffer[]>();
  for (const { page, data } of [...db, ...wal]) {
    contents.set(page, [...(contents.get(page) ?? []), data.subarray(4)]);
  }
  const patterns = needles.map((needle) => ({
    needle,
    forms: [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')],
  }));

  const hits: VaultHit[] = [];
  for (const [where, pages] of [
    ['db', db],
    ['wal', wal],
  ] as const) {
    for (const { page, data } of pages) {
      for (const { needle, forms } of patterns) {
        if (forms.some((form) => data.includes(form) || straddles(data, form, contents))) {
          hits.push({ needle, where, page });
        }
      }
    }
  }
  return hits;
}

/**
 * Whether `data` holds the start of `form` whose rest begins the content (after the 4-byte
 * next-page pointer) of a version of another page: SQLite continues a long value there. The
 * start is either just before a 4-byte number naming that page (a cell's local part, then its
 * first overflow page's number) or at the very end of the page (an overflow page full of the
 * value; any page may follow, as a freed chain can have lost its pointers). A deleted cell's
 * parts are caught too when secure_delete has not zeroed them.
 */
function straddles(data: Buffer, form: Buffer, contents: Map<number, Buffer[]>): boolean {
  for (let split = 1; split < form.length; split++) {
    const start = form.subarray(0, split);
    const rest = form.subarray(split);
    const continues = (page: number) =>
      (contents.get(page) ?? []).some((content) => content.subarray(0, rest.length).equals(rest));
    if (data.subarray(USABLE_SIZE - split).equals(start) && [...contents.keys()].some(continues)) {
      return true;
    }
    for (let at = data.indexOf(start); at !== -1; at = data.indexOf(start, at + 1)) {
      if (at + split + 4 <= USABLE_SIZE && continues(data.readUInt32BE(at + split))) return true;
    }
  }
  return false;
}

/** Anything that runs a query and returns its rows, as hq/db/database.ts's `Sql` does. */
export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
}

/**
 * Which needles occur in which base tables of the `public` schema, each table read whole as
 * the text of its rows. A needle counts as found as text, or as the hex of its UTF-8 bytes (the
 * text form of a `bytea`).
 */
export async function hqTablesContaining(
  db: Queryable,
  needles: string[],
): Promise<{ needle: string; table: string }[]> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const found: { needle: string; table: string }[] = [];
  for (const { table_name: table } of tables) {
    const quoted = `"${table.replaceAll('"', '""')}"`;
    const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM public.${quoted} t`);
    const text = rows.map(({ row }) => row).join('\n');
    for (const needle of needles) {
      if (text.includes(needle) || text.includes(Buffer.from(needle, 'utf8').toString('hex'))) {
        found.push({ needle, table });
      }
    }
  }
  return found;
}
