// 尽调复核 on the KYC tab: the RM (or a supervisor) reviews the customer with them — documents,
// occupation, address, the purpose of the relationship — and records the outcome and a note. The
// next review follows from the rule table's cycle. It works offline; HQ writes the review into
// the customer's KYC when it arrives. A changed identity detail is edited (and approved) as usual.
import { Alert, Button, Checkbox, Form, Input, Radio, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { kycReviewChecks, kycReviewOutcomes, type KycReview } from '../../../../shared/customer';
import { formatDateTime } from '../../format';
import { useCan } from '../../permissions';
import { useDesk } from '../../store';
import { useEntrySave } from './save';

type Outcome = (typeof kycReviewOutcomes)[number];
type Check = (typeof kycReviewChecks)[number];

export function KycReviews({
  customerId,
  reviews,
  restricted,
}: {
  customerId: string;
  reviews: readonly KycReview[];
  restricted: boolean;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const [open, setOpen] = useState(false);
  const latestFirst = [...reviews].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <section data-testid="kyc-reviews" aria-label={t('review.title')}>
      <Space align="baseline">
        <Typography.Title level={5}>{t('review.title')}</Typography.Title>
        {can('review_kyc') && !restricted && !open && (
          <Button size="small" onClick={() => setOpen(true)} data-testid="review-start">
            {t('review.start')}
          </Button>
        )}
      </Space>
      {open && <ReviewForm customerId={customerId} onDone={() => setOpen(false)} />}
      {latestFirst.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('review.none')}</Typography.Paragraph>
      ) : (
        <Table
          size="small"
          pagination={false}
          rowKey="id"
          dataSource={latestFirst}
          data-testid="review-history"
          columns={[
            { title: t('review.at'), render: (_, review) => formatDateTime(review.at), width: 150 },
            {
              title: t('review.outcome'),
              render: (_, review) => t(`review.outcomes.${review.outcome}`),
            },
            {
              title: t('review.checked'),
              render: (_, review) =>
                review.checked.map((check) => t(`review.checks.${check}`)).join('、'),
            },
            { title: t('review.note'), render: (_, review) => review.note ?? '' },
            { title: t('review.next'), dataIndex: 'nextReviewDue', width: 120 },
          ]}
        />
      )}
    </section>
  );
}

function ReviewForm({ customerId, onDone }: { customerId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const [checked, setChecked] = useState<Check[]>([]);
  const [outcome, setOutcome] = useState<Outcome>();
  const [note, setNote] = useState('');
  // One id however often the save is retried: the core records the review once.
  const [reviewId] = useState(() => crypto.randomUUID());
  const saver = useEntrySave(customerId);
  // An outcome other than "no change" needs a word of why.
  const needsNote = outcome !== undefined && outcome !== 'no_change' && note.trim() === '';
  const ready = outcome !== undefined && !needsNote;
  const submit = () => {
    if (!ready) return;
    void saver
      .run(() =>
        bridge.call('customer.record_review', {
          id: customerId,
          reviewId,
          outcome,
          checked,
          ...(note.trim() ? { note: note.trim() } : {}),
        }),
      )
      .then((saved) => saved && onDone());
  };
  return (
    <Form layout="vertical" onFinish={submit} data-testid="review-form" style={{ maxWidth: 640 }}>
      <Form.Item label={t('review.checked')}>
        <Checkbox.Group<Check>
          value={checked}
          onChange={setChecked}
          options={kycReviewChecks.map((check) => ({
            value: check,
            label: <span data-testid={`review-check-${check}`}>{t(`review.checks.${check}`)}</span>,
          }))}
        />
      </Form.Item>
      <Form.Item label={t('review.outcome')} required>
        <Radio.Group
          value={outcome}
          onChange={(event) => setOutcome(event.target.value as Outcome)}
          options={kycReviewOutcomes.map((value) => ({
            value,
            label: (
              <span data-testid={`review-outcome-${value}`}>{t(`review.outcomes.${value}`)}</span>
            ),
          }))}
        />
      </Form.Item>
      <Form.Item
        label={t('review.note')}
        htmlFor="review-note"
        {...(needsNote ? { validateStatus: 'warning' as const, help: t('review.noteNeeded') } : {})}
      >
        <Input.TextArea
          id="review-note"
          rows={2}
          maxLength={2000}
          value={note}
          onChange={(event) => setNote(event.target.value)}
          data-testid="review-note"
        />
      </Form.Item>
      {saver.failure && <Alert type="error" showIcon title={saver.failure} />}
      <Space>
        <Button
          type="primary"
          htmlType="submit"
          disabled={!ready}
          loading={saver.saving}
          data-testid="review-save"
        >
          {t('review.save')}
        </Button>
        <Button onClick={onDone}>{t('review.cancel')}</Button>
      </Space>
    </Form>
  );
}
