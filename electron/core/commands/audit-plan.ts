// What the audit log records for a command. Every command's declaration says (define.ts: a new
// command without a plan does not compile):
//   - `within`: the handler is synchronous and runs in one vault transaction with its entry, so
//     the entry commits with the action or neither does;
//   - `around`: long work (a sync) that commits many times; an entry when it starts and one
//     when it ends, whichever way;
//   - `after`: the command makes or rebuilds the vault itself; its entry is written once the
//     vault is there (not in the same transaction: there is none around a key rotation);
//   - `none`: reads nothing of customers' data and changes nothing (the reason says why).
// Queries and values typed by the teller are recorded: the log lives in the encrypted vault and
// at HQ, never in the process log.
import type { RevealableField } from '../../../shared/access/permissions';
import type { AuditAction } from '../../../shared/audit/entry';
import type { CommandName, CommandOutput } from '../../../shared/commands/contract';
import type { commandContract } from '../../../shared/commands/contract';
import type { z } from 'zod';

export interface PlannedEntry {
  action: AuditAction;
  target?: string | null;
  details?: Record<string, unknown>;
}

type Input<N extends CommandName> = z.output<(typeof commandContract)[N]['input']>;

export type AuditPlan<N extends CommandName> =
  | { kind: 'within'; entry: (input: Input<N>, output: CommandOutput<N>) => PlannedEntry }
  | {
      kind: 'around';
      start: (input: Input<N>) => PlannedEntry;
      end: (
        input: Input<N>,
        outcome: { output?: CommandOutput<N>; error?: string },
      ) => PlannedEntry;
    }
  | { kind: 'after'; entry: (input: Input<N>, output: CommandOutput<N>) => PlannedEntry }
  | { kind: 'none'; why: string }
  /** The command writes its own entries, with the state they record (sign-in, lock). */
  | { kind: 'self'; why: string };

/** Revealing a field: who saw which field of which customer, and why. */
export const revealAudit = (field: RevealableField) =>
  ({
    kind: 'within',
    entry: (
      {
        id,
        reason,
        index,
      }: {
        id: string;
        reason: string;
        index: number;
      },
      output?: { restricted?: true },
    ): PlannedEntry => ({
      action: 'reveal',
      target: id,
      // A restricted customer's data revealed (a compliance officer): marked for the review.
      details: { field, reason, index, ...(output?.restricted ? { restricted: true } : {}) },
    }),
  }) as const;

export const customerIdOf = (output: { customer: Record<string, unknown> }) =>
  typeof output.customer.id === 'string' ? output.customer.id : null;
