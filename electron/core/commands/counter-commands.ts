// The teller's side of the counter's customer screen (electron/core/counter). Each step records
// its own audit entry there (asked, confirmed, declined, submitted, approved, rated, cancelled);
// a change the customer confirmed is saved through its own command, whose entry says so.
import { principalPermissions } from '../../../shared/access/permissions';
import type { CounterChange } from '../../../shared/counter/display';
import { BranchDeskError } from '../../../shared/errors';
import type { Counter } from '../counter/counter';
import type { StaffSession } from '../session/session';
import type { CommandDefinitions, CommandsOf } from './define';
import { clear } from './masking';
import type { CommandContext } from './table';

/** The counter and the desk's session: a counter request is a desk's, never branchctl's. */
function deskOf(context: CommandContext): { counter: Counter; session: StaffSession } {
  if (!context.counter || !context.session) throw new BranchDeskError('COUNTER_NO_DISPLAY');
  return { counter: context.counter, session: context.session };
}

/** A change put to the customer needs the permission its save will need. */
function refuseWithout(change: CounterChange, context: CommandContext): void {
  const permission = change.kind === 'consent' ? 'capture_consent' : 'edit_contacts';
  if (!principalPermissions(context.principal).has(permission))
    throw new BranchDeskError('PERMISSION_DENIED', { permission });
}

const own = {
  audit: { kind: 'self', why: 'the counter records each step itself (counter.ts)' },
  mask: clear('where a request is, and which fields changed: never a value'),
} as const;

export const counterCommands: CommandDefinitions<CommandsOf<'counter'>> = {
  'counter.status': {
    handler: (_input, context) => {
      if (!context.counter || !context.session) return { display: false, request: null };
      return context.counter.status(context.session);
    },
    audit: { kind: 'none', why: 'whether a screen is connected and a request state: no data' },
    mask: own.mask,
    writes: false,
  },
  'counter.confirm': {
    handler: ({ requestId, customerId, baseVersion, change }, context) => {
      refuseWithout(change, context);
      const { counter, session } = deskOf(context);
      return counter.ask(session, context, {
        requestId,
        customerId,
        kind: 'confirm',
        change,
        ...(baseVersion ? { baseVersion } : {}),
      });
    },
    ...own,
    writes: false,
  },
  'counter.self_service': {
    handler: ({ requestId, customerId }, context) => {
      const { counter, session } = deskOf(context);
      return counter.ask(session, context, { requestId, customerId, kind: 'self_service' });
    },
    ...own,
    writes: false,
  },
  'counter.approve': {
    handler: ({ requestId }, context) => {
      const { counter, session } = deskOf(context);
      return counter.approve(session, requestId);
    },
    ...own,
    // The saves it runs are commands of their own, each starting a sync.
    writes: false,
  },
  'counter.reject': {
    handler: ({ requestId }, context) => {
      const { counter, session } = deskOf(context);
      return counter.reject(session, requestId);
    },
    ...own,
    writes: false,
  },
  'counter.ask_rating': {
    handler: ({ requestId, customerId, visitId }, context) => {
      const { counter, session } = deskOf(context);
      return counter.ask(session, context, { requestId, customerId, kind: 'rate', visitId });
    },
    ...own,
    writes: false,
  },
  'counter.cancel': {
    handler: ({ requestId }, context) => {
      const { counter, session } = deskOf(context);
      return counter.cancel(session, requestId);
    },
    ...own,
    writes: false,
  },
};
