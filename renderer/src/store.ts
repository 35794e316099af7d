// The desk's client state (zustand). Whatever shows a customer is cleared the moment the session
// locks or ends: results, the open record, revealed values.
import type { HqUser } from '../../shared/auth/hq-staff';
import { create } from 'zustand';
import type { CommandOutput } from '../../shared/commands/contract';
import type { SessionStatus } from '../../shared/commands/session';
import type { SyncEvent } from '../../shared/protocol/bridge';
import type { Bridge } from './bridge';
import type { Locale } from './i18n';
import { initialLocale } from './i18n';

/** The results so far, for `query`; `more` when the last page was full, so another may follow. */
export type SearchOutput = CommandOutput<'customer.search'> & { query: string; more: boolean };
export type ShowOutput = CommandOutput<'customer.show'>;
export type SyncStatus = CommandOutput<'sync.status'>;
export type About = CommandOutput<'device.about'>;
export type View =
  | 'home'
  | 'search'
  | 'new'
  | 'approvals'
  | 'mine'
  | 'conflicts'
  | 'rejected'
  | 'audit'
  | 'privacy'
  | 'complaints'
  | 'merges'
  | 'quality'
  | 'training'
  | 'it'
  | 'settings';

export interface Revealed {
  value: string;
  expiresAt: number;
}

interface DeskState {
  bridge: Bridge | undefined;
  connection: 'connecting' | 'ready' | 'lost';
  session: SessionStatus | undefined;
  sync: SyncEvent | undefined;
  syncStatus: SyncStatus | undefined;
  locale: Locale;
  /** The counter's customer screen: connected or not, and this desk's request there. */
  counter: CommandOutput<'counter.status'> | undefined;
  /** This device: enrolled or not, branch, HQ, version. */
  about: About | undefined;
  /** HQ revoked this device: the core wiped it and refuses everything; no sign-in form. */
  revoked: boolean;
  query: string;
  results: SearchOutput | undefined;
  selected: number;
  customerId: string | undefined;
  customer: ShowOutput | undefined;
  revealed: Record<string, Revealed>;
  /** Which screen of the frame: the search (and a customer), or one of the side menu's. */
  view: View;
  /**
   * The privacy desk (an HQ privacy officer signed in to HQ, screens/PrivacyDesk.tsx): `signing`
   * while its sign-in form shows, else the officer signed in; null otherwise.
   */
  privacyDesk: null | 'signing' | HqUser;
  set(partial: Partial<DeskState>): void;
  /** Forgets everything about customers (lock, sign-out). */
  clearSensitive(): void;
}

/** Everything on screen about customers, as it is before anything was looked at. */
const nothingShown = {
  query: '',
  results: undefined,
  selected: 0,
  customerId: undefined,
  customer: undefined,
  revealed: {},
  view: 'search',
} satisfies Partial<DeskState>;

export const useDesk = create<DeskState>((set) => ({
  privacyDesk: null,
  bridge: undefined,
  connection: 'connecting',
  session: undefined,
  sync: undefined,
  syncStatus: undefined,
  locale: initialLocale(),
  about: undefined,
  counter: undefined,
  revoked: false,
  ...nothingShown,
  set: (partial) => set(partial),
  clearSensitive: () => set(nothingShown),
}));

/** Applies a session status from the core; locking or signing out clears the screen. */
export function applySession(session: SessionStatus): void {
  const state = useDesk.getState();
  if (session.state !== 'active') state.clearSensitive();
  state.set({ session });
}

/**
 * The core says HQ revoked this device (an answer or a sync event with DEVICE_REVOKED): whatever
 * was on screen goes, and the desk says why instead of offering to sign in.
 */
export function noteRevocation(code: string | null | undefined): boolean {
  if (code !== 'DEVICE_REVOKED') return false;
  const state = useDesk.getState();
  state.clearSensitive();
  state.set({ revoked: true });
  return true;
}

export const revealKey = (customerId: string, field: string, index: number) =>
  `${customerId}:${field}:${index}`;
