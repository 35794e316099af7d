// Complaints and suggestions (投诉与建议, docs/COUNTER.md): record one against a customer, move it
// through its steps, list the open ones (a supervisor: the branch's, overdue first), and read the
// categories and service levels in force on this device.
import { z } from 'zod';
import {
  ComplaintChannel,
  ComplaintKind,
  ComplaintStepStatus,
  CustomerResponse,
  complaintRulesSchema,
  complaintSchema,
  complaintStatuses,
} from '../counter/complaints';
import { customerListItemSchema } from '../customer/list-item';
import { helpTableSchema } from '../counter/help';
import { CustomerWriteOutput } from './customer';
import type { CommandSpec } from './contract';

const text = (max: number) => z.string().trim().min(1).max(max);

export const ComplaintRecordInput = z
  .object({
    id: z.uuid(),
    /** Made by the desk when the form opens: a retried save records it once. */
    complaintId: z.uuid(),
    kind: ComplaintKind,
    channel: ComplaintChannel,
    category: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/u),
    description: text(2000),
    request: text(500).optional(),
  })
  .strict();

export const ComplaintStepInput = z
  .object({
    id: z.uuid(),
    complaintId: z.uuid(),
    stepId: z.uuid(),
    status: ComplaintStepStatus,
    note: text(1000).optional(),
    resolution: text(2000).optional(),
    customerResponse: CustomerResponse.optional(),
  })
  .strict()
  .refine(
    (step) =>
      step.status !== 'resolved' ||
      (step.resolution !== undefined && step.customerResponse !== undefined),
    { message: 'a resolution says what was done and what the customer said', path: ['resolution'] },
  );

export const ComplaintListInput = z
  .object({
    /** `mine`: the caller's own; `branch`: every one the device holds (supervisors). */
    scope: z.enum(['mine', 'branch']).default('mine'),
    overdueOnly: z.boolean().default(false),
  })
  .strict();

export const ComplaintListItem = z.object({
  customer: customerListItemSchema,
  complaint: complaintSchema.omit({ description: true, request: true }),
  status: z.enum(complaintStatuses),
  overdue: z.enum(['acknowledge', 'resolve']).nullable(),
  due: z.string().nullable(),
});

export const ComplaintListOutput = z.object({
  today: z.string(),
  items: z.array(ComplaintListItem),
});

export const complaintContract = {
  'complaint.record': {
    input: ComplaintRecordInput,
    output: CustomerWriteOutput,
    permission: 'handle_complaints',
    summary:
      "Record a customer's complaint or suggestion: a reference to take away, an owner, and a complaint's due dates from HQ's service levels.",
  },
  'complaint.step': {
    input: ComplaintStepInput,
    output: CustomerWriteOutput,
    permission: 'handle_complaints',
    summary:
      'Move a complaint on (acknowledged, in progress, resolved with the customer’s response, escalated to HQ): its owner or a supervisor.',
  },
  'complaint.list': {
    input: ComplaintListInput,
    output: ComplaintListOutput,
    permission: 'handle_complaints',
    summary:
      'The open complaints and suggestions, overdue first: one’s own, or the branch’s (supervisors).',
  },
  'help.panels': {
    input: z.object({}).strict(),
    output: helpTableSchema,
    permission: 'sign_in',
    summary: 'The help panels (F1) in force on this device: HQ’s, else the defaults.',
  },
  'complaint.rules': {
    input: z.object({}).strict(),
    output: complaintRulesSchema,
    permission: 'handle_complaints',
    summary: 'The complaint categories and service levels in force on this device.',
  },
} as const satisfies Record<string, CommandSpec>;
