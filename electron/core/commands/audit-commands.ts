// The audit commands, each declared once (define.ts): verify the vault's chain, export entries, and ask HQ who
// looked at a customer (as the signed-in auditor, through their HQ session).
import { BranchDeskError } from '../../../shared/errors';
import { AuditLog } from '../audit/log';
import { deviceClient } from '../sync/engine';
import { perVault } from './per-vault';
import { sessionOf } from './session-commands';
import type { CommandDefinitions, CommandsOf } from './define';
import { auditDetails, clear } from './masking';

export const auditOf = perVault((vault) => new AuditLog(vault));

/** A day alone means the whole UTC day: from its first millisecond, to its last. */
const dayStart = (value: string) => (value.length === 10 ? `${value}T00:00:00.000Z` : value);
const dayEnd = (value: string) => (value.length === 10 ? `${value}T23:59:59.999Z` : value);

export const auditCommands: CommandDefinitions<CommandsOf<'audit'>> = {
  'audit.verify': {
    handler: (_input, context) => {
      const result = auditOf(context).verify();
      return result.ok
        ? { ok: true, checked: result.count, firstBad: null, head: result.head }
        : { ok: false, checked: result.count, firstBad: result.break, head: null };
    },
    audit: {
      kind: 'within',
      entry: (_input, output) => ({
        action: 'view',
        details: { of: 'audit_verification', ok: output.ok, checked: output.checked },
      }),
    },
    mask: clear('sequence numbers and hashes'),
    writes: false,
  },
  'audit.export': {
    handler: ({ from, to, customerId, actor, action, limit }, context) => ({
      entries: auditOf(context).entries({
        ...(from ? { from: new Date(dayStart(from)).toISOString() } : {}),
        ...(to ? { to: new Date(dayEnd(to)).toISOString() } : {}),
        ...(customerId ? { target: customerId } : {}),
        ...(actor ? { actor } : {}),
        ...(action ? { action } : {}),
        limit,
      }),
    }),
    audit: {
      kind: 'within',
      entry: ({ from, to, customerId: target, actor, action }, output) => ({
        action: 'export',
        target: target ?? null,
        details: {
          of: 'audit',
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          ...(actor ? { actor } : {}),
          ...(action ? { action } : {}),
          entries: output.entries.length,
        },
      }),
    },
    mask: (output, options) => ({
      entries: output.entries.map((entry) => auditDetails(entry, options)),
    }),
    writes: false,
  },
  'audit.customer_access': {
    handler: async ({ customerId }, context) => {
      const token = await sessionOf(context).hqAccessToken(context);
      if (!context.vault) throw new BranchDeskError('VAULT_NOT_OPEN');
      return deviceClient(context.vault, context.secrets).customerAccess(customerId, token);
    },
    audit: {
      kind: 'around',
      start: ({ customerId }) => ({
        action: 'export',
        target: customerId,
        details: { what: 'customer_access', stage: 'start' },
      }),
      end: ({ customerId }, { output, error }) => ({
        action: 'export',
        target: customerId,
        details: output
          ? { what: 'customer_access', entries: output.entries.length }
          : { what: 'customer_access', error },
      }),
    },
    mask: (output, options) => ({
      entries: output.entries.map((entry) => auditDetails(entry, options)),
    }),
    writes: false,
  },
};
