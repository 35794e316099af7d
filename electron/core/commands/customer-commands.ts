// Handlers for the customer commands. They run on the vault the transport opened.
import { revealValue } from '../../../shared/access/masking';
import {
  principalPermissions,
  type Principal,
  type RevealableField,
} from '../../../shared/access/permissions';
import { BranchDeskError } from '../../../shared/errors';
import { wallClockIso } from '../clock';
import { CustomerService, identityFieldsIn } from '../customers';
import { ApprovalQueue } from '../customers/approvals';
import { perVault } from './per-vault';
import type { CommandContext, CommandHandler } from './table';

export const customersOf = perVault((vault) => new CustomerService(vault));

export const approvalsOf = perVault((vault) => new ApprovalQueue(vault, customersOf({ vault })));

/**
 * Who acts, as a staff reference HQ accepts (letters, digits and `._:@-`, at most 64): an OS
 * user name with other characters (a space, Chinese) is percent-encoded byte by byte, so no
 * user name can produce a mutation HQ refuses to read.
 */
export function actorOf(principal: Principal) {
  if (principal.kind === 'anonymous') return { id: 'anonymous' };
  const [prefix, name] =
    principal.kind === 'user' ? ['user', principal.username] : ['os', principal.osUser];
  const safe = [...Buffer.from(name, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9._-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `@${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
  return { id: `${prefix}:${safe}`.slice(0, 64) };
}

/** Reveals one field: the clear value from the vault, or a typed error when there is none. */
function reveal(
  field: RevealableField,
): (input: { id: string; index: number }, context: CommandContext) => { value: string } {
  return ({ id, index }, context) => {
    const { customer } = customersOf(context).show({ id });
    const value = revealValue(customer, field, index);
    if (value === undefined) throw new BranchDeskError('CUSTOMER_FIELD_ABSENT', { field, index });
    return { value };
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
  const fields = (['notes', 'visits'] as const).filter((field) => field in changes);
  if (fields.length === 0) return;
  const { customer } = customersOf(context).show({ id });
  for (const field of fields) {
    const known = new Set(customer[field].map((entry) => entry.id));
    const entries = Array.isArray(changes[field]) ? (changes[field] as unknown[]) : [];
    for (const entry of entries) {
      const { id: entryId, author: by } = (entry ?? {}) as { id?: unknown; author?: unknown };
      if (typeof entryId === 'string' && known.has(entryId)) continue;
      if (by !== author)
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
  target: { id: string; baseVersion: number; index: number },
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
  list[target.index] = entry;
  return customersOf(context).update(
    target.id,
    target.baseVersion,
    { [field]: list },
    actorOf(context.principal),
  );
}

export const customerHandlers: {
  'customer.search': CommandHandler<'customer.search'>;
  'customer.show': CommandHandler<'customer.show'>;
  'customer.create': CommandHandler<'customer.create'>;
  'customer.update': CommandHandler<'customer.update'>;
  'customer.set_phone': CommandHandler<'customer.set_phone'>;
  'customer.set_address': CommandHandler<'customer.set_address'>;
  'customer.record_visit': CommandHandler<'customer.record_visit'>;
  'customer.duplicates': CommandHandler<'customer.duplicates'>;
  'customer.reveal.identity_number': CommandHandler<'customer.reveal.identity_number'>;
  'customer.reveal.phone': CommandHandler<'customer.reveal.phone'>;
  'customer.reveal.email': CommandHandler<'customer.reveal.email'>;
  'customer.reveal.address': CommandHandler<'customer.reveal.address'>;
  'customer.reveal.account_number': CommandHandler<'customer.reveal.account_number'>;
  'customer.reveal.name': CommandHandler<'customer.reveal.name'>;
} = {
  'customer.reveal.identity_number': reveal('identity_number'),
  'customer.reveal.phone': reveal('phone'),
  'customer.reveal.email': reveal('email'),
  'customer.reveal.address': reveal('address'),
  'customer.reveal.account_number': reveal('account_number'),
  'customer.reveal.name': reveal('name'),
  'customer.search': ({ query, limit, offset }, context) =>
    customersOf(context).search.search(query, { limit, offset }),
  'customer.show': (selector, context) => {
    const shown = customersOf(context).show(selector);
    const awaitingApproval = approvalsOf(context)
      .awaiting(shown.customer.id)
      .map((change) => ({
        id: change.id,
        fields: Object.keys(change.changes).sort(),
        requestedBy: change.requestedBy,
        requestedAt: change.requestedAt,
      }));
    return { ...shown, awaitingApproval };
  },
  'customer.create': ({ customer }, context) =>
    customersOf(context).create(customer, actorOf(context.principal)),
  'customer.update': ({ id, baseVersion, changes }, context) => {
    const needsIdentity = identityFieldsIn(changes);
    if (needsIdentity.length > 0 && !principalPermissions(context.principal).has('edit_identity')) {
      throw new BranchDeskError('PERMISSION_DENIED', { permission: 'edit_identity' });
    }
    const actor = actorOf(context.principal);
    if (context.principal.kind === 'user') refuseOthersEntries(context, id, changes, actor.id);
    if (needsIdentity.length > 0 && context.principal.kind === 'user') {
      // Maker-checker: held for a supervisor who is not its maker; nothing applied yet.
      const pendingChangeId = approvalsOf(context).hold(id, baseVersion, changes, actor);
      const { customer } = customersOf(context).show({ id });
      return { customer, probableDuplicates: [], pendingChangeId };
    }
    return customersOf(context).update(id, baseVersion, changes, actor);
  },
  'customer.set_phone': ({ id, baseVersion, index, phone }, context) =>
    setListEntry(context, { id, baseVersion, index }, 'phones', phone),
  'customer.set_address': ({ id, baseVersion, index, address }, context) =>
    setListEntry(context, { id, baseVersion, index }, 'addresses', address),
  'customer.record_visit': ({ id, visitId, kind, text }, context) => {
    const { customer } = customersOf(context).show({ id });
    // Recorded already (a save retried after its answer was lost): nothing more to do.
    if (customer.visits.some((visit) => visit.id === visitId))
      return { customer, probableDuplicates: [] };
    const actor = actorOf(context.principal);
    const visit = {
      id: visitId,
      at: wallClockIso(),
      author: actor.id,
      kind,
      ...(text ? { text } : {}),
    };
    return customersOf(context).update(
      id,
      customer.version,
      { visits: [...customer.visits, visit] },
      actor,
    );
  },
  'customer.duplicates': ({ limit }, context) => ({
    groups: customersOf(context).duplicateGroups(limit),
  }),
};
