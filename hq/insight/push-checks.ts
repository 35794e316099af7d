// What HQ checks in a push before it takes a KYC review or a campaign contact (docs/INSIGHT.md):
// the device checks the same before it records one, but HQ is the master and trusts no device.
//   - A review is the pusher's own, and its next due date is no later than HQ's own table gives
//     from the review's day (a device cannot push a review that lengthens a cycle).
//   - A contact is the pusher's own, for a campaign HQ published that ran on the contact's day,
//     by its channel, to a customer who then had a current consent for it (events up to the
//     contact's time), under the month's cap and not opted out of the campaign.
//   - An answer to a suggested next best action is the pusher's own, and never to compliance
//     work (a review, a document), which goes only when it is done.
//   - A customer's rating of a visit names the pusher as who served them, and a visit the record
//     (as HQ holds it, or as the same push leaves it) has.
//   - A complaint is the pusher's own (received by and owned by them), with the reference its id
//     and day give, and a complaint's due dates; a step is the pusher's, of a complaint the record
//     has or the push adds.
//   - A rating proposal is the pusher's own, dated no later than HQ's clock allows (a PC may be
//     36 hours fast): a proposal dated ahead would stay the latest, and so the floor, for good.
import type { Customer } from '../../shared/customer';
import {
  complaintReference,
  type Complaint,
  type ComplaintStep,
} from '../../shared/counter/complaints';
import type {
  ActionResponse,
  CampaignContact,
  KycReview,
  RatingProposal,
  Satisfaction,
} from '../../shared/customer/records';
import { callList, campaignSchema, type Campaign } from '../../shared/insight/campaign';
import { complianceActions } from '../../shared/insight/next-action';
import { bankDay } from '../../shared/insight/day';
import { reviewCycle } from '../../shared/insight/review';
import type { Mutation } from '../../shared/protocol/mutations';
import { parseIsoDate } from '../../shared/validation/dates';
import type { Sql } from '../db/database';
import { currentRiskRules, segmentRulesUpTo } from './rules';

type Update = Extract<Mutation, { kind: 'update' }>;

/** The entries of `field` the push adds: in its new list, not in HQ's record. */
function added<T extends { id: string }>(
  mutation: Update,
  record: Customer,
  field:
    | 'kycReviews'
    | 'campaignContacts'
    | 'actionResponses'
    | 'ratingProposals'
    | 'satisfaction'
    | 'complaints'
    | 'complaintSteps',
): T[] {
  const to = mutation.fields[field]?.to;
  if (!Array.isArray(to)) return [];
  const known = new Set(((record[field] ?? []) as { id: string }[]).map((entry) => entry.id));
  return (to as T[]).filter((entry) => !known.has(entry?.id));
}

/** True when every review the push adds is the pusher's own and keeps HQ's cycle. */
export async function newReviewsAllowed(
  tx: Sql,
  mutation: Update,
  record: Customer,
): Promise<boolean> {
  const reviews = added<KycReview>(mutation, record, 'kycReviews');
  if (reviews.length === 0) return true;
  const table = await currentRiskRules(tx);
  return reviews.every((review) => {
    const day = parseIsoDate(bankDay(review.at));
    if (!day || review.reviewer !== mutation.actor) return false;
    const rated =
      record.kind === 'individual'
        ? { ...record, nationality: record.nationality, occupation: record.occupation }
        : record;
    return review.nextReviewDue <= reviewCycle(rated, table, day).nextReviewDue;
  });
}

/** True when every campaign contact the push adds is one the device was allowed to record. */
export async function newContactsAllowed(
  tx: Sql,
  mutation: Update,
  record: Customer,
): Promise<boolean> {
  const contacts = added<CampaignContact>(mutation, record, 'campaignContacts');
  if (contacts.length === 0) return true;
  const campaigns = new Map<string, Campaign | undefined>();
  // Earlier contacts of the same push count towards the cap of later ones.
  let held = [...(record.campaignContacts ?? [])];
  for (const contact of [...contacts].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    if (!campaigns.has(contact.campaignId))
      campaigns.set(contact.campaignId, await publishedCampaign(tx, contact.campaignId));
    const campaign = campaigns.get(contact.campaignId);
    const day = parseIsoDate(bankDay(contact.at));
    if (!campaign || !day || contact.by !== mutation.actor || contact.channel !== campaign.channel)
      return false;
    // The customer as they stood when contacted: the consent events up to then, the contacts so far.
    const then = {
      ...record,
      consents: record.consents.filter((event) => Date.parse(event.at) <= Date.parse(contact.at)),
      campaignContacts: held,
    };
    // In the target by a segment table the device may have held then (it may not have received
    // the latest while offline); consent, the cap and opt-outs do not depend on it.
    const tables = await segmentRulesUpTo(tx, contact.at);
    if (tables.every((rules) => callList([then], campaign, day, rules).length === 0)) return false;
    held = [...held, contact];
  }
  return true;
}

async function publishedCampaign(tx: Sql, id: string): Promise<Campaign | undefined> {
  const [row] = await tx.query<{ body: unknown }>(
    "SELECT body FROM rule_table WHERE kind = 'campaign' AND version = $1",
    [id],
  );
  if (!row) return undefined;
  const parsed = campaignSchema.safeParse(
    typeof row.body === 'string' ? (JSON.parse(row.body) as unknown) : row.body,
  );
  return parsed.success ? parsed.data : undefined;
}

/** True when every answer to a suggestion the push adds is the pusher's own, and not to compliance work. */
export function newResponsesAllowed(mutation: Update, record: Customer): boolean {
  return added<ActionResponse>(mutation, record, 'actionResponses').every(
    (response) => response.by === mutation.actor && !complianceActions.includes(response.action),
  );
}

/** True when every rating proposal the push adds is the pusher's own and not dated ahead. */
export function newProposalsAllowed(mutation: Update, record: Customer, now = Date.now()): boolean {
  return added<RatingProposal>(mutation, record, 'ratingProposals').every(
    (proposal) => proposal.by === mutation.actor && Date.parse(proposal.at) <= now + 36 * 3_600_000,
  );
}

/**
 * True when every satisfaction rating the push adds names the pusher as who served the customer,
 * and rates a visit the customer has (in HQ's record or added by the same push).
 */
export function newRatingsAllowed(mutation: Update, record: Customer): boolean {
  const ratings = added<Satisfaction>(mutation, record, 'satisfaction');
  if (ratings.length === 0) return true;
  const pushedVisits = mutation.fields.visits?.to;
  const visits = new Set(
    [...record.visits, ...(Array.isArray(pushedVisits) ? (pushedVisits as { id?: unknown }[]) : [])]
      .map((visit) => visit?.id)
      .filter((id): id is string => typeof id === 'string'),
  );
  return ratings.every(
    (rating) => rating.servedBy === mutation.actor && visits.has(rating.visitId),
  );
}

/** True when every complaint and step the push adds is the pusher's own and well formed. */
export function newComplaintsAllowed(mutation: Update, record: Customer): boolean {
  const complaints = added<Complaint>(mutation, record, 'complaints');
  const steps = added<ComplaintStep>(mutation, record, 'complaintSteps');
  if (complaints.length === 0 && steps.length === 0) return true;
  const ownComplaints = complaints.every(
    (complaint) =>
      complaint.receivedBy === mutation.actor &&
      complaint.owner === mutation.actor &&
      complaint.reference ===
        complaintReference(complaint.kind, bankDay(complaint.receivedAt), complaint.id) &&
      (complaint.kind !== 'complaint' ||
        (complaint.acknowledgeBy !== undefined && complaint.resolveBy !== undefined)),
  );
  const known = new Set(
    [...(record.complaints ?? []), ...complaints].map((complaint) => complaint.id),
  );
  return (
    ownComplaints &&
    steps.every((step) => step.by === mutation.actor && known.has(step.complaintId))
  );
}
