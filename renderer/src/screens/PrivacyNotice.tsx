// The privacy notice HQ published (docs/PRIVACY.md, PIPL Art. 7 and 17), as the device last
// received it: the one in force, in zh-CN with English beside it (both texts are the notice's own,
// whatever the desk's language), its version and dates, the other versions to pick, and 打印.
// The text is shown as paragraphs of plain text, never as markup.
import { Alert, Button, Empty, Segmented, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { NoticeSummary, PrivacyNotice as Notice } from '../../../shared/protocol/privacy';
import { errorText } from '../errors';
import { formatDateTime } from '../format';
import { useDesk } from '../store';
import { tagColour } from './tags';
import './privacy/privacy.css';

type Language = 'zh' | 'en';

/** Paragraphs split at blank lines; a single line break stays one inside its paragraph. */
function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
}

function NoticeText({ notice, language }: { notice: Notice; language: Language }) {
  const text = notice[language];
  return (
    <article lang={language === 'zh' ? 'zh-CN' : 'en'} className="privacy-notice-text">
      <h2 data-testid="privacy-notice-title">{text.title}</h2>
      {paragraphs(text.body).map((paragraph, index) => (
        <p key={index}>{paragraph}</p>
      ))}
    </article>
  );
}

export function PrivacyNotice() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const lastSync = useDesk((state) => state.sync?.lastSuccessAt);
  const [current, setCurrent] = useState<Notice | null>();
  const [list, setList] = useState<NoticeSummary[]>([]);
  const [shown, setShown] = useState<Notice | null>(null);
  const [language, setLanguage] = useState<Language>('zh');
  const [failure, setFailure] = useState<string>();

  // Asked again after each sync round: a notice HQ just published shows without a reload.
  useEffect(() => {
    let stopped = false;
    Promise.all([bridge.call('privacy.notice.current', {}), bridge.call('privacy.notice.list', {})])
      .then(([now, all]) => {
        if (stopped) return;
        setCurrent(now.notice);
        setList(all.notices);
        setShown((before) =>
          before && before.version !== now.notice?.version ? before : now.notice,
        );
      })
      .catch((error: unknown) => !stopped && setFailure(errorText(error, locale)));
    return () => {
      stopped = true;
    };
  }, [bridge, locale, lastSync]);

  const pick = useCallback(
    async (version: string) => {
      setFailure(undefined);
      try {
        setShown((await bridge.call('privacy.notice.show', { version })).notice);
      } catch (error) {
        setFailure(errorText(error, locale));
      }
    },
    [bridge, locale],
  );

  if (current === undefined && !failure) return null;
  const standing = (notice: { version: string; effectiveFrom: string }) =>
    notice.version === current?.version
      ? { label: t('privacyNotice.inForce'), color: tagColour.green }
      : !current || notice.effectiveFrom > current.effectiveFrom
        ? { label: t('privacyNotice.notYet'), color: tagColour.orange }
        : { label: t('privacyNotice.earlier'), color: undefined };
  const state = shown ? standing(shown) : undefined;

  return (
    <div data-testid="privacy-notice-view" className="privacy-notice">
      <Typography.Title level={4}>{t('privacyNotice.title')}</Typography.Title>
      {failure && <Alert type="error" showIcon message={failure} />}
      {list.length === 0 ? (
        <Empty description={t('privacyNotice.none')} data-testid="privacy-notice-none" />
      ) : (
        <>
          <Space wrap className="privacy-notice-bar">
            <Segmented<Language>
              aria-label={t('privacyNotice.language')}
              value={language}
              onChange={setLanguage}
              options={[
                { value: 'zh', label: <span data-testid="privacy-notice-zh">中文</span> },
                { value: 'en', label: <span data-testid="privacy-notice-en">English</span> },
              ]}
            />
            <Select<string>
              aria-label={t('privacyNotice.pick')}
              data-testid="privacy-notice-versions"
              value={shown?.version}
              placeholder={t('privacyNotice.pick')}
              style={{ minWidth: 260 }}
              onChange={(version) => void pick(version)}
              options={list.map((notice) => ({
                value: notice.version,
                label: `${notice.version} · ${t('privacyNotice.effectiveFrom', { date: notice.effectiveFrom })} · ${standing(notice).label}`,
              }))}
            />
            <Button
              disabled={!shown}
              onClick={() => window.print()}
              data-testid="privacy-notice-print"
            >
              {t('privacyNotice.print')}
            </Button>
          </Space>
          {shown ? (
            <>
              <Space wrap data-testid="privacy-notice-meta">
                <Tag>{t('privacyNotice.version', { version: shown.version })}</Tag>
                <span>{t('privacyNotice.effectiveFrom', { date: shown.effectiveFrom })}</span>
                <span>
                  {t('privacyNotice.published', { time: formatDateTime(shown.publishedAt) })}
                </span>
                {state && (
                  <Tag color={state.color} data-testid="privacy-notice-standing">
                    {state.label}
                  </Tag>
                )}
              </Space>
              <div data-testid="privacy-notice-text">
                <NoticeText notice={shown} language={language} />
              </div>
              {createPortal(
                <section className="privacy-notice-print" data-testid="privacy-notice-print-view">
                  <NoticeText notice={shown} language={language} />
                  <p className="privacy-notice-print-meta">
                    {t('privacyNotice.version', { version: shown.version })} ·{' '}
                    {t('privacyNotice.effectiveFrom', { date: shown.effectiveFrom })} ·{' '}
                    {t('privacyNotice.printed', { time: formatDateTime(new Date().toISOString()) })}
                  </p>
                </section>,
                document.body,
              )}
            </>
          ) : (
            <Alert type="info" showIcon message={t('privacyNotice.noneInForce')} />
          )}
        </>
      )}
    </div>
  );
}
