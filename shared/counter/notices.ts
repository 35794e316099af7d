// What the customer's screen shows while nobody is being served: the bank's short notices for
// customers (how to spot telecom fraud, never to share a verification code) and the privacy
// notice in force. HQ publishes the notices as a versioned table (rule-table kind
// `counter_notices`, `npm run hq -- content publish`); until it has, the defaults below show.
// Also how a contact detail reads on that screen.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import type { Address } from '../customer/contacts';
import { mainlandProvinces } from '../validation/regions';
import type { PrivacyNotice } from '../protocol/privacy';
import type { DisplayNotice } from './display';

const text = (max: number) => z.string().trim().min(1).max(max);
const bilingualText = (max: number) => z.object({ 'zh-CN': text(max), en: text(max) }).strict();

/** A table of notices for customers, as HQ publishes it. */
export const counterNoticeTableSchema = z
  .object({
    /** The table's version (`2026-12`): a published version never changes. */
    version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/u),
    notices: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9_-]{1,40}$/u),
            title: bilingualText(80),
            body: bilingualText(600),
          })
          .strict(),
      )
      .min(1)
      .max(12)
      .refine((notices) => new Set(notices.map((notice) => notice.id)).size === notices.length, {
        message: 'each notice has its own id',
      }),
  })
  .strict();
export type CounterNoticeTable = z.infer<typeof counterNoticeTableSchema>;

/** The notices a new device shows before HQ has published any. */
export const defaultCounterNotices: CounterNoticeTable = {
  version: 'default',
  notices: [
    {
      id: 'telecom-fraud',
      title: { 'zh-CN': '警惕电信诈骗', en: 'Beware of telecom fraud' },
      body: {
        'zh-CN':
          '公检法机关不会通过电话要求您转账到“安全账户”。凡是要求您转账、汇款、提供银行卡密码的陌生来电，都是诈骗。如有疑问，请拨打 96110 反诈专线。',
        en: 'The police, prosecutors and courts never ask you by phone to move money to a "safe account". Any caller you do not know who asks you to transfer money or give a card PIN is a fraudster. If in doubt, call the anti-fraud line 96110.',
      },
    },
    {
      id: 'verification-code',
      title: { 'zh-CN': '验证码不告诉任何人', en: 'Never share a verification code' },
      body: {
        'zh-CN':
          '短信验证码是您本人操作的最后一道防线。银行工作人员不会向您索要验证码、密码或完整卡号，任何人索要都请拒绝。',
        en: 'A text-message verification code is the last lock on your account. Bank staff will never ask you for a code, a password or your full card number: refuse anyone who does.',
      },
    },
  ],
};

/** The idle screen: the table's notices, then the privacy notice in force (title and opening). */
export function counterNotices(
  table: CounterNoticeTable | undefined,
  privacy: PrivacyNotice | null,
): DisplayNotice[] {
  const notices: DisplayNotice[] = (table ?? defaultCounterNotices).notices.map((notice) => ({
    ...notice,
  }));
  if (privacy)
    notices.push({
      id: `privacy-${privacy.version}`,
      title: { 'zh-CN': privacy.zh.title, en: privacy.en.title },
      body: { 'zh-CN': opening(privacy.zh.body), en: opening(privacy.en.body) },
    });
  return notices;
}

/** A notice's first paragraph, cut at 400 characters: the idle screen is not for reading a policy. */
function opening(body: string): string {
  const first = body.split(/\n\s*\n/u)[0]!.trim();
  return first.length > 400 ? `${first.slice(0, 399)}…` : first;
}

/** An address as the customer reads it: the province, the street line and the postcode. */
export function addressText(address: Pick<Address, 'provinceCode' | 'line' | 'postcode'>): string {
  const province = mainlandProvinces[address.provinceCode.slice(0, 2)] ?? '';
  return [province + address.line, address.postcode].filter(Boolean).join(' ');
}

/** A stored number as its owner reads it (+86 138 0013 8000); undefined for none. */
export function phoneText(e164: string | undefined): string | null {
  if (e164 === undefined) return null;
  return parsePhoneNumberFromString(e164, 'CN')?.formatInternational() ?? e164;
}
