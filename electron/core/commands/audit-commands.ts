// Handlers for the audit commands: verify the vault's chain, export entries.
import { AuditLog } from '../audit/log';
import { perVault } from './per-vault';
import type { CommandHandler } from './table';

export const auditOf = perVault((vault) => new AuditLog(vault));

/** A day alone means the whole UTC day: from its first millisecond, to its last. */
const dayStart = (value: string) => (value.length === 10 ? `${value}T00:00:00.000Z` : value);
const dayEnd = (value: string) => (value.length === 10 ? `${value}T23:59:59.999Z` : value);

export const auditHandlers: {
  'audit.verify': CommandHandler<'audit.verify'>;
  'audit.export': CommandHandler<'audit.export'>;
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
};
