// The auditor's filters: a customer by customer number or ID number, a member of staff by name,
// actions in words (several), and a date range typed or picked. Applied on 查询.
import { Button, DatePicker, Form, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { auditActions } from '../../../../shared/audit/entry';
import { auditActionNames } from '../../../../shared/audit/words';
import type { Locale } from '../../i18n';
import type { AuditFilterState } from './filter';

export function AuditFilters({
  filter,
  onChange,
  onSearch,
  onReset,
  staff,
  locale,
  busy,
}: {
  filter: AuditFilterState;
  onChange: (filter: AuditFilterState) => void;
  onSearch: () => void;
  onReset: () => void;
  staff: { actor: string; name: string }[];
  locale: Locale;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const set = (part: Partial<AuditFilterState>) => onChange({ ...filter, ...part });
  return (
    <Form
      layout="inline"
      onFinish={onSearch}
      aria-label={t('auditLog.filters')}
      className="audit-filters"
      style={{ rowGap: 8, marginBottom: 12 }}
    >
      <Form.Item label={t('auditLog.customer')} htmlFor="audit-filter-customer">
        <Input
          id="audit-filter-customer"
          data-testid="audit-filter-customer"
          value={filter.customer}
          placeholder={t('auditLog.customerPlaceholder')}
          onChange={(event) => set({ customer: event.target.value })}
          allowClear
          maxLength={64}
          style={{ width: 220 }}
        />
      </Form.Item>
      <Form.Item label={t('auditLog.staff')} htmlFor="audit-filter-staff">
        <Select
          id="audit-filter-staff"
          data-testid="audit-filter-staff"
          value={filter.actor}
          placeholder={t('auditLog.staffPlaceholder')}
          onChange={(actor?: string) => set({ actor })}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          options={staff.map((member) => ({ value: member.actor, label: member.name }))}
          style={{ width: 180 }}
        />
      </Form.Item>
      <Form.Item label={t('auditLog.actions')} htmlFor="audit-filter-actions">
        <Select
          id="audit-filter-actions"
          data-testid="audit-filter-actions"
          mode="multiple"
          value={filter.actions}
          placeholder={t('auditLog.actionsPlaceholder')}
          onChange={(actions) => set({ actions })}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          maxTagCount="responsive"
          options={auditActions.map((value) => ({
            value,
            label: auditActionNames[locale][value],
          }))}
          style={{ width: 260 }}
        />
      </Form.Item>
      <Form.Item label={t('auditLog.dates')} htmlFor="audit-filter-from">
        <DatePicker.RangePicker
          id={{ start: 'audit-filter-from', end: 'audit-filter-to' }}
          data-testid="audit-filter-dates"
          value={filter.range}
          onChange={(range) => set({ range })}
          format="YYYY-MM-DD"
          placeholder={[t('auditLog.from'), t('auditLog.to')]}
          allowEmpty={[true, true]}
          style={{ width: 260 }}
        />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="audit-query">
          {t('auditLog.query')}
        </Button>
        <Button onClick={onReset} data-testid="audit-reset">
          {t('auditLog.reset')}
        </Button>
      </Space>
    </Form>
  );
}
