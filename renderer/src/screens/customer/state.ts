// Which tab of the customer 360 is showing, remembered while that customer stays open (a visit
// to another screen and back keeps it); another customer starts on the first tab.
import { create } from 'zustand';

export const customerTabs = [
  'profile',
  'documents',
  'contacts',
  'addresses',
  'kyc',
  'accounts',
  'consents',
  'service',
  'complaints',
  'tasks',
] as const;
export type CustomerTab = (typeof customerTabs)[number];

interface TabState {
  customerId: string | undefined;
  tab: CustomerTab;
  show(customerId: string, tab: CustomerTab): void;
}

export const useCustomerTab = create<TabState>((set) => ({
  customerId: undefined,
  tab: 'profile',
  show: (customerId, tab) => set({ customerId, tab }),
}));

/** The tab to show for this customer: the last one chosen while it was open, else the first. */
export function tabFor(state: TabState, customerId: string): CustomerTab {
  return state.customerId === customerId ? state.tab : 'profile';
}
