// The audit commands' schemas: verify the vault's chain, and read entries out of it.
import { z } from 'zod';
import { AuditAction, AuditEntry, auditActions } from '../audit/entry';
import { locales } from '../i18n/errors';

export const AuditVerifyInput = z.object({}).strict();

const ChainBreak = z.object({
  seq: z.number().int().positive(),
  problem: z.enum(['missing', 'out_of_order', 'prev_hash_mismatch', 'hash_mismatch', 'truncated']),
});

export const AuditVerifyOutput = z.object({
  ok: z.boolean(),
  /** Entries checked before the first break (all of them when ok). */
  checked: z.number().int().nonnegative(),
  /** The first entry that does not belong to the chain; null when the chain is whole. */
  firstBad: ChainBreak.nullable(),
  head: z.object({ seq: z.number().int().nonnegative(), hash: z.string() }).nullable(),
});

const isoDay = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const AuditExportInput = z
  .object({
    /** From this day or time (inclusive); a day is its whole UTC day. */
    from: isoDay.optional(),
    to: isoDay.optional(),
    customerId: z.uuid().optional(),
    actor: z.string().max(64).optional(),
    action: AuditAction.optional(),
    limit: z.number().int().min(1).max(1_000_000).default(100_000),
  })
  .strict();

export const AuditExportOutput = z.object({ entries: z.array(AuditEntry) });

/** What an auditor filters the log by; every part optional, all parts together. */
const AuditFilterFields = {
  /** From this day or time (inclusive); a day alone is its whole UTC day. */
  from: isoDay.optional(),
  to: isoDay.optional(),
  /** A customer number or an ID number, as typed: the core finds the customer it names. */
  customer: z.string().trim().min(1).max(64).optional(),
  /** A member of staff, as the log names them (`user:teller1`, from `staff` in the output). */
  actor: z.string().min(1).max(64).optional(),
  actions: z.array(AuditAction).max(auditActions.length).optional(),
};

const dayOf = (value: string) => value.slice(0, 10);
/** The range runs forwards (a day or a time; compared by day, as the filter means days). */
const inOrder = (filter: { from?: string | undefined; to?: string | undefined }) =>
  !filter.from || !filter.to || dayOf(filter.from) <= dayOf(filter.to);
const backwards = { message: 'from is after to', path: ['to'] };

export const AuditFilter = z.object(AuditFilterFields).strict().refine(inOrder, backwards);
export type AuditFilter = z.input<typeof AuditFilter>;

export const AuditQueryInput = z
  .object({
    ...AuditFilterFields,
    /** Newest first; at most this many. */
    limit: z.number().int().min(1).max(5_000).default(500),
  })
  .strict();

const DetailScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const DetailValue = z.union([DetailScalar, z.array(DetailScalar)]);

/** One entry as a person reads it, resolved in the core and masked for the reader. */
export const AuditLogRow = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  action: AuditAction,
  /** How the log names who acted: `user:…`, `os:…`, `unknown` (a failed sign-in), `anonymous`. */
  actor: z.string(),
  /** The member of staff's display name (or username); null when the actor is none. */
  staff: z.string().nullable(),
  /** The customer acted on; number and name null when the customer is not on this device. */
  customer: z
    .object({ id: z.string(), number: z.string().nullable(), name: z.string().nullable() })
    .nullable(),
  /** A coded reason (a reveal's, a sign-in's, a lock's), or free text as the reader may see it. */
  reason: z.string().nullable(),
  details: z.array(z.object({ key: z.string(), value: DetailValue })),
});
export type AuditLogRow = z.infer<typeof AuditLogRow>;

export const AuditStaffOption = z.object({ actor: z.string(), name: z.string() });

export const AuditQueryOutput = z.object({
  rows: z.array(AuditLogRow),
  /** Entries matching the filter (rows holds the newest `limit` of them). */
  total: z.number().int().nonnegative(),
  /** Staff the log or this device knows, for the filter: display names, by actor. */
  staff: z.array(AuditStaffOption),
});

export const AuditCsvInput = z.object({ ...AuditFilterFields, locale: z.enum(locales) }).strict();

export const AuditCsvOutput = z.object({
  /** UTF-8 text starting with a byte-order mark, so Excel reads Chinese right. */
  csv: z.string(),
  rows: z.number().int().nonnegative(),
  /** The customer the filter named, for the export's own audit entry (never shown). */
  customerId: z.string().nullable(),
});

export const AuditPrintInput = z.object({ ...AuditFilterFields }).strict();
export const AuditPrintOutput = z.object({
  rows: z.number().int().nonnegative(),
  customerId: z.string().nullable(),
});
