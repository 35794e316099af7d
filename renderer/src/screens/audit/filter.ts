// The audit viewer's filter as the screen holds it, and as the core's commands take it.
import type { Dayjs } from 'dayjs';
import { maskIdNumber } from '../../../../shared/access/masking';
import type { AuditAction } from '../../../../shared/audit/entry';
import { auditActionNames } from '../../../../shared/audit/words';
import {
  isCustomerNumber,
  normalizeCustomerNumber,
} from '../../../../shared/customer/customer-number';
import type { Locale } from '../../i18n';

export interface AuditFilterState {
  /** A customer number or an ID number, as typed. */
  customer: string;
  /** A member of staff as the log names them (`user:teller1`). */
  actor: string | undefined;
  actions: AuditAction[];
  range: [Dayjs | null, Dayjs | null] | null;
}

export const emptyFilter: AuditFilterState = {
  customer: '',
  actor: undefined,
  actions: [],
  range: null,
};

/** The filter as the commands' input: local days as the instants they begin and end. */
export function filterInput(filter: AuditFilterState) {
  const [from, to] = filter.range ?? [null, null];
  const customer = filter.customer.trim();
  return {
    ...(customer ? { customer } : {}),
    ...(filter.actor ? { actor: filter.actor } : {}),
    ...(filter.actions.length ? { actions: filter.actions } : {}),
    ...(from ? { from: from.startOf('day').toISOString() } : {}),
    ...(to ? { to: to.endOf('day').toISOString() } : {}),
  };
}

/**
 * The filter in words, for the printed page's header. A customer typed by ID number is printed
 * masked: paper leaves the desk.
 */
export function filterWords(
  filter: AuditFilterState,
  locale: Locale,
  t: (key: string) => string,
  staffName: (actor: string) => string,
): string[] {
  const parts: string[] = [];
  const colon = locale === 'zh-CN' ? '：' : ': ';
  const customer = filter.customer.trim();
  if (customer)
    parts.push(
      `${t('auditLog.customer')}${colon}${
        isCustomerNumber(customer) ? normalizeCustomerNumber(customer) : maskIdNumber(customer)
      }`,
    );
  if (filter.actor) parts.push(`${t('auditLog.staff')}${colon}${staffName(filter.actor)}`);
  if (filter.actions.length)
    parts.push(
      `${t('auditLog.actions')}${colon}${filter.actions
        .map((action) => auditActionNames[locale][action])
        .join(locale === 'zh-CN' ? '、' : ', ')}`,
    );
  const [from, to] = filter.range ?? [null, null];
  if (from || to)
    parts.push(
      `${t('auditLog.dates')}${colon}${from?.format('YYYY-MM-DD') ?? ''} ~ ${to?.format('YYYY-MM-DD') ?? ''}`,
    );
  return parts;
}
