// Masks every result that leaves the core for a signed-in member of staff (ARCHITECTURE.md §6):
// the dispatcher passes each output through here, and each command's declaration (define.ts)
// says how its output is masked or why it holds nothing personal (a command without an answer
// does not compile). Revealing a field is its own audited command (customer.reveal.<field>).
//
// IT at the device's own console (branchctl, a `local_operator`) sees records whole, as the
// command-line tools always have; the UI never runs as that principal.
import {
  MASKED,
  maskCustomer,
  maskFieldValue,
  maskName,
  maskRecord,
  maskSearchQuery,
} from '../../../shared/access/masking';
import {
  principalPermissions,
  type Principal,
  type RevealableField,
} from '../../../shared/access/permissions';
import type { CommandName, CommandOutput } from '../../../shared/commands/contract';
import type { Customer } from '../../../shared/customer';

export interface MaskOptions {
  /** Names too: the principal may not reveal names (an auditor). */
  names: boolean;
  /** The principal may reveal this class of identifier (for what staff typed: queries). */
  mayReveal: (field: RevealableField) => boolean;
}

/**
 * How the dispatcher masks for `principal` (maskOutput); also for output a handler masks itself
 * because it leaves as a file or text.
 */
export function maskOptionsOf(principal: Principal): MaskOptions {
  const may = principalPermissions(principal);
  return {
    names: !may.has('reveal_name'),
    mayReveal: (field) => may.has(`reveal_${field}`),
  };
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

/** One rejected change: its field's value by that field's rule, a whole record field by field. */
export const rejected = <T extends { field: string | null; localValue: unknown }>(
  entry: T,
  options: MaskOptions,
): T => ({
  ...entry,
  localValue:
    entry.field === null
      ? maskRecord(entry.localValue, options)
      : maskFieldValue(entry.field, entry.localValue, options),
});

/**
 * Keys of audit details whose values hold nothing personal, whatever entry they are in: ids,
 * counts, field names, codes, flags and times, as the audit plans (*-commands.ts, audit-plan.ts),
 * the dispatcher's denials and the session write them. A key not listed here is shown masked,
 * so a detail added later stays hidden until someone decides it is safe.
 */
const clearDetails: ReadonlySet<string> = new Set([
  'of',
  'count',
  'pendingChangeId',
  'maker',
  'fields',
  'version',
  'baseVersion',
  'index',
  'ok',
  'checked',
  'from',
  'to',
  'action',
  'entries',
  'what',
  'stage',
  // A copy at the counter: the co-signing supervisor's username, how many changes it listed.
  'cosigner',
  'changes',
  'error',
  'results',
  'limit',
  'offset',
  'kind',
  'visitId',
  'noteId',
  'taskId',
  'dueOn',
  'status',
  'groups',
  'conflictId',
  'field',
  'take',
  'mutationId',
  'pushed',
  'pulled',
  'inserted',
  'updated',
  'removed',
  'evicted',
  'erased',
  'restricted',
  'command',
  'permission',
  'event',
  'schemaVersion',
  'deviceId',
  'branchId',
  'profileId',
  'rotatedAt',
  'mode',
  'during',
  'outcome',
  // An audit export's or print's filter: a member of staff, actions, the file's format.
  'actor',
  'actions',
  'format',
  // A merge of duplicates (merge-commands.ts): its id, the two customers' ids, the decision.
  'mergeId',
  'survivorId',
  'mergedId',
  'decision',
]);
/**
 * `reason` is a code from a list in these entries (a reveal's listed reason, why a sign-in
 * failed or a session ended); elsewhere (a rejection) it is what a supervisor typed.
 */
const codedReason: ReadonlySet<string> = new Set([
  'reveal',
  'login_failure',
  'lock',
  'unlock',
  'logout',
]);

const plain = (value: unknown): boolean =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

/**
 * An audit entry's details as a reader may see them: a value under a key known to hold nothing
 * personal as written; a search's query (what the searcher typed: an ID or phone number, a name)
 * masked by what it looks up for a reader who may not reveal that; anything else (free text such
 * as a rejection's reason, a key no one listed) masked whole. Details that are not a JSON object
 * are masked whole.
 */
export const auditDetails = <T extends { action: string; details: string }>(
  entry: T,
  options: MaskOptions,
): T => {
  let details: unknown;
  try {
    details = JSON.parse(entry.details);
  } catch {
    return { ...entry, details: JSON.stringify({ masked: true }) };
  }
  if (typeof details !== 'object' || details === null || Array.isArray(details))
    return { ...entry, details: JSON.stringify({ masked: true }) };
  const shown = (key: string, value: unknown): unknown => {
    // Queries are masked as they are recorded (customer-commands.ts); one recorded before that,
    // as typed, is masked here for the reader. A mask has `*`, which no lookup plans for.
    if (key === 'query')
      return typeof value !== 'string'
        ? MASKED
        : value.includes('*')
          ? value
          : maskSearchQuery(value, options.mayReveal);
    const clear = clearDetails.has(key) || (key === 'reason' && codedReason.has(entry.action));
    if (!clear) return MASKED;
    if (plain(value)) return value;
    return Array.isArray(value) && value.every(plain) ? value : MASKED;
  };
  return {
    ...entry,
    details: JSON.stringify(
      Object.fromEntries(Object.entries(details).map(([key, value]) => [key, shown(key, value)])),
    ),
  };
};

/** The output as `principal` may see it: whole only for IT at the device's own console. */
export function maskOutput<N extends CommandName>(
  masker: Masker<N>,
  output: CommandOutput<N>,
  principal: Principal,
): CommandOutput<N> {
  if (principal.kind === 'local_operator') return output;
  if (typeof masker !== 'function') return output;
  return masker(output, maskOptionsOf(principal));
}
