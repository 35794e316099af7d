// Edit one phone in place: the shared validator checks it as the teller types (errors block,
// warnings ask to look again), in the teller's language; Ctrl+S or the button saves it against
// the version on screen, Esc cancels, and a saved phone says it waits for the sync. The core
// checks it again; nothing invalid is ever sent.
import { Form, Input } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeIssue } from '../../../shared/i18n/validation';
import { validatePhone } from '../../../shared/validation';
import { useDesk } from '../store';
import { useCounter } from './counter/useCounter';
import { CorrectionCheck, EditorButtons, editorKeys } from './Editors';
import { formErrorText } from './forms/form-errors';
import { useSavedNotice } from './forms/saved';

export function PhoneEditor({
  customerId,
  version,
  index,
  kind,
  onDone,
}: {
  customerId: string;
  version: number;
  index: number;
  kind: 'mobile' | 'landline';
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const set = useDesk((state) => state.set);
  const notify = useSavedNotice();
  const [text, setText] = useState('');
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [correction, setCorrection] = useState(false);
  const counter = useCounter();
  const checked = useMemo(
    () => (text.trim() ? validatePhone(text, { kind }) : undefined),
    [text, kind],
  );
  const errors = checked?.issues.filter((issue) => issue.severity === 'error') ?? [];
  const warnings = checked?.issues.filter((issue) => issue.severity === 'warning') ?? [];

  async function save() {
    if (!checked?.ok || saving) return;
    setSaving(true);
    try {
      const phone = { kind, e164: checked.value.e164 };
      // With a customer screen, the customer confirms the new number before it is saved.
      const written = counter.display
        ? await counter.confirm(customerId, version, {
            kind: 'phone',
            index,
            phone,
            ...(correction ? { correction } : {}),
          })
        : await bridge.call('customer.set_phone', {
            id: customerId,
            baseVersion: version,
            index,
            phone,
            ...(correction ? { correction } : {}),
          });
      set({ customer: await bridge.call('customer.show', { id: customerId }) });
      notify(written?.pendingChangeId === undefined ? 'sync' : 'approval');
      onDone();
    } catch (error) {
      setFailure(formErrorText(error, locale, t));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Form layout="inline" onFinish={save} onKeyDown={editorKeys(() => void save(), onDone)}>
      <Form.Item
        validateStatus={errors.length ? 'error' : warnings.length ? 'warning' : undefined}
        help={
          [...errors, ...warnings].map((issue) => describeIssue(issue, locale)).join(' ') || failure
        }
      >
        <Input
          autoFocus
          inputMode="tel"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setFailure(undefined);
          }}
          placeholder={kind === 'mobile' ? '138 1234 5678' : '010-12345678'}
          aria-label={t('edit.phone')}
          data-testid="phone-input"
        />
      </Form.Item>
      <CorrectionCheck testId="phone" checked={correction} onChange={setCorrection} />
      <EditorButtons
        saveTestId="phone-save"
        saving={saving}
        disabled={!checked?.ok}
        onCancel={onDone}
      />
    </Form>
  );
}
