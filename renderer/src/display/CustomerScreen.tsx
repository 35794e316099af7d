// The counter's customer-facing screen (客户确认屏): large type, one thing at a time, in the
// customer's choice of Chinese or English. It shows only what the core sends it (a change to
// confirm, the self-service form, a rating, or the bank's notices while idle) and can answer
// only that. The same validators as the desk check what the customer types, as they type.
import {
  Alert,
  App as AntApp,
  Button,
  ConfigProvider,
  Input,
  Rate,
  Result,
  Space,
  Tag,
} from 'antd';
import enUS from 'antd/locale/en_US';
import zhCNAntd from 'antd/locale/zh_CN';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  satisfactionReasons,
  type DisplayView,
  type SatisfactionReason,
} from '../../../shared/counter/display';
import { addressSchema } from '../../../shared/customer/contacts';
import { customerIssuesFromZod, describeCustomerIssue } from '../../../shared/customer/issues';
import { consentPurposeNames } from '../../../shared/i18n/consent';
import { describeIssue } from '../../../shared/i18n/validation';
import { validateEmail, validatePhone, type ValidationIssue } from '../../../shared/validation';
import { BridgeError } from '../bridge';
import i18n, { type Locale } from '../i18n';
import { styleNonce } from '../nonce';
import { connectDisplay, type DisplayBridge } from './display-bridge';
import { TrainingWatermark } from '../screens/training/Watermark';

/** The customer screen asks the core for its view this often too (a teller's lock, a restart). */
const REFRESH_MS = 2_000;

export function CustomerScreen() {
  const [bridge, setBridge] = useState<DisplayBridge>();
  const [view, setView] = useState<DisplayView>();
  const [state, setState] = useState<'connecting' | 'ready' | 'lost'>('connecting');
  const [locale, setLocale] = useState<Locale>('zh-CN');
  const { t } = useTranslation();

  useEffect(() => {
    void i18n.changeLanguage(locale);
    document.documentElement.lang = locale;
  }, [locale]);

  useEffect(() => {
    let stop = () => {};
    connectDisplay()
      .then((connected) => {
        setBridge(connected);
        setState('ready');
        const offView = connected.onView(setView);
        const offClose = connected.onClose(() => {
          setView(undefined);
          setState('lost');
        });
        const timer = window.setInterval(() => {
          connected.call('display.view', {}).then(setView, () => undefined);
        }, REFRESH_MS);
        stop = () => {
          offView();
          offClose();
          window.clearInterval(timer);
        };
      })
      .catch(() => setState('lost'));
    return () => stop();
  }, []);

  // Back to the bank's notices a few seconds after a thank-you.
  useEffect(() => {
    if (view?.screen !== 'thanks' || !bridge) return;
    const timer = window.setTimeout(() => {
      bridge.call('display.view', {}).then(setView, () => undefined);
    }, 6_000);
    return () => window.clearTimeout(timer);
  }, [view, bridge]);

  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCNAntd}
      csp={{ nonce: styleNonce }}
      theme={{ token: { fontSize: 18, colorPrimary: '#0958d9', colorError: '#cf1322' } }}
    >
      <AntApp>
        <main className="customer-screen" data-testid="customer-screen" lang={locale}>
          <header className="customer-screen-header">
            <span className="customer-screen-title">{t('display.title')}</span>
            <Button
              onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
              data-testid="display-language"
            >
              {t('display.language')}
            </Button>
          </header>
          {state === 'connecting' && <p>{t('display.connecting')}</p>}
          {state === 'lost' && <Alert type="warning" showIcon message={t('display.lost')} />}
          {state === 'ready' && bridge && view && (
            <Screen view={view} bridge={bridge} locale={locale} onView={setView} />
          )}
          {view?.training && <TrainingWatermark />}
        </main>
      </AntApp>
    </ConfigProvider>
  );
}

function Screen({
  view,
  bridge,
  locale,
  onView,
}: {
  view: DisplayView;
  bridge: DisplayBridge;
  locale: Locale;
  onView: (view: DisplayView) => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const answer = (call: Promise<DisplayView>) =>
    call.then(
      (next) => {
        setError(undefined);
        onView(next);
      },
      (failure: unknown) =>
        setError(failure instanceof BridgeError ? failure.messages[locale] : String(failure)),
    );
  const problem = error && (
    <Alert type="error" showIcon message={error} data-testid="display-error" />
  );

  switch (view.screen) {
    case 'idle':
      return <Notices view={view} locale={locale} />;
    case 'confirm':
      return (
        <section data-testid="display-confirm">
          <h1>{t('display.greeting', { name: view.greeting })}</h1>
          <h2>{t('display.confirmTitle')}</h2>
          <Change change={view.change} locale={locale} />
          <p className="customer-screen-hint">{t('display.confirmHint')}</p>
          {problem}
          <Space size="large">
            <Button
              type="primary"
              size="large"
              onClick={() =>
                void answer(bridge.call('display.confirm', { requestId: view.requestId }))
              }
              data-testid="display-confirm-yes"
            >
              {t('display.confirm')}
            </Button>
            <Button
              size="large"
              danger
              onClick={() =>
                void answer(bridge.call('display.decline', { requestId: view.requestId }))
              }
              data-testid="display-confirm-no"
            >
              {t('display.decline')}
            </Button>
          </Space>
        </section>
      );
    case 'self_service':
      return (
        <SelfService
          key={view.requestId}
          view={view}
          locale={locale}
          problem={problem}
          onSubmit={(update) =>
            answer(bridge.call('display.submit', { requestId: view.requestId, update }))
          }
        />
      );
    case 'rate':
      return (
        <Rating
          key={view.requestId}
          problem={problem}
          onRate={(score, reason) =>
            answer(
              bridge.call('display.rate', {
                requestId: view.requestId,
                score,
                ...(reason ? { reason } : {}),
              }),
            )
          }
        />
      );
    case 'thanks':
      return (
        <Result
          status={
            view.outcome === 'failed' ? 'warning' : view.outcome === 'declined' ? 'info' : 'success'
          }
          title={t(`display.thanks.${view.outcome}`)}
          data-testid={`display-thanks-${view.outcome}`}
        />
      );
  }
}

function Notices({
  view,
  locale,
}: {
  view: Extract<DisplayView, { screen: 'idle' }>;
  locale: Locale;
}) {
  const { t } = useTranslation();
  return (
    <section data-testid="display-idle">
      <h1>{t('display.welcome')}</h1>
      <h2>{t('display.noticesTitle')}</h2>
      {view.notices.map((notice) => (
        <article
          key={notice.id}
          className="customer-screen-notice"
          data-testid={`notice-${notice.id}`}
        >
          <h3>{notice.title[locale]}</h3>
          <p>{notice.body[locale]}</p>
        </article>
      ))}
    </section>
  );
}

function Change({
  change,
  locale,
}: {
  change: Extract<DisplayView, { screen: 'confirm' }>['change'];
  locale: Locale;
}) {
  const { t } = useTranslation();
  if (change.field === 'consent') {
    const purpose = consentPurposeNames[locale][change.purpose];
    return (
      <div className="customer-screen-change" data-testid="display-change">
        <p className="customer-screen-value">
          {change.state === 'granted'
            ? t('display.consentGrant', { purpose })
            : t('display.consentWithdraw', { purpose })}
        </p>
        {change.expiresOn && <p>{t('display.consentUntil', { day: change.expiresOn })}</p>}
        {change.notice && (
          <details open className="customer-screen-notice-text">
            <summary>{t('display.noticeTitle', { version: change.notice.version })}</summary>
            <h3>{change.notice.title[locale]}</h3>
            {change.notice.body[locale].split(/\n\s*\n/u).map((paragraph, index) => (
              <p key={index}>{paragraph}</p>
            ))}
          </details>
        )}
      </div>
    );
  }
  return (
    <dl className="customer-screen-change" data-testid="display-change">
      <dt>{t(`display.field.${change.field}`)}</dt>
      <dd>
        <Tag>{t('display.before')}</Tag>
        <span data-testid="display-before">{change.before ?? t('display.none')}</span>
      </dd>
      <dd>
        <Tag color="blue">{t('display.after')}</Tag>
        <strong className="customer-screen-value" data-testid="display-after">
          {change.after}
        </strong>
      </dd>
    </dl>
  );
}

function SelfService({
  view,
  locale,
  problem,
  onSubmit,
}: {
  view: Extract<DisplayView, { screen: 'self_service' }>;
  locale: Locale;
  problem: React.ReactNode;
  onSubmit: (update: {
    phone?: string;
    email?: string;
    address?: {
      kind: 'residential';
      provinceCode: string;
      cityCode: string;
      districtCode: string;
      line: string;
      postcode?: string;
    };
  }) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [district, setDistrict] = useState('');
  const [line, setLine] = useState('');
  const [postcode, setPostcode] = useState('');
  const [sending, setSending] = useState(false);

  const phoneCheck = phone.trim() ? validatePhone(phone, { kind: 'mobile' }) : undefined;
  const emailCheck = email.trim() ? validateEmail(email) : undefined;
  const address = {
    kind: 'residential' as const,
    provinceCode: `${district.slice(0, 2)}0000`,
    cityCode: `${district.slice(0, 4)}00`,
    districtCode: district,
    line: line.trim(),
    ...(postcode ? { postcode } : {}),
  };
  const addressTouched = district !== '' || line !== '' || postcode !== '';
  const addressCheck = addressTouched ? addressSchema.safeParse(address) : undefined;
  const messages = (issues: readonly ValidationIssue[]) =>
    issues.map((issue) => describeIssue(issue, locale)).join(' ');
  const addressMessages =
    addressCheck && !addressCheck.success
      ? [
          ...new Set(
            customerIssuesFromZod(addressCheck.error).map((issue) =>
              describeCustomerIssue(issue, locale),
            ),
          ),
        ].join(' ')
      : undefined;
  const valid =
    (phoneCheck === undefined || phoneCheck.ok) &&
    (emailCheck === undefined || emailCheck.ok) &&
    (addressCheck === undefined || addressCheck.success) &&
    (phoneCheck !== undefined || emailCheck !== undefined || addressCheck !== undefined);

  const submit = () => {
    if (!valid) return;
    setSending(true);
    void onSubmit({
      ...(phoneCheck?.ok ? { phone: phone.trim() } : {}),
      ...(emailCheck?.ok ? { email: email.trim() } : {}),
      ...(addressCheck?.success ? { address } : {}),
    }).finally(() => setSending(false));
  };

  return (
    <section data-testid="display-self-service">
      <h1>{t('display.greeting', { name: view.greeting })}</h1>
      <h2>{t('display.selfTitle')}</h2>
      <p className="customer-screen-hint">{t('display.selfHint')}</p>
      <div className="customer-screen-form">
        <label>
          {t('display.phone')}
          <Input
            size="large"
            inputMode="tel"
            value={phone}
            onChange={(event) => setPhone(event.target.value)}
            status={phoneCheck && !phoneCheck.ok ? 'error' : undefined}
            data-testid="self-phone"
          />
          {phoneCheck && !phoneCheck.ok && (
            <span className="customer-screen-problem" data-testid="self-phone-error">
              {messages(phoneCheck.issues)}
            </span>
          )}
        </label>
        <label>
          {t('display.email')}
          <Input
            size="large"
            inputMode="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            status={emailCheck && !emailCheck.ok ? 'error' : undefined}
            data-testid="self-email"
          />
          {emailCheck && !emailCheck.ok && (
            <span className="customer-screen-problem" data-testid="self-email-error">
              {messages(emailCheck.issues)}
            </span>
          )}
        </label>
        <label>
          {t('display.district')}
          <Input
            size="large"
            inputMode="numeric"
            maxLength={6}
            value={district}
            onChange={(event) => setDistrict(event.target.value.trim())}
            data-testid="self-district"
          />
        </label>
        <label>
          {t('display.line')}
          <Input
            size="large"
            maxLength={500}
            value={line}
            onChange={(event) => setLine(event.target.value)}
            data-testid="self-line"
          />
        </label>
        <label>
          {t('display.postcode')}
          <Input
            size="large"
            inputMode="numeric"
            maxLength={6}
            value={postcode}
            onChange={(event) => setPostcode(event.target.value.trim())}
            data-testid="self-postcode"
          />
          {addressMessages && (
            <span className="customer-screen-problem" data-testid="self-address-error">
              {addressMessages}
            </span>
          )}
        </label>
      </div>
      {problem}
      <Button
        type="primary"
        size="large"
        disabled={!valid}
        loading={sending}
        onClick={submit}
        data-testid="self-submit"
      >
        {t('display.submit')}
      </Button>
    </section>
  );
}

function Rating({
  problem,
  onRate,
}: {
  problem: React.ReactNode;
  onRate: (score: number, reason?: SatisfactionReason) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [score, setScore] = useState(0);
  const [reason, setReason] = useState<SatisfactionReason>();
  return (
    <section data-testid="display-rate">
      <h1>{t('display.rateTitle')}</h1>
      <p className="customer-screen-hint">{t('display.rateHint')}</p>
      <Rate
        value={score}
        onChange={setScore}
        className="customer-screen-stars"
        data-testid="rate-stars"
      />
      <h3>{t('display.reasonTitle')}</h3>
      <Space wrap>
        {satisfactionReasons.map((code) => (
          <Tag.CheckableTag
            key={code}
            checked={reason === code}
            onChange={(checked) => setReason(checked ? code : undefined)}
            data-testid={`rate-reason-${code}`}
          >
            {t(`display.reason.${code}`)}
          </Tag.CheckableTag>
        ))}
      </Space>
      {problem}
      <div className="customer-screen-actions">
        <Button
          type="primary"
          size="large"
          disabled={score < 1}
          onClick={() => void onRate(score, reason)}
          data-testid="rate-send"
        >
          {t('display.sendRating')}
        </Button>
      </div>
    </section>
  );
}
