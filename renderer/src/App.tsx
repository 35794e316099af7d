// The desk: connects to the core, then shows sign-in, the lock screen or the frame, as the
// core's session says. The session is polled so an idle lock shows within seconds.
import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCNAntd from 'antd/locale/zh_CN';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BridgeError, connectBridge } from './bridge';
import { styleNonce } from './nonce';
import { applySession, noteRevocation, useDesk } from './store';
import { Frame } from './screens/Frame';
import { Lock } from './screens/Lock';
import { Login } from './screens/Login';
import { PrivacyDesk } from './screens/PrivacyDesk';
import { Revoked } from './screens/Revoked';
import { TrainingWatermark } from './screens/training/Watermark';

const SESSION_POLL_MS = 5_000;
/** This tab had someone signed in (or locked): after a reload the core should still have them. */
const HAD_SESSION = 'branchdesk.hadSession';

/**
 * antd's default theme, a few tokens darker so all text meets WCAG AA contrast (4.5:1): the
 * primary blue one step deeper (white on #1677ff is 4.1:1), the error red likewise (#ff4d4f on
 * white is 3.2:1), secondary and label text at 65 %.
 * Tags use the deep colours of `screens/tags.tsx` for the same reason.
 */
const accessibleTokens = {
  colorPrimary: '#0958d9',
  // antd derives a lighter hover (#2e7ae6, 3.8:1 on the page grey) that a tab or link under the
  // pointer would show; hovering goes one step deeper instead.
  colorPrimaryHover: '#003eb3',
  colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
  colorTextTertiary: 'rgba(0, 0, 0, 0.65)',
  colorTextDescription: 'rgba(0, 0, 0, 0.65)',
  colorError: '#cf1322',
  // A warning under a field (an unknown phone range) in antd's gold is 2.4:1 on white.
  colorWarning: '#ad6800',
};

/** People who asked their OS for less motion get none: no zooming dialogs, no sliding panels. */
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export function App() {
  const { t } = useTranslation();
  const connection = useDesk((state) => state.connection);
  const session = useDesk((state) => state.session);
  const privacyDesk = useDesk((state) => state.privacyDesk);
  const locale = useDesk((state) => state.locale);
  const bridge = useDesk((state) => state.bridge);
  const revoked = useDesk((state) => state.revoked);
  const training = useDesk((state) => state.about?.training === true);
  const set = useDesk((state) => state.set);
  // The page was reloaded with someone signed in, and the core no longer had the session.
  const [sessionLost, setSessionLost] = useState(false);

  useEffect(() => {
    let unsubscribe = () => {};
    connectBridge()
      .then(async (connected) => {
        const offSync = connected.onSync((sync) => {
          set({ sync });
          noteRevocation(sync.lastError);
        });
        const offClose = connected.onClose(() => {
          useDesk.getState().clearSensitive();
          set({ connection: 'lost' });
        });
        unsubscribe = () => {
          offSync();
          offClose();
        };
        set({ bridge: connected, connection: 'ready' });
        try {
          set({ about: await connected.call('device.about', {}) });
          const status = await connected.call('session.status', {});
          setSessionLost(
            status.state === 'signed_out' && window.sessionStorage.getItem(HAD_SESSION) === '1',
          );
          applySession(status);
        } catch (error) {
          if (!(error instanceof BridgeError && noteRevocation(error.code))) throw error;
        }
      })
      .catch(() => set({ connection: 'lost' }));
    return () => unsubscribe();
  }, [set]);

  useEffect(() => {
    if (!bridge || session?.state !== 'active') return;
    const timer = window.setInterval(() => {
      bridge
        .call('session.status', {})
        .then(applySession)
        // A lost connection shows through the bridge's close handler; a revocation here.
        .catch((error: unknown) =>
          noteRevocation(error instanceof BridgeError ? error.code : null),
        );
    }, SESSION_POLL_MS);
    return () => window.clearInterval(timer);
  }, [bridge, session?.state]);

  useEffect(() => {
    if (!session) return;
    if (session.state === 'signed_out') window.sessionStorage.removeItem(HAD_SESSION);
    else {
      window.sessionStorage.setItem(HAD_SESSION, '1');
      setSessionLost(false);
    }
  }, [session]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('app.title');
  }, [locale, t]);

  let screen;
  if (connection === 'lost')
    screen = (
      <Result
        status="warning"
        title={t('app.disconnected')}
        extra={
          <Button type="primary" onClick={() => window.location.reload()} data-testid="reconnect">
            {t('app.reconnect')}
          </Button>
        }
      />
    );
  else if (revoked) screen = <Revoked />;
  else if (connection === 'connecting' || !session)
    screen = (
      <main className="centered">
        <Spin tip={t('app.connecting')} />
      </main>
    );
  else if (session.state === 'active') screen = <Frame />;
  else if (privacyDesk) screen = <PrivacyDesk />;
  else if (session.state === 'locked') screen = <Lock />;
  else screen = <Login sessionLost={sessionLost} />;

  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCNAntd}
      csp={{ nonce: styleNonce }}
      componentSize="middle"
      theme={{ token: { ...accessibleTokens, motion: !reducedMotion } }}
    >
      <AntApp>
        {screen}
        {training && <TrainingWatermark />}
      </AntApp>
    </ConfigProvider>
  );
}
