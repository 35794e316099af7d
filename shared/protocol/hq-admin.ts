// The HQ admin commands (`npm run hq -- <command>`) and their options, as typed at a shell.
import { z } from 'zod';
import { restrictionReasons } from '../customer/records';
import { Role } from '../access/permissions';
import { HqRole } from '../auth/hq-staff';
import { Username } from '../auth/staff';
import { AML_RETENTION_YEARS, CaseReference, erasureChannels, NoticeVersion } from './privacy';

const count = (max: number) => z.coerce.number().int().min(1).max(max);

/** A TCP port to listen on (0: any free one). */
export const PortNumber = z.coerce.number().int().min(0).max(65_535);

/** A PostgreSQL connection address (`postgres://` or `postgresql://`). */
export const PostgresUrl = z
  .string()
  .url()
  .refine((url) => /^postgres(ql)?:\/\//.test(url), 'a postgres:// address');

export const HqAdminCommand = z.discriminatedUnion('command', [
  z.object({
    command: z.literal('serve'),
    port: PortNumber.optional(),
    host: z.string().min(1).max(255).optional(),
    metricsPort: PortNumber.optional(),
  }),
  z.object({ command: z.literal('migrate') }),
  /** After restoring HQ's database from a backup (docs/OPERATIONS.md): a new epoch. */
  z.object({ command: z.literal('rotate-epoch') }),
  z.object({
    command: z.literal('seed'),
    customers: count(10_000_000).default(50_000),
    branches: count(999).default(3),
    /** A training HQ (培训模式): made so before any device enrolls; never production again. */
    training: z.boolean().default(false),
    seed: z.coerce
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    /** Data quality problems planted in this share of customers (shared/quality/plant.ts). */
    plantProblems: z.coerce.number().min(0).max(1).optional(),
  }),
  z.object({
    command: z.literal('enroll-code'),
    branch: z.string().min(1).max(64),
    ttlHours: z.coerce
      .number()
      .min(0)
      .max(24 * 30)
      .default(24),
  }),
  z.object({ command: z.literal('revoke-device'), device: z.uuid() }),
  z.object({
    command: z.literal('user add'),
    username: Username,
    name: z.string().trim().min(1).max(100),
    /** Comma-separated: `teller` or `supervisor,teller`. */
    roles: z
      .string()
      .transform((list) => [...new Set(list.split(',').map((role) => role.trim()))])
      .pipe(z.array(Role).min(1)),
    /** The branch whose devices the user signs in on; absent for HQ-wide staff. */
    branch: z.string().min(1).max(64).optional(),
    /** A relationship manager's book (an RM id of the branch): their desk opens on it. */
    rm: z.string().min(1).max(64).optional(),
  }),
  z.object({ command: z.literal('user reset-password'), username: Username }),
  z.object({ command: z.literal('user disable'), username: Username }),
  z.object({ command: z.literal('user totp'), username: Username }),
  z.object({ command: z.literal('audit who'), customer: z.uuid() }),
  z.object({ command: z.literal('audit flagged') }),
  z
    .object({
      command: z.literal('audit verify'),
      device: z.uuid().optional(),
      /** HQ's own audit of admin actions, instead of a device's copy. */
      hq: z.literal(true).optional(),
    })
    .refine((options) => (options.device === undefined) !== (options.hq === undefined), {
      message: 'either --device ID or --hq',
    }),
  z.object({
    command: z.literal('audit overdue'),
    /** Devices whose audit last reached HQ longer ago than this. */
    hours: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(24),
  }),
  z.object({
    command: z.literal('hq-user add'),
    username: Username,
    name: z.string().trim().min(1).max(100),
    /** Comma-separated: `hq_admin` or `hq_auditor,privacy_officer`. */
    roles: z
      .string()
      .transform((list) => [...new Set(list.split(',').map((role) => role.trim()))])
      .pipe(z.array(HqRole).min(1)),
  }),
  z.object({ command: z.literal('hq-user reset-password'), username: Username }),
  z.object({ command: z.literal('hq-user disable'), username: Username }),
  /** An anonymised dataset of a branch's individual customers for analysts (docs/PRIVACY.md). */
  z.object({
    command: z.literal('privacy extract'),
    branch: z.string().min(1).max(64),
    /** Where the CSV goes: a new file (an existing one is never overwritten). */
    out: z.string().min(1).max(4096),
    /** Each combination of quasi-identifiers occurs at least k times in the file. */
    k: z.coerce.number().int().min(2).max(1000).default(5),
    /** Percent of rows that may be suppressed before a coarser generalisation is tried. */
    maxSuppressed: z.coerce.number().min(0).max(100).default(5),
  }),
  /** The customer's own copy of their personal information (PIPL Art. 45): JSON and HTML. */
  z.object({
    command: z.literal('privacy copy'),
    customer: z.uuid(),
    /** The JSON file; the printable report is written beside it with `.html` for `.json`. */
    out: z
      .string()
      .min(1)
      .max(4096)
      .refine((path) => path.endsWith('.json'), { message: 'the file name ends in .json' }),
  }),
  /**
   * Restricts a customer's data (PIPL Art. 47): kept, but masked for every role, not revealed,
   * not changed, out of marketing and analysis. `until`: when the hold is expected to end.
   */
  z.object({
    command: z.literal('privacy restrict'),
    customer: z.uuid(),
    reason: z.enum(restrictionReasons),
    until: z.iso.date().optional(),
  }),
  z.object({ command: z.literal('privacy lift-restriction'), customer: z.uuid() }),
  /** Publishes a privacy notice to every device: its text in zh-CN and English from files. */
  z.object({
    command: z.literal('privacy notice publish'),
    version: NoticeVersion,
    effectiveFrom: z.iso.date(),
    /** UTF-8 text files: the first line is the title, the rest the body. */
    zh: z.string().min(1).max(4096),
    en: z.string().min(1).max(4096),
  }),
  z.object({ command: z.literal('privacy notice list') }),
  /**
   * A customer's request for erasure (PIPL Art. 47): erased at once when nothing holds the data,
   * else restricted and left for the retention job. `reference`: the request form's number.
   */
  z.object({
    command: z.literal('privacy erasure-request'),
    customer: z.uuid(),
    channel: z.enum(erasureChannels),
    reference: CaseReference,
  }),
  /** The erasure requests, newest first. */
  z.object({
    command: z.literal('privacy erasures'),
    status: z.enum(['held', 'erased']).optional(),
  }),
  /** A legal or investigation hold: nothing erases the customer until it is released. */
  z.object({ command: z.literal('privacy hold'), customer: z.uuid(), reference: CaseReference }),
  z.object({ command: z.literal('privacy release-hold'), hold: z.uuid() }),
  /**
   * The retention job: erases the customers whose requests nothing holds any more and those whose
   * AML retention period ended. `today` and `years` default to HQ's calendar day and
   * HQ_AML_RETENTION_YEARS (10); `dryRun` counts without erasing.
   */
  z.object({
    command: z.literal('privacy retention'),
    today: z.iso.date().optional(),
    years: z.coerce.number().int().min(AML_RETENTION_YEARS).max(100).optional(),
    dryRun: z.boolean().default(false),
  }),
  /** Publishes an AML risk-rating rule table (JSON, shared/insight/risk.ts) to every device. */
  z.object({ command: z.literal('risk publish'), file: z.string().min(1).max(4096) }),
  /** The rule tables published, in order. */
  z.object({ command: z.literal('risk tables') }),
  /**
   * HQ re-rates every customer (of one branch) with the table in force: a level that differs is
   * written with its next review date. `dryRun` counts without writing.
   */
  z.object({
    command: z.literal('risk rerate'),
    branch: z.string().min(1).max(64).optional(),
    today: z.iso.date().optional(),
    dryRun: z.boolean().default(false),
  }),
  /**
   * Publishes the notices for customers (JSON, shared/counter/notices.ts) that the counters'
   * customer screens show while idle, to every device.
   */
  z.object({ command: z.literal('counter publish-notices'), file: z.string().min(1).max(4096) }),
  /** Publishes the desk's help panels (F1, shared/counter/help.ts) to every device. */
  z.object({ command: z.literal('help publish'), file: z.string().min(1).max(4096) }),
  /** Publishes the complaint categories and service levels (shared/counter/complaints.ts). */
  z.object({ command: z.literal('complaints publish-rules'), file: z.string().min(1).max(4096) }),
  /** Complaints and suggestions per branch by category and age (on `today`, the bank's day). */
  z.object({
    command: z.literal('complaints report'),
    branch: z.string().min(1).max(64).optional(),
    today: z.iso.date().optional(),
  }),
  /** Publishes a segment rule table (JSON, shared/insight/segment.ts) to every device. */
  z.object({ command: z.literal('segment publish'), file: z.string().min(1).max(4096) }),
  /**
   * HQ writes the wealth segment the table in force gives into every record (of one branch) whose
   * segment differs. `dryRun` counts without writing.
   */
  z.object({
    command: z.literal('segment apply'),
    branch: z.string().min(1).max(64).optional(),
    dryRun: z.boolean().default(false),
  }),
  /** Publishes a campaign (JSON, shared/insight/campaign.ts) to every branch. */
  z.object({ command: z.literal('campaign publish'), file: z.string().min(1).max(4096) }),
  /** A campaign's contacts by outcome, per branch. */
  z.object({ command: z.literal('campaign results'), campaign: z.string().min(1).max(64) }),
  /** Data quality by the shared rules, per branch (shared/quality/rules.ts). */
  z.object({ command: z.literal('quality report'), branch: z.string().min(1).max(64).optional() }),
  /** Cleansing tasks for every customer with a problem (hq/quality.ts makeCleansingTasks). */
  z.object({
    command: z.literal('quality tasks'),
    problem: z.string().regex(/^[a-z][a-z_]{0,39}$/),
    branch: z.string().min(1).max(64).optional(),
    assignee: z.enum(['rm', 'counter']).default('counter'),
    due: z.iso.date(),
    title: z.string().trim().min(2).max(200),
  }),
  /** Probable duplicates across the whole bank (hq/duplicates.ts), for a branch or all. */
  z.object({ command: z.literal('duplicates'), branch: z.string().min(1).max(64).optional() }),
  /** Merges of duplicates (hq/merges.ts): waiting, decided, undone. */
  z.object({
    command: z.literal('merge list'),
    status: z.enum(['proposed', 'rejected', 'merged', 'unmerged']).optional(),
  }),
  z.object({
    command: z.literal('reassign'),
    customer: z.uuid(),
    branch: z.string().min(1).max(64),
    rm: z.string().min(1).max(64).optional(),
  }),
]);
export type HqAdminCommand = z.infer<typeof HqAdminCommand>;
