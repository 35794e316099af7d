// Next best action (shared/insight/next-action.ts): each rule at the edge of its window, the
// order (compliance first) and the cap, a restricted customer offered only compliance work, and
// an answered suggestion not made again while the next one (another day) is.
import { describe, expect, it } from 'vitest';
import type { Customer, IndividualCustomer } from '../../../shared/customer';
import type { ActionResponse } from '../../../shared/customer/records';
import { MAX_SUGGESTIONS, suggestionsFor } from '../../../shared/insight/next-action';
import { defaultSegmentRules } from '../../../shared/insight/segment';
import { generateCustomers } from '../../../shared/synthetic/generate';
import { addDays, formatIsoDate, parseIsoDate } from '../../../shared/validation/dates';

const today = parseIsoDate('2026-12-05')!;
const on = (days: number) => formatIsoDate(addDays(today, days));

const person = [
  ...generateCustomers({ seed: 3, count: 40, branches: ['B001'], rmsPerBranch: 1 }),
].find((customer): customer is IndividualCustomer => customer.kind === 'individual')!;

/** A person with nothing to suggest: reviewed, documents valid, met lately, mobile banking held. */
function quiet(changes: Partial<IndividualCustomer> = {}): Customer {
  return {
    ...structuredClone(person),
    birthDate: '1980-06-15',
    kyc: { ...person.kyc, nextReviewDue: on(400), lastReviewedOn: on(-10) },
    kycReviews: [],
    identityDocuments: person.identityDocuments.map((document) => ({
      ...document,
      expiresOn: on(2000),
    })),
    accounts: [
      {
        product: '手机银行',
        maskedNumber: '6222********1234',
        status: 'active',
        openedOn: on(-2000),
      },
    ],
    visits: [
      {
        id: '00000000-0000-4000-8000-000000000001',
        at: `${on(-5)}T03:00:00Z`,
        author: 'B001-rm-01',
        kind: 'branch',
      },
    ],
    actionResponses: [],
    ...changes,
  } as Customer;
}

const actions = (customer: Customer) =>
  suggestionsFor(customer, defaultSegmentRules, today).map((suggestion) => suggestion.action);

describe('suggestionsFor', () => {
  it('suggests nothing for a customer with nothing to do', () => {
    expect(actions(quiet())).toEqual([]);
  });

  it('suggests the review from 30 days before it is due, and says when it is overdue', () => {
    const due = (days: number) => quiet({ kyc: { ...person.kyc, nextReviewDue: on(days) } });
    expect(actions(due(31))).toEqual([]);
    expect(actions(due(30))).toEqual(['start_review']);
    const overdue = suggestionsFor(due(-1), defaultSegmentRules, today)[0]!;
    expect(overdue).toMatchObject({
      action: 'start_review',
      about: on(-1),
      kind: 'compliance',
      why: { code: 'review_overdue', day: on(-1) },
    });
  });

  it('asks for a new document 90 days before the earliest expires', () => {
    const expiring = (days: number) =>
      quiet({
        identityDocuments: person.identityDocuments.map((document) => ({
          ...document,
          expiresOn: on(days),
        })),
      });
    expect(actions(expiring(91))).toEqual([]);
    expect(actions(expiring(90))).toEqual(['renew_document']);
    expect(suggestionsFor(expiring(-3), defaultSegmentRules, today)[0]!.why.code).toBe(
      'document_expired',
    );
  });

  it('offers the renewal of a deposit maturing within 30 days, and wins back after it matured', () => {
    const deposit = (days: number) =>
      quiet({
        accounts: [
          ...quiet().accounts,
          {
            product: '定期存款',
            maskedNumber: '6013********9999',
            status: 'active',
            openedOn: on(-700),
            maturesOn: on(days),
          },
        ],
      });
    expect(actions(deposit(31))).toEqual([]);
    expect(actions(deposit(30))).toEqual(['renew_deposit']);
    expect(actions(deposit(0))).toEqual(['renew_deposit']);
    expect(actions(deposit(-1))).toEqual(['win_back']);
    expect(suggestionsFor(deposit(-1), defaultSegmentRules, today)[0]!.why).toEqual({
      code: 'deposit_matured',
      day: on(-1),
    });
  });

  it('wins back a customer who closed an account lately', () => {
    const closed = quiet({
      accounts: [
        ...quiet().accounts,
        {
          product: '活期储蓄',
          maskedNumber: '6228********0001',
          status: 'closed',
          openedOn: on(-900),
          closedOn: on(-20),
        },
      ],
    });
    expect(suggestionsFor(closed, defaultSegmentRules, today)).toEqual([
      {
        action: 'win_back',
        about: on(-20),
        why: { code: 'account_closed', day: on(-20) },
        kind: 'service',
      },
    ]);
  });

  it('offers mobile banking to a person with an open account and none of it', () => {
    const plain = quiet({
      accounts: [
        {
          product: '借记卡',
          maskedNumber: '6222********1234',
          status: 'active',
          openedOn: on(-2000),
        },
      ],
    });
    expect(suggestionsFor(plain, defaultSegmentRules, today)).toEqual([
      {
        action: 'offer_mobile_banking',
        about: '2026-Q4',
        why: { code: 'no_mobile_banking' },
        kind: 'sales',
      },
    ]);
    // Nothing open: nothing to offer it on.
    expect(actions(quiet({ accounts: [] }))).not.toContain('offer_mobile_banking');
  });

  it('greets a birthday in the week ahead and reconnects with someone not met for long', () => {
    expect(actions(quiet({ birthDate: '1980-12-11' }))).toEqual(['birthday_greeting']);
    expect(actions(quiet({ birthDate: '1980-12-12' }))).toEqual([]);
    expect(actions(quiet({ visits: [] }))).toEqual(['reconnect']);
  });

  it('orders compliance first and shows at most five', () => {
    const busy = quiet({
      birthDate: '1980-12-06',
      kyc: { ...person.kyc, nextReviewDue: on(-1) },
      identityDocuments: person.identityDocuments.map((document) => ({
        ...document,
        expiresOn: on(5),
      })),
      visits: [],
      accounts: [
        {
          product: '借记卡',
          maskedNumber: '6222********1234',
          status: 'active',
          openedOn: on(-2000),
        },
        {
          product: '定期存款',
          maskedNumber: '6013********9999',
          status: 'active',
          openedOn: on(-700),
          maturesOn: on(3),
        },
        {
          product: '活期储蓄',
          maskedNumber: '6228********0001',
          status: 'closed',
          openedOn: on(-900),
          closedOn: on(-20),
        },
      ],
    });
    expect(actions(busy)).toEqual([
      'start_review',
      'renew_document',
      'renew_deposit',
      'win_back',
      'offer_mobile_banking',
    ]);
    expect(actions(busy)).toHaveLength(MAX_SUGGESTIONS);
    // Restricted (PIPL Art. 47): only what compliance needs.
    expect(
      actions({ ...busy, restriction: { reason: 'customer_request', since: on(-1) } } as Customer),
    ).toEqual(['start_review', 'renew_document']);
  });

  it('leaves out a suggestion answered, and only that one', () => {
    const due = (days: number, responses: ActionResponse[]) =>
      quiet({ kyc: { ...person.kyc, nextReviewDue: on(days) }, actionResponses: responses });
    const dismissed: ActionResponse = {
      id: '00000000-0000-4000-8000-000000000009',
      action: 'start_review',
      about: on(10),
      response: 'dismissed',
      at: '2026-12-05T02:00:00Z',
      by: 'B001-rm-01',
    };
    expect(actions(due(10, [dismissed]))).toEqual([]);
    // The next review (another day) is a new suggestion.
    expect(actions(due(20, [dismissed]))).toEqual(['start_review']);
  });
});
