// Cleansing work on the customer in front of the desk (docs/QUALITY.md): each open cleansing task
// shows above the tabs, with what to check. Done when the record no longer has the problem: the
// customer corrected it (in the tab it names), or, for contact details not confirmed for a long
// time, confirmed them as they are (recorded as a branch visit, which is the confirmation).
import { Alert, Button, Space, message } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../../shared/customer';
import { qualityRules } from '../../../../shared/quality/rules';
import { errorText } from '../../errors';
import { useCan } from '../../permissions';
import { useDesk } from '../../store';

export function CleansingTasks({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const can = useCan();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const set = useDesk((state) => state.set);
  const [busy, setBusy] = useState<string>();
  const [toast, holder] = message.useMessage();
  const open = customer.tasks.filter((task) => task.cleansing && task.status === 'open');
  if (open.length === 0) return null;

  async function complete(taskId: string, confirmFirst: boolean) {
    setBusy(taskId);
    try {
      if (confirmFirst)
        await bridge.call('customer.record_visit', {
          id: customer.id,
          visitId: crypto.randomUUID(),
          kind: 'branch',
          text: t('quality.confirmedNote'),
        });
      await bridge.call('quality.complete_task', { id: customer.id, taskId });
      set({ customer: await bridge.call('customer.show', { id: customer.id }) });
      toast.success(t('quality.taskDone'));
    } catch (failure) {
      toast.error(errorText(failure, locale));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 8 }} data-testid="cleansing">
      {holder}
      {open.map((task) => {
        const rule = qualityRules.find((known) => known.id === task.cleansing);
        return (
          <Alert
            key={task.id}
            type="warning"
            showIcon
            message={`${t('quality.taskBanner')}${task.title}`}
            description={`${rule?.words[locale] ?? task.cleansing} · ${t('quality.due', { day: task.dueOn })}`}
            data-testid={`cleansing-${task.cleansing}`}
            action={
              can('edit_contacts') && (
                <Space direction="vertical">
                  {task.cleansing === 'stale_contacts' && (
                    <Button
                      size="small"
                      type="primary"
                      loading={busy === task.id}
                      onClick={() => void complete(task.id, true)}
                      data-testid="cleansing-confirm"
                    >
                      {t('quality.confirmAndDone')}
                    </Button>
                  )}
                  <Button
                    size="small"
                    loading={busy === task.id}
                    onClick={() => void complete(task.id, false)}
                    data-testid="cleansing-done"
                  >
                    {t('quality.done')}
                  </Button>
                </Space>
              )
            }
          />
        );
      })}
    </Space>
  );
}
