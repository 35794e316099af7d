// The customer view's inline editors besides the phone's: one text field (email, names), an
// address, and recording a visit. Each checks what is typed with the shared validators or
// schemas, in the teller's language, and saves nothing invalid; Ctrl+S saves, Esc cancels. The
// core checks everything again.
import { Alert, Button, Checkbox, Form, Input, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addressKinds, addressSchema } from '../../../shared/customer/contacts';
import { customerIssuesFromZod, describeCustomerIssue } from '../../../shared/customer/issues';
import { visitKinds } from '../../../shared/customer/records';
import type { Locale } from '../i18n';
import { useDesk } from '../store';
import type { Checked } from './forms/checks';
import { formErrorText } from './forms/form-errors';
import { useSavedNotice } from './forms/saved';
import { useCounter } from './counter/useCounter';

export type { Checked } from './forms/checks';

/** Keys every inline editor shares: Ctrl+S saves, Esc cancels (and goes no further). */
export function editorKeys(save: () => void, cancel: () => void) {
  return (event: React.KeyboardEvent) => {
    if (event.ctrlKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      cancel();
    }
  };
}

/** Save (submits the form), cancel, and the keys: the foot of every editor. */
export function EditorButtons({
  saveTestId,
  saving,
  disabled = false,
  saveLabel,
  onCancel,
}: {
  saveTestId: string;
  saving: boolean;
  disabled?: boolean;
  saveLabel?: string;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Space>
      <Button
        type="primary"
        htmlType="submit"
        disabled={disabled}
        loading={saving}
        data-testid={saveTestId}
      >
        {saveLabel ?? t('edit.save')}
      </Button>
      {onCancel && <Button onClick={onCancel}>{t('edit.cancel')}</Button>}
      <Typography.Text type="secondary">{t('edit.keys')}</Typography.Text>
    </Space>
  );
}

/**
 * 客户申请更正: the customer asked for this correction (PIPL Art. 46). The change takes the
 * normal path; the mark goes with it to HQ's history and the customer's copy.
 */
export function CorrectionCheck({
  testId,
  checked,
  onChange,
}: {
  testId: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item>
      <Checkbox
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        title={t('edit.correctionHint')}
        data-testid={`${testId}-correction`}
      >
        {t('edit.correction')}
      </Checkbox>
    </Form.Item>
  );
}

/**
 * Runs `save`, then reloads the customer on screen and says what became of the change (saved
 * and waiting to sync, or waiting for a supervisor when `save` answers with a note); a refusal
 * is shown where it happened, in words.
 */
function useSaver(customerId: string, onDone: (note?: string) => void) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const set = useDesk((state) => state.set);
  const notify = useSavedNotice();
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  async function run(save: () => Promise<string | undefined>) {
    if (saving) return;
    setSaving(true);
    try {
      const note = await save();
      set({ customer: await bridge.call('customer.show', { id: customerId }) });
      notify(note === undefined ? 'sync' : 'approval');
      onDone(note);
    } catch (error) {
      setFailure(formErrorText(error, locale, t));
    } finally {
      setSaving(false);
    }
  }
  return { run, failure, saving, clearFailure: () => setFailure(undefined) };
}

export function TextFieldEditor({
  customerId,
  label,
  testId,
  check,
  save,
  onDone,
  noteLabel,
}: {
  customerId: string;
  label: string;
  testId: string;
  check: (text: string, locale: Locale) => Checked<string>;
  /**
   * Saves the checked value, with what the maker wrote for the checker when `noteLabel` asks for
   * it; may answer with a note for the teller (held for approval).
   */
  save: (value: string, note?: string, correction?: boolean) => Promise<string | undefined>;
  onDone: (note?: string) => void;
  /** A change a supervisor approves: a second, optional box for the maker's note to them. */
  noteLabel?: string;
}) {
  const locale = useDesk((state) => state.locale);
  const [text, setText] = useState('');
  const [makerNote, setMakerNote] = useState('');
  const [correction, setCorrection] = useState(false);
  const checked = useMemo(
    () => (text.trim() ? check(text, locale) : undefined),
    [text, locale, check],
  );
  const saver = useSaver(customerId, onDone);
  const submit = () => {
    const value = checked?.value;
    if (value !== undefined)
      void saver.run(() => save(value, makerNote.trim() || undefined, correction));
  };
  return (
    <Form layout="inline" onFinish={submit} onKeyDown={editorKeys(submit, () => onDone())}>
      <Form.Item
        validateStatus={checked?.messages.length ? 'error' : undefined}
        help={checked?.messages.join(' ') || saver.failure}
      >
        <Input
          autoFocus
          value={text}
          maxLength={254}
          onChange={(event) => {
            setText(event.target.value);
            saver.clearFailure();
          }}
          aria-label={label}
          data-testid={`${testId}-input`}
        />
      </Form.Item>
      {noteLabel && (
        <Form.Item>
          <Input
            value={makerNote}
            maxLength={500}
            placeholder={noteLabel}
            // Wide enough for the hint in either language, which would otherwise be cut off.
            style={{ width: 380 }}
            onChange={(event) => setMakerNote(event.target.value)}
            aria-label={noteLabel}
            data-testid={`${testId}-note`}
          />
        </Form.Item>
      )}
      <CorrectionCheck testId={testId} checked={correction} onChange={setCorrection} />
      <EditorButtons
        saveTestId={`${testId}-save`}
        saving={saver.saving}
        disabled={checked?.value === undefined}
        onCancel={() => onDone()}
      />
    </Form>
  );
}

type AddressKind = (typeof addressKinds)[number];

/** An address: its kind, the six-digit district code (province and city follow from it), the
 * street line and the postcode, checked with the shared address schema as typed. */
export function AddressEditor({
  customerId,
  version,
  index,
  onDone,
}: {
  customerId: string;
  version: number;
  index: number;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [kind, setKind] = useState<AddressKind>('residential');
  const [district, setDistrict] = useState('');
  const [line, setLine] = useState('');
  const [postcode, setPostcode] = useState('');
  const [correction, setCorrection] = useState(false);
  const saver = useSaver(customerId, onDone);
  const counter = useCounter();
  const address = {
    kind,
    provinceCode: `${district.slice(0, 2)}0000`,
    cityCode: `${district.slice(0, 4)}00`,
    districtCode: district,
    line: line.trim(),
    ...(postcode ? { postcode } : {}),
  };
  const touched = district !== '' || line !== '' || postcode !== '';
  const parsed = addressSchema.safeParse(address);
  const messages =
    touched && !parsed.success
      ? [
          ...new Set(
            customerIssuesFromZod(parsed.error).map((issue) =>
              describeCustomerIssue(issue, locale),
            ),
          ),
        ]
      : [];
  const submit = () => {
    if (!parsed.success) return;
    void saver.run(async () => {
      // With a customer screen, the customer confirms the new address before it is saved.
      if (counter.display)
        await counter.confirm(customerId, version, {
          kind: 'address',
          index,
          address,
          ...(correction ? { correction } : {}),
        });
      else
        await bridge.call('customer.set_address', {
          id: customerId,
          baseVersion: version,
          index,
          address,
          ...(correction ? { correction } : {}),
        });
      return undefined;
    });
  };
  return (
    <Form
      layout="vertical"
      onFinish={submit}
      onKeyDown={editorKeys(submit, onDone)}
      data-testid="address-editor"
    >
      <Space wrap align="start">
        <Form.Item label={t('address.kind')} htmlFor="address-kind">
          <Select<AddressKind>
            id="address-kind"
            value={kind}
            onChange={setKind}
            style={{ width: 120 }}
            options={addressKinds.map((value) => ({ value, label: t(`addressKind.${value}`) }))}
          />
        </Form.Item>
        <Form.Item
          label={t('address.district')}
          htmlFor="address-district"
          extra={t('address.districtHint')}
        >
          <Input
            id="address-district"
            autoFocus
            value={district}
            maxLength={6}
            inputMode="numeric"
            onChange={(event) => setDistrict(event.target.value.trim())}
            data-testid="address-district"
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item label={t('address.line')} htmlFor="address-line">
          <Input
            id="address-line"
            value={line}
            maxLength={500}
            onChange={(event) => setLine(event.target.value)}
            data-testid="address-line"
            style={{ width: 320 }}
          />
        </Form.Item>
        <Form.Item label={t('address.postcode')} htmlFor="address-postcode">
          <Input
            id="address-postcode"
            value={postcode}
            maxLength={6}
            inputMode="numeric"
            onChange={(event) => setPostcode(event.target.value.trim())}
            data-testid="address-postcode"
            style={{ width: 100 }}
          />
        </Form.Item>
      </Space>
      {(messages.length > 0 || saver.failure) && (
        <Alert
          type="error"
          showIcon
          title={[...messages, saver.failure].filter(Boolean).join(' ')}
          style={{ marginBottom: 12 }}
          data-testid="address-error"
        />
      )}
      <CorrectionCheck testId="address" checked={correction} onChange={setCorrection} />
      <EditorButtons
        saveTestId="address-save"
        saving={saver.saving}
        disabled={!parsed.success}
        onCancel={onDone}
      />
    </Form>
  );
}

type VisitKind = (typeof visitKinds)[number];

/** 记录到访: how the customer was served, and an optional note. */
export function VisitRecorder({ customerId, onDone }: { customerId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const [kind, setKind] = useState<VisitKind>('branch');
  const [text, setText] = useState('');
  // One id for this visit however often the save is retried: the core records it once.
  const [visitId] = useState(() => crypto.randomUUID());
  const saver = useSaver(customerId, onDone);
  const counter = useCounter();
  const submit = () =>
    void saver.run(async () => {
      await bridge.call('customer.record_visit', {
        id: customerId,
        visitId,
        kind,
        ...(text.trim() ? { text: text.trim() } : {}),
      });
      // At the counter, the customer rates the visit on their screen (满意度评价).
      if (counter.display && kind === 'branch')
        await counter.askRating(customerId, visitId).catch(() => undefined);
      return undefined;
    });
  return (
    <Form
      layout="vertical"
      onFinish={submit}
      onKeyDown={editorKeys(submit, onDone)}
      data-testid="visit-recorder"
    >
      <Form.Item label={t('visit.kind')} htmlFor="visit-kind">
        <Select<VisitKind>
          id="visit-kind"
          value={kind}
          onChange={setKind}
          style={{ width: 200 }}
          options={visitKinds.map((value) => ({ value, label: t(`visitKind.${value}`) }))}
        />
      </Form.Item>
      <Form.Item label={t('visit.text')} htmlFor="visit-text">
        <Input.TextArea
          id="visit-text"
          autoFocus
          value={text}
          maxLength={2000}
          rows={3}
          onChange={(event) => setText(event.target.value)}
          data-testid="visit-text"
        />
      </Form.Item>
      {saver.failure && (
        <Alert type="error" showIcon title={saver.failure} style={{ marginBottom: 12 }} />
      )}
      <EditorButtons saveTestId="visit-save" saving={saver.saving} onCancel={onDone} />
    </Form>
  );
}
