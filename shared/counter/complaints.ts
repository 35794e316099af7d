// Complaints and suggestions (投诉与建议, docs/COUNTER.md): recorded against a customer at the
// branch, each with a reference the customer takes away, an owner, and for a complaint the due
// dates HQ's service levels give (acknowledge within 1 working day, resolve within 15 days by
// default). Its status moves received → acknowledged → in progress → resolved (with the
// resolution and the customer's response), or escalated to HQ. Both the complaint and each step
// are append-only entries of the customer's record (`complaints`, `complaintSteps`): synced like
// visits, worked on offline by the owner, merged by union.
import { z } from 'zod';
import { freeTextSchema, isoDate, isoDateTime, referenceIdSchema } from '../customer/fields';
import { addDays, parseIsoDate, formatIsoDate } from '../validation/dates';

export const complaintKinds = ['complaint', 'suggestion'] as const;
export const ComplaintKind = z.enum(complaintKinds);
export type ComplaintKind = z.infer<typeof ComplaintKind>;

/** How it reached the bank. */
export const complaintChannels = [
  'counter',
  'phone',
  'letter',
  'email',
  'online_banking',
  'mobile_app',
] as const;
export const ComplaintChannel = z.enum(complaintChannels);

export const complaintStatuses = [
  'received',
  'acknowledged',
  'in_progress',
  'resolved',
  'escalated',
] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];
/** The statuses a step sets (received is the complaint's own). */
export const ComplaintStepStatus = z.enum(['acknowledged', 'in_progress', 'resolved', 'escalated']);
export type ComplaintStepStatus = z.infer<typeof ComplaintStepStatus>;

/** What the customer said of the resolution. */
export const customerResponses = ['accepted', 'not_accepted', 'no_response'] as const;
export const CustomerResponse = z.enum(customerResponses);

/** Where each status may go next. Resolved and escalated (to HQ) end the branch's part. */
const next: Record<ComplaintStatus, readonly ComplaintStepStatus[]> = {
  received: ['acknowledged', 'escalated'],
  acknowledged: ['in_progress', 'resolved', 'escalated'],
  in_progress: ['resolved', 'escalated'],
  resolved: [],
  escalated: [],
};

export function nextStatuses(status: ComplaintStatus): readonly ComplaintStepStatus[] {
  return next[status];
}

const categoryCode = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/u);
const bilingual = (max: number) =>
  z.object({ 'zh-CN': z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) });

/** HQ's list of categories and its service levels, published as rule-table kind `complaint_rules`. */
export const complaintRulesSchema = z
  .object({
    version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/u),
    categories: z
      .array(z.object({ code: categoryCode, name: bilingual(40) }).strict())
      .min(1)
      .max(50)
      .refine((list) => new Set(list.map((category) => category.code)).size === list.length, {
        message: 'each category has its own code',
      }),
    /** Working days (Monday to Friday, not a holiday) to acknowledge a complaint. */
    acknowledgeWorkingDays: z.number().int().min(1).max(10),
    /** Calendar days to resolve it. */
    resolveDays: z.number().int().min(1).max(90),
    /** Public holidays (no working day), YYYY-MM-DD. */
    holidays: z.array(isoDate).max(100).default([]),
  })
  .strict();
export type ComplaintRules = z.infer<typeof complaintRulesSchema>;

const names = (zh: string, en: string) => ({ 'zh-CN': zh, en });

export const defaultComplaintRules: ComplaintRules = {
  version: 'default',
  categories: [
    { code: 'service_attitude', name: names('服务态度', 'Staff attitude') },
    { code: 'waiting_time', name: names('排队等候', 'Waiting time') },
    { code: 'fees', name: names('收费', 'Fees and charges') },
    { code: 'product_sales', name: names('产品销售', 'Product sales') },
    { code: 'account_services', name: names('账户业务', 'Account services') },
    { code: 'cards', name: names('银行卡', 'Cards') },
    { code: 'digital_channels', name: names('电子渠道', 'Online and mobile banking') },
    { code: 'personal_information', name: names('个人信息保护', 'Personal information') },
    { code: 'other', name: names('其他', 'Other') },
  ],
  acknowledgeWorkingDays: 1,
  resolveDays: 15,
  holidays: [],
};

/** A complaint or suggestion as the customer's record holds it. */
export const complaintSchema = z.object({
  id: z.uuid(),
  /** What the customer takes away: TS (投诉) or JY (建议), the day, and six of the id's digits. */
  reference: z.string().regex(/^(TS|JY)\d{8}[0-9A-F]{6}$/u),
  kind: ComplaintKind,
  channel: ComplaintChannel,
  category: categoryCode,
  description: freeTextSchema,
  /** What the customer asks for. */
  request: freeTextSchema.optional(),
  receivedAt: isoDateTime,
  receivedBy: referenceIdSchema,
  /** Who works on it: the one who recorded it. */
  owner: referenceIdSchema,
  /** A complaint's service levels, from the table in force when it was recorded. */
  acknowledgeBy: isoDate.optional(),
  resolveBy: isoDate.optional(),
});
export type Complaint = z.infer<typeof complaintSchema>;

/** One step of a complaint's handling: who moved it where, when, and why. */
export const complaintStepSchema = z.object({
  id: z.uuid(),
  complaintId: z.uuid(),
  status: ComplaintStepStatus,
  at: isoDateTime,
  by: referenceIdSchema,
  note: freeTextSchema.optional(),
  /** For `resolved`: what was done, and what the customer said of it. */
  resolution: freeTextSchema.optional(),
  customerResponse: CustomerResponse.optional(),
});
export type ComplaintStep = z.infer<typeof complaintStepSchema>;

/** The reference a customer takes away (TS20261205A1B2C3): unique without asking HQ. */
export function complaintReference(kind: ComplaintKind, day: string, id: string): string {
  return `${kind === 'complaint' ? 'TS' : 'JY'}${day.replaceAll('-', '')}${id
    .replaceAll('-', '')
    .slice(0, 6)
    .toUpperCase()}`;
}

/** `day` plus `count` working days: Monday to Friday, not one of `holidays`. */
export function addWorkingDays(day: string, count: number, holidays: readonly string[]): string {
  const off = new Set(holidays);
  let date = parseIsoDate(day)!;
  let left = count;
  while (left > 0) {
    date = addDays(date, 1);
    const iso = formatIsoDate(date);
    const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !off.has(iso)) left--;
  }
  return formatIsoDate(date);
}

/** A complaint's due dates, received on `day` (the bank's), by the table in force. */
export function dueDates(
  day: string,
  rules: ComplaintRules,
): { acknowledgeBy: string; resolveBy: string } {
  return {
    acknowledgeBy: addWorkingDays(day, rules.acknowledgeWorkingDays, rules.holidays),
    resolveBy: formatIsoDate(addDays(parseIsoDate(day)!, rules.resolveDays)),
  };
}

export interface ComplaintState {
  complaint: Complaint;
  status: ComplaintStatus;
  steps: ComplaintStep[];
  /** Past a due date on `today` and not yet past that stage: which one. */
  overdue: 'acknowledge' | 'resolve' | null;
  /** The next due date still ahead of it (null once resolved or escalated). */
  due: string | null;
}

/** Where each complaint stands on `today`: its steps in order, its status, what is overdue. */
export function complaintStates(
  complaints: readonly Complaint[],
  steps: readonly ComplaintStep[],
  today: string,
): ComplaintState[] {
  return complaints.map((complaint) => {
    const own = steps
      .filter((step) => step.complaintId === complaint.id)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || rank(a.status) - rank(b.status));
    const status: ComplaintStatus = own.reduce<ComplaintStatus>(
      (current, step) => (rank(step.status) > rank(current) ? step.status : current),
      'received',
    );
    const open = status !== 'resolved' && status !== 'escalated';
    const due = !open
      ? null
      : status === 'received'
        ? (complaint.acknowledgeBy ?? null)
        : (complaint.resolveBy ?? null);
    const overdue =
      !open || complaint.kind !== 'complaint'
        ? null
        : status === 'received' && complaint.acknowledgeBy && today > complaint.acknowledgeBy
          ? 'acknowledge'
          : complaint.resolveBy && today > complaint.resolveBy
            ? 'resolve'
            : null;
    return { complaint, status, steps: own, overdue, due };
  });
}

/** Later statuses win: two devices' steps merged by union still tell where it stands. */
function rank(status: ComplaintStatus): number {
  return complaintStatuses.indexOf(status);
}

/** The earliest due date among the open complaints of a record (the book's column), or null. */
export function earliestComplaintDue(
  complaints: readonly Complaint[] | undefined,
  steps: readonly ComplaintStep[] | undefined,
): string | null {
  if (!complaints?.length) return null;
  let soonest: string | null = null;
  for (const state of complaintStates(complaints, steps ?? [], '0000-00-00')) {
    if (state.status === 'resolved' || state.status === 'escalated') continue;
    // An open suggestion has no due date; it still counts as open (far in the future).
    const due = state.due ?? '9999-12-31';
    if (soonest === null || due < soonest) soonest = due;
  }
  return soonest;
}
