// A campaign's call list (shared/insight/campaign.ts) never holds a customer without a current
// consent for its channel, nor one contacted up to the month's cap, nor one who asked not to be
// contacted again, nor a restricted one; and it holds every other customer in the target. A
// property test over random consent ledgers, contact histories and campaigns.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasConsent,
  marketingConsentOf,
  type CampaignContact,
  type Consent,
  type Customer,
} from '../../../shared/customer';
import {
  callList,
  campaignSchema,
  contactsThisMonth,
  declinedForGood,
  inTarget,
  type Campaign,
} from '../../../shared/insight/campaign';
import { generateCustomers } from '../../../shared/synthetic';
import { parseIsoDate } from '../../../shared/validation/dates';

const base: Customer[] = [
  ...generateCustomers({ seed: 41, count: 40, branches: ['B001'], rmsPerBranch: 2 }),
];
const today = parseIsoDate('2026-12-05')!;
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const consentArb = fc.record({
  purpose: fc.constantFrom('marketing_sms', 'marketing_phone', 'marketing_email'),
  state: fc.constantFrom('granted' as const, 'withdrawn' as const),
  day: fc.integer({ min: 1, max: 28 }),
  month: fc.constantFrom('2026-10', '2026-11', '2026-12'),
  expires: fc.option(fc.constantFrom('2026-12-01', '2026-12-05', '2027-06-30'), { nil: undefined }),
});
const contactArb = fc.record({
  campaignId: fc.constantFrom('C-2026-12', 'C-OTHER'),
  // Some this month (December, in Beijing), some last month, one at the month's edge in UTC.
  at: fc.constantFrom(
    '2026-12-01T10:00:00+08:00',
    '2026-12-03T09:00:00+08:00',
    '2026-11-30T17:00:00.000Z',
    '2026-11-20T10:00:00+08:00',
  ),
  outcome: fc.constantFrom('reached', 'interested', 'declined', 'do_not_contact') as fc.Arbitrary<
    CampaignContact['outcome']
  >,
});
const customerArb = fc.record({
  index: fc.integer({ min: 0, max: base.length - 1 }),
  consents: fc.array(consentArb, { maxLength: 4 }),
  contacts: fc.array(contactArb, { maxLength: 4 }),
  restricted: fc.boolean(),
});
const campaignArb = fc.record({
  channel: fc.constantFrom('phone' as const, 'sms' as const, 'email' as const),
  cap: fc.integer({ min: 1, max: 3 }),
  segments: fc.option(
    fc.subarray(['mass', 'affluent', 'private_banking'] as const, { minLength: 1 }),
    {
      nil: undefined,
    },
  ),
  risks: fc.option(fc.subarray(['low', 'medium', 'high'] as const, { minLength: 1 }), {
    nil: undefined,
  }),
});

type DrawnCustomer = typeof customerArb extends fc.Arbitrary<infer T> ? T : never;
type DrawnCampaign = typeof campaignArb extends fc.Arbitrary<infer T> ? T : never;

function customerOf(drawn: DrawnCustomer, n: number): Customer {
  const consents: Consent[] = drawn.consents.map((event, i) => ({
    id: uuid(n * 100 + i),
    purpose: event.purpose,
    state: event.state,
    at: `${event.month}-${String(event.day).padStart(2, '0')}T10:00:00+08:00`,
    channel: 'branch',
    noticeVersion: '2026-12',
    capturedBy: 'B001-teller-01',
    evidence: { kind: 'customer_screen' },
    ...(event.expires ? { expiresOn: event.expires } : {}),
  }));
  const campaignContacts: CampaignContact[] = drawn.contacts.map((contact, i) => ({
    id: uuid(n * 100 + 50 + i),
    campaignId: contact.campaignId,
    at: contact.at,
    by: 'B001-rm-01',
    channel: 'phone',
    outcome: contact.outcome,
  }));
  return {
    ...base[drawn.index]!,
    id: uuid(900000 + n),
    consents,
    campaignContacts,
    ...(drawn.restricted
      ? { restriction: { since: '2026-11-01T00:00:00Z', reason: 'legal_hold' as const } }
      : {}),
  } as Customer;
}

function campaignOf(drawn: DrawnCampaign): Campaign {
  return campaignSchema.parse({
    id: 'C-2026-12',
    title: { zh: '年末存款', en: 'Year-end deposits' },
    script: { zh: '您好', en: 'Hello' },
    channel: drawn.channel,
    from: '2026-12-01',
    until: '2026-12-31',
    target: {
      ...(drawn.segments ? { segments: drawn.segments } : {}),
      ...(drawn.risks ? { risks: drawn.risks } : {}),
    },
    contactCapPerMonth: drawn.cap,
  });
}

describe('a campaign’s call list', () => {
  it('holds exactly the customers in the target with consent, under the cap, not opted out, not restricted', () => {
    fc.assert(
      fc.property(fc.array(customerArb, { maxLength: 12 }), campaignArb, (drawn, drawnCampaign) => {
        const customers = drawn.map(customerOf);
        const campaign = campaignOf(drawnCampaign);
        const listed = new Set(callList(customers, campaign, today).map((c) => c.id));
        for (const customer of customers) {
          const consented = hasConsent(
            customer,
            marketingConsentOf[campaign.channel],
            '2026-12-05',
          );
          const underCap =
            contactsThisMonth(customer.campaignContacts, today) < campaign.contactCapPerMonth;
          const optedOut = declinedForGood(customer.campaignContacts, campaign.id);
          const eligible =
            consented &&
            underCap &&
            !optedOut &&
            customer.restriction === undefined &&
            inTarget(customer, campaign.target, today);
          expect(listed.has(customer.id), customer.id).toBe(eligible);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts this month’s contacts in the bank’s month: 17:00 UTC on 30 November is 1 December', () => {
    const contacts: CampaignContact[] = [
      {
        id: uuid(1),
        campaignId: 'x',
        at: '2026-11-30T17:00:00.000Z',
        by: 'rm',
        channel: 'sms',
        outcome: 'reached',
      },
      {
        id: uuid(2),
        campaignId: 'x',
        at: '2026-11-30T15:59:00.000Z',
        by: 'rm',
        channel: 'sms',
        outcome: 'reached',
      },
    ];
    expect(contactsThisMonth(contacts, today)).toBe(1);
  });

  it('is empty outside the campaign’s period, and the schema refuses a period that ends before it starts', () => {
    const campaign = campaignOf({ channel: 'sms', cap: 2, segments: undefined, risks: undefined });
    expect(callList(base, campaign, parseIsoDate('2027-01-01')!)).toEqual([]);
    expect(
      campaignSchema.safeParse({ ...campaign, from: '2026-12-31', until: '2026-12-01' }).success,
    ).toBe(false);
  });
});
