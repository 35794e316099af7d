// What 打印 puts on paper: a header with the filter, who printed and when, and every filtered
// row in a plain table. It is a layer of its own beside the desk (a portal on <body>), hidden on
// screen; the print style sheet (audit.css) shows only it, so no menu, button or scroll area of
// the desk reaches the page.
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { ReadableAuditRow } from '../../../../shared/audit/readable';
import { auditTime } from '../../../../shared/audit/readable';
import { AuditDetails } from './AuditTable';

export function AuditPrint({
  rows,
  total,
  filter,
  printedBy,
}: {
  rows: ReadableAuditRow[];
  /** Entries matching the filter; more than the rows when only the newest are held. */
  total: number;
  filter: string[];
  printedBy: string;
}) {
  const { t } = useTranslation();
  const columns = ['at', 'staff', 'action', 'customerNumber', 'customerName', 'reason'] as const;
  return createPortal(
    <section className="audit-print" data-testid="audit-print-view">
      <h1>{t('auditLog.printTitle')}</h1>
      <p>
        {t('auditLog.printFilter', {
          filter: filter.length ? filter.join(' · ') : t('auditLog.allEntries'),
        })}
      </p>
      <p>
        {t('auditLog.printedBy', { name: printedBy })} ·{' '}
        {t('auditLog.printedAt', { at: auditTime(new Date().toISOString()) })} ·{' '}
        {total > rows.length
          ? t('auditLog.shown', { total, shown: rows.length })
          : t('auditLog.total', { total })}
      </p>
      <table>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column}>{t(`auditLog.column.${column}`)}</th>
            ))}
            <th>{t('auditLog.column.details')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.seq}>
              {columns.map((column) => (
                <td key={column}>{row[column]}</td>
              ))}
              <td>
                <AuditDetails details={row.details} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>,
    document.body,
  );
}
