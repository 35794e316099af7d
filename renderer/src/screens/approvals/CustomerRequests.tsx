// On a customer's page, for the member of staff who made them: their changes to this customer
// still waiting, rejected (with the supervisor's reason) or to redo. Approved ones are in the
// record itself. Renders nothing for a role that makes no held changes, or when there are none.
import { Alert, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { principalPermissions } from '../../../../shared/access/permissions';
import type { HeldChange } from '../../../../shared/commands/approvals';
import { fieldsInWords } from '../../../../shared/i18n/fields';
import { useDesk } from '../../store';
import { ageText } from './age';

export function CustomerRequests({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const session = useDesk((state) => state.session);
  const version = useDesk((state) => state.customer?.customer.version);
  const [changes, setChanges] = useState<HeldChange[]>([]);
  const makes = principalPermissions({
    kind: 'user',
    userId: session?.user?.userId ?? '',
    username: session?.user?.username ?? '',
    roles: session?.user?.roles ?? [],
  }).has('edit_identity');

  useEffect(() => {
    if (!makes) return;
    let stale = false;
    void (async () => {
      try {
        const { changes: mine } = await bridge.call('approvals.mine', { customerId, limit: 20 });
        if (!stale) setChanges(mine.filter((change) => change.status !== 'approved'));
      } catch {
        // The customer's page still works without this list; its own errors show there.
      }
    })();
    return () => {
      stale = true;
    };
  }, [bridge, customerId, makes, version]);

  if (!makes || changes.length === 0) return null;
  const words = (fields: string[]) => fieldsInWords(fields)[locale];
  return (
    <Space
      direction="vertical"
      style={{ width: '100%', marginBottom: 12 }}
      data-testid="customer-requests"
    >
      {changes.map((change) => {
        const fields = words(Object.keys(change.changes));
        const text =
          change.status === 'rejected'
            ? t('held.onCustomer.rejected', {
                fields,
                who: change.deciderName ?? t('held.onCustomer.someone'),
                reason: change.reason ?? '—',
              })
            : change.status === 'redo'
              ? t('held.onCustomer.redo', { fields, moved: words(change.moved) })
              : t('held.onCustomer.pending', { fields, age: ageText(change.requestedAt, locale) });
        return (
          <Alert
            key={change.id}
            showIcon
            type={change.status === 'pending' ? 'info' : 'warning'}
            title={text}
            data-testid={`customer-request-${change.id}`}
          />
        );
      })}
    </Space>
  );
}
