// A list of the book as it leaves the desk: on paper (the desk prints what insight.print_list
// returns) or in an encrypted file (insight.export_list: a CSV inside a ZIP encrypted with
// AES-256 under a password the member of staff chooses, which 7-Zip, WinRAR and the operating
// systems' own tools open). Either way the rows are the list's, masked as a search masks them for
// the reader, at most EXPORT_ROWS of them, and the output is audited (print, export).
import { z } from 'zod';
import { csvDocument } from '../csv';
import type { CustomerListItem } from '../customer/list-item';
import type { Locale } from '../i18n/errors';

/** The most rows one print or export holds (the list says how many more there were). */
export const EXPORT_ROWS = 10_000;

/**
 * The password of an exported file: 10 to 128 characters, letters and digits both. It is handed
 * to the file's encryption and to nothing else (never logged or audited).
 */
export const exportPasswordSchema = z
  .string()
  .min(10, 'at least 10 characters')
  .max(128)
  .regex(/\p{L}/u, 'a letter')
  .regex(/\p{N}/u, 'a digit');

const words = {
  'zh-CN': {
    columns: [
      '客户号',
      '名称',
      '客户类型',
      '证件号码',
      '手机号码',
      '客户分层',
      '风险等级',
      '相关日期',
    ],
    kind: { individual: '个人', corporate: '对公' },
    segment: { mass: '大众', affluent: '财富', private_banking: '私人银行' },
    risk: { low: '低', medium: '中', high: '高' },
    restricted: '（限制处理）',
  },
  en: {
    columns: ['Customer no.', 'Name', 'Type', 'ID number', 'Mobile', 'Segment', 'Risk', 'Date'],
    kind: { individual: 'Individual', corporate: 'Corporate' },
    segment: { mass: 'Mass', affluent: 'Affluent', private_banking: 'Private banking' },
    risk: { low: 'Low', medium: 'Medium', high: 'High' },
    restricted: ' (restricted)',
  },
} as const;

/** The rows (already masked for the reader) as CSV with a header in `locale`. */
export function bookListCsv(
  rows: readonly { customer: CustomerListItem; day: string | null }[],
  locale: Locale,
): string {
  const w = words[locale];
  return csvDocument([
    [...w.columns],
    ...rows.map(({ customer, day }) => [
      customer.customerNumber,
      customer.displayName + (customer.restricted ? w.restricted : ''),
      w.kind[customer.kind],
      customer.identityDocumentNumber ?? '',
      customer.primaryPhone ?? '',
      w.segment[customer.segment],
      w.risk[customer.riskRating],
      day ?? '',
    ]),
  ]);
}
