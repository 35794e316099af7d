// Next best action (下一步建议) on the customer 360: a short list of suggestions from rules, each
// with why. The rules read the same facts as the book (a deposit maturing, a document expiring, a
// review due, the life-cycle stage) and the customer's products. Each suggestion is about one
// thing on one day (`about`): a member of staff marks it done or dismisses it, which is appended
// to the customer's record (`actionResponses`, synced like visits) and hides that suggestion,
// and only that one: the next maturity or the next review is a new suggestion. A restricted
// customer (PIPL Art. 47) gets only what compliance needs (the review, the document). The codes and
// the response's schema live with the record's other entries (shared/customer/records.ts).
import type { Customer } from '../customer/customer';
import type { NextActionCode } from '../customer/records';
import {
  addDays,
  daysBetween,
  formatIsoDate,
  parseIsoDate,
  type CalendarDate,
} from '../validation/dates';
import {
  BIRTHDAY_DAYS,
  DOCUMENT_EXPIRY_NOTICE_DAYS,
  MATURITY_NOTICE_DAYS,
  bookFacts,
  daysToBirthday,
} from './book';
import { segmentOf, type SegmentRuleTable } from './segment';

/**
 * Compliance work: it goes when it is done (a review recorded, a document updated), never when
 * someone marks it done or dismisses it, on the device or at HQ.
 */
export const complianceActions: readonly NextActionCode[] = ['start_review', 'renew_document'];

/** A KYC review due within this many days is suggested. */
export const REVIEW_NOTICE_DAYS = 30;
/** At most this many suggestions are shown, most pressing first. */
export const MAX_SUGGESTIONS = 5;

/**
 * Words in a product's name that show the customer already has mobile banking. HQ's product names
 * are free text; a product the rule does not recognise leaves the suggestion in, to be dismissed.
 */
const mobileBankingWords = ['手机银行', '移动银行', 'mobile banking', 'mobile app'];

/** Why a suggestion is made: a code for people's words, and the day or figure it compared. */
export interface Suggestion {
  action: NextActionCode;
  about: string;
  why: { code: string; day?: string; days?: number };
  /** Compliance (the review, the document) before service and sales. */
  kind: 'compliance' | 'service' | 'sales';
}

function quarterOf(today: CalendarDate): string {
  return `${today.year}-Q${Math.floor((today.month - 1) / 3) + 1}`;
}

/**
 * The suggestions for `customer` on `today` not yet answered, most pressing first, at most
 * MAX_SUGGESTIONS. `kycDue` is the review date in force (effectiveKyc), `rules` the segment table.
 */
export function suggestionsFor(
  customer: Customer,
  rules: SegmentRuleTable,
  today: CalendarDate,
): Suggestion[] {
  const facts = bookFacts(customer);
  const todayIso = formatIsoDate(today);
  const found: Suggestion[] = [];
  const due = parseIsoDate(facts.kyc.nextReviewDue);
  if (due && daysBetween(today, due) <= REVIEW_NOTICE_DAYS)
    found.push({
      action: 'start_review',
      about: facts.kyc.nextReviewDue,
      why: {
        code: daysBetween(today, due) < 0 ? 'review_overdue' : 'review_due',
        day: facts.kyc.nextReviewDue,
      },
      kind: 'compliance',
    });
  const expires = facts.documentExpiresOn ? parseIsoDate(facts.documentExpiresOn) : undefined;
  if (expires && daysBetween(today, expires) <= DOCUMENT_EXPIRY_NOTICE_DAYS)
    found.push({
      action: 'renew_document',
      about: facts.documentExpiresOn!,
      why: {
        code: daysBetween(today, expires) < 0 ? 'document_expired' : 'document_expiring',
        day: facts.documentExpiresOn!,
      },
      kind: 'compliance',
    });
  if (!customer.restriction) {
    const matures = facts.maturesOn ? parseIsoDate(facts.maturesOn) : undefined;
    if (matures) {
      const days = daysBetween(today, matures);
      if (days >= 0 && days <= MATURITY_NOTICE_DAYS)
        found.push({
          action: 'renew_deposit',
          about: facts.maturesOn!,
          why: { code: 'deposit_matures', day: facts.maturesOn!, days },
          kind: 'service',
        });
    }
    const segmented = segmentOf(facts, rules, today);
    if (segmented.lifeCycle === 'at_risk') {
      const closed = segmented.reasons.find((reason) => reason.code === 'life.account_closed');
      const day = String((closed ?? segmented.reasons.at(-1))?.value ?? todayIso);
      found.push({
        action: 'win_back',
        about: day,
        why: { code: closed ? 'account_closed' : 'deposit_matured', day },
        kind: 'service',
      });
    }
    const open = customer.accounts.filter((account) => account.status !== 'closed');
    if (
      customer.kind === 'individual' &&
      open.length > 0 &&
      !customer.accounts.some((account) =>
        mobileBankingWords.some((word) => account.product.toLowerCase().includes(word)),
      )
    )
      found.push({
        action: 'offer_mobile_banking',
        about: quarterOf(today),
        why: { code: 'no_mobile_banking' },
        kind: 'sales',
      });
    const born = facts.birthDate ? parseIsoDate(facts.birthDate) : undefined;
    if (born) {
      const days = daysToBirthday(born, today);
      if (days < BIRTHDAY_DAYS) {
        const day = formatIsoDate(addDays(today, days));
        found.push({
          action: 'birthday_greeting',
          about: day,
          why: { code: 'birthday', day, days },
          kind: 'service',
        });
      }
    }
    if (segmented.lifeCycle === 'dormant')
      found.push({
        action: 'reconnect',
        about: quarterOf(today),
        why: facts.lastVisitOn
          ? { code: 'not_met_since', day: facts.lastVisitOn }
          : { code: 'never_met' },
        kind: 'service',
      });
  }
  const answered = new Set(
    (customer.actionResponses ?? []).map((response) => `${response.action}|${response.about}`),
  );
  return found
    .filter((suggestion) => !answered.has(`${suggestion.action}|${suggestion.about}`))
    .slice(0, MAX_SUGGESTIONS);
}
