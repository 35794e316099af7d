// A masked value, and for a role that may reveal its class an eye button: it asks for a reason,
// the core reveals and audits, and the value shows for a short time. A role that may not reveal
// the class gets no button (the core would refuse it anyway).
import { Alert, Button, Modal, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { revealReasons, type RevealReason } from '../../../../shared/access/masking';
import type { RevealableField } from '../../../../shared/access/permissions';
import { revealableFieldNames, revealReasonNames } from '../../../../shared/i18n/access';
import { errorText } from '../../errors';
import { useCan } from '../../permissions';
import { revealKey, useDesk } from '../../store';

export const REVEAL_SECONDS = 30;

export function Revealable({
  customerId,
  field,
  index,
  masked,
  format = (value) => value,
}: {
  customerId: string;
  field: RevealableField;
  index: number;
  masked: string;
  format?: (value: string) => string;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const locale = useDesk((state) => state.locale);
  const bridge = useDesk((state) => state.bridge)!;
  const revealed = useDesk((state) => state.revealed[revealKey(customerId, field, index)]);
  const set = useDesk((state) => state.set);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<RevealReason>();
  const [error, setError] = useState<string>();
  const [, tick] = useState(0);

  useEffect(() => {
    if (!revealed) return;
    const timer = window.setInterval(() => {
      if (Date.now() >= revealed.expiresAt) {
        const { [revealKey(customerId, field, index)]: _gone, ...rest } =
          useDesk.getState().revealed;
        set({ revealed: rest });
      } else tick((n) => n + 1);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [revealed, customerId, field, index, set]);

  async function confirm() {
    if (!reason) return setError(t('reveal.reasonRequired'));
    try {
      const { value } = await bridge.call(`customer.reveal.${field}`, {
        id: customerId,
        reason,
        index,
      });
      set({
        revealed: {
          ...useDesk.getState().revealed,
          [revealKey(customerId, field, index)]: {
            value,
            expiresAt: Date.now() + REVEAL_SECONDS * 1000,
          },
        },
      });
      setOpen(false);
      setReason(undefined);
      setError(undefined);
    } catch (failure) {
      setError(errorText(failure, locale));
    }
  }

  const fieldName = revealableFieldNames[locale][field];
  return (
    <Space>
      <span data-testid={`value-${field}-${index}`} className={revealed ? 'revealed' : undefined}>
        {revealed ? format(revealed.value) : format(masked)}
      </span>
      {revealed ? (
        <Typography.Text type="secondary">
          {Math.max(0, Math.ceil((revealed.expiresAt - Date.now()) / 1000))}s
        </Typography.Text>
      ) : (
        can(`reveal_${field}`) && (
          <Button
            size="small"
            onClick={() => setOpen(true)}
            data-testid={`reveal-${field}-${index}`}
            aria-label={`${t('reveal.button')} ${fieldName}`}
          >
            {t('reveal.button')}
          </Button>
        )
      )}
      <Modal
        open={open}
        title={t('reveal.title', { field: fieldName })}
        okText={t('reveal.confirm')}
        cancelText={t('reveal.cancel')}
        onOk={confirm}
        onCancel={() => setOpen(false)}
        okButtonProps={{ 'data-testid': 'reveal-confirm' } as never}
      >
        <p>{t('reveal.audited', { seconds: REVEAL_SECONDS })}</p>
        <Select<RevealReason>
          style={{ width: '100%' }}
          placeholder={t('reveal.reason')}
          aria-label={t('reveal.reason')}
          value={reason}
          onChange={setReason}
          data-testid="reveal-reason"
          options={revealReasons.map((value) => ({
            value,
            label: revealReasonNames[locale][value],
          }))}
        />
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      </Modal>
    </Space>
  );
}
