// Complaints and suggestions (投诉与建议, docs/COUNTER.md). A complaint and each step of its
// handling are append-only entries of the customer's record, each audited as an update, synced,
// and worked on offline by its owner. The list reads the book's index of open complaints (vault
// migration 23), never every record.
import { maskListItem } from '../../../shared/access/masking';
import { principalPermissions } from '../../../shared/access/permissions';
import {
  complaintReference,
  complaintStates,
  dueDates,
  nextStatuses,
} from '../../../shared/counter/complaints';
import { shownListItem, toCustomerListItem } from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import { bankDay } from '../../../shared/insight/day';
import { parseIsoDate } from '../../../shared/validation/dates';
import { wallClock } from '../clock';
import { currentComplaintRules, currentHelp } from '../sync/rule-tables';
import { defaultHelp } from '../../../shared/counter/help';
import { customerIdOf } from './audit-plan';
import { actorOf, customersOf } from './customer-commands';
import type { CommandDefinitions, CommandsOf } from './define';
import { clear, written } from './masking';
import type { CommandContext } from './table';

function vaultOf(context: CommandContext) {
  if (!context.vault) throw new BranchDeskError('VAULT_NOT_OPEN');
  return context.vault;
}

export const helpCommands: CommandDefinitions<CommandsOf<'help'>> = {
  'help.panels': {
    // Before anyone signs in (the sign-in page's help) there may be no vault: the defaults.
    handler: (_input, context) => (context.vault ? currentHelp(context.vault) : defaultHelp),
    audit: { kind: 'none', why: 'help text: no customer data' },
    mask: clear('help text: no customer data'),
    writes: false,
  },
};

export const complaintCommands: CommandDefinitions<CommandsOf<'complaint'>> = {
  'complaint.record': {
    handler: ({ id, complaintId, kind, channel, category, description, request }, context) => {
      const rules = currentComplaintRules(vaultOf(context));
      if (!rules.categories.some((known) => known.code === category))
        throw new BranchDeskError('COMPLAINT_CATEGORY_UNKNOWN', { category });
      const actor = actorOf(context.principal);
      const now = wallClock();
      const day = bankDay(now);
      const complaint = {
        id: complaintId,
        reference: complaintReference(kind, day, complaintId),
        kind,
        channel,
        category,
        description,
        ...(request ? { request } : {}),
        receivedAt: new Date(now).toISOString(),
        receivedBy: actor.id,
        owner: actor.id,
        // A complaint's service levels, by the table in force today; a suggestion has none.
        ...(kind === 'complaint' ? dueDates(day, rules) : {}),
      };
      // A retried save (the same id) adds nothing.
      return customersOf(context).appendEntry(id, 'complaints', complaint, actor);
    },
    audit: {
      kind: 'within',
      // What the customer said is in the record, not the log.
      entry: ({ complaintId, kind, category, channel }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: { fields: ['complaints'], complaintId, complaint: kind, category, channel },
      }),
    },
    mask: written,
    writes: true,
    faultPoint: 'edit:after-commit',
  },
  'complaint.step': {
    handler: ({ id, complaintId, stepId, status, note, resolution, customerResponse }, context) => {
      const actor = actorOf(context.principal);
      const customers = customersOf(context);
      const { customer } = customers.show({ id });
      const complaint = (customer.complaints ?? []).find((known) => known.id === complaintId);
      if (!complaint) throw new BranchDeskError('COMPLAINT_NOT_FOUND', { complaintId });
      const steps = customer.complaintSteps ?? [];
      // A retried save finds its step there already.
      if (steps.some((known) => known.id === stepId)) return { customer, probableDuplicates: [] };
      // Its owner works on it; a supervisor may step in.
      if (complaint.owner !== actor.id && !principalPermissions(context.principal).has('approve'))
        throw new BranchDeskError('PERMISSION_DENIED', {
          permission: 'handle_complaints:owner_or_supervisor',
        });
      const [state] = complaintStates([complaint], steps, bankDay(wallClock()));
      if (!nextStatuses(state!.status).includes(status))
        throw new BranchDeskError('COMPLAINT_STEP_INVALID', { from: state!.status, to: status });
      const step = {
        id: stepId,
        complaintId,
        status,
        at: new Date(wallClock()).toISOString(),
        by: actor.id,
        ...(note ? { note } : {}),
        ...(resolution ? { resolution } : {}),
        ...(customerResponse ? { customerResponse } : {}),
      };
      return customers.appendEntry(id, 'complaintSteps', step, actor);
    },
    audit: {
      kind: 'within',
      entry: ({ complaintId, stepId, status, customerResponse }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: {
          fields: ['complaintSteps'],
          complaintId,
          stepId,
          status,
          ...(customerResponse ? { customerResponse } : {}),
        },
      }),
    },
    mask: written,
    writes: true,
    faultPoint: 'edit:after-commit',
  },
  'complaint.list': {
    handler: ({ scope, overdueOnly }, context) => {
      if (scope === 'branch' && !principalPermissions(context.principal).has('approve'))
        throw new BranchDeskError('PERMISSION_DENIED', { permission: 'approve' });
      const vault = vaultOf(context);
      const actor = actorOf(context.principal).id;
      const today = bankDay(wallClock());
      // The book's partial index holds exactly the customers with an open complaint.
      const ids = vault.db
        .prepare(
          `SELECT c.id FROM customer_book b JOIN customer c USING (customer_key)
           WHERE b.complaint_due IS NOT NULL ORDER BY b.complaint_due`,
        )
        .pluck()
        .all() as string[];
      const customers = customersOf(context);
      const items = ids.flatMap((customerId) => {
        const { customer, hasPendingChanges } = customers.show({ id: customerId });
        const listed = shownListItem(
          toCustomerListItem(customer, { hasPendingChanges }),
          parseIsoDate(today)!,
        );
        return complaintStates(customer.complaints ?? [], customer.complaintSteps ?? [], today)
          .filter((state) => state.status !== 'resolved' && state.status !== 'escalated')
          .filter((state) => scope === 'branch' || state.complaint.owner === actor)
          .filter((state) => !overdueOnly || state.overdue !== null)
          .map(({ complaint, status, overdue, due }) => {
            const { description: _description, request: _request, ...summary } = complaint;
            return { customer: listed, complaint: summary, status, overdue, due };
          });
      });
      // Overdue first, then by the day each is due.
      items.sort(
        (a, b) =>
          Number(b.overdue !== null) - Number(a.overdue !== null) ||
          (a.due ?? '9999').localeCompare(b.due ?? '9999'),
      );
      return { today, items };
    },
    audit: {
      kind: 'within',
      entry: ({ scope, overdueOnly }, output) => ({
        action: 'search',
        details: { complaints: scope, overdueOnly, results: output.items.length },
      }),
    },
    mask: (output, options) => ({
      ...output,
      items: output.items.map((item) => ({
        ...item,
        customer: maskListItem(item.customer, options),
      })),
    }),
    writes: false,
  },
  'complaint.rules': {
    handler: (_input, context) => currentComplaintRules(vaultOf(context)),
    audit: { kind: 'none', why: 'categories and service levels: no customer data' },
    mask: clear('categories and service levels: no customer data'),
    writes: false,
  },
};
