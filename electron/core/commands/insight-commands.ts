// The relationship manager's book: the home's figures, the list behind each, and a customer's
// risk rating with its reasons. All computed on the device from the vault, offline. Reading a
// book lists customers, so each call is audited as a search (which book, which figure, how many);
// a rating reads one customer's record, audited as a view.
import { principalPermissions } from '../../../shared/access/permissions';
import { maskListItem } from '../../../shared/access/masking';
import type { BookScope } from '../../../shared/commands/insight';
import { BranchDeskError } from '../../../shared/errors';
import { bankDay, bookFacts } from '../../../shared/insight/book';
import { segmentOf, wealthSegment } from '../../../shared/insight/segment';
import { suggestionsFor } from '../../../shared/insight/next-action';
import { effectiveKyc } from '../../../shared/insight/review';
import { latestProposal, recordedRating } from '../../../shared/insight/risk';
import { parseIsoDate, type CalendarDate } from '../../../shared/validation/dates';
import { wallClock } from '../clock';
import { bookFor, BookReader } from '../insight/book';
import { CustomerStore } from '../customers';
import {
  callList,
  campaignRuns,
  contactsThisMonth,
  type Campaign,
} from '../../../shared/insight/campaign';
import {
  shownListItem,
  toCustomerListItem,
  type Customer,
  type CustomerListItem,
} from '../../../shared/customer';
import { maskOptionsOf, type MaskOptions } from './masking';
import { encryptedZip, wholeList } from '../insight/list-export';
import { bookListCsv } from '../../../shared/insight/list-export';
import {
  currentRiskRules,
  currentSegmentRules,
  heldCampaign,
  heldCampaigns,
} from '../sync/rule-tables';
import type { CommandDefinitions, CommandsOf } from './define';
import { customersOf } from './customer-commands';
import { perVault } from './per-vault';
import type { CommandContext } from './table';

export const booksOf = perVault((vault) => new BookReader(vault));

function vaultOf(context: CommandContext) {
  if (!context.vault) throw new BranchDeskError('VAULT_NOT_OPEN');
  return context.vault;
}

/** The bank's today (China Standard Time, as the book's days are), as a date. */
export function today(): { iso: string; date: CalendarDate } {
  const iso = bankDay(wallClock());
  return { iso, date: parseIsoDate(iso)! };
}

/**
 * The scope asked, or the caller's own: an RM's book when they have one, the branch when they
 * may see it. A branch asked without `view_branch_book` is refused.
 */
export function scopeOf(context: CommandContext, asked: BookScope | undefined): BookScope {
  const mayBranch = principalPermissions(context.principal).has('view_branch_book');
  const rmId = rmIdOf(context);
  const scope = asked ?? (rmId !== undefined || !mayBranch ? 'mine' : 'branch');
  if (scope === 'branch' && !mayBranch)
    throw new BranchDeskError('PERMISSION_DENIED', { permission: 'view_branch_book' });
  return scope;
}

export function rmIdOf(context: CommandContext): string | undefined {
  return context.session?.status().user?.rmId;
}

/** The call list of `campaign` in a book, as whole customers with their keys. */
export function campaignCallList(
  context: CommandContext,
  campaign: Campaign,
  scope: BookScope,
): Customer[] {
  const store = new CustomerStore(vaultOf(context).db);
  const rules = currentSegmentRules(vaultOf(context));
  // Only the customers the book's columns put in the target are unpacked.
  const book = booksOf(context).targetKeys(
    bookFor(scope, rmIdOf(context)),
    campaign.target,
    today().date,
    rules,
  );
  const customers = (function* () {
    for (const key of book) {
      const stored = store.getByKey(key);
      if (stored) yield stored.customer;
    }
  })();
  return callList(customers, campaign, today().date, rules);
}

/** A listed customer as the desk receives it: without the assets the segment rules read. */
const withoutAssets = ({ customer, day }: { customer: CustomerListItem; day: string | null }) => ({
  customer,
  day,
});

/** Entries that carry a customer as a search lists them, each masked as a search's would be. */
function maskedEntries<T extends { customer: CustomerListItem }>(
  entries: readonly T[],
  options: MaskOptions,
): T[] {
  return entries.map((entry) => ({ ...entry, customer: maskListItem(entry.customer, options) }));
}

export const insightCommands: CommandDefinitions<CommandsOf<'insight'>> = {
  'insight.campaigns': {
    handler: (_input, context) => {
      const day = today().iso;
      return {
        campaigns: heldCampaigns(vaultOf(context)).map((campaign) => ({
          campaign,
          running: campaignRuns(campaign, day),
        })),
      };
    },
    audit: { kind: 'none', why: "HQ's published campaigns: nothing of any customer" },
    mask: { nothingPersonal: "HQ's published campaigns" },
    writes: false,
  },
  'insight.call_list': {
    handler: ({ campaignId, scope: asked }, context) => {
      const scope = scopeOf(context, asked);
      const campaign = heldCampaign(vaultOf(context), campaignId);
      const listed = campaignCallList(context, campaign, scope);
      const day = today();
      return {
        campaign,
        scope,
        items: listed.map((customer) => ({
          customer: shownListItem(
            toCustomerListItem(customer, { hasPendingChanges: false }),
            day.date,
          ),
          contactsThisMonth: contactsThisMonth(customer.campaignContacts, day.date),
        })),
      };
    },
    audit: {
      kind: 'within',
      entry: ({ campaignId }, output) => ({
        action: 'search',
        details: { campaign: campaignId, scope: output.scope, results: output.items.length },
      }),
    },
    mask: (output, options) => ({ ...output, items: maskedEntries(output.items, options) }),
    writes: false,
  },
  'insight.home': {
    handler: ({ scope: asked }, context) => {
      const started = performance.now();
      const scope = scopeOf(context, asked);
      const rmId = rmIdOf(context);
      const books = booksOf(context);
      const day = today();
      const book = bookFor(scope, rmId);
      const summary = books.summary(book, day.date, 20, currentSegmentRules(vaultOf(context)));
      const items = books.listItems(
        summary.tasks.map((task) => task.customerKey),
        day.date,
      );
      return {
        scope,
        rmId: scope === 'mine' ? (rmId ?? null) : null,
        today: day.iso,
        total: summary.total,
        counts: summary.counts,
        tasks: summary.tasks.flatMap(({ customerKey, ...task }) => {
          const customer = items.get(customerKey);
          return customer ? [{ customer, task }] : [];
        }),
        computeMs: performance.now() - started,
      };
    },
    audit: {
      kind: 'within',
      entry: (_input, output) => ({
        action: 'search',
        details: { book: 'home', scope: output.scope, results: output.total },
      }),
    },
    mask: (output, options) => ({ ...output, tasks: maskedEntries(output.tasks, options) }),
    writes: false,
  },
  'insight.list': {
    handler: ({ scope: asked, figure, offset, limit, sort, descending }, context) => {
      const scope = scopeOf(context, asked);
      const listed = booksOf(context).list(
        bookFor(scope, rmIdOf(context)),
        figure,
        today().date,
        { offset, limit, sort, descending },
        currentSegmentRules(vaultOf(context)),
      );
      return { figure, scope, total: listed.total, items: listed.items.map(withoutAssets) };
    },
    audit: {
      kind: 'within',
      entry: ({ figure, offset, limit }, output) => ({
        action: 'search',
        details: {
          book: figure,
          scope: output.scope,
          offset,
          limit,
          results: output.items.length,
        },
      }),
    },
    mask: (output, options) => ({ ...output, items: maskedEntries(output.items, options) }),
    writes: false,
  },
  'insight.print_list': {
    handler: ({ scope: asked, figure, sort, descending }, context) => {
      const scope = scopeOf(context, asked);
      const listed = wholeList(
        booksOf(context),
        bookFor(scope, rmIdOf(context)),
        figure,
        today().date,
        { sort, descending },
        currentSegmentRules(vaultOf(context)),
      );
      return { figure, scope, total: listed.total, items: listed.items.map(withoutAssets) };
    },
    audit: {
      kind: 'within',
      entry: ({ figure }, output) => ({
        action: 'print',
        details: {
          book: figure,
          scope: output.scope,
          rows: output.items.length,
          total: output.total,
        },
      }),
    },
    mask: (output, options) => ({ ...output, items: maskedEntries(output.items, options) }),
    writes: false,
  },
  'insight.export_list': {
    handler: async ({ scope: asked, figure, sort, descending, locale, password }, context) => {
      const scope = scopeOf(context, asked);
      const day = today();
      const rules = currentSegmentRules(vaultOf(context));
      const listed = wholeList(
        booksOf(context),
        bookFor(scope, rmIdOf(context)),
        figure,
        day.date,
        { sort, descending },
        rules,
      );
      // Masked here, as the screen shows them to this reader, before anything is written; the
      // segment by the rules the list was chosen by, not the one HQ last recorded.
      const rows = maskedEntries(
        listed.items.map(({ customer, day: shown, aum }) => ({
          customer: { ...customer, segment: wealthSegment(aum, rules) },
          day: shown,
        })),
        maskOptionsOf(context.principal),
      );
      const base = `BranchDesk-${figure}-${day.iso}`;
      const file = await encryptedZip(`${base}.csv`, bookListCsv(rows, locale), password);
      return {
        name: `${base}.zip`,
        file: Buffer.from(file).toString('base64'),
        rows: rows.length,
        total: listed.total,
        scope,
      };
    },
    // The encryption is asynchronous: an entry as it starts, and one with what was written.
    audit: {
      kind: 'around',
      start: ({ figure }) => ({
        action: 'export',
        details: { book: figure, format: 'zip_aes256', stage: 'start' },
      }),
      end: ({ figure }, { output, error }) => ({
        action: 'export',
        details: output
          ? {
              book: figure,
              scope: output.scope,
              format: 'zip_aes256',
              rows: output.rows,
              total: output.total,
            }
          : { book: figure, format: 'zip_aes256', error },
      }),
    },
    mask: { nothingPersonal: 'an encrypted file made from rows the handler masked for its reader' },
    writes: false,
  },
  'insight.next_actions': {
    handler: ({ id }, context) => {
      const { customer } = customersOf(context).show({ id });
      return {
        customerId: customer.id,
        suggestions: suggestionsFor(customer, currentSegmentRules(vaultOf(context)), today().date),
      };
    },
    audit: {
      kind: 'within',
      entry: ({ id }, output) => ({
        action: 'view',
        target: id,
        details: { nextActions: output.suggestions.map((suggestion) => suggestion.action) },
      }),
    },
    mask: {
      nothingPersonal:
        'which suggestions apply and the days they are about: no identifier or contact',
    },
    writes: false,
  },
  'insight.rating': {
    handler: ({ id }, context) => {
      const { customer } = customersOf(context).show({ id });
      const day = today();
      const table = currentRiskRules(vaultOf(context));
      // As HQ records it (recordedRating): the table's level, never below an approved proposal;
      // a review recorded here counts before HQ writes it into kyc (its cycle starts anew).
      const { assessment, level, nextReviewDue } = recordedRating(
        {
          ...customer,
          kyc: effectiveKyc(customer),
          ...(customer.kind === 'individual'
            ? { nationality: customer.nationality, occupation: customer.occupation }
            : {}),
        },
        table,
        day.date,
      );
      const proposed = latestProposal(customer.ratingProposals)?.level ?? null;
      return {
        customerId: customer.id,
        ...assessment,
        ...(proposed && level !== assessment.level && assessment.level !== 'prohibited'
          ? { reviewCycleMonths: table.reviewCycleMonths[level], nextReviewDue }
          : {}),
        proposed,
        expected: assessment.level === 'prohibited' ? assessment.level : level,
        recorded: customer.kyc.riskRating,
        ratedOn: day.iso,
        segmentation: {
          ...segmentOf(bookFacts(customer), currentSegmentRules(vaultOf(context)), day.date),
          recorded: customer.segment,
        },
      };
    },
    audit: {
      kind: 'within',
      entry: ({ id }) => ({ action: 'view', target: id, details: { rating: true } }),
    },
    mask: {
      nothingPersonal:
        'the rating and segment, their factors, thresholds and dates: no identifier, contact or amount',
    },
    writes: false,
  },
};
