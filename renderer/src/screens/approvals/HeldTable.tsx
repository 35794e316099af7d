// The table both lists of held changes share (待审批 and 我的申请): whose record (the customer
// number opening the 360), what changes, the screen's own columns, then how long ago it was made.
import { Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HeldChange } from '../../../../shared/commands/approvals';
import { formatDateTime } from '../../format';
import { useDesk } from '../../store';
import { ageText } from './age';
import { ChangeLines } from './ChangeLines';
import { CustomerCell } from './CustomerCell';

export function HeldTable({
  changes,
  rowTestId,
  onOpen,
  change = (held) => <ChangeLines change={held} />,
  columns,
  trailing = [],
}: {
  /** Undefined while loading. */
  changes: HeldChange[] | undefined;
  rowTestId: (change: HeldChange) => string;
  onOpen: (customerId: string) => void;
  /** The "what changes" cell; the change's lines unless the screen adds to them. */
  change?: (change: HeldChange) => React.ReactNode;
  /** The screen's columns between the change and its age. */
  columns: TableColumnsType<HeldChange>;
  /** The screen's columns after the age. */
  trailing?: TableColumnsType<HeldChange>;
}) {
  const { t } = useTranslation();
  const locale = useDesk((state) => state.locale);
  return (
    <Table<HeldChange>
      size="small"
      rowKey="id"
      loading={!changes}
      dataSource={changes ?? []}
      pagination={false}
      onRow={(held) => ({ 'data-testid': rowTestId(held) }) as object}
      columns={[
        {
          title: t('held.customer'),
          width: 150,
          render: (_, held) => <CustomerCell change={held} onOpen={onOpen} />,
        },
        { title: t('held.change'), render: (_, held) => change(held) },
        ...columns,
        {
          title: t('held.age'),
          width: 110,
          render: (_, held) => (
            <span data-testid={`held-${held.id}-age`} title={formatDateTime(held.requestedAt)}>
              {ageText(held.requestedAt, locale)}
            </span>
          ),
        },
        ...trailing,
      ]}
    />
  );
}
