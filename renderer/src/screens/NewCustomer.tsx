// 新建客户 (Alt+N): an individual walk-in customer. Each field is checked by the shared
// validators as it is typed, in the teller's language; a resident ID fills in the birth date and
// gender it encodes. Before saving, the desk looks for the same ID number or mobile already on
// file and says so (a duplicate warning with a link to the existing record); the core refuses a
// second customer with the same document outright and reports probable duplicates (same name and
// birth date, same phone and a similar name) with the new record.
import { Alert, Button, Col, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../shared/commands/contract';
import { personalDocumentTypes } from '../../../shared/customer/identity-documents';
import { describeIssue } from '../../../shared/i18n/validation';
import {
  formatIsoDate,
  residentIdBirthDate,
  residentIdGender,
  validateEmail,
  validateIdentityDocumentNumber,
  validatePhone,
  type ValidationIssue,
} from '../../../shared/validation';
import { errorText } from '../errors';
import { formatDateTime } from '../format';
import { useDesk } from '../store';
import { EditorButtons } from './Editors';

type DocumentType = (typeof personalDocumentTypes)[number];
type Written = CommandOutput<'customer.create'>;
type Found = CommandOutput<'customer.search'>['items'];

interface Draft {
  legalName: string;
  documentType: DocumentType;
  documentNumber: string;
  expiresOn: string;
  gender: 'male' | 'female' | '';
  birthDate: string;
  nationality: string;
  mobile: string;
  email: string;
}

const empty: Draft = {
  legalName: '',
  documentType: 'resident_id',
  documentNumber: '',
  expiresOn: '',
  gender: '',
  birthDate: '',
  nationality: 'CHN',
  mobile: '',
  email: '',
};

const DUPLICATE_CHECK_MS = 250;
const DRAFT_FORM = 'new_customer';
const DRAFT_SAVE_MS = 600;

export function NewCustomer({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const about = useDesk((state) => state.about);
  const [draft, setDraft] = useState<Draft>(empty);
  const [touched, setTouched] = useState<Partial<Record<keyof Draft, boolean>>>({});
  const [existing, setExisting] = useState<Found>([]);
  const [failure, setFailure] = useState<string>();
  const [written, setWritten] = useState<Written>();
  /** A draft kept from before a lock, offered back until restored or declined. */
  const [kept, setKept] = useState<{ body: Record<string, string>; savedAt: string }>();

  // What was typed here before the desk locked waits in the vault, for this user only.
  useEffect(() => {
    bridge
      .call('session.draft.get', { form: DRAFT_FORM })
      .then(({ draft: found }) => setKept(found ?? undefined))
      .catch(() => undefined);
  }, [bridge]);

  // Everything typed is kept as a draft (encrypted in the vault) a moment after it is typed, so
  // a lock, idle or by hand, loses nothing.
  useEffect(() => {
    if (written || kept || Object.values(touched).every((value) => !value)) return;
    const timer = window.setTimeout(() => {
      void bridge
        .call('session.draft.save', { form: DRAFT_FORM, body: { ...draft } })
        .catch(() => undefined);
    }, DRAFT_SAVE_MS);
    return () => window.clearTimeout(timer);
  }, [bridge, draft, touched, written, kept]);

  function restore(body: Record<string, string>) {
    setDraft({ ...empty, ...(body as Partial<Draft>) });
    setTouched(Object.fromEntries(Object.keys(body).map((key) => [key, true])));
    setKept(undefined);
  }

  function decline() {
    setKept(undefined);
    void bridge.call('session.draft.discard', { form: DRAFT_FORM }).catch(() => undefined);
  }
  const [saving, setSaving] = useState(false);

  const document = useMemo(
    () =>
      draft.documentNumber.trim()
        ? validateIdentityDocumentNumber(draft.documentType, draft.documentNumber, {
            issuingCountry: draft.nationality,
          })
        : undefined,
    [draft.documentType, draft.documentNumber, draft.nationality],
  );
  const mobile = useMemo(
    () => (draft.mobile.trim() ? validatePhone(draft.mobile, { kind: 'mobile' }) : undefined),
    [draft.mobile],
  );
  const email = useMemo(
    () => (draft.email.trim() ? validateEmail(draft.email) : undefined),
    [draft.email],
  );

  // A resident ID says when the person was born and their gender: fill both in.
  useEffect(() => {
    if (draft.documentType !== 'resident_id' || !document?.ok) return;
    const born = residentIdBirthDate(document.value);
    const gender = residentIdGender(document.value);
    setDraft((current) => ({
      ...current,
      birthDate: born ? formatIsoDate(born) : current.birthDate,
      gender: gender ?? current.gender,
    }));
  }, [draft.documentType, document]);

  // The same ID number or mobile already on file: warn before anything is saved.
  const documentKey = document?.ok ? document.value : '';
  const mobileKey = mobile?.ok ? mobile.value.e164.replace(/^\+86/, '') : '';
  useEffect(() => {
    const keys = [documentKey, mobileKey].filter(Boolean);
    if (keys.length === 0) {
      setExisting([]);
      return;
    }
    let current = true;
    const timer = window.setTimeout(async () => {
      const found = new Map<string, Found[number]>();
      try {
        for (const key of keys) {
          const results = await bridge.call('customer.search', { query: key, limit: 5, offset: 0 });
          for (const item of results.items)
            if (['id_number', 'phone'].includes(item.matchedField)) found.set(item.id, item);
        }
      } catch {
        return; // the warning is a courtesy; the core refuses a duplicate document anyway
      }
      if (current) setExisting([...found.values()]);
    }, DUPLICATE_CHECK_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [bridge, documentKey, mobileKey]);

  const update = (field: keyof Draft) => (value: string) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setTouched((current) => ({ ...current, [field]: true }));
    setFailure(undefined);
  };

  const issuesText = (issues: readonly ValidationIssue[] | undefined) =>
    (issues ?? []).map((issue) => describeIssue(issue, locale)).join(' ');
  const required = (field: keyof Draft, label: string) =>
    touched[field] && !String(draft[field]).trim()
      ? t('newCustomer.required', { field: label })
      : undefined;

  const birthDateValid = /^\d{4}-\d{2}-\d{2}$/.test(draft.birthDate);
  const expiresValid = draft.expiresOn === '' || /^\d{4}-\d{2}-\d{2}$/.test(draft.expiresOn);
  const complete =
    draft.legalName.trim() !== '' &&
    document?.ok === true &&
    mobile?.ok === true &&
    (email === undefined || email.ok) &&
    draft.gender !== '' &&
    birthDateValid &&
    expiresValid &&
    /^[A-Z]{3}$/.test(draft.nationality);

  async function save() {
    if (!complete || saving || !document?.ok || !mobile?.ok) return;
    setSaving(true);
    setFailure(undefined);
    try {
      const output = await bridge.call('customer.create', {
        customer: {
          kind: 'individual',
          legalName: draft.legalName.trim(),
          identityDocuments: [
            {
              type: draft.documentType,
              number: document.value,
              expiresOn: draft.expiresOn || null,
              ...(draft.documentType === 'passport' ? { issuingCountry: draft.nationality } : {}),
            },
          ],
          gender: draft.gender,
          birthDate: draft.birthDate,
          nationality: draft.nationality,
          phones: [{ kind: 'mobile', e164: mobile.value.e164, primary: true }],
          ...(email?.ok ? { email: email.value } : {}),
          preferredChannel: 'phone',
          addresses: [],
          // KYC, accounts and the RM are HQ's: the core gives a new customer their starting values.
          segment: 'mass',
          homeBranchId: about?.branchId ?? '',
          consents: [],
          notes: [],
          visits: [],
          tasks: [],
        },
      });
      setWritten(output);
      void bridge.call('session.draft.discard', { form: DRAFT_FORM }).catch(() => undefined);
    } catch (error) {
      setFailure(errorText(error, locale));
    } finally {
      setSaving(false);
    }
  }

  if (written)
    return (
      <Space direction="vertical" data-testid="new-customer-done" style={{ width: '100%' }}>
        <Alert
          type="success"
          showIcon
          message={t('newCustomer.created', { number: written.customer.customerNumber })}
          description={t('newCustomer.createdNote')}
        />
        {written.probableDuplicates.length > 0 && (
          <Alert
            type="warning"
            showIcon
            data-testid="new-customer-probable-duplicates"
            message={t('newCustomer.probableDuplicates')}
            description={written.probableDuplicates.map((entry) => (
              <div key={entry.candidate.id}>
                <Button type="link" onClick={() => onOpen(entry.candidate.id)}>
                  {entry.candidate.displayName} · {entry.candidate.customerNumber}
                </Button>{' '}
                {t(`duplicateReason.${entry.reason}`)}
              </div>
            ))}
          />
        )}
        <Space>
          <Button type="primary" onClick={() => onOpen(String(written.customer.id))}>
            {t('newCustomer.open')}
          </Button>
          <Button
            onClick={() => {
              setWritten(undefined);
              setDraft(empty);
              setTouched({});
            }}
          >
            {t('newCustomer.another')}
          </Button>
        </Space>
      </Space>
    );

  const documentHelp = issuesText(document?.issues);
  const mobileHelp = issuesText(mobile?.issues);
  const emailHelp = issuesText(email?.issues);
  return (
    <Form
      layout="vertical"
      data-testid="new-customer-view"
      onFinish={save}
      onKeyDown={(event) => {
        if (event.ctrlKey && event.key.toLowerCase() === 's') {
          event.preventDefault();
          void save();
        }
      }}
      style={{ maxWidth: 880 }}
    >
      <Typography.Title level={4}>{t('newCustomer.title')}</Typography.Title>
      {kept && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="draft-offer"
          message={t('draft.offer', { time: formatDateTime(kept.savedAt) })}
          action={
            <Space>
              <Button
                size="small"
                type="primary"
                onClick={() => restore(kept.body)}
                data-testid="draft-restore"
              >
                {t('draft.restore')}
              </Button>
              <Button size="small" onClick={decline}>
                {t('draft.discard')}
              </Button>
            </Space>
          }
        />
      )}
      {existing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="new-customer-existing"
          message={t('newCustomer.existing')}
          description={existing.map((item) => (
            <div key={item.id}>
              <Button type="link" onClick={() => onOpen(item.id)}>
                {item.displayName} · {item.customerNumber}
              </Button>{' '}
              {t('search.matched', { field: t(`matchedField.${item.matchedField}`) })}
            </div>
          ))}
        />
      )}
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            label={t('newCustomer.legalName')}
            htmlFor="new-legal-name"
            required
            validateStatus={required('legalName', t('newCustomer.legalName')) ? 'error' : undefined}
            help={required('legalName', t('newCustomer.legalName'))}
          >
            <Input
              autoFocus
              value={draft.legalName}
              maxLength={100}
              onChange={(event) => update('legalName')(event.target.value)}
              id="new-legal-name"
              data-testid="new-legal-name"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('customer.documentType')} htmlFor="new-document-type" required>
            <Select<DocumentType>
              value={draft.documentType}
              onChange={(value) => update('documentType')(value)}
              options={personalDocumentTypes.map((type) => ({
                value: type,
                label: t(`documentType.${type}`),
              }))}
              id="new-document-type"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            label={t('customer.documentNumber')}
            htmlFor="new-document-number"
            required
            validateStatus={
              document && !document.ok ? 'error' : documentHelp ? 'warning' : undefined
            }
            help={documentHelp || undefined}
          >
            <Input
              value={draft.documentNumber}
              maxLength={40}
              onChange={(event) => update('documentNumber')(event.target.value)}
              id="new-document-number"
              data-testid="new-document-number"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            label={t('newCustomer.expiresOn')}
            htmlFor="new-expires-on"
            extra={t('newCustomer.expiresHint')}
            validateStatus={expiresValid ? undefined : 'error'}
            help={expiresValid ? undefined : t('newCustomer.dateFormat')}
          >
            <Input
              value={draft.expiresOn}
              placeholder="YYYY-MM-DD"
              maxLength={10}
              onChange={(event) => update('expiresOn')(event.target.value)}
              id="new-expires-on"
              data-testid="new-expires-on"
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item label={t('newCustomer.gender')} required>
            <Radio.Group
              value={draft.gender}
              onChange={(event) => update('gender')(event.target.value as string)}
              options={[
                { value: 'male', label: t('gender.male') },
                { value: 'female', label: t('gender.female') },
              ]}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            label={t('newCustomer.birthDate')}
            htmlFor="new-birth-date"
            required
            validateStatus={touched.birthDate && !birthDateValid ? 'error' : undefined}
            help={touched.birthDate && !birthDateValid ? t('newCustomer.dateFormat') : undefined}
          >
            <Input
              value={draft.birthDate}
              placeholder="YYYY-MM-DD"
              maxLength={10}
              onChange={(event) => update('birthDate')(event.target.value)}
              id="new-birth-date"
              data-testid="new-birth-date"
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            label={t('newCustomer.nationality')}
            htmlFor="new-nationality"
            required
            extra={t('newCustomer.nationalityHint')}
          >
            <Input
              value={draft.nationality}
              maxLength={3}
              onChange={(event) => update('nationality')(event.target.value.toUpperCase())}
              id="new-nationality"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            label={t('newCustomer.mobile')}
            htmlFor="new-mobile"
            required
            validateStatus={mobile && !mobile.ok ? 'error' : mobileHelp ? 'warning' : undefined}
            help={mobileHelp || undefined}
          >
            <Input
              inputMode="tel"
              value={draft.mobile}
              placeholder="138 1234 5678"
              maxLength={30}
              onChange={(event) => update('mobile')(event.target.value)}
              id="new-mobile"
              data-testid="new-mobile"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            label={t('customer.email')}
            htmlFor="new-email"
            validateStatus={email && !email.ok ? 'error' : emailHelp ? 'warning' : undefined}
            help={emailHelp || undefined}
          >
            <Input
              inputMode="email"
              value={draft.email}
              maxLength={254}
              onChange={(event) => update('email')(event.target.value)}
              id="new-email"
              data-testid="new-email"
            />
          </Form.Item>
        </Col>
      </Row>
      {failure && (
        <Alert
          type="error"
          showIcon
          message={failure}
          style={{ marginBottom: 16 }}
          data-testid="new-customer-error"
        />
      )}
      <EditorButtons
        saveTestId="new-customer-save"
        saving={saving}
        disabled={!complete}
        saveLabel={t('newCustomer.save')}
      />
    </Form>
  );
}
