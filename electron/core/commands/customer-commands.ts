// Handlers for the customer commands. They run on the vault the transport opened.
import { principalPermissions, type Principal } from '../../../shared/access/permissions';
import { BranchDeskError } from '../../../shared/errors';
import { CustomerService, identityFieldsIn } from '../customers';
import type { Vault } from '../vault';
import type { CommandContext, CommandHandler } from './table';

const services = new WeakMap<Vault, CustomerService>();

export function customersOf(context: CommandContext): CustomerService {
  const vault = context.vault;
  if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
  let service = services.get(vault);
  if (!service) {
    service = new CustomerService(vault);
    services.set(vault, service);
  }
  return service;
}

/**
 * Who acts, as a staff reference HQ accepts (letters, digits and `._:@-`, at most 64): an OS
 * user name with other characters (a space, Chinese) is percent-encoded byte by byte, so no
 * user name can produce a mutation HQ refuses to read.
 */
export function actorOf(principal: Principal) {
  if (principal.kind !== 'local_operator') return { id: 'anonymous' };
  const safe = [...Buffer.from(principal.osUser, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9._-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `@${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
  return { id: `os:${safe}`.slice(0, 64) };
}

export const customerHandlers: {
  'customer.search': CommandHandler<'customer.search'>;
  'customer.show': CommandHandler<'customer.show'>;
  'customer.create': CommandHandler<'customer.create'>;
  'customer.update': CommandHandler<'customer.update'>;
  'customer.duplicates': CommandHandler<'customer.duplicates'>;
} = {
  'customer.search': ({ query, limit, offset }, context) =>
    customersOf(context).search.search(query, { limit, offset }),
  'customer.show': (selector, context) => customersOf(context).show(selector),
  'customer.create': ({ customer }, context) =>
    customersOf(context).create(customer, actorOf(context.principal)),
  'customer.update': ({ id, baseVersion, changes }, context) => {
    const needsIdentity = identityFieldsIn(changes);
    if (needsIdentity.length > 0 && !principalPermissions(context.principal).has('edit_identity')) {
      throw new BranchDeskError('PERMISSION_DENIED', { permission: 'edit_identity' });
    }
    return customersOf(context).update(id, baseVersion, changes, actorOf(context.principal));
  },
  'customer.duplicates': ({ limit }, context) => ({
    groups: customersOf(context).duplicateGroups(limit),
  }),
};
