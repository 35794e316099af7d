// 下一最佳行动 on the customer 360, under the header: the suggestions the rules make for this customer
// today (insight.next_actions), most pressing first, each with why. "Go" opens the tab where the
// work is done; "Done" and "Dismiss" record the answer with the customer (customer.respond_action,
// synced), and that suggestion is not made again. Read again whenever the record changes.
import { Alert, Button, List, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InsightNextActionsOutput } from '../../../../shared/commands/insight';
import { errorText } from '../../errors';
import { useCan } from '../../permissions';
import { useDesk } from '../../store';
import { useEntrySave } from './save';
import type { CustomerTab } from './state';
import { tagColour } from '../tags';

type Suggestion = InsightNextActionsOutput['suggestions'][number];

/** Where each suggestion's work is done. */
const tabOf: Record<Suggestion['action'], CustomerTab> = {
  start_review: 'kyc',
  renew_document: 'documents',
  renew_deposit: 'accounts',
  win_back: 'service',
  offer_mobile_banking: 'service',
  birthday_greeting: 'service',
  reconnect: 'service',
};

// The deep shades of tags.tsx with white text: antd's pale presets fail WCAG AA contrast.
const kindColour = {
  compliance: tagColour.red,
  service: tagColour.blue,
  sales: tagColour.orange,
} as const;

export function NextActions({
  customerId,
  version,
  onGo,
}: {
  customerId: string;
  /** The record's version: the suggestions are read again when it changes. */
  version: number;
  onGo: (tab: CustomerTab) => void;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const can = useCan();
  const saver = useEntrySave(customerId);
  const [suggestions, setSuggestions] = useState<Suggestion[]>();
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    let current = true;
    bridge
      .call('insight.next_actions', { id: customerId })
      .then((found) => current && setSuggestions(found.suggestions))
      .catch((error: unknown) => current && setFailure(errorText(error, locale)));
    return () => {
      current = false;
    };
  }, [bridge, customerId, locale, version]);

  if (failure) return <Alert type="error" showIcon message={failure} />;
  if (!suggestions || suggestions.length === 0) return null;
  const respond = (suggestion: Suggestion, response: 'done' | 'dismissed') =>
    void saver.run(() =>
      bridge.call('customer.respond_action', {
        id: customerId,
        responseId: crypto.randomUUID(),
        action: suggestion.action,
        about: suggestion.about,
        response,
      }),
    );
  const mayAnswer = can('follow_up');
  // Compliance work goes when it is done (a review, a document), not when someone says so.
  return (
    <section aria-label={t('nextAction.title')} data-testid="next-actions" style={{ marginTop: 8 }}>
      <Typography.Text strong>{t('nextAction.title')}</Typography.Text>
      {saver.failure && <Alert type="error" showIcon message={saver.failure} />}
      <List
        size="small"
        dataSource={suggestions}
        rowKey={(suggestion) => `${suggestion.action}|${suggestion.about}`}
        renderItem={(suggestion) => (
          <List.Item
            data-testid={`next-action-${suggestion.action}`}
            actions={[
              <Button
                key="go"
                size="small"
                onClick={() => onGo(tabOf[suggestion.action])}
                data-testid={`next-action-go-${suggestion.action}`}
              >
                {t('nextAction.go')}
              </Button>,
              ...(mayAnswer && suggestion.kind !== 'compliance'
                ? [
                    <Button
                      key="done"
                      size="small"
                      disabled={saver.saving}
                      onClick={() => respond(suggestion, 'done')}
                      data-testid={`next-action-done-${suggestion.action}`}
                    >
                      {t('nextAction.done')}
                    </Button>,
                    <Button
                      key="dismiss"
                      size="small"
                      disabled={saver.saving}
                      onClick={() => respond(suggestion, 'dismissed')}
                      data-testid={`next-action-dismiss-${suggestion.action}`}
                    >
                      {t('nextAction.dismiss')}
                    </Button>,
                  ]
                : []),
            ]}
          >
            <Space direction="vertical" size={0}>
              <Space>
                <Tag color={kindColour[suggestion.kind]}>
                  {t(`nextAction.kind.${suggestion.kind}`)}
                </Tag>
                <Typography.Text>{t(`nextAction.action.${suggestion.action}`)}</Typography.Text>
              </Space>
              <Typography.Text
                type="secondary"
                data-testid={`next-action-why-${suggestion.action}`}
              >
                {t(`nextAction.why.${suggestion.why.code}`, {
                  day: suggestion.why.day,
                  days: suggestion.why.days,
                })}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </section>
  );
}
