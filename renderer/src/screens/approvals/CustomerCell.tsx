// Whose record a held change is for: the name (masked as the core sent it) and the customer
// number, as a link that opens the customer.
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HeldChange } from '../../../../shared/commands/approvals';
import { tagColour } from '../tags';

export function CustomerCell({
  change,
  onOpen,
}: {
  change: HeldChange;
  onOpen: (customerId: string) => void;
}) {
  const { t } = useTranslation();
  if (!change.customer) return <Typography.Text type="secondary">{t('held.gone')}</Typography.Text>;
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text data-testid={`held-${change.id}-name`}>
        {change.customer.name}
      </Typography.Text>
      <Button
        type="link"
        size="small"
        style={{ padding: 0, color: tagColour.blue }}
        data-testid={`held-${change.id}-open`}
        aria-label={t('held.open', { number: change.customer.customerNumber })}
        onClick={() => onOpen(change.customerId)}
      >
        {change.customer.customerNumber}
      </Button>
    </Space>
  );
}
