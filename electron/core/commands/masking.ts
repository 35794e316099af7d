// Masks every result that leaves the core for a signed-in member of staff (ARCHITECTURE.md §6):
// the dispatcher passes each output through here, and each command's declaration (define.ts)
// says how its output is masked or why it holds nothing personal (a command without an answer
// does not compile). Revealing a field is its own audited command (customer.reveal.<field>).
//
// IT at the device's own console (branchctl, a `local_operator`) sees records whole, as the
// command-line tools always have; the UI never runs as that principal.
import { maskCustomer, maskFieldValue, maskName } from '../../../shared/access/masking';
import { principalPermissions, type Principal } from '../../../shared/access/permissions';
import type { CommandName, CommandOutput } from '../../../shared/commands/contract';
import type { Customer } from '../../../shared/customer';

export interface MaskOptions {
  /** Names too: the principal may not reveal names (an auditor). */
  names: boolean;
}

export type Masker<N extends CommandName> =
  | ((output: CommandOutput<N>, options: MaskOptions) => CommandOutput<N>)
  | { nothingPersonal: string };

export const maskedCustomer = (record: Record<string, unknown>, options: MaskOptions) =>
  maskCustomer(record as unknown as Customer, options) as unknown as Record<string, unknown>;

export const duplicateName = <T extends { displayName: string }>(
  item: T,
  options: MaskOptions,
): T => (options.names ? { ...item, displayName: maskName(item.displayName) } : item);

export const conflict = <T extends { field: string; base: unknown; local: unknown; hq: unknown }>(
  entry: T,
  options: MaskOptions,
): T => ({
  ...entry,
  base: maskFieldValue(entry.field, entry.base, options),
  local: maskFieldValue(entry.field, entry.local, options),
  hq: maskFieldValue(entry.field, entry.hq, options),
});

/** A change waiting for approval: each proposed value masked like its field. */
export const pendingChange = <T extends { changes: Record<string, unknown> }>(
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
export const written = (output: CommandOutput<'customer.update'>, options: MaskOptions) => ({
  ...output,
  customer: maskedCustomer(output.customer, options),
  probableDuplicates: output.probableDuplicates.map((item) => ({
    ...item,
    candidate: duplicateName(item.candidate, options),
  })),
});

export const clear = (why: string) => ({ nothingPersonal: why });

/** The output as `principal` may see it. */
export function maskOutput<N extends CommandName>(
  masker: Masker<N>,
  output: CommandOutput<N>,
  principal: Principal,
): CommandOutput<N> {
  if (principal.kind !== 'user') return output;
  if (typeof masker !== 'function') return output;
  return masker(output, { names: !principalPermissions(principal).has('reveal_name') });
}
