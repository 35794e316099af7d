// The desk's keys, listed once: the `?` sheet and the settings page show the same table, each
// key only to a role that may use what it does.
import { Modal, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Permission } from '../../../shared/access/permissions';
import { useCan } from '../permissions';

const shortcuts: readonly (readonly [string, string, Permission | null])[] = [
  ['F2 / Ctrl+K', 'search', 'search'],
  ['↑ / ↓', 'move', 'search'],
  ['Enter', 'open', 'search'],
  ['Esc', 'back', null],
  ['Alt+N', 'newCustomer', 'create'],
  ['Alt+P', 'privacyNotice', 'view'],
  ['Ctrl+S', 'save', 'edit_contacts'],
  ['Ctrl+L', 'lock', null],
  ['?', 'help', null],
];

export function ShortcutList() {
  const { t } = useTranslation();
  const can = useCan();
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="keys"
      dataSource={shortcuts
        .filter(([, , needs]) => needs === null || can(needs))
        .map(([keys, what]) => ({ keys, what }))}
      columns={[
        {
          title: t('shortcuts.keys'),
          dataIndex: 'keys',
          width: 160,
          render: (keys: string) => <Typography.Text keyboard>{keys}</Typography.Text>,
        },
        {
          title: t('shortcuts.does'),
          dataIndex: 'what',
          render: (what: string) => t(`shortcuts.${what}`),
        },
      ]}
    />
  );
}

export function ShortcutSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('shortcuts.title')}>
      <div data-testid="shortcut-sheet">
        <ShortcutList />
      </div>
    </Modal>
  );
}
