// A figure's list leaving the desk (shared/insight/list-export.ts): all its rows up to
// EXPORT_ROWS, read from the book a page at a time, and, for a file, a CSV written into a ZIP
// encrypted with AES-256 under the reader's password (zip.js, WinZip AES: 7-Zip, WinRAR and the
// operating systems' archive tools open it). Everything stays in memory: no plaintext touches
// the disk, and the password goes to the encryption alone.
import { configure, TextReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import type { BookFigure } from '../../../shared/insight/book';
import { EXPORT_ROWS } from '../../../shared/insight/list-export';
import type { SegmentRuleTable } from '../../../shared/insight/segment';
import type { CalendarDate } from '../../../shared/validation/dates';
import type { Book, BookReader, ListedCustomer } from './book';

// The core runs on Node: no web workers; compression by the platform's streams.
configure({ useWebWorkers: false });

const PAGE = 500;

/** The list behind `figure`, sorted, at most EXPORT_ROWS rows, and how many there are in all. */
export function wholeList(
  reader: BookReader,
  book: Book,
  figure: BookFigure,
  today: CalendarDate,
  order: { sort: 'day' | 'name' | 'number'; descending: boolean },
  rules: SegmentRuleTable,
): { total: number; items: ListedCustomer[] } {
  const items: ListedCustomer[] = [];
  let total = 0;
  // One read transaction: a sync writing between pages cannot shift rows across them.
  reader.read(() => {
    for (let offset = 0; offset < EXPORT_ROWS; offset += PAGE) {
      const limit = Math.min(PAGE, EXPORT_ROWS - offset);
      const page = reader.list(book, figure, today, { offset, limit, ...order }, rules);
      total = page.total;
      items.push(...page.items);
      if (offset + limit >= page.total) break;
    }
  });
  return { total, items };
}

/** `text` as `name` in a ZIP encrypted with AES-256 under `password`. */
export async function encryptedZip(
  name: string,
  text: string,
  password: string,
): Promise<Uint8Array> {
  const zip = new ZipWriter(new Uint8ArrayWriter(), {
    password,
    encryptionStrength: 3,
    zipCrypto: false,
  });
  await zip.add(name, new TextReader(text));
  return zip.close();
}
