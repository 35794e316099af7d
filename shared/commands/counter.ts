// The teller's side of the counter's customer screen (客户确认屏, docs/COUNTER.md): put a change
// before the customer to confirm, open the self-service form, approve what the customer typed,
// ask them to rate the visit, and watch where the request is. The customer's answers come from
// the screen's own connection (shared/counter/display.ts), never through these commands.
import { z } from 'zod';
import {
  CounterChange,
  CounterRequestId,
  CounterRequestState,
  SelfServiceField,
} from '../counter/display';
import type { CommandSpec } from './contract';

const requestOnly = z.object({ requestId: CounterRequestId }).strict();

/** Where the counter's request is, as the teller's desk sees it: never what the customer typed. */
export const CounterStatus = z.object({
  /** A customer screen is connected to this PC's core. */
  display: z.boolean(),
  request: z
    .object({
      requestId: CounterRequestId,
      customerId: z.uuid(),
      kind: z.enum(['confirm', 'self_service', 'rate']),
      state: CounterRequestState,
      /** For a self-service update the customer submitted: which fields they changed. */
      fields: z.array(SelfServiceField).optional(),
      /** The customer's record after a confirmed or approved change was saved. */
      version: z.number().int().positive().optional(),
      /** Why saving a confirmed change failed (a newer version, a lock). */
      error: z
        .object({ code: z.string(), message: z.object({ 'zh-CN': z.string(), en: z.string() }) })
        .optional(),
    })
    .nullable(),
});
export type CounterStatus = z.infer<typeof CounterStatus>;

export const counterContract = {
  'counter.status': {
    input: z.object({}).strict(),
    output: CounterStatus,
    permission: 'view',
    summary: "Whether a customer screen is connected, and where the desk's counter request is.",
  },
  'counter.confirm': {
    input: z
      .object({
        requestId: CounterRequestId,
        customerId: z.uuid(),
        /** The version the change was made against, for a contact detail. */
        baseVersion: z.number().int().positive().optional(),
        change: CounterChange,
      })
      .strict(),
    output: CounterStatus,
    permission: 'view',
    summary:
      'Show a contact change or a consent on the customer screen; it is saved only when the customer confirms there.',
  },
  'counter.self_service': {
    input: z.object({ requestId: CounterRequestId, customerId: z.uuid() }).strict(),
    output: CounterStatus,
    permission: 'edit_contacts',
    summary:
      'Open the self-service form on the customer screen: the customer types a new phone, e-mail or address.',
  },
  'counter.approve': {
    input: requestOnly,
    output: CounterStatus,
    permission: 'edit_contacts',
    summary: 'Save what the customer typed on their screen (the teller approves, unseen by them).',
  },
  'counter.reject': {
    input: requestOnly,
    output: CounterStatus,
    permission: 'edit_contacts',
    summary: 'Discard what the customer typed on their screen.',
  },
  'counter.ask_rating': {
    input: z
      .object({ requestId: CounterRequestId, customerId: z.uuid(), visitId: z.uuid() })
      .strict(),
    output: CounterStatus,
    permission: 'edit_contacts',
    summary: 'Ask the customer to rate the visit (1–5) on their screen; recorded with the visit.',
  },
  'counter.cancel': {
    input: requestOnly,
    output: CounterStatus,
    permission: 'view',
    summary: 'Take the request off the customer screen; nothing is saved.',
  },
} as const satisfies Record<string, CommandSpec>;
