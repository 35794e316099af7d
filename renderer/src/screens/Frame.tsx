// The desk when someone is signed in: top bar (branch, the one search box, new customer, user
// and role, lock), the side menu, the work area, and the status bar (HQ, pending changes, last
// sync, a progress bar during a long sync). Every control is shown only to a role that may use it
// (renderer/src/permissions.ts, from the permission matrix): a role with nothing to search gets
// no search box, and each role opens on a screen it can use. Keys: F2 / Ctrl+K search, ↑/↓/Enter
// pick, Esc back, Alt+N new customer, Ctrl+L lock, ? the list of keys.
import {
  Button,
  Input,
  Layout,
  Menu,
  Progress,
  Select,
  Space,
  Tag,
  Tooltip,
  Typography,
  type InputRef,
} from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';
import { formatDateTime } from '../format';
import i18n, { LOCALE_KEY, type Locale } from '../i18n';
import { useCan } from '../permissions';
import { applySession, useDesk, type View } from '../store';
import type { Permission } from '../../../shared/access/permissions';
import { CustomerSearchInput } from '../../../shared/commands/customer';
import { Approvals } from './Approvals';
import { WaitingBadge } from './approvals/WaitingBadge';
import { Audit } from './Audit';
import { Conflicts } from './Conflicts';
import { Customer } from './Customer';
import { Home } from './Home';
import { ItDesk } from './ItDesk';
import { MyRequests } from './MyRequests';
import { clearSyncLog, noteSyncEvent } from './it/sync-log';
import { NewCustomer } from './NewCustomer';
import { PrivacyNotice } from './PrivacyNotice';
import { RejectedLedger } from './Rejected';
import { Settings } from './Settings';
import { ShortcutSheet } from './Shortcuts';
import { SearchResults } from './Search';
import { tagColour } from './tags';
import { escapeBelongsToLayer } from './customer/layers';
import { CounterTag } from './counter/useCounter';
import { ComplaintsDesk } from './ComplaintsDesk';
import { MergeDesk } from './MergeDesk';
import { QualityDesk } from './QualityDesk';
import { Exercises } from './training/Exercises';
import { HelpDrawer, useFirstRunTour } from './help/Help';

/** The first page is small so the first results show at once; later pages are larger. */
const FIRST_PAGE = 50;
const NEXT_PAGE = 100;
/** The core ranks at most this many candidates per query (CANDIDATE_CAP); past it, refine. */
const MAX_RESULTS = 1000;
/** The longest query the core takes (its input schema); a longer one is not sent. */
export const MAX_QUERY = CustomerSearchInput.shape.query.maxLength ?? 256;

/**
 * The side menu in order, each entry with the permission it needs (null: everyone). A role sees
 * exactly the entries its permissions allow.
 */
const menu: readonly { key: View; needs: Permission | null; label: string }[] = [
  { key: 'home', needs: 'view_book', label: 'nav.home' },
  { key: 'search', needs: 'search', label: 'nav.search' },
  { key: 'approvals', needs: 'approve', label: 'nav.approvals' },
  { key: 'mine', needs: 'edit_identity', label: 'held.nav.mine' },
  { key: 'conflicts', needs: 'resolve_conflicts', label: 'nav.conflicts' },
  { key: 'rejected', needs: 'view', label: 'nav.rejected' },
  { key: 'audit', needs: 'view_audit', label: 'nav.audit' },
  { key: 'complaints', needs: 'handle_complaints', label: 'complaint.desk.nav' },
  { key: 'quality', needs: 'view_book', label: 'quality.nav' },
  { key: 'merges', needs: 'merge_customers', label: 'merge.nav' },
  { key: 'training', needs: 'view', label: 'training.nav' },
  { key: 'privacy', needs: 'view', label: 'privacyNotice.nav' },
  { key: 'it', needs: 'administer_device', label: 'roles.nav.it' },
  { key: 'settings', needs: null, label: 'nav.settings' },
];

/**
 * Where a role opens: those with a book of customers (an RM, a supervisor) on it; those who
 * serve customers on the search; one who reads the audit log and
 * changes nothing (an auditor) on the log; IT on its screen; anyone else on settings.
 */
export function landingView(can: (permission: Permission) => boolean): View {
  if (can('view_book')) return 'home';
  if (can('search') && can('edit_contacts')) return 'search';
  if (can('view_audit')) return 'audit';
  if (can('search')) return 'search';
  if (can('administer_device')) return 'it';
  return 'settings';
}

export function Frame() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const session = useDesk((state) => state.session)!;
  const locale = useDesk((state) => state.locale);
  const query = useDesk((state) => state.query);
  const customerId = useDesk((state) => state.customerId);
  const view = useDesk((state) => state.view);
  const can = useCan();
  const training = useDesk((state) => state.about?.training === true);
  const set = useDesk((state) => state.set);
  const canCreate = can('create');
  const canSearch = can('search');
  const canView = can('view');
  const landing = landingView(can);
  const allowed = new Set<View>([
    ...menu.filter((entry) => entry.needs === null || can(entry.needs)).map((entry) => entry.key),
    ...(canCreate ? (['new'] as const) : []),
  ]);
  // A view the role may not use (the search after a lock, for IT) shows the role's own screen.
  const shown: View = allowed.has(view) ? view : landing;
  const sync = useDesk((state) => state.sync);
  /** What shows beside a menu entry (a count of work waiting there). */
  const badges: Partial<Record<View, ReactNode>> = { approvals: <WaitingBadge /> };
  const searchBox = useRef<InputRef>(null);
  const latest = useRef(0);
  const [help, setHelp] = useState(false);
  const [helpPanel, setHelpPanel] = useState(false);
  useFirstRunTour();

  // Each sign-in opens on the role's own screen, with a new log of sync events.
  useEffect(() => {
    set({ view: landing });
    clearSyncLog(useDesk.getState().sync);
    // Only when the user changes (landing follows from them): later they move between screens.
  }, [session.user?.userId]);
  useEffect(() => {
    if (sync) noteSyncEvent(sync);
  }, [sync]);

  /** Back from a customer to an empty search box: the typed ID goes with the customer. */
  const leaveCustomer = useCallback(() => {
    set({ customerId: undefined, customer: undefined, query: '', results: undefined });
    searchBox.current?.focus();
  }, [set]);

  const lock = useCallback(async () => {
    applySession(await bridge.call('session.lock', {}));
  }, [bridge]);

  const open = useCallback(
    async (id: string) => {
      try {
        const customer = await bridge.call('customer.show', { id });
        set({ customerId: id, customer, view: 'search' });
      } catch (failure) {
        await refreshSessionOn(failure);
      }
    },
    [bridge, set],
  );

  /** One page of results from `offset`; `more` when it came back full. */
  const searchPage = useCallback(
    async (text: string, offset: number) => {
      const limit = offset === 0 ? FIRST_PAGE : NEXT_PAGE;
      const page = await bridge.call('customer.search', { query: text, limit, offset });
      return {
        ...page,
        query: text,
        more: page.items.length === limit && offset + limit < MAX_RESULTS,
      };
    },
    [bridge],
  );

  /** A refusal may mean the session locked itself: ask the core where it stands. */
  const refreshSessionOn = useCallback(
    async (failure: unknown) => {
      console.warn(errorText(failure, 'en'));
      try {
        applySession(await bridge.call('session.status', {}));
      } catch {
        // The connection itself is gone: the bridge's close handler shows that.
      }
    },
    [bridge],
  );

  // Results as the teller types, with no timer to wait for: a keystroke with no search under way
  // asks at once; keystrokes while one is under way leave only their latest text, asked as soon
  // as the answer arrives. So the core never has more than one search from this desk, and the
  // last text typed is always the last answered.
  const inFlight = useRef(false);
  const queued = useRef<string | undefined>(undefined);
  const runSearch = useCallback(
    async (text: string) => {
      if (inFlight.current) {
        queued.current = text;
        return;
      }
      inFlight.current = true;
      let next: string | undefined = text;
      try {
        while (next !== undefined) {
          queued.current = undefined;
          const ticket = ++latest.current;
          try {
            const results = await searchPage(next, 0);
            if (ticket === latest.current && useDesk.getState().query.trim())
              set({ results, selected: 0 });
          } catch (failure) {
            await refreshSessionOn(failure);
          }
          next = queued.current;
        }
      } finally {
        inFlight.current = false;
      }
    },
    [set, refreshSessionOn, searchPage],
  );

  useEffect(() => {
    const text = query.trim();
    if (!text || text.length > MAX_QUERY) {
      latest.current++; // an answer still on its way is for text no longer there
      queued.current = undefined;
      set({ results: undefined, selected: 0 });
      return;
    }
    void runSearch(text);
  }, [query, set, runSearch]);

  // The next page, as the teller scrolls down the list (one request at a time).
  const loadingMore = useRef(false);
  const loadMore = useCallback(async () => {
    const { results } = useDesk.getState();
    if (!results?.more || loadingMore.current || inFlight.current) return;
    loadingMore.current = true;
    try {
      const next = await searchPage(results.query, results.items.length);
      // Only onto the very list it continues: a newer search (or page) may have replaced it.
      if (useDesk.getState().results !== results || inFlight.current) return;
      const shown = new Set(results.items.map((item) => item.id));
      set({
        results: {
          ...next,
          items: [...results.items, ...next.items.filter((item) => !shown.has(item.id))],
        },
      });
    } catch (failure) {
      await refreshSessionOn(failure);
    } finally {
      loadingMore.current = false;
    }
  }, [set, refreshSessionOn, searchPage]);

  // Desk-wide keys.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Esc closes the topmost layer only: a dialog or open list above the page takes it.
      if (event.key === 'Escape' && escapeBelongsToLayer(event)) return;
      if (event.key === 'F2' || (event.ctrlKey && event.key.toLowerCase() === 'k')) {
        if (!canSearch) return;
        event.preventDefault();
        set({ customerId: undefined, customer: undefined });
        searchBox.current?.focus({ cursor: 'all' });
      } else if (event.ctrlKey && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        void lock();
      } else if (
        // Alt+N (a browser keeps Ctrl+N for itself); Ctrl+N too where the desk is the app.
        (event.altKey || event.ctrlKey) &&
        event.code === 'KeyN' &&
        canCreate
      ) {
        event.preventDefault();
        set({ view: 'new', customerId: undefined, customer: undefined });
      } else if (event.altKey && event.code === 'KeyP' && canView) {
        // Alt+P: the notice to show a customer who asks, from anywhere on the desk.
        event.preventDefault();
        set({ view: 'privacy', customerId: undefined, customer: undefined });
      } else if (event.key === 'F1') {
        // The help panel for the screen in front of one (the browser's own help is not ours).
        event.preventDefault();
        setHelpPanel(true);
      } else if (event.key === '?' && !typingIn(event.target)) {
        event.preventDefault();
        setHelp(true);
      } else if (event.key === 'Escape' && useDesk.getState().view === 'new') {
        set({ view: 'search' });
        searchBox.current?.focus();
      } else if (event.key === 'Escape' && useDesk.getState().customerId) {
        leaveCustomer();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lock, set, canCreate, canSearch, canView, leaveCustomer]);

  function onSearchKey(event: React.KeyboardEvent) {
    const { results, selected } = useDesk.getState();
    const count = results?.items.length ?? 0;
    if (event.key === 'ArrowDown' && count) {
      event.preventDefault();
      set({ selected: Math.min(count - 1, selected + 1) });
    } else if (event.key === 'ArrowUp' && count) {
      event.preventDefault();
      set({ selected: Math.max(0, selected - 1) });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void openOnEnter();
    }
  }

  const openById = useCallback((id: string) => void open(id), [open]);

  /**
   * Enter opens the selected result. A card reader types 18 characters and Enter faster than any
   * answer comes back: when the results on screen are for earlier text, ask for this text first.
   */
  async function openOnEnter() {
    const text = useDesk.getState().query.trim();
    let { results } = useDesk.getState();
    try {
      if (!results || results.query !== text) {
        if (!text || text.length > MAX_QUERY) return;
        results = await searchPage(text, 0);
        set({ results, selected: 0 });
      }
      const item = results.items[useDesk.getState().selected];
      if (item) await open(item.id);
    } catch (failure) {
      await refreshSessionOn(failure);
    }
  }

  function changeLocale(next: Locale) {
    window.localStorage.setItem(LOCALE_KEY, next);
    void i18n.changeLanguage(next);
    set({ locale: next });
  }

  const roles = session.user?.roles.map((role) => t(`role.${role}`)).join('、');
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="topbar">
        <Typography.Text strong className="brand">
          {t('app.title')}
        </Typography.Text>
        {canSearch ? (
          <Input
            ref={searchBox}
            autoFocus
            allowClear
            value={query}
            placeholder={t('frame.searchPlaceholder')}
            onChange={(event) =>
              set({
                query: event.target.value,
                customerId: undefined,
                customer: undefined,
                view: 'search',
              })
            }
            onKeyDown={onSearchKey}
            aria-label={t('frame.searchPlaceholder')}
            data-testid="search-input"
            style={{ maxWidth: 560 }}
          />
        ) : null}
        {canCreate && (
          <Tooltip title="Alt+N">
            <Button
              onClick={() => set({ view: 'new', customerId: undefined, customer: undefined })}
              data-testid="new-customer-button"
            >
              {t('newCustomer.button')}
            </Button>
          </Tooltip>
        )}
        <Space className="user">
          <span data-testid="signed-in-user">{session.user?.displayName}</span>
          <Tag>{roles}</Tag>
          {session.mode === 'offline' && <Tag color="default">{t('frame.offlineMode')}</Tag>}
          <Select<Locale>
            size="small"
            value={locale}
            onChange={changeLocale}
            options={[
              { value: 'zh-CN', label: '中文' },
              { value: 'en', label: 'English' },
            ]}
            aria-label="language"
          />
          <Tooltip title={t('frame.lockShortcut')}>
            <Button onClick={() => void lock()} data-testid="lock-button">
              {t('frame.lock')}
            </Button>
          </Tooltip>
          <Button
            onClick={async () => applySession(await bridge.call('session.logout', {}))}
            data-testid="sign-out-button"
          >
            {t('frame.signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={locale === 'en' ? 200 : 150} theme="light" className="nav">
          <Menu
            mode="inline"
            selectedKeys={[shown]}
            onClick={({ key }) => {
              // Leaving a customer, or the search for another screen, leaves no query on
              // screen (it may be an ID number), as Esc does; 客户查询 on its own results keeps them.
              const { customerId, view } = useDesk.getState();
              const keep = key === 'search' && view === 'search' && !customerId;
              set({
                view: key as View,
                customerId: undefined,
                customer: undefined,
                ...(keep ? {} : { query: '', results: undefined }),
              });
            }}
            items={menu
              .filter((entry) => entry.needs === null || can(entry.needs))
              // The exercises are a training profile's only.
              .filter((entry) => entry.key !== 'training' || training)
              .map((entry) => ({
                key: entry.key,
                label: (
                  <span data-testid={`nav-${entry.key}`}>
                    {t(entry.label)}
                    {badges[entry.key]}
                  </span>
                ),
              }))}
          />
        </Layout.Sider>
        <Layout.Content className="work">
          {shown === 'home' ? (
            <Home />
          ) : shown === 'approvals' ? (
            <Approvals />
          ) : shown === 'mine' ? (
            <MyRequests />
          ) : shown === 'audit' ? (
            <Audit />
          ) : shown === 'conflicts' ? (
            <Conflicts />
          ) : shown === 'rejected' ? (
            <RejectedLedger />
          ) : shown === 'privacy' ? (
            <PrivacyNotice />
          ) : shown === 'complaints' ? (
            <ComplaintsDesk />
          ) : shown === 'merges' ? (
            <MergeDesk />
          ) : shown === 'quality' ? (
            <QualityDesk />
          ) : shown === 'training' ? (
            <Exercises />
          ) : shown === 'it' ? (
            <ItDesk />
          ) : shown === 'settings' ? (
            <Settings onLocale={changeLocale} />
          ) : shown === 'new' ? (
            <NewCustomer onOpen={(id) => void open(id)} />
          ) : customerId ? (
            <Customer onBack={leaveCustomer} />
          ) : (
            <SearchResults onOpen={openById} onMore={loadMore} maxQuery={MAX_QUERY} />
          )}
        </Layout.Content>
      </Layout>
      <StatusBar />
      <ShortcutSheet open={help} onClose={() => setHelp(false)} />
      <HelpDrawer open={helpPanel} onClose={() => setHelpPanel(false)} />
    </Layout>
  );
}

/** Whether a key went to a text field (where `?` is just a character). */
function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

function StatusBar() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const sync = useDesk((state) => state.sync);
  const syncStatus = useDesk((state) => state.syncStatus);
  const about = useDesk((state) => state.about);
  const set = useDesk((state) => state.set);
  const canView = useCan()('view');

  // The counts need `view` (they are about customers); a role without it is not asked, so it is
  // not refused (and audited) every ten seconds.
  useEffect(() => {
    if (!canView) {
      set({ syncStatus: undefined });
      return;
    }
    let stopped = false;
    const refresh = async () => {
      try {
        const status = await bridge.call('sync.status', {});
        if (!stopped) set({ syncStatus: status });
      } catch {
        // A locked session shows the lock screen.
      }
    };
    void refresh();
    const timer = window.setInterval(refresh, 10_000);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [bridge, set, canView, sync?.lastSuccessAt]);

  // Whether a customer screen is connected (客户确认屏): the editors put changes before it.
  useEffect(() => {
    if (!canView) return;
    let stopped = false;
    const refresh = () =>
      bridge
        .call('counter.status', {})
        .then((counter) => !stopped && set({ counter }))
        .catch(() => undefined);
    void refresh();
    const timer = window.setInterval(refresh, 3_000);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [bridge, set, canView]);

  // The last sync time is the device's, for every role (device.about): asked again after a round.
  useEffect(() => {
    let stopped = false;
    bridge
      .call('device.about', {})
      .then((next) => !stopped && set({ about: next }))
      .catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [bridge, set, sync?.lastSuccessAt]);

  const lastSync = latest(sync?.lastSuccessAt, syncStatus?.lastSyncAt, about?.lastSyncAt);
  const online = sync?.online;
  const progress = sync?.progress;
  return (
    <Layout.Footer className="statusbar" data-testid="status-bar">
      <Space size="large">
        <Tag color={online ? tagColour.green : undefined} data-testid="status-online">
          {online
            ? t('status.online')
            : online === false
              ? t('status.offline')
              : t('status.unknown')}
        </Tag>
        {syncStatus && (
          <span data-testid="status-pending">
            {t('status.pending', { count: syncStatus.pendingChanges })}
          </span>
        )}
        <span data-testid="status-last-sync">
          {lastSync
            ? t('status.lastSync', { time: formatDateTime(lastSync) })
            : about
              ? t('status.never')
              : t('roles.status.loading')}
        </span>
        <CounterTag />
        {sync?.running && <span>{t('status.syncing')}</span>}
        {progress && progress.total > 0 && (
          <Progress
            percent={Math.round((progress.done / progress.total) * 100)}
            size="small"
            style={{ width: 200 }}
            aria-label={t('status.progress')}
          />
        )}
      </Space>
    </Layout.Footer>
  );
}

/** The latest of some ISO times (the core's clock writes them all the same way). */
function latest(...times: (string | null | undefined)[]): string | undefined {
  return times
    .filter((time): time is string => Boolean(time))
    .sort()
    .at(-1);
}
