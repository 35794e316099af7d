// Handlers for the audit commands: verify the vault's chain, export entries, and ask HQ who
// looked at a customer (as the signed-in auditor, through their HQ session).
import { BranchDeskError } from '../../../shared/errors';
import { AuditLog } from '../audit/log';
import { deviceClient } from '../sync/engine';
import { perVault } from './per-vault';
import { sessionOf } from './session-commands';
import type { CommandHandler } from './table';

export const auditOf = perVault((vault) => new AuditLog(vault));

/** A day alone means the whole UTC day: from its first millisecond, to its last. */
const dayStart = (value: string) => (value.length === 10 ? `${value}T00:00:00.000Z` : value);
const dayEnd = (value: string) => (value.length === 10 ? `${value}T23:59:59.999Z` : value);

export const auditHandlers: {
  'audit.verify': CommandHandler<'audit.verify'>;
  'audit.export': CommandHandler<'audit.export'>;
  'audit.customer_access': CommandHandler<'audit.customer_access'>;
} = {
  'audit.verify': (_input, context) => {
    const result = auditOf(context).verify();
    return result.ok
      ? { ok: true, checked: result.count, firstBad: null, head: result.head }
      : { ok: false, checked: result.count, firstBad: result.break, head: null };
  },
  'audit.export': ({ from, to, customerId, actor, action, limit }, context) => ({
    entries: auditOf(context).entries({
      ...(from ? { from: new Date(dayStart(from)).toISOString() } : {}),
      ...(to ? { to: new Date(dayEnd(to)).toISOString() } : {}),
      ...(customerId ? { target: customerId } : {}),
      ...(actor ? { actor } : {}),
      ...(action ? { action } : {}),
      limit,
    }),
  }),
  'audit.customer_access': async ({ customerId }, context) => {
    const token = await sessionOf(context).hqAccessToken(context);
    if (!context.vault) throw new BranchDeskError('VAULT_NOT_OPEN');
    return deviceClient(context.vault, context.secrets).customerAccess(customerId, token);
  },
};
