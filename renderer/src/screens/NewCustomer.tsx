// 新建客户 (Alt+N): an individual walk-in customer. Each field is checked by the shared
// validators as it is typed, in the teller's language (names by the name rules, dates as real
// calendar days, the document's dates against each other and the person); a resident ID fills in
// the birth date and gender it encodes. A document that has already expired is saved only after
// the teller confirms it. Before saving, the desk looks for the same ID number or mobile already on
// file and says so (a duplicate warning with a link to the existing record); the core refuses a
// second customer with the same document outright and reports probable duplicates (same name and
// birth date, same phone and a similar name) with the new record.
import { Alert, App, Button, Col, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../shared/commands/contract';
import { personalDocumentTypes } from '../../../shared/customer/identity-documents';
import { describeIssue } from '../../../shared/i18n/validation';
import {
  documentExpiryStatus,
  formatIsoDate,
  parseIsoDate,
  residentIdBirthDate,
  residentIdGender,
  validateEmail,
  validateIdentityDocumentConsistency,
  validateIdentityDocumentNumber,
  validatePersonName,
  validatePhone,
  type ValidationCode,
  type ValidationIssue,
} from '../../../shared/validation';
import { formatDateTime } from '../format';
import { useDesk } from '../store';
import { EditorButtons } from './Editors';
import { FormError } from './FormError';
import { DateField, dateTextProblem } from './forms/DateField';
import { formErrorText } from './forms/form-errors';
import { NationalitySelect } from './forms/NationalitySelect';

type DocumentType = (typeof personalDocumentTypes)[number];
type Written = CommandOutput<'customer.create'>;
type Found = CommandOutput<'customer.search'>['items'];

interface Draft {
  legalName: string;
  documentType: DocumentType;
  documentNumber: string;
  issuedOn: string;
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
  issuedOn: '',
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

/** Which field a relation between the document's dates and the person is shown under. */
const consistencyField: Partial<Record<ValidationCode, keyof Draft>> = {
  DOCUMENT_ISSUE_DATE_IN_FUTURE: 'issuedOn',
  DOCUMENT_ISSUED_BEFORE_BIRTH: 'issuedOn',
  DOCUMENT_EXPIRY_BEFORE_ISSUE: 'expiresOn',
  RESIDENT_ID_VALIDITY_PERIOD_MISMATCH: 'expiresOn',
  RESIDENT_ID_LONG_TERM_UNEXPECTED: 'expiresOn',
  RESIDENT_ID_LONG_TERM_EXPECTED: 'expiresOn',
  BIRTH_DATE_IN_FUTURE: 'birthDate',
  DOCUMENT_BIRTH_DATE_MISMATCH: 'birthDate',
  DOCUMENT_GENDER_MISMATCH: 'gender',
};

export function NewCustomer({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const about = useDesk((state) => state.about);
  const [draft, setDraft] = useState<Draft>(empty);
  /** Date fields the teller has left: a date typed only in part is wrong from then on. */
  const [left, setLeft] = useState<Partial<Record<keyof Draft, boolean>>>({});
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
  const name = useMemo(
    () => (draft.legalName.trim() ? validatePersonName(draft.legalName) : undefined),
    [draft.legalName],
  );
  const realDay = (text: string) => (parseIsoDate(text) ? text : undefined);
  // The document's dates against each other and the person, once each date is a real day.
  const consistency = useMemo(() => {
    const issuedOn = realDay(draft.issuedOn);
    const expiresOn = realDay(draft.expiresOn);
    const birthDate = realDay(draft.birthDate);
    const result = validateIdentityDocumentConsistency(
      {
        type: draft.documentType,
        // Without a valid number the dates are still checked against each other.
        number: document?.ok ? document.value : '',
        ...(issuedOn ? { issuedOn } : {}),
        ...(expiresOn ? { expiresOn } : draft.expiresOn === '' ? { expiresOn: null } : {}),
      },
      { ...(birthDate ? { birthDate } : {}), ...(draft.gender ? { gender: draft.gender } : {}) },
    );
    return result.issues;
  }, [
    document,
    draft.documentType,
    draft.issuedOn,
    draft.expiresOn,
    draft.birthDate,
    draft.gender,
  ]);
  const expired =
    realDay(draft.expiresOn) !== undefined && documentExpiryStatus(draft.expiresOn) === 'expired';

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

  /** The sentences under one field: its own date text, then the relations shown under it. */
  const fieldIssues = (field: keyof Draft) =>
    consistency.filter((issue) => consistencyField[issue.code] === field);
  const dateHelp = (field: 'birthDate' | 'issuedOn' | 'expiresOn') => {
    const own = dateTextProblem(draft[field], t, left[field] === true);
    if (own) return { status: 'error' as const, text: own };
    const issues = fieldIssues(field);
    const text = [
      issuesText(issues),
      field === 'expiresOn' && expired ? t('forms.expiredNote', { date: draft.expiresOn }) : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (!text) return undefined;
    // The expiry note alone is information, not a fault: it keeps the plain help colour.
    const status = issues.some((issue) => issue.severity === 'error')
      ? ('error' as const)
      : issues.length > 0
        ? ('warning' as const)
        : undefined;
    return { status, text };
  };
  const leave = (field: keyof Draft) => () => setLeft((current) => ({ ...current, [field]: true }));

  const birthDateValid = realDay(draft.birthDate) !== undefined;
  const issuedValid = draft.issuedOn === '' || realDay(draft.issuedOn) !== undefined;
  const expiresValid = draft.expiresOn === '' || realDay(draft.expiresOn) !== undefined;
  const complete =
    name?.ok === true &&
    document?.ok === true &&
    mobile?.ok === true &&
    (email === undefined || email.ok) &&
    draft.gender !== '' &&
    birthDateValid &&
    issuedValid &&
    expiresValid &&
    !consistency.some((issue) => issue.severity === 'error') &&
    /^[A-Z]{3}$/.test(draft.nationality);

  /** An expired document is saved only once the teller says so; cancelling keeps the form. */
  function save() {
    if (!complete || saving) return;
    if (!expired) return void create();
    modal.confirm({
      title: t('forms.expired.title'),
      content: t('forms.expired.body', { date: draft.expiresOn }),
      okText: t('forms.expired.ok'),
      cancelText: t('forms.expired.cancel'),
      okButtonProps: { 'data-testid': 'expired-confirm' } as never,
      cancelButtonProps: { 'data-testid': 'expired-cancel' } as never,
      onOk: () => create(),
    });
  }

  async function create() {
    if (!complete || saving || !document?.ok || !mobile?.ok || !name?.ok) return;
    setSaving(true);
    setFailure(undefined);
    try {
      const output = await bridge.call('customer.create', {
        customer: {
          kind: 'individual',
          legalName: name.value,
          identityDocuments: [
            {
              type: draft.documentType,
              number: document.value,
              ...(draft.issuedOn ? { issuedOn: draft.issuedOn } : {}),
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
      setFailure(formErrorText(error, locale, t));
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
          data-testid="saved-sync"
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
              setLeft({});
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
  const nameHelp =
    required('legalName', t('newCustomer.legalName')) ?? (issuesText(name?.issues) || undefined);
  const issuedHelp = dateHelp('issuedOn');
  const expiresHelp = dateHelp('expiresOn');
  const birthHelp = touched.birthDate
    ? dateHelp('birthDate')
    : // A birth date filled in from the ID number is checked like a typed one.
      draft.birthDate
      ? dateHelp('birthDate')
      : undefined;
  const genderHelp = issuesText(fieldIssues('gender')) || undefined;
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
            validateStatus={nameHelp ? 'error' : undefined}
            help={nameHelp}
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
        <Col span={6}>
          <Form.Item
            label={t('forms.issuedOn')}
            htmlFor="new-issued-on"
            validateStatus={issuedHelp?.status}
            help={issuedHelp?.text}
          >
            <DateField
              id="new-issued-on"
              value={draft.issuedOn}
              onChange={update('issuedOn')}
              onBlur={leave('issuedOn')}
              disabledAfterToday
            />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item
            label={t('newCustomer.expiresOn')}
            htmlFor="new-expires-on"
            extra={t('newCustomer.expiresHint')}
            validateStatus={expiresHelp?.status}
            help={expiresHelp?.text}
          >
            <DateField
              id="new-expires-on"
              value={draft.expiresOn}
              onChange={update('expiresOn')}
              onBlur={leave('expiresOn')}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            label={t('newCustomer.gender')}
            required
            validateStatus={genderHelp ? 'error' : undefined}
            help={genderHelp}
          >
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
            validateStatus={birthHelp?.status}
            help={birthHelp?.text}
          >
            <DateField
              id="new-birth-date"
              value={draft.birthDate}
              onChange={update('birthDate')}
              onBlur={leave('birthDate')}
              disabledAfterToday
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
            <NationalitySelect
              id="new-nationality"
              value={draft.nationality}
              onChange={update('nationality')}
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
      <FormError error={failure} testId="new-customer-error" />
      <EditorButtons
        saveTestId="new-customer-save"
        saving={saving}
        disabled={!complete}
        saveLabel={t('newCustomer.save')}
      />
    </Form>
  );
}
