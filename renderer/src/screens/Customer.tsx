// 客户视图: the header card, then the customer's sections as tabs (UI.md: profile, documents,
// contacts, addresses, KYC and risk, accounts, consents, service record, tasks), masked as the
// core sent them. Tabs take the keyboard (← → between them, Enter to open); the last tab chosen
// stays while the customer is open. Reveal and edit controls show only to a role that may use
// them; the core checks and masks regardless.
import { Button, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer as CustomerRecord } from '../../../shared/customer';
import { RestrictedCustomer } from '../permissions';
import { useDesk } from '../store';
import { AddressesTab, ContactsTab, NamesEditor, type EditingProps } from './customer/Editable';
import { Header } from './customer/Header';
import { NextActions } from './customer/NextActions';
import { CleansingTasks } from './customer/Cleansing';
import { ConsentsTab } from './customer/Consents';
import { AccountsTab, DocumentsTab, KycTab, ProfileFacts } from './customer/Records';
import { ServiceTab } from './customer/Service';
import { tabFor, useCustomerTab, type CustomerTab } from './customer/state';
import { TasksTab } from './customer/Tasks';
import { ComplaintsTab } from './customer/Complaints';
import { complaintStates } from '../../../shared/counter/complaints';

export { REVEAL_SECONDS } from './customer/Revealable';

export function Customer({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const shown = useDesk((state) => state.customer);
  const tab = useCustomerTab((state) => tabFor(state, shown?.customer.id as string));
  const showTab = useCustomerTab((state) => state.show);
  const [editing, setEditing] = useState<string>();
  const [notice, setNotice] = useState<string>();
  if (!shown) return null;
  // The core sends the record masked for this user; its shape is the shared one.
  const customer = shown.customer as unknown as CustomerRecord;
  const done = (note?: string) => {
    setEditing(undefined);
    setNotice(note);
  };
  /** A change of identity fields waits for a supervisor: the core says so with its id. */
  const updateField = async (field: string, value: string, note?: string, correction?: boolean) => {
    const output = await bridge.call('customer.update', {
      id: customer.id,
      baseVersion: customer.version,
      changes: { [field]: value },
      ...(note ? { note } : {}),
      ...(correction ? { correction } : {}),
    });
    return output.pendingChangeId ? t('edit.heldForApproval') : undefined;
  };
  const editingProps: EditingProps = { customer, editing, setEditing, done, updateField };
  const count = (n: number) => (n > 0 ? ` (${n})` : '');
  const openTasks = customer.tasks.filter((task) => task.status === 'open').length;
  const openComplaints = complaintStates(
    customer.complaints ?? [],
    customer.complaintSteps ?? [],
    '0000-00-00',
  ).filter((state) => state.status !== 'resolved' && state.status !== 'escalated').length;
  const tabs: { key: CustomerTab; label: string; children: React.ReactNode }[] = [
    {
      key: 'profile',
      label: t('customer360.tab.profile'),
      children: (
        <Space direction="vertical" style={{ width: '100%' }}>
          <NamesEditor {...editingProps} />
          <ProfileFacts customer={customer} />
        </Space>
      ),
    },
    {
      key: 'documents',
      label: t('customer360.tab.documents'),
      children: <DocumentsTab customer={customer} />,
    },
    {
      key: 'contacts',
      label: t('customer360.tab.contacts'),
      children: <ContactsTab {...editingProps} />,
    },
    {
      key: 'addresses',
      label: t('customer360.tab.addresses'),
      children: <AddressesTab {...editingProps} />,
    },
    { key: 'kyc', label: t('customer360.tab.kyc'), children: <KycTab customer={customer} /> },
    {
      key: 'accounts',
      label: t('customer360.tab.accounts') + count(customer.accounts.length),
      children: <AccountsTab customer={customer} />,
    },
    {
      key: 'consents',
      label: t('customer360.tab.consents'),
      children: <ConsentsTab {...editingProps} />,
    },
    {
      key: 'service',
      label: t('customer360.tab.service'),
      children: <ServiceTab {...editingProps} />,
    },
    {
      key: 'complaints',
      label: t('complaint.tab') + count(openComplaints),
      children: <ComplaintsTab {...editingProps} />,
    },
    {
      key: 'tasks',
      label: t('customer360.tab.tasks') + count(openTasks),
      children: <TasksTab {...editingProps} />,
    },
  ];
  return (
    <RestrictedCustomer.Provider value={customer.restriction !== undefined}>
      <div data-testid="customer-view">
        <Space style={{ marginBottom: 8 }}>
          <Button onClick={onBack}>{t('customer.back')}</Button>
          <Typography.Text type="secondary">{t('customer360.tabKeys')}</Typography.Text>
        </Space>
        <Header
          shown={shown}
          customer={customer}
          notice={notice}
          onNoticeClose={() => setNotice(undefined)}
        />
        <CleansingTasks customer={customer} />
        <NextActions
          customerId={customer.id}
          version={customer.version}
          onGo={(next) => {
            setEditing(undefined);
            showTab(customer.id, next);
          }}
        />
        <Tabs
          activeKey={tab}
          onChange={(key) => {
            setEditing(undefined);
            showTab(customer.id, key as CustomerTab);
          }}
          items={tabs.map((item) => ({
            key: item.key,
            label: <span data-testid={`customer-tab-${item.key}`}>{item.label}</span>,
            children: <div data-testid={`customer-pane-${item.key}`}>{item.children}</div>,
          }))}
          style={{ marginTop: 8 }}
        />
      </div>
    </RestrictedCustomer.Provider>
  );
}
