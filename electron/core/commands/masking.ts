// Masks every result that leaves the core for a signed-in member of staff (ARCHITECTURE.md §6):
// the dispatcher passes each output through here, and each command says how its output is
// masked or why it holds nothing personal (the type makes a new command without an answer a
// compile error). Revealing a field is its own audited command (customer.reveal.<field>).
//
// IT at the device's own console (branchctl, a `local_operator`) sees records whole, as the
// command-line tools always have; the UI never runs as that principal.
import {
  maskCustomer,
  maskFieldValue,
  maskListItem,
  maskName,
} from '../../../shared/access/masking';
import { principalPermissions, type Principal } from '../../../shared/access/permissions';
import type { CommandName, CommandOutput } from '../../../shared/commands/contract';
import type { Customer, CustomerListItem } from '../../../shared/customer';

interface MaskOptions {
  /** Names too: the principal may not reveal names (an auditor). */
  names: boolean;
}

type Masker<N extends CommandName> =
  | ((output: CommandOutput<N>, options: MaskOptions) => CommandOutput<N>)
  | { nothingPersonal: string };

const customer = (record: Record<string, unknown>, options: MaskOptions) =>
  maskCustomer(record as unknown as Customer, options) as unknown as Record<string, unknown>;

const duplicateName = <T extends { displayName: string }>(item: T, options: MaskOptions): T =>
  options.names ? { ...item, displayName: maskName(item.displayName) } : item;

const conflict = <T extends { field: string; base: unknown; local: unknown; hq: unknown }>(
  entry: T,
  options: MaskOptions,
): T => ({
  ...entry,
  base: maskFieldValue(entry.field, entry.base, options),
  local: maskFieldValue(entry.field, entry.local, options),
  hq: maskFieldValue(entry.field, entry.hq, options),
});

/** A change waiting for approval: each proposed value masked like its field. */
const pendingChange = <T extends { changes: Record<string, unknown> }>(
  change: T,
  options: MaskOptions,
): T => ({
  ...change,
  changes: Object.fromEntries(
    Object.entries(change.changes).map(([field, value]) => [
      field,
      maskFieldValue(field, value, options),
    ]),
  ),
});

/** A created or updated customer, and the names of its probable duplicates. */
const written = (output: CommandOutput<'customer.update'>, options: MaskOptions) => ({
  ...output,
  customer: customer(output.customer, options),
  probableDuplicates: output.probableDuplicates.map((item) => ({
    ...item,
    candidate: duplicateName(item.candidate, options),
  })),
});

const clear = (why: string) => ({ nothingPersonal: why });

export const outputMaskers: { [N in CommandName]: Masker<N> } = {
  'vault.init': clear('a profile id and a folder'),
  'vault.doctor': clear('the health of the file'),
  'vault.rekey': clear('a profile id and a time'),
  'device.enroll': clear('the device and its branch'),
  'device.status': clear('the device and its branch'),
  'device.about': clear('the device, its branch and the version'),
  'session.draft.save': clear("the user's own typing, returned to them only"),
  'session.draft.get': clear("the user's own typing, returned to them only"),
  'session.draft.discard': clear('nothing'),
  'sync.run': clear('counts'),
  'sync.status': clear('counts and times'),
  'sync.conflicts.list': (output, options) => ({
    conflicts: output.conflicts.map((entry) => conflict(entry, options)),
  }),
  'sync.conflicts.show': (output, options) => conflict(output, options),
  'sync.conflicts.resolve': (output, options) => ({
    ...output,
    conflict: conflict(output.conflict, options),
  }),
  'sync.rejected.list': (output, options) => ({
    rejected: output.rejected.map((entry) => ({
      ...entry,
      localValue: maskFieldValue(entry.field ?? '', entry.localValue, options),
    })),
  }),
  'customer.search': (output, options) => ({
    ...output,
    items: output.items.map((item) => ({
      ...maskListItem(item as CustomerListItem, options),
      matchedField: item.matchedField,
    })),
  }),
  'customer.show': (output, options) => ({
    ...output,
    customer: customer(output.customer, options),
  }),
  'customer.create': (output, options) => written(output, options),
  'customer.update': (output, options) => written(output, options),
  'customer.set_phone': (output, options) => written(output, options),
  'customer.set_address': (output, options) => written(output, options),
  'customer.record_visit': (output, options) => written(output, options),
  'customer.duplicates': (output, options) => ({
    groups: output.groups.map((group) => ({
      ...group,
      customers: group.customers.map((item) => duplicateName(item, options)),
    })),
  }),
  'customer.reveal.identity_number': clear('the one value asked for, with a reason, audited'),
  'customer.reveal.phone': clear('the one value asked for, with a reason, audited'),
  'customer.reveal.email': clear('the one value asked for, with a reason, audited'),
  'customer.reveal.address': clear('the one value asked for, with a reason, audited'),
  'customer.reveal.account_number': clear('the one value asked for, with a reason, audited'),
  'customer.reveal.name': clear('the one value asked for, with a reason, audited'),
  'approvals.list': (output, options) => ({
    changes: output.changes.map((change) => pendingChange(change, options)),
  }),
  'approvals.approve': (output, options) => ({
    ...output,
    change: pendingChange(output.change, options),
  }),
  'approvals.reject': (output, options) => ({
    ...output,
    change: pendingChange(output.change, options),
  }),
  'audit.verify': clear('sequence numbers and hashes'),
  // Entries name customers by id; a search's query is what the searcher typed, for auditors.
  'audit.export': clear('ids, actions and what staff typed, for auditors'),
  'audit.customer_access': clear('who looked at a customer, for auditors'),
  'session.login': clear('the signed-in member of staff'),
  'session.logout': clear('the signed-in member of staff'),
  'session.lock': clear('the signed-in member of staff'),
  'session.unlock': clear('the signed-in member of staff'),
  'session.status': clear('the signed-in member of staff'),
};

/** The output as `principal` may see it. */
export function maskOutput<N extends CommandName>(
  name: N,
  output: CommandOutput<N>,
  principal: Principal,
): CommandOutput<N> {
  if (principal.kind !== 'user') return output;
  const masker = outputMaskers[name] as Masker<N>;
  if (typeof masker !== 'function') return output;
  return masker(output, { names: !principalPermissions(principal).has('reveal_name') });
}
