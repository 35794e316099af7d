// The filtered entries, newest first, each in words: time, member of staff, action, customer
// number and name (as the core masked it), reason, and the details as labelled fields.
import { Button, Table } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReadableAuditRow } from '../../../../shared/audit/readable';
import { useDesk } from '../../store';
import { tagColour } from '../tags';

/** The details of one entry as label and value pairs, one a line. */
export function AuditDetails({ details }: { details: ReadableAuditRow['details'] }) {
  const { t } = useTranslation();
  const colon = useDesk((state) => state.locale) === 'en' ? ':\u00a0' : '：';
  if (details.length === 0) return <span>{t('auditLog.noDetails')}</span>;
  return (
    <dl className="audit-details" data-testid="audit-row-details">
      {details.map((detail) => (
        <div key={detail.key}>
          <dt>
            {detail.label}
            {colon}
          </dt>
          <dd>{detail.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditTable({
  rows,
  loading,
  onOpen,
}: {
  rows: ReadableAuditRow[];
  loading: boolean;
  /** Opens a customer's 360; absent for a reader who may not view customers. */
  onOpen?: (customerId: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Table<ReadableAuditRow>
      size="small"
      rowKey="seq"
      loading={loading}
      dataSource={rows}
      locale={{ emptyText: t('auditLog.none') }}
      pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
      onRow={() => ({ 'data-testid': 'audit-row' }) as HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('auditLog.column.at'),
          dataIndex: 'at',
          width: 150,
          render: (at: string) => (
            <span data-testid="audit-row-at" style={{ whiteSpace: 'nowrap' }}>
              {at}
            </span>
          ),
        },
        {
          title: t('auditLog.column.staff'),
          dataIndex: 'staff',
          width: 130,
          render: (staff: string) => <span data-testid="audit-row-staff">{staff}</span>,
        },
        {
          title: t('auditLog.column.action'),
          dataIndex: 'action',
          width: 130,
          render: (action: string) => <span data-testid="audit-row-action">{action}</span>,
        },
        {
          title: t('auditLog.column.customerNumber'),
          dataIndex: 'customerNumber',
          width: 130,
          render: (number: string, row) =>
            onOpen && row.customerId ? (
              <Button
                type="link"
                size="small"
                style={{ padding: 0, color: tagColour.blue }}
                data-testid="audit-row-customer-number"
                aria-label={t('auditLog.open', { number })}
                onClick={() => onOpen(row.customerId!)}
              >
                {number}
              </Button>
            ) : (
              <span data-testid="audit-row-customer-number">{number}</span>
            ),
        },
        {
          title: t('auditLog.column.customerName'),
          dataIndex: 'customerName',
          width: 110,
          render: (name: string) => <span data-testid="audit-row-customer-name">{name}</span>,
        },
        {
          title: t('auditLog.column.reason'),
          dataIndex: 'reason',
          width: 150,
          render: (reason: string) => <span data-testid="audit-row-reason">{reason}</span>,
        },
        {
          title: t('auditLog.column.details'),
          render: (_, row) => <AuditDetails details={row.details} />,
        },
      ]}
    />
  );
}
