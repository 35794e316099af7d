// Campaigns (营销活动) that respect consent: HQ defines one (who it targets, the script, the
// channel, the period, a cap on contacts per customer per month) and publishes it to the branches
// with the rule tables; an RM's call list is their customers that match the target AND whose
// consent for the channel stands today (marketingAudience, issue 18) AND who were contacted fewer
// times this month than the cap AND who did not ask not to be contacted again. Each contact's
// outcome is appended to the customer's record (synced like visits), which is what the cap and
// HQ's results count. One function decides the list, on the device and in the property test.
import { z } from 'zod';
import { marketingAudience, type MarketingChannel } from '../customer/consent';
import type { Customer } from '../customer/customer';
import { segments } from '../customer/customer';
import { isoDate, referenceIdSchema } from '../customer/fields';
import { riskRatings, type CampaignContact } from '../customer/records';
import type { CalendarDate } from '../validation/dates';
import { formatIsoDate } from '../validation/dates';
import { BookFigure, bookFacts, figuresOf } from './book';
import { bankDay } from './day';
import { defaultSegmentRules, LifeCycleStage, segmentOf, type SegmentRuleTable } from './segment';

const words = z.object({ zh: z.string().min(1).max(2000), en: z.string().min(1).max(2000) });

export const campaignChannels = [
  'phone',
  'sms',
  'email',
] as const satisfies readonly MarketingChannel[];

/** Who a campaign is for: every condition given must hold (an empty target is everyone). */
export const campaignTargetSchema = z
  .object({
    kinds: z
      .array(z.enum(['individual', 'corporate']))
      .min(1)
      .optional(),
    /** Wealth segments, by the segment rules in force. */
    segments: z.array(z.enum(segments)).min(1).optional(),
    /** Life-cycle stages, by the segment rules in force (win back those at risk of leaving). */
    lifeCycles: z.array(LifeCycleStage).min(1).optional(),
    risks: z.array(z.enum(riskRatings)).min(1).optional(),
    /** Figures of the book the customer must count in (e.g. `documents.expiring`). */
    figures: z.array(BookFigure).min(1).optional(),
  })
  .strict();
export type CampaignTarget = z.infer<typeof campaignTargetSchema>;

export const campaignSchema = z
  .object({
    /** Names the campaign everywhere (its contacts carry it); a version of the published table. */
    id: referenceIdSchema,
    title: words,
    script: words,
    channel: z.enum(campaignChannels),
    from: isoDate,
    until: isoDate,
    target: campaignTargetSchema,
    /** The most contacts of one customer in a calendar month, by any campaign, this one included. */
    contactCapPerMonth: z.number().int().min(1).max(31),
  })
  .strict()
  .refine((campaign) => campaign.from <= campaign.until, {
    path: ['until'],
    message: 'a campaign ends on or after the day it starts',
  });
export type Campaign = z.infer<typeof campaignSchema>;

/** Whether `campaign` runs on `today` (both ends included). */
export function campaignRuns(campaign: Campaign, today: string): boolean {
  return campaign.from <= today && today <= campaign.until;
}

/** Whether the customer is in the campaign's target on `today`, segmented by `rules`. */
export function inTarget(
  customer: Customer,
  target: CampaignTarget,
  today: CalendarDate,
  rules: SegmentRuleTable = defaultSegmentRules,
): boolean {
  if (target.kinds && !target.kinds.includes(customer.kind)) return false;
  if (target.risks && !target.risks.includes(customer.kyc.riskRating)) return false;
  if (!target.segments && !target.lifeCycles && !target.figures) return true;
  const facts = bookFacts(customer);
  const segmented = segmentOf(facts, rules, today);
  if (target.segments && !target.segments.includes(segmented.segment)) return false;
  if (target.lifeCycles && !target.lifeCycles.includes(segmented.lifeCycle)) return false;
  if (target.figures) {
    const figures = figuresOf(facts, today, rules);
    if (!target.figures.every((figure) => figures.includes(figure))) return false;
  }
  return true;
}

/** Marketing contacts of the customer in the bank's month of `today` (any campaign). */
export function contactsThisMonth(
  contacts: readonly CampaignContact[] | undefined,
  today: CalendarDate,
): number {
  const month = formatIsoDate(today).slice(0, 7);
  return (contacts ?? []).filter((contact) => bankDay(contact.at).slice(0, 7) === month).length;
}

/** The customer asked this campaign not to contact them again. */
export function declinedForGood(
  contacts: readonly CampaignContact[] | undefined,
  campaignId: string,
): boolean {
  return (contacts ?? []).some(
    (contact) => contact.campaignId === campaignId && contact.outcome === 'do_not_contact',
  );
}

/**
 * The call list of `campaign` among `customers` on `today`: in the target, reachable with consent
 * for the channel (and not restricted), under the month's cap, and not opted out of it. Empty
 * outside the campaign's period.
 */
export function callList(
  customers: Iterable<Customer>,
  campaign: Campaign,
  today: CalendarDate,
  rules: SegmentRuleTable = defaultSegmentRules,
): Customer[] {
  const day = formatIsoDate(today);
  if (!campaignRuns(campaign, day)) return [];
  const candidates: Customer[] = [];
  for (const customer of customers)
    if (
      inTarget(customer, campaign.target, today, rules) &&
      contactsThisMonth(customer.campaignContacts, today) < campaign.contactCapPerMonth &&
      !declinedForGood(customer.campaignContacts, campaign.id)
    )
      candidates.push(customer);
  return marketingAudience(candidates, campaign.channel, day);
}
