// What a held change does, one line per field: its label in the desk's language, the value it
// replaces and the value it sets, both as the core masked them for the reader.
import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HeldChange } from '../../../../shared/commands/approvals';
import { fieldLabel } from '../../format';

/** A value as one short line: text as it is, a list item by item, a record by its values. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value)) return value.map(valueText).join('；');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // A document or a phone reads by its number; anything else by its values in order.
    const main = record.number ?? record.e164;
    if (typeof main === 'string') return main;
    return Object.values(record)
      .filter((part) => part !== null && part !== undefined && part !== '')
      .map(valueText)
      .join(' ');
  }
  return '—';
}

/** The entries a change appends to a list (those not in the list it replaces). */
function appended(value: unknown, before: unknown): Record<string, unknown>[] {
  const known = new Set(
    (Array.isArray(before) ? (before as { id?: unknown }[]) : []).map((entry) => entry?.id),
  );
  return (Array.isArray(value) ? (value as Record<string, unknown>[]) : []).filter(
    (entry) => !known.has(entry?.id),
  );
}

export function ChangeLines({ change }: { change: Pick<HeldChange, 'id' | 'changes' | 'before'> }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size={0}>
      {Object.entries(change.changes).map(([field, value]) =>
        field === 'ratingProposals' ? (
          // A proposed rating reads as its level and why, not as the whole list.
          <span key={field} data-testid={`held-${change.id}-${field}`}>
            <Typography.Text strong>{fieldLabel(t, field)}</Typography.Text>
            {'  '}
            {appended(value, change.before?.[field]).map((entry) => (
              <Typography.Text key={String(entry.id)}>
                {t('heldProposal', {
                  level: t(`riskLevel.${String(entry.level)}`),
                  reason: String(entry.reason),
                })}
              </Typography.Text>
            ))}
          </span>
        ) : (
          <span key={field} data-testid={`held-${change.id}-${field}`}>
            <Typography.Text strong>{fieldLabel(t, field)}</Typography.Text>
            {'  '}
            {change.before !== null && (
              <>
                <Typography.Text type="secondary">
                  {valueText(change.before[field])}
                </Typography.Text>
                {' → '}
              </>
            )}
            <Typography.Text>{valueText(value)}</Typography.Text>
          </span>
        ),
      )}
    </Space>
  );
}
