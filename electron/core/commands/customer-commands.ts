// The customer commands, each declared once (define.ts). They run on the vault the transport
// opened.
import { maskListItem, maskSearchQuery, revealValue } from '../../../shared/access/masking';
import { principalPermissions, type RevealableField } from '../../../shared/access/permissions';
import type { CustomerListItem } from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import { actorOf } from '../audit/actor';
import { localDay } from '../../../shared/customer/consent';
import { isCommandOnlyField } from '../../../shared/customer/field-policies';
import { bankDay } from '../../../shared/insight/day';
import { reviewCycle } from '../../../shared/insight/review';
import { callList, campaignRuns } from '../../../shared/insight/campaign';
import { heldCampaign } from '../sync/rule-tables';
import { parseIsoDate } from '../../../shared/validation/dates';
import { currentRiskRules, currentSegmentRules } from '../sync/rule-tables';
import { suggestionsFor } from '../../../shared/insight/next-action';
import { wallClock, wallClockIso } from '../clock';
import { CustomerService, identityFieldsIn } from '../customers';
import { ApprovalQueue } from '../customers/approvals';
import { perVault } from './per-vault';
import { type AuditPlan, customerIdOf, revealAudit } from './audit-plan';
import type { CommandDefinition, CommandDefinitions, CommandsOf } from './define';
import { clear, duplicateName, maskedCustomer, written } from './masking';
import type { CommandContext } from './table';

export const customersOf = perVault((vault) => new CustomerService(vault));

export const approvalsOf = perVault((vault) => new ApprovalQueue(vault, customersOf({ vault })));

/** Who acts: the one actor helper the desk session's entries use too (fits any username). */
export { actorOf };

/**
 * Reveals one field: the clear value from the vault, or a typed error when there is none. The
 * one value asked for, with a reason and audited, is the point of the command: it is not masked.
 */
function reveal(field: RevealableField): CommandDefinition<`customer.reveal.${RevealableField}`> {
  return {
    handler: ({ id, index }, context) => {
      const { customer } = customersOf(context).show({ id });
      // Restricted (PIPL Art. 47): masked for every role, and revealed to a compliance officer
      // only (audited as such).
      const restricted = customer.restriction !== undefined;
      if (restricted && !principalPermissions(context.principal).has('reveal_restricted'))
        throw new BranchDeskError('CUSTOMER_RESTRICTED');
      const value = revealValue(customer, field, index);
      if (value === undefined) throw new BranchDeskError('CUSTOMER_FIELD_ABSENT', { field, index });
      return restricted ? { value, restricted: true as const } : { value };
    },
    audit: revealAudit(field),
    mask: clear('the one value asked for, with a reason, audited'),
    writes: false,
  };
}

/**
 * Notes and visits say who wrote them. A member of staff adds entries only in their own name:
 * an entry new to the record whose author is someone else is refused, whole change and all.
 */
function refuseOthersEntries(
  context: CommandContext,
  id: string,
  changes: Record<string, unknown>,
  author: string,
): void {
  // Each list names its entries' maker in its own key.
  const makers = { notes: 'author', visits: 'author', ratingProposals: 'by' } as const;
  const fields = (Object.keys(makers) as (keyof typeof makers)[]).filter(
    (field) => field in changes,
  );
  if (fields.length === 0) return;
  const { customer } = customersOf(context).show({ id });
  for (const field of fields) {
    const known = new Set((customer[field] ?? []).map((entry) => entry.id));
    const entries = Array.isArray(changes[field]) ? (changes[field] as unknown[]) : [];
    for (const entry of entries) {
      const fields = (entry ?? {}) as Record<string, unknown>;
      const entryId = fields.id;
      if (typeof entryId === 'string' && known.has(entryId)) continue;
      if (fields[makers[field]] !== author)
        throw new BranchDeskError('PERMISSION_DENIED', { permission: `${field}:own_entries_only` });
    }
  }
}

/**
 * Sets entry `index` of one of a customer's lists (or adds one, at the list's length), keeping
 * the others as stored: the desk holds only masked copies of them, so it cannot send the list.
 */
function setListEntry<F extends 'phones' | 'addresses'>(
  context: CommandContext,
  target: { id: string; baseVersion: number; index: number; correction?: boolean | undefined },
  field: F,
  entry: unknown,
) {
  const { customer } = customersOf(context).show({ id: target.id });
  const list: unknown[] = [...customer[field]];
  if (target.index > list.length)
    throw new BranchDeskError('CUSTOMER_FIELD_ABSENT', {
      field: field === 'phones' ? 'phone' : 'address',
      index: target.index,
    });
  // The entry keeps its id: HQ merges the list entry by entry, so an edit of this phone and
  // another device's edit of a different one both stand. A new entry gets one in update().
  const { id: entryId } = (list[target.index] ?? {}) as { id?: string };
  list[target.index] = entryId === undefined ? entry : { ...(entry as object), id: entryId };
  return customersOf(context).update(
    target.id,
    target.baseVersion,
    { [field]: list },
    actorOf(context.principal),
    { correction: target.correction },
  );
}

/**
 * A consent event's audit entry: the purpose, the state and the evidence's kind (a paper form's
 * reference is in the record, not the log).
 */
function consentAudit<N extends 'customer.grant_consent' | 'customer.withdraw_consent'>(
  state: 'granted' | 'withdrawn',
): AuditPlan<N> {
  return {
    kind: 'within',
    entry: ({ consentId, purpose, channel, evidence }, output) => ({
      action: 'update',
      target: customerIdOf(output),
      details: {
        fields: ['consents'],
        consentId,
        purpose,
        state,
        channel,
        evidence: evidence.kind,
      },
    }),
  };
}

/**
 * Evidence `customer_screen` says the customer confirmed on the counter's customer screen: only
 * the core, saving what the screen confirmed, may record it (a desk claiming it is refused).
 */
function refuseUnconfirmed(evidence: { kind: string }, context: CommandContext): void {
  if (evidence.kind === 'customer_screen' && context.confirmation?.on !== 'customer_screen')
    throw new BranchDeskError('CUSTOMER_SCREEN_REQUIRED');
}

/** A saved edit: audited with the fields it names, synced at once, a crash point after it. */
const edit = {
  mask: written,
  writes: true,
  faultPoint: 'edit:after-commit',
} as const;

export const customerCommands: CommandDefinitions<CommandsOf<'customer'>> = {
  'customer.reveal.identity_number': reveal('identity_number'),
  'customer.reveal.phone': reveal('phone'),
  'customer.reveal.email': reveal('email'),
  'customer.reveal.address': reveal('address'),
  'customer.reveal.account_number': reveal('account_number'),
  'customer.reveal.name': reveal('name'),
  'customer.search': {
    handler: ({ query, limit, offset }, context) =>
      customersOf(context).search.search(query, { limit, offset }),
    audit: {
      kind: 'within',
      // The query is kept as a reader who may reveal nothing sees it (a name's first character,
      // an ID number's ends): the log outlives the customer's erasure, and must not name them.
      entry: ({ query, limit, offset }, output) => ({
        action: 'search',
        details: {
          query: maskSearchQuery(query, () => false),
          limit,
          offset,
          results: output.items.length,
        },
      }),
    },
    mask: (output, options) => ({
      ...output,
      items: output.items.map((item) => ({
        ...maskListItem(item as CustomerListItem, options),
        matchedField: item.matchedField,
      })),
    }),
    writes: false,
  },
  'customer.show': {
    handler: (selector, context) => {
      const shown = customersOf(context).show(selector);
      const awaitingApproval = approvalsOf(context)
        .awaiting(shown.customer.id)
        .map((change) => ({
          id: change.id,
          fields: Object.keys(change.changes).sort(),
          requestedBy: change.requestedBy,
          requestedAt: change.requestedAt,
        }));
      const issues = customersOf(context).syncIssues(shown.customer.id);
      return { ...shown, awaitingApproval, ...issues };
    },
    audit: {
      kind: 'within',
      entry: (_input, output) => ({ action: 'view', target: customerIdOf(output) }),
    },
    mask: (output, options) => ({ ...output, customer: maskedCustomer(output.customer, options) }),
    writes: false,
  },
  'customer.create': {
    handler: ({ customer }, context) =>
      customersOf(context).create(customer, actorOf(context.principal)),
    audit: {
      kind: 'within',
      entry: (_input, output) => ({ action: 'create', target: customerIdOf(output) }),
    },
    ...edit,
  },
  'customer.update': {
    handler: ({ id, baseVersion, changes, note, correction }, context) => {
      const needsIdentity = identityFieldsIn(changes);
      if (
        needsIdentity.length > 0 &&
        !principalPermissions(context.principal).has('edit_identity')
      ) {
        throw new BranchDeskError('PERMISSION_DENIED', { permission: 'edit_identity' });
      }
      // The ledger's events carry who captured them, on which notice and with what evidence:
      // only its own commands add them, so no edit of the record can skip those.
      if ('consents' in changes) throw new BranchDeskError('CONSENT_LEDGER_ONLY');
      // Likewise reviews, campaign contacts, answers to suggestions and rating proposals: each
      // is added by its own command, which checks what it adds and stamps who and when.
      const commandOnly = Object.keys(changes).find(isCommandOnlyField);
      if (commandOnly) throw new BranchDeskError('FIELD_HAS_OWN_COMMAND', { field: commandOnly });
      const actor = actorOf(context.principal);
      if (context.principal.kind === 'user') refuseOthersEntries(context, id, changes, actor.id);
      if (needsIdentity.length > 0 && context.principal.kind === 'user') {
        // Maker-checker: held for a supervisor who is not its maker; nothing applied yet.
        const pendingChangeId = approvalsOf(context).hold(
          id,
          baseVersion,
          changes,
          actor,
          note,
          correction,
        );
        const { customer } = customersOf(context).show({ id });
        return { customer, probableDuplicates: [], pendingChangeId };
      }
      return customersOf(context).update(id, baseVersion, changes, actor, { correction });
    },
    audit: {
      kind: 'within',
      entry: ({ changes, baseVersion, correction }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: {
          fields: Object.keys(changes).sort(),
          baseVersion,
          ...(output.pendingChangeId ? { pendingChangeId: output.pendingChangeId } : {}),
          ...(correction ? { correction: true } : {}),
        },
      }),
    },
    ...edit,
  },
  'customer.set_phone': {
    handler: ({ id, baseVersion, index, phone, correction }, context) =>
      setListEntry(context, { id, baseVersion, index, correction }, 'phones', phone),
    audit: {
      kind: 'within',
      entry: ({ index, baseVersion, correction }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: {
          fields: ['phones'],
          index,
          baseVersion,
          ...(correction ? { correction: true } : {}),
        },
      }),
    },
    ...edit,
  },
  'customer.set_address': {
    handler: ({ id, baseVersion, index, address, correction }, context) =>
      setListEntry(context, { id, baseVersion, index, correction }, 'addresses', address),
    audit: {
      kind: 'within',
      entry: ({ index, baseVersion, correction }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: {
          fields: ['addresses'],
          index,
          baseVersion,
          ...(correction ? { correction: true } : {}),
        },
      }),
    },
    ...edit,
  },
  'customer.record_visit': {
    handler: ({ id, visitId, kind, text }, context) => {
      const actor = actorOf(context.principal);
      const visit = {
        id: visitId,
        at: wallClockIso(),
        author: actor.id,
        kind,
        ...(text ? { text } : {}),
      };
      return customersOf(context).appendEntry(id, 'visits', visit, actor);
    },
    audit: {
      kind: 'within',
      entry: ({ kind, visitId }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: { fields: ['visits'], kind, visitId },
      }),
    },
    ...edit,
  },
  'customer.record_satisfaction': {
    handler: ({ id, ratingId, visitId, score, reason }, context) => {
      // The customer's own word, from their screen: a member of staff cannot type it for them.
      if (context.confirmation?.on !== 'customer_screen')
        throw new BranchDeskError('CUSTOMER_SCREEN_REQUIRED');
      const actor = actorOf(context.principal);
      const customers = customersOf(context);
      const { customer } = customers.show({ id });
      if (!customer.visits.some((visit) => visit.id === visitId))
        throw new BranchDeskError('VISIT_NOT_FOUND', { visitId });
      const rating = {
        id: ratingId,
        visitId,
        score,
        ...(reason ? { reason } : {}),
        at: wallClockIso(),
        servedBy: actor.id,
      };
      return customers.appendEntry(id, 'satisfaction', rating, actor);
    },
    audit: {
      kind: 'within',
      entry: ({ ratingId, visitId, score, reason }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: {
          fields: ['satisfaction'],
          ratingId,
          visitId,
          score,
          ...(reason ? { reason } : {}),
        },
      }),
    },
    ...edit,
  },
  'customer.record_contact': {
    handler: ({ id, contactId, campaignId, outcome }, context) => {
      const actor = actorOf(context.principal);
      const campaign = heldCampaign(context.vault!, campaignId);
      if (!campaignRuns(campaign, bankDay(wallClock())))
        throw new BranchDeskError('CAMPAIGN_NOT_RUNNING', { campaignId });
      const customers = customersOf(context);
      const { customer } = customers.show({ id });
      // The cap and the consent are enforced here, not only in the list: a contact retried after
      // its answer was lost is the same entry (its id), and adds nothing.
      const retried = (customer.campaignContacts ?? []).some((known) => known.id === contactId);
      if (
        !retried &&
        callList(
          [customer],
          campaign,
          parseIsoDate(bankDay(wallClock()))!,
          currentSegmentRules(context.vault!),
        ).length === 0
      )
        throw new BranchDeskError('CAMPAIGN_NOT_ELIGIBLE', { campaignId });
      const contact = {
        id: contactId,
        campaignId,
        at: wallClockIso(),
        by: actor.id,
        channel: campaign.channel,
        outcome,
      };
      return customers.appendEntry(id, 'campaignContacts', contact, actor);
    },
    audit: {
      kind: 'within',
      entry: ({ contactId, campaignId, outcome }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: { fields: ['campaignContacts'], contactId, campaignId, outcome },
      }),
    },
    ...edit,
  },
  'customer.propose_rating': {
    handler: ({ id, proposalId, level, reason }, context) => {
      const actor = actorOf(context.principal);
      const customers = customersOf(context);
      const { customer } = customers.show({ id });
      // A retry after a lost answer finds its proposal held (or applied) already: nothing more.
      const approvals = approvalsOf(context);
      const held = approvals
        .awaiting(id)
        .find((change) =>
          ((change.changes.ratingProposals ?? []) as { id?: string }[]).some(
            (entry) => entry.id === proposalId,
          ),
        );
      if (held) return { customer, probableDuplicates: [], pendingChangeId: held.id };
      if ((customer.ratingProposals ?? []).some((entry) => entry.id === proposalId))
        return { customer, probableDuplicates: [] };
      const proposal = { id: proposalId, level, reason, at: wallClockIso(), by: actor.id };
      // Four eyes: held for a supervisor who is not its maker, then recorded at HQ (needsFourEyes).
      const pendingChangeId = approvals.hold(
        id,
        customer.version,
        { ratingProposals: [...(customer.ratingProposals ?? []), proposal] },
        actor,
        reason,
      );
      return { customer, probableDuplicates: [], pendingChangeId };
    },
    audit: {
      kind: 'within',
      entry: ({ proposalId, level }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: {
          fields: ['ratingProposals'],
          proposalId,
          level,
          ...(output.pendingChangeId ? { pendingChangeId: output.pendingChangeId } : {}),
        },
      }),
    },
    ...edit,
  },
  'customer.respond_action': {
    handler: ({ id, responseId, action, about, response }, context) => {
      const actor = actorOf(context.principal);
      const customers = customersOf(context);
      const { customer } = customers.show({ id });
      // Only a suggestion the customer has now; a retry after a lost answer is the same entry.
      const retried = (customer.actionResponses ?? []).some((known) => known.id === responseId);
      const suggested = suggestionsFor(
        customer,
        currentSegmentRules(context.vault!),
        parseIsoDate(bankDay(wallClock()))!,
      ).find((suggestion) => suggestion.action === action && suggestion.about === about);
      if (!retried && !suggested)
        throw new BranchDeskError('SUGGESTION_NOT_FOUND', { action, about });
      // Compliance work goes when it is done (a review, a document), not when someone says so.
      if (!retried && suggested?.kind === 'compliance')
        throw new BranchDeskError('SUGGESTION_NOT_ANSWERABLE', { action });
      const entry = { id: responseId, action, about, response, at: wallClockIso(), by: actor.id };
      return customers.appendEntry(id, 'actionResponses', entry, actor);
    },
    audit: {
      kind: 'within',
      entry: ({ responseId, action, response }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: { fields: ['actionResponses'], responseId, nextAction: action, response },
      }),
    },
    ...edit,
  },
  'customer.record_review': {
    handler: ({ id, reviewId, outcome, checked, note }, context) => {
      const actor = actorOf(context.principal);
      const customers = customersOf(context);
      const { customer } = customers.show({ id });
      // The cycle from the rule table in force here, counted from the bank's today.
      const today = parseIsoDate(bankDay(wallClock()))!;
      const cycle = reviewCycle(
        customer.kind === 'individual'
          ? { ...customer, nationality: customer.nationality, occupation: customer.occupation }
          : customer,
        currentRiskRules(context.vault!),
        today,
      );
      const review = {
        id: reviewId,
        at: wallClockIso(),
        reviewer: actor.id,
        outcome,
        checked,
        ...(note ? { note } : {}),
        ...cycle,
      };
      return customers.appendEntry(id, 'kycReviews', review, actor);
    },
    audit: {
      kind: 'within',
      // The note is about the customer: the record holds it, not the log.
      entry: ({ reviewId, outcome }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: { fields: ['kycReviews'], reviewId, outcome },
      }),
    },
    ...edit,
  },
  'customer.add_note': {
    handler: ({ id, noteId, text }, context) => {
      const actor = actorOf(context.principal);
      const note = { id: noteId, at: wallClockIso(), author: actor.id, text };
      return customersOf(context).appendEntry(id, 'notes', note, actor);
    },
    audit: {
      kind: 'within',
      // The note's text is what someone wrote about the customer: the record holds it, not the log.
      entry: ({ noteId }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: { fields: ['notes'], noteId },
      }),
    },
    ...edit,
  },
  'customer.grant_consent': {
    handler: ({ id, consentId, purpose, channel, noticeVersion, evidence, expiresOn }, context) => {
      refuseUnconfirmed(evidence, context);
      const now = wallClock();
      const today = localDay(now);
      if (expiresOn !== undefined && expiresOn <= today)
        throw new BranchDeskError('CONSENT_EXPIRY_PAST', { expiresOn, today });
      const actor = actorOf(context.principal);
      const event = {
        id: consentId,
        purpose,
        state: 'granted',
        at: new Date(now).toISOString(),
        channel,
        noticeVersion,
        capturedBy: actor.id,
        evidence,
        ...(expiresOn !== undefined ? { expiresOn } : {}),
      };
      return customersOf(context).appendEntry(id, 'consents', event, actor);
    },
    audit: consentAudit('granted'),
    ...edit,
  },
  'customer.withdraw_consent': {
    handler: ({ id, consentId, purpose, channel, evidence }, context) => {
      refuseUnconfirmed(evidence, context);
      const actor = actorOf(context.principal);
      const event = {
        id: consentId,
        purpose,
        state: 'withdrawn',
        at: wallClockIso(),
        channel,
        capturedBy: actor.id,
        evidence,
      };
      // The customer's will not to be processed stands even while their data is restricted.
      return customersOf(context).appendEntry(id, 'consents', event, actor, {
        despiteRestriction: true,
      });
    },
    audit: consentAudit('withdrawn'),
    ...edit,
  },
  'customer.add_task': {
    handler: ({ id, taskId, title, dueOn }, context) => {
      const actor = actorOf(context.principal);
      return customersOf(context).addTask(
        id,
        { id: taskId, title, dueOn, assignee: actor.id },
        actor,
      );
    },
    audit: {
      kind: 'within',
      entry: ({ taskId, dueOn }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: { fields: ['tasks'], taskId, dueOn },
      }),
    },
    ...edit,
  },
  'customer.set_task_status': {
    handler: ({ id, taskId, status }, context) =>
      customersOf(context).setTaskStatus(id, taskId, status, actorOf(context.principal)),
    audit: {
      kind: 'within',
      entry: ({ taskId, status }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: { fields: ['tasks'], taskId, status },
      }),
    },
    ...edit,
  },
  'customer.duplicates': {
    handler: ({ limit }, context) => ({
      groups: customersOf(context).duplicateGroups(limit),
    }),
    audit: {
      kind: 'within',
      entry: (_input, output) => ({
        action: 'view',
        details: { of: 'duplicates', groups: output.groups.length },
      }),
    },
    mask: (output, options) => ({
      groups: output.groups.map((group) => ({
        ...group,
        customers: group.customers.map((item) => duplicateName(item, options)),
      })),
    }),
    writes: false,
  },
};
