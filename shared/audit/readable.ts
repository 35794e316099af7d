// An audit row in words, in the reader's language: the desk's table and the CSV the core exports
// are made from this one function, so what an auditor prints, saves and sees agree. The row is
// already masked by the core; this only names things.
import { csvDocument } from '../csv';
import { MASKED } from '../access/masking';
import { revealReasonNames } from '../i18n/access';
import { errorMessages, type Locale } from '../i18n/errors';
import { errorCodes, type ErrorCode } from '../errors';
import type { AuditLogRow } from '../commands/audit';
import { auditActions, type AuditAction } from './entry';
import {
  auditActionNames,
  auditDetailKeys,
  auditDetailLabels,
  auditFieldNames,
  auditPermissionNames,
  auditPlainWords,
  auditValueNames,
  type AuditDetailKey,
} from './words';

export interface ReadableAuditRow {
  seq: number;
  at: string;
  staff: string;
  action: string;
  customerNumber: string;
  customerName: string;
  /** To open the customer from the row when they are on this device; never shown. */
  customerId: string | null;
  reason: string;
  details: { key: string; label: string; value: string }[];
}

/** `YYYY-MM-DD HH:mm` in this computer's time zone (UI.md); a day alone stays a day. */
export function auditTime(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

const isDetailKey = (key: string): key is AuditDetailKey =>
  (auditDetailKeys as readonly string[]).includes(key);
const isAction = (value: string): value is AuditAction =>
  (auditActions as readonly string[]).includes(value);
const isErrorCode = (value: string): value is ErrorCode =>
  (errorCodes as readonly string[]).includes(value);

/** An error code as a sentence, its placeholders dropped (the entry records the code only). */
const errorWords = (code: ErrorCode, locale: Locale) =>
  errorMessages[locale][code]
    .replace(/[（(][^（()）]*\{\w+\}[^（()）]*[)）]/gu, '')
    .replace(/[:：]?\s*\{\w+\}/gu, '')
    .trim();

/** A coded word (a reason, a stage, an event) in the reader's language. */
function codeWords(value: string, locale: Locale): string {
  if (value === MASKED) return auditPlainWords[locale].masked;
  const named =
    auditValueNames[locale][value] ?? (revealReasonNames[locale] as Record<string, string>)[value];
  if (named) return named;
  if (isErrorCode(value)) return errorWords(value, locale);
  // A code no table names yet must not reach a person as a code.
  return /^[A-Za-z]+(_[A-Za-z]+)+$|^[A-Z]{6,}$/.test(value) ? auditPlainWords[locale].other : value;
}

function valueWords(key: string, value: unknown, locale: Locale): string {
  const list = locale === 'zh-CN' ? '、' : ', ';
  if (Array.isArray(value)) return value.map((item) => valueWords(key, item, locale)).join(list);
  if (value === null || value === undefined) return '—';
  if (value === MASKED) return auditPlainWords[locale].masked;
  if (typeof value === 'boolean') {
    if (key === 'ok') return auditValueNames[locale][value ? 'passed' : 'failed']!;
    return auditValueNames[locale][String(value)]!;
  }
  if (typeof value === 'number') return String(key === 'index' ? value + 1 : value);
  const text = String(value);
  switch (key) {
    case 'field':
    case 'fields':
      return auditFieldNames[locale][text] ?? auditPlainWords[locale].other;
    case 'action':
    case 'actions':
      return isAction(text) ? auditActionNames[locale][text] : text;
    case 'permission': {
      const words = auditPermissionNames[locale] as Record<string, string>;
      return text
        .split(':')
        .map((part) => words[part] ?? codeWords(part, locale))
        .join(locale === 'zh-CN' ? '：' : ': ');
    }
    case 'from':
    case 'to':
    case 'dueOn':
    case 'rotatedAt':
      return auditTime(text);
    case 'query':
    case 'maker':
    case 'actor':
      return text;
    default:
      return codeWords(text, locale);
  }
}

/** Who acted, in words: a member of staff by name, or what the log names instead. */
export function auditStaffWords(row: Pick<AuditLogRow, 'actor' | 'staff'>, locale: Locale) {
  if (row.staff !== null) return row.staff;
  if (row.actor.startsWith('os:'))
    return auditPlainWords[locale].operator.replace('{name}', row.actor.slice(3));
  if (row.actor === 'anonymous') return auditPlainWords[locale].anonymous;
  return auditPlainWords[locale].unknownUser;
}

export function readableAuditRow(row: AuditLogRow, locale: Locale): ReadableAuditRow {
  const gone = auditPlainWords[locale].gone;
  return {
    seq: row.seq,
    at: auditTime(row.at),
    staff: auditStaffWords(row, locale),
    action: auditActionNames[locale][row.action],
    customerNumber: row.customer ? (row.customer.number ?? gone) : '',
    customerName: row.customer?.name ?? '',
    customerId: row.customer?.number ? row.customer.id : null,
    reason: row.reason === null ? '' : codeWords(row.reason, locale),
    // Internal ids (a visit's, a mutation's, the device's) mean nothing to a reader: the keys
    // the viewer labels are the ones shown.
    details: row.details
      .filter((detail): detail is { key: AuditDetailKey; value: typeof detail.value } =>
        isDetailKey(detail.key),
      )
      .sort((a, b) => auditDetailKeys.indexOf(a.key) - auditDetailKeys.indexOf(b.key))
      .map((detail) => ({
        key: detail.key,
        label: auditDetailLabels[locale][detail.key],
        value: valueWords(detail.key, detail.value, locale),
      })),
  };
}

export const auditColumnNames: Record<
  Locale,
  Record<Exclude<keyof ReadableAuditRow, 'customerId'>, string>
> = {
  'zh-CN': {
    seq: '序号',
    at: '时间',
    staff: '操作人',
    action: '操作',
    customerNumber: '客户号',
    customerName: '客户姓名',
    reason: '原因',
    details: '详情',
  },
  en: {
    seq: 'No.',
    at: 'Time',
    staff: 'Staff',
    action: 'Action',
    customerNumber: 'Customer no.',
    customerName: 'Customer name',
    reason: 'Reason',
    details: 'Details',
  },
};

const columns = [
  'seq',
  'at',
  'staff',
  'action',
  'customerNumber',
  'customerName',
  'reason',
  'details',
] as const;

/** The rows as CSV in the reader's language: a byte-order mark, a header, CRLF line ends. */
export function auditCsv(rows: readonly AuditLogRow[], locale: Locale): string {
  const names = auditColumnNames[locale];
  const separator = locale === 'zh-CN' ? '；' : '; ';
  const colon = locale === 'zh-CN' ? '：' : ': ';
  const lines = [columns.map((column) => names[column])];
  for (const row of rows) {
    const readable = readableAuditRow(row, locale);
    lines.push(
      columns.map((column) =>
        column === 'details'
          ? readable.details
              .map((detail) => `${detail.label}${colon}${detail.value}`)
              .join(separator)
          : String(readable[column]),
      ),
    );
  }
  return csvDocument(lines);
}
