// 任务: the customer's tasks, open ones first; a role that may adds one (due date required) and
// marks one done or cancelled, or opens it again.
import { Alert, Button, DatePicker, Form, Input, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task } from '../../../../shared/customer';
import { useCan } from '../../permissions';
import { useDesk } from '../../store';
import { EditorButtons, editorKeys } from '../Editors';
import { tagColour } from '../tags';
import type { EditingProps } from './Editable';
import { useEntrySave } from './save';

const statusColour: Record<Task['status'], string | undefined> = {
  open: tagColour.blue,
  done: tagColour.green,
  cancelled: undefined,
};

export function TasksTab({ customer, editing, setEditing }: EditingProps) {
  const { t } = useTranslation();
  const can = useCan();
  const bridge = useDesk((state) => state.bridge)!;
  const saver = useEntrySave(customer.id);
  const mayEdit = can('edit_contacts');
  const setStatus = (task: Task, status: Task['status']) =>
    void saver.run(() =>
      bridge.call('customer.set_task_status', { id: customer.id, taskId: task.id, status }),
    );
  const tasks = [...customer.tasks].sort(
    (a, b) =>
      Number(a.status !== 'open') - Number(b.status !== 'open') || a.dueOn.localeCompare(b.dueOn),
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {mayEdit && editing !== 'task' && (
        <Button size="small" onClick={() => setEditing('task')} data-testid="add-task">
          {t('customer360.addTask')}
        </Button>
      )}
      {editing === 'task' && (
        <TaskEditor customerId={customer.id} onDone={() => setEditing(undefined)} />
      )}
      {saver.failure && <Alert type="error" showIcon title={saver.failure} />}
      <Table
        size="small"
        pagination={false}
        rowKey="id"
        dataSource={tasks}
        data-testid="tasks-table"
        columns={[
          { title: t('task.title'), dataIndex: 'title' },
          { title: t('task.dueOn'), dataIndex: 'dueOn' },
          {
            title: t('task.status'),
            render: (_, task) => (
              <Tag color={statusColour[task.status]} data-testid="task-status">
                {t(`taskStatus.${task.status}`)}
              </Tag>
            ),
          },
          ...(mayEdit
            ? [
                {
                  title: t('customer360.taskActions'),
                  render: (_: unknown, task: Task) =>
                    task.status === 'open' ? (
                      <Space>
                        <Button
                          size="small"
                          loading={saver.saving}
                          onClick={() => setStatus(task, 'done')}
                          data-testid="task-done"
                        >
                          {t('customer360.markDone')}
                        </Button>
                        <Button size="small" onClick={() => setStatus(task, 'cancelled')}>
                          {t('customer360.markCancelled')}
                        </Button>
                      </Space>
                    ) : (
                      <Button size="small" onClick={() => setStatus(task, 'open')}>
                        {t('customer360.reopen')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}

function TaskEditor({ customerId, onDone }: { customerId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const [title, setTitle] = useState('');
  const [due, setDue] = useState<Dayjs | null>(null);
  // One id for this task however often the save is retried: the core records it once.
  const [taskId] = useState(() => crypto.randomUUID());
  const saver = useEntrySave(customerId);
  const ready = title.trim() !== '' && due !== null;
  const submit = () => {
    if (!ready) return;
    void saver
      .run(() =>
        bridge.call('customer.add_task', {
          id: customerId,
          taskId,
          title: title.trim(),
          dueOn: due.format('YYYY-MM-DD'),
        }),
      )
      .then((saved) => saved && onDone());
  };
  return (
    <Form layout="inline" onFinish={submit} onKeyDown={editorKeys(submit, onDone)}>
      <Form.Item label={t('task.title')} htmlFor="task-title">
        <Input
          id="task-title"
          autoFocus
          value={title}
          maxLength={200}
          onChange={(event) => setTitle(event.target.value)}
          data-testid="task-title"
          style={{ width: 280 }}
        />
      </Form.Item>
      <Form.Item label={t('task.dueOn')} htmlFor="task-due">
        <DatePicker
          id="task-due"
          value={due}
          onChange={setDue}
          format="YYYY-MM-DD"
          data-testid="task-due"
        />
      </Form.Item>
      {saver.failure && <Alert type="error" showIcon title={saver.failure} />}
      <EditorButtons
        saveTestId="task-save"
        saving={saver.saving}
        disabled={!ready}
        onCancel={onDone}
      />
    </Form>
  );
}
