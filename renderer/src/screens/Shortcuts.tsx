// The desk's keys, listed once: the `?` sheet and the settings page show the same table.
import { Modal, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

const shortcuts = [
  ['F2 / Ctrl+K', 'search'],
  ['↑ / ↓', 'move'],
  ['Enter', 'open'],
  ['Esc', 'back'],
  ['Alt+N', 'newCustomer'],
  ['Ctrl+S', 'save'],
  ['Ctrl+L', 'lock'],
  ['?', 'help'],
] as const;

export function ShortcutList() {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="keys"
      dataSource={shortcuts.map(([keys, what]) => ({ keys, what }))}
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
