// The audit commands, each declared once (define.ts): verify the vault's chain, export entries, and ask HQ who
// looked at a customer (as the signed-in auditor, through their HQ session).
import { maskName } from '../../../shared/access/masking';
import type { Principal } from '../../../shared/access/permissions';
import { auditCsv } from '../../../shared/audit/readable';
import type { AuditLogRow } from '../../../shared/commands/audit';
import { BranchDeskError } from '../../../shared/errors';
import { AuditLog } from '../audit/log';
import { AuditView, type AuditViewFilter } from '../audit/view';
import { deviceClient } from '../sync/engine';
import { perVault } from './per-vault';
import { sessionOf } from './session-commands';
import type { CommandDefinitions, CommandsOf } from './define';
import { auditDetails, clear, maskOptionsOf, type MaskOptions } from './masking';

export const auditOf = perVault((vault) => new AuditLog(vault));
const viewOf = perVault((vault) => new AuditView(vault));

/** Every row of a CSV export; more than this is a request to narrow the filter. */
const CSV_ROWS = 100_000;

/**
 * One row as `options` lets its reader see it: the customer's name by the name rule, the reason
 * and details by the audit log's own rule (auditDetails: coded values clear, a search query by
 * what it looks up, free text and unlisted keys masked).
 */
function maskedRow(row: AuditLogRow, options: MaskOptions): AuditLogRow {
  const whole = Object.fromEntries(row.details.map((detail) => [detail.key, detail.value]));
  if (row.reason !== null) whole.reason = row.reason;
  const shown = JSON.parse(
    auditDetails({ action: row.action, details: JSON.stringify(whole) }, options).details,
  ) as Record<string, AuditLogRow['details'][number]['value']>;
  const { reason, ...details } = shown;
  const name = row.customer?.name ?? null;
  return {
    ...row,
    customer: row.customer && {
      ...row.customer,
      name: name !== null && options.names ? maskName(name) : name,
    },
    reason: row.reason === null ? null : String(reason),
    details: Object.entries(details).map(([key, value]) => ({ key, value })),
  };
}

/**
 * How the dispatcher would mask for `principal` (maskOutput), for output that leaves as text
 * and so must be masked before it is written: whole only for IT at the device's own console.
 */
function maskFor(principal: Principal): ((row: AuditLogRow) => AuditLogRow) | undefined {
  if (principal.kind === 'local_operator') return undefined;
  const options = maskOptionsOf(principal);
  return (row) => maskedRow(row, options);
}

/** What an export or a print records of its filter: never the customer as typed (an ID number). */
const filterDetails = (filter: AuditViewFilter) => ({
  of: 'audit',
  ...(filter.from ? { from: filter.from } : {}),
  ...(filter.to ? { to: filter.to } : {}),
  ...(filter.actor ? { actor: filter.actor } : {}),
  ...(filter.actions?.length ? { actions: [...filter.actions] } : {}),
});

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
  'audit.query': {
    handler: ({ limit, ...filter }, context) => {
      const view = viewOf(context);
      return { ...view.rows(filter, limit), staff: view.staff() };
    },
    audit: {
      kind: 'within',
      entry: (_input, output) => ({
        action: 'view',
        details: { of: 'audit', entries: output.rows.length },
      }),
    },
    mask: (output, options) => ({
      ...output,
      rows: output.rows.map((row) => maskedRow(row, options)),
    }),
    writes: false,
  },
  'audit.csv': {
    handler: ({ locale, ...filter }, context) => {
      const view = viewOf(context);
      const query = view.query(filter);
      const entries = view.log.entries({ ...query, newestFirst: true, limit: CSV_ROWS });
      const mask = maskFor(context.principal);
      const rows = view.resolve(entries).map((row) => (mask ? mask(row) : row));
      return {
        csv: auditCsv(rows, locale),
        rows: rows.length,
        customerId: query.customerId ?? null,
      };
    },
    audit: {
      kind: 'within',
      entry: (filter, output) => ({
        action: 'export',
        target: output.customerId,
        details: { ...filterDetails(filter), format: 'csv', entries: output.rows },
      }),
    },
    mask: clear('the CSV is made from rows the handler masked for its reader; the id is not shown'),
    writes: false,
  },
  'audit.print': {
    handler: (filter, context) => {
      const view = viewOf(context);
      const query = view.query(filter);
      return { rows: view.log.count(query), customerId: query.customerId ?? null };
    },
    audit: {
      kind: 'within',
      entry: (filter, output) => ({
        action: 'print',
        target: output.customerId,
        details: { ...filterDetails(filter), entries: output.rows },
      }),
    },
    mask: clear('a count, and the id of the customer the filter named'),
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
