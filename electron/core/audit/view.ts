// The audit log as an auditor reads it: each entry with its customer (number and name, from the
// vault), its member of staff (display name, from the staff cache), and its details as a list
// of keys and values. A filter names a customer the way people know them (customer number or ID
// number), never by the internal id. Masking is the command's (audit-commands.ts): this reads
// everything whole, as the audit plan does.
import { MASKED } from '../../../shared/access/masking';
import type { AuditAction, AuditEntry } from '../../../shared/audit/entry';
import type { AuditLogRow } from '../../../shared/commands/audit';
import { normalizeCustomerNumber } from '../../../shared/customer/customer-number';
import { BranchDeskError } from '../../../shared/errors';
import { compactIdentifier } from '../../../shared/validation/normalize';
import { CustomerStore } from '../customers';
import { reverse, term, termTags } from '../customers/terms';
import type { Vault } from '../vault';
import { actorId } from './actor';
import { AuditLog, type AuditQuery } from './log';

export interface AuditViewFilter {
  from?: string;
  to?: string;
  customer?: string;
  actor?: string;
  actions?: readonly AuditAction[];
}

/** A day alone means the whole UTC day: from its first millisecond, to its last. */
const dayStart = (value: string) => (value.length === 10 ? `${value}T00:00:00.000Z` : value);
const dayEnd = (value: string) => (value.length === 10 ? `${value}T23:59:59.999Z` : value);

/** Detail keys whose values name a member of staff: shown as the staff member's name. */
const staffKeys = new Set(['maker', 'actor']);

export class AuditView {
  readonly log: AuditLog;
  private readonly customers: CustomerStore;

  constructor(private readonly vault: Vault) {
    this.log = new AuditLog(vault);
    this.customers = new CustomerStore(vault.db);
  }

  /**
   * The log's query for a filter. A customer is looked up by customer number, then by ID
   * number; one this device does not hold cannot be told apart from a typing error, so it is
   * refused in words rather than matching nothing.
   */
  query(filter: AuditViewFilter): AuditQuery & { customerId?: string } {
    const from = filter.from ? new Date(dayStart(filter.from)).toISOString() : undefined;
    const to = filter.to ? new Date(dayEnd(filter.to)).toISOString() : undefined;
    if (from && to && from > to) throw new BranchDeskError('AUDIT_RANGE_BACKWARDS');
    const targets = filter.customer === undefined ? undefined : this.customerIds(filter.customer);
    return {
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(targets ? { targets } : {}),
      ...(targets?.length === 1 ? { customerId: targets[0] } : {}),
      ...(filter.actor ? { actor: filter.actor } : {}),
      ...(filter.actions?.length ? { actions: filter.actions } : {}),
    };
  }

  private customerIds(typed: string): string[] {
    const byNumber = this.customers.getByNumber(normalizeCustomerNumber(typed));
    if (byNumber) return [byNumber.customer.id];
    const number = compactIdentifier(typed).toUpperCase();
    const ids = this.customers
      .keysWithTerm(term(termTags.documentReversed, reverse(number)), 10)
      .map((key) => this.customers.getByKey(key)?.customer)
      .filter((customer) => customer?.identityDocuments.some((doc) => doc.number === number))
      .map((customer) => customer!.id);
    if (ids.length === 0) throw new BranchDeskError('AUDIT_CUSTOMER_UNKNOWN');
    return ids;
  }

  /** The newest `limit` entries matching `filter`, resolved, and how many match in all. */
  rows(filter: AuditViewFilter, limit: number): { rows: AuditLogRow[]; total: number } {
    const query = this.query(filter);
    const entries = this.log.entries({ ...query, newestFirst: true, limit });
    return { rows: this.resolve(entries), total: this.log.count(query) };
  }

  /** Staff the log names or the device remembers, by display name, for the staff filter. */
  staff(): { actor: string; name: string }[] {
    const names = this.staffNames();
    const actors = new Set([...this.log.actors(), ...names.keys()]);
    return [...actors]
      .filter((actor) => actor.startsWith('user:'))
      .map((actor) => ({ actor, name: names.get(actor) ?? usernameOf(actor) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }

  resolve(entries: readonly AuditEntry[]): AuditLogRow[] {
    const names = this.staffNames();
    const staffName = (actor: string) =>
      actor.startsWith('user:') ? (names.get(actor) ?? usernameOf(actor)) : null;
    const customers = new Map<string, AuditLogRow['customer']>();
    const customerOf = (id: string | null): AuditLogRow['customer'] => {
      if (id === null) return null;
      let found = customers.get(id);
      if (found === undefined) {
        const stored = this.customers.get(id)?.customer;
        found = {
          id,
          number: stored?.customerNumber ?? null,
          name: stored?.legalName ?? null,
        };
        customers.set(id, found);
      }
      return found;
    };
    return entries.map((entry) => {
      const details = parsed(entry.details);
      const reason = details.reason;
      return {
        seq: entry.seq,
        at: entry.at,
        action: entry.action,
        actor: entry.actor,
        staff: staffName(entry.actor),
        customer: customerOf(entry.target),
        reason: typeof reason === 'string' ? reason : null,
        details: Object.entries(details)
          .filter(([key]) => key !== 'reason')
          .map(([key, value]) => ({
            key,
            value:
              staffKeys.has(key) && typeof value === 'string'
                ? (staffName(value) ?? value)
                : detailValue(value),
          })),
      };
    });
  }

  private staffNames(): Map<string, string> {
    const rows = this.vault.db
      .prepare('SELECT username, display_name FROM staff_credential')
      .all() as { username: string; display_name: string }[];
    return new Map(
      rows.map((row) => [actorId({ kind: 'user', username: row.username }), row.display_name]),
    );
  }
}

function parsed(details: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(details);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

type Scalar = string | number | boolean | null;
const isScalar = (value: unknown): value is Scalar =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** A value as the row carries it: scalars and lists of scalars; anything deeper is not shown. */
function detailValue(value: unknown): Scalar | Scalar[] {
  if (isScalar(value)) return value;
  if (Array.isArray(value) && value.every(isScalar)) return value;
  return MASKED;
}

/** The username in `user:<name>` (`@xx` bytes decoded); the reference itself if it is cut short. */
export function usernameOf(actor: string): string {
  const encoded = actor.slice('user:'.length);
  if (encoded.includes(':')) return encoded.slice(0, encoded.indexOf(':'));
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '@' && /^[0-9a-f]{2}$/.test(encoded.slice(i + 1, i + 3))) {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(encoded.charCodeAt(i));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
