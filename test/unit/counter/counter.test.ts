// The counter's customer screen, its pure parts: what the idle screen shows (the bank's notices,
// then the privacy notice's opening), how a contact detail reads to its owner, what a teller may
// put before the customer, and what HQ takes as a customer's rating of a visit.
import { describe, expect, it } from 'vitest';
import { newRatingsAllowed } from '../../../hq/insight/push-checks';
import { CounterChange, SelfServiceUpdate } from '../../../shared/counter/display';
import {
  addressText,
  counterNotices,
  counterNoticeTableSchema,
  defaultCounterNotices,
  phoneText,
} from '../../../shared/counter/notices';
import type { Customer } from '../../../shared/customer';
import type { Mutation } from '../../../shared/protocol/mutations';

const privacy = {
  version: '2026-12',
  seq: 3,
  publishedAt: '2026-12-01T00:00:00Z',
  effectiveFrom: '2026-12-01',
  zh: { title: '隐私政策', body: `第一段。${'长'.repeat(500)}\n\n第二段不显示。` },
  en: { title: 'Privacy notice', body: 'First paragraph.\n\nSecond, not shown.' },
};

describe('the idle screen', () => {
  it('shows the defaults until HQ publishes, then the privacy notice’s opening', () => {
    expect(counterNotices(undefined, null).map((notice) => notice.id)).toEqual([
      'telecom-fraud',
      'verification-code',
    ]);
    const shown = counterNotices(undefined, privacy);
    const last = shown.at(-1)!;
    expect(last.id).toBe('privacy-2026-12');
    expect(last.body.en).toBe('First paragraph.');
    expect(last.body['zh-CN'].length).toBeLessThanOrEqual(400);
    expect(last.body['zh-CN']).not.toContain('第二段');
  });

  it('takes HQ’s table in place of the defaults, checked', () => {
    const table = {
      version: '2027-01',
      notices: [
        {
          id: 'pension-scam',
          title: { 'zh-CN': '警惕养老诈骗', en: 'Pension scams' },
          body: { 'zh-CN': '不要轻信高息养老项目。', en: 'Beware of high-yield pension schemes.' },
        },
      ],
    };
    expect(counterNoticeTableSchema.parse(table)).toEqual(table);
    expect(counterNotices(table, null).map((notice) => notice.id)).toEqual(['pension-scam']);
    expect(counterNoticeTableSchema.safeParse(defaultCounterNotices).success).toBe(true);
    // One language missing, an id twice: refused.
    expect(
      counterNoticeTableSchema.safeParse({
        ...table,
        notices: [{ ...table.notices[0], title: { 'zh-CN': '只有中文' } }],
      }).success,
    ).toBe(false);
    expect(
      counterNoticeTableSchema.safeParse({
        ...table,
        notices: [table.notices[0], table.notices[0]],
      }).success,
    ).toBe(false);
  });
});

describe('a contact detail as its owner reads it', () => {
  it('groups a number and names the province', () => {
    expect(phoneText('+8613800138000')).toBe('+86 138 0013 8000');
    expect(phoneText('13800138000')).toBe('+86 138 0013 8000');
    expect(phoneText(undefined)).toBeNull();
    expect(
      addressText({ provinceCode: '310000', line: '浦东新区世纪大道 100 号', postcode: '200120' }),
    ).toBe('上海市浦东新区世纪大道 100 号 200120');
  });
});

describe('what a teller may put before the customer', () => {
  it('needs the notice for a grant, not for a withdrawal', () => {
    const consent = {
      kind: 'consent',
      consentId: '7e3c1a2b-4d5e-4f60-8a9b-000000000001',
      purpose: 'marketing_sms',
      channel: 'branch',
    } as const;
    expect(CounterChange.safeParse({ ...consent, state: 'granted' }).success).toBe(false);
    expect(
      CounterChange.safeParse({ ...consent, state: 'granted', noticeVersion: '2026-12' }).success,
    ).toBe(true);
    expect(CounterChange.safeParse({ ...consent, state: 'withdrawn' }).success).toBe(true);
    expect(CounterChange.safeParse({ kind: 'email', email: 'a@b.cn', extra: 1 }).success).toBe(
      false,
    );
  });

  it('takes a self-service update with something in it, and nothing else', () => {
    expect(SelfServiceUpdate.safeParse({}).success).toBe(false);
    expect(SelfServiceUpdate.safeParse({ phone: '13800138000' }).success).toBe(true);
    expect(SelfServiceUpdate.safeParse({ phone: '13800138000', name: 'x' }).success).toBe(false);
  });
});

describe('HQ and a customer’s rating of a visit', () => {
  const visitId = '7e3c1a2b-4d5e-4f60-8a9b-000000000010';
  const record = { visits: [{ id: visitId }], satisfaction: [] } as unknown as Customer;
  const push = (rating: Record<string, unknown>, visits?: unknown[]) =>
    ({
      kind: 'update',
      actor: 'user:teller1',
      fields: {
        satisfaction: { to: [rating] },
        ...(visits ? { visits: { to: visits } } : {}),
      },
    }) as unknown as Extract<Mutation, { kind: 'update' }>;
  const rating = {
    id: '7e3c1a2b-4d5e-4f60-8a9b-000000000011',
    visitId,
    score: 5,
    at: '2026-12-05T10:00:00+08:00',
    servedBy: 'user:teller1',
  };

  it('takes one naming the pusher, of a visit the record has or the push adds', () => {
    expect(newRatingsAllowed(push(rating), record)).toBe(true);
    const newVisit = '7e3c1a2b-4d5e-4f60-8a9b-000000000012';
    expect(
      newRatingsAllowed(
        push({ ...rating, visitId: newVisit }, [{ id: visitId }, { id: newVisit }]),
        record,
      ),
    ).toBe(true);
  });

  it('refuses one in another’s name, or of no visit', () => {
    expect(newRatingsAllowed(push({ ...rating, servedBy: 'user:teller2' }), record)).toBe(false);
    expect(
      newRatingsAllowed(
        push({ ...rating, visitId: '7e3c1a2b-4d5e-4f60-8a9b-000000000099' }),
        record,
      ),
    ).toBe(false);
  });
});
