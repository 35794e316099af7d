// F1: the help panel for the screen in front of the member of staff, in the bank's words, from
// the table HQ publishes (shared/counter/help.ts); and the first-run guided tour of the desk for
// each role (driver.js), shown once per user and repeatable from Settings.
import { Drawer, Typography } from 'antd';
import { driver, type DriveStep } from 'driver.js';
import 'driver.js/dist/driver.css';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../shared/access/permissions';
import type { CommandOutput } from '../../../../shared/commands/contract';
import { helpFor, type HelpScreen } from '../../../../shared/counter/help';
import { useDesk, type View } from '../../store';

/** Which panel a screen of the desk has. */
export function helpScreenOf(view: View, customerOpen: boolean): HelpScreen {
  if (view === 'search') return customerOpen ? 'customer' : 'search';
  if (view === 'mine') return 'approvals';
  return (['home', 'approvals', 'complaints', 'audit', 'training'] as const).includes(view as never)
    ? (view as HelpScreen)
    : 'general';
}

export function HelpDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const view = useDesk((state) => state.view);
  const customerOpen = useDesk((state) => state.customerId !== undefined);
  const [table, setTable] = useState<CommandOutput<'help.panels'>>();
  useEffect(() => {
    if (!open) return;
    let current = true;
    bridge
      .call('help.panels', {})
      .then((found) => current && setTable(found))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [open, bridge]);
  const screen = helpScreenOf(view, customerOpen);
  const panel = table ? helpFor(table, screen) : undefined;
  const general = table && screen !== 'general' ? helpFor(table, 'general') : undefined;
  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={440}
      title={t('help.title')}
      data-testid="help-drawer"
    >
      {panel && (
        <section data-testid={`help-panel-${panel.screen}`}>
          <Typography.Title level={5}>{panel.title[locale]}</Typography.Title>
          <ul>
            {panel.points.map((point, index) => (
              <li key={index}>
                <Typography.Paragraph>{point[locale]}</Typography.Paragraph>
              </li>
            ))}
          </ul>
        </section>
      )}
      {general && general !== panel && (
        <section>
          <Typography.Title level={5}>{general.title[locale]}</Typography.Title>
          <ul>
            {general.points.map((point, index) => (
              <li key={index}>
                <Typography.Paragraph>{point[locale]}</Typography.Paragraph>
              </li>
            ))}
          </ul>
        </section>
      )}
      <Typography.Text type="secondary">
        {t('help.version', { version: table?.version ?? '—' })}
      </Typography.Text>
    </Drawer>
  );
}

/** Where a user's tour was seen (this PC): once per user. */
export const tourSeenKey = (username: string) => `branchdesk.tourSeen.${username}`;

const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The tour's stops for a member of staff's roles, each on an element of the desk's frame. */
function stopsFor(roles: readonly Role[]): { element: string; key: string }[] {
  const has = (role: Role) => roles.includes(role);
  const serves = has('teller') || has('relationship_manager') || has('supervisor');
  return [
    ...(has('relationship_manager') || has('supervisor')
      ? [{ element: '[data-testid="nav-home"]', key: 'home' }]
      : []),
    ...(serves || has('auditor') || has('compliance_officer')
      ? [{ element: '[data-testid="search-input"]', key: 'search' }]
      : []),
    ...(has('supervisor') ? [{ element: '[data-testid="nav-approvals"]', key: 'approvals' }] : []),
    ...(serves ? [{ element: '[data-testid="nav-complaints"]', key: 'complaints' }] : []),
    ...(has('auditor') || has('compliance_officer') || has('supervisor')
      ? [{ element: '[data-testid="nav-audit"]', key: 'audit' }]
      : []),
    ...(has('it_admin') ? [{ element: '[data-testid="nav-it"]', key: 'it' }] : []),
    { element: '[data-testid="status-bar"]', key: 'status' },
    { element: '[data-testid="lock-button"]', key: 'lock' },
    { element: '[data-testid="signed-in-user"]', key: 'help' },
  ];
}

/** Starts the guided tour for `roles`; `onDone` when it ends, finished or skipped. */
export function startTour(
  roles: readonly Role[],
  t: (key: string) => string,
  onDone: () => void,
): void {
  const steps: DriveStep[] = stopsFor(roles)
    .filter((stop) => document.querySelector(stop.element))
    .map((stop) => ({
      element: stop.element,
      popover: {
        title: escape(t(`tour.${stop.key}.title`)),
        description: escape(t(`tour.${stop.key}.body`)),
      },
    }));
  const tour = driver({
    steps,
    showProgress: true,
    allowClose: true,
    nextBtnText: escape(t('tour.next')),
    prevBtnText: escape(t('tour.previous')),
    doneBtnText: escape(t('tour.done')),
    progressText: '{{current}} / {{total}}',
    popoverClass: 'desk-tour',
    onDestroyed: onDone,
  });
  tour.drive();
}

/**
 * The first time a member of staff signs in on this PC, the tour for their roles: marked seen as
 * it starts (skipped or finished, it is not shown again; Settings repeats it).
 */
export function useFirstRunTour(): void {
  const { t } = useTranslation();
  const username = useDesk((state) => state.session?.user?.username);
  useEffect(() => {
    if (!username) return;
    const key = tourSeenKey(username);
    if (window.localStorage.getItem(key)) return;
    // After the frame has drawn its menu and bar.
    const timer = window.setTimeout(() => {
      const roles = useDesk.getState().session?.user?.roles;
      if (!roles || window.localStorage.getItem(key)) return;
      window.localStorage.setItem(key, '1');
      startTour(roles, t, () => undefined);
    }, 300);
    return () => window.clearTimeout(timer);
  }, [username, t]);
}
