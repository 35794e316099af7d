// The tabs with editors in place: names (profile; held for a supervisor), phones and e-mail
// (contacts), addresses. Each edit button shows only to a role with the permission for that
// group of fields; the editors are the forms' own.
import { Button, Descriptions, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../../shared/customer';
import { nameSchema } from '../../../../shared/customer/fields';
import { customerIssuesFromZod, describeCustomerIssue } from '../../../../shared/customer/issues';
import { describeIssue } from '../../../../shared/i18n/validation';
import { validateEmail } from '../../../../shared/validation';
import { fieldLabel, formatPhone } from '../../format';
import type { Locale } from '../../i18n';
import { useCan } from '../../permissions';
import { AddressEditor, TextFieldEditor, type Checked } from '../Editors';
import { checkPersonName } from '../forms/checks';
import { PhoneEditor } from '../PhoneEditor';
import { Revealable } from './Revealable';
import { useCounter } from '../counter/useCounter';
import { useDesk } from '../../store';

/** An email as typed, checked by the shared validator. */
function checkEmail(text: string, locale: Locale): Checked<string> {
  const result = validateEmail(text);
  const messages = result.issues
    .filter((issue) => issue.severity === 'error')
    .map((issue) => describeIssue(issue, locale));
  return result.ok ? { value: result.value, messages } : { messages };
}

/** A company's registered name as typed (it may hold digits), checked by the shared schema. */
function checkCompanyName(text: string, locale: Locale): Checked<string> {
  const parsed = nameSchema.safeParse(text);
  return parsed.success
    ? { value: parsed.data, messages: [] }
    : {
        messages: customerIssuesFromZod(parsed.error).map((issue) =>
          describeCustomerIssue(issue, locale),
        ),
      };
}

// A person's names are checked by the rules the core's individual schema applies; the English
// name is latin script only. Made once: the editor memoises its check by identity.
const checkLegalName = checkPersonName();
const checkLatinName = checkPersonName('latin');

function nameCheck(customer: Customer, field: 'legalName' | 'englishName') {
  if (customer.kind !== 'individual') return checkCompanyName;
  return field === 'englishName' ? checkLatinName : checkLegalName;
}

export interface EditingProps {
  customer: Customer;
  /** Which editor is open: `phone-N`, `email`, `address-N`, `name-FIELD`, `visit`, ... */
  editing: string | undefined;
  setEditing: (editor: string | undefined) => void;
  /** An editor closed, with a note for the teller (held for approval) or none. */
  done: (note?: string) => void;
  /**
   * Sets one field through customer.update, with the maker's note for a change a supervisor
   * approves; answers the note for the teller when it waits for approval.
   */
  updateField: (
    field: string,
    value: string,
    note?: string,
    correction?: boolean,
  ) => Promise<string | undefined>;
}

export function NamesEditor({ customer, editing, setEditing, done, updateField }: EditingProps) {
  const { t } = useTranslation();
  const can = useCan();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={1} bordered>
        {(['legalName', 'englishName'] as const).map((field) => (
          <Descriptions.Item key={field} label={fieldLabel(t, field)}>
            {editing === `name-${field}` ? (
              <TextFieldEditor
                customerId={customer.id}
                label={fieldLabel(t, field)}
                testId={`name-${field}`}
                check={nameCheck(customer, field)}
                save={(value, note, correction) => updateField(field, value, note, correction)}
                noteLabel={t('edit.makerNote')}
                onDone={done}
              />
            ) : (
              <Space>
                <span>{customer[field] ?? t('customer.none')}</span>
                {can('edit_identity') && (
                  <Button
                    size="small"
                    onClick={() => setEditing(`name-${field}`)}
                    data-testid={`edit-name-${field}`}
                  >
                    {t('edit.button')}
                  </Button>
                )}
              </Space>
            )}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {can('edit_identity') && (
        <Typography.Text type="secondary">{t('edit.identityNote')}</Typography.Text>
      )}
    </Space>
  );
}

export function ContactsTab({ customer, editing, setEditing, done, updateField }: EditingProps) {
  const { t } = useTranslation();
  const can = useCan();
  const mayEdit = can('edit_contacts');
  const counter = useCounter();
  // With a customer screen, the customer confirms a new e-mail before it is saved.
  const saveEmail = async (value: string, correction?: boolean) => {
    if (!counter.display) return updateField('email', value, undefined, correction);
    await counter.confirm(customer.id, customer.version, {
      kind: 'email',
      email: value,
      ...(correction ? { correction } : {}),
    });
    return undefined;
  };
  const set = useDesk((state) => state.set);
  const bridge = useDesk((state) => state.bridge)!;
  const selfService = async () => {
    if ((await counter.selfService(customer.id)) === 'approved')
      set({ customer: await bridge.call('customer.show', { id: customer.id }) });
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {mayEdit && counter.display && (
        <Button onClick={() => void selfService()} data-testid="counter-self-service">
          {t('counter.selfService')}
        </Button>
      )}
      <Descriptions size="small" column={1} bordered>
        {customer.phones.map((phone, index) => (
          <Descriptions.Item key={index} label={t('customer.phone')}>
            {editing === `phone-${index}` ? (
              <PhoneEditor
                customerId={customer.id}
                version={customer.version}
                index={index}
                kind={phone.kind === 'landline' ? 'landline' : 'mobile'}
                onDone={() => setEditing(undefined)}
              />
            ) : (
              <Space>
                <Revealable
                  customerId={customer.id}
                  field="phone"
                  index={index}
                  masked={phone.e164}
                  format={formatPhone}
                />
                {mayEdit && (
                  <Button
                    size="small"
                    onClick={() => setEditing(`phone-${index}`)}
                    data-testid={`edit-phone-${index}`}
                  >
                    {t('edit.button')}
                  </Button>
                )}
              </Space>
            )}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('customer.email')}>
          {editing === 'email' ? (
            <TextFieldEditor
              customerId={customer.id}
              label={t('customer.email')}
              testId="email"
              check={checkEmail}
              save={(value, _note, correction) => saveEmail(value, correction)}
              onDone={done}
            />
          ) : (
            <Space>
              {customer.email ? (
                <Revealable
                  customerId={customer.id}
                  field="email"
                  index={0}
                  masked={customer.email}
                />
              ) : (
                t('customer.none')
              )}
              {mayEdit && (
                <Button size="small" onClick={() => setEditing('email')} data-testid="edit-email">
                  {t('edit.button')}
                </Button>
              )}
            </Space>
          )}
        </Descriptions.Item>
      </Descriptions>
    </Space>
  );
}

export function AddressesTab({ customer, editing, setEditing }: EditingProps) {
  const { t } = useTranslation();
  const can = useCan();
  const mayEdit = can('edit_contacts');
  return (
    <Descriptions size="small" column={1} bordered>
      {customer.addresses.map((address, index) => (
        <Descriptions.Item
          key={`a${index}`}
          label={t('customer360.addressOfKind', { kind: t(`addressKind.${address.kind}`) })}
        >
          {editing === `address-${index}` ? (
            <AddressEditor
              customerId={customer.id}
              version={customer.version}
              index={index}
              onDone={() => setEditing(undefined)}
            />
          ) : (
            <Space>
              <Revealable
                customerId={customer.id}
                field="address"
                index={index}
                masked={`${address.districtCode} ${address.line}`}
              />
              {mayEdit && (
                <Button
                  size="small"
                  onClick={() => setEditing(`address-${index}`)}
                  data-testid={`edit-address-${index}`}
                >
                  {t('edit.button')}
                </Button>
              )}
            </Space>
          )}
        </Descriptions.Item>
      ))}
      {customer.addresses.length === 0 && (
        <Descriptions.Item label={t('customer.addresses')}>{t('customer.none')}</Descriptions.Item>
      )}
      {mayEdit && (
        <Descriptions.Item label={t('address.add')}>
          {editing === 'address-new' ? (
            <AddressEditor
              customerId={customer.id}
              version={customer.version}
              index={customer.addresses.length}
              onDone={() => setEditing(undefined)}
            />
          ) : (
            <Button
              size="small"
              onClick={() => setEditing('address-new')}
              data-testid="add-address"
            >
              {t('address.add')}
            </Button>
          )}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}
