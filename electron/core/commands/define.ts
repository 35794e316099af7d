// One declaration per command: what it does, what the audit log records, how its output is
// masked, whether it queues a change for HQ, and where the fault tests may crash it. Each area
// file (vault-commands.ts, customer-commands.ts, ...) declares its commands once; the
// dispatcher, the desk's sync trigger and the fault points all read the same declaration, so no
// list of commands is kept by hand anywhere else.
import type { CommandName } from '../../../shared/commands/contract';
import type { AuditPlan } from './audit-plan';
import type { Masker } from './masking';
import type { CommandHandler } from './table';

export interface CommandDefinition<N extends CommandName> {
  handler: CommandHandler<N>;
  /** What the audit log records (audit-plan.ts); required, so no command goes unrecorded. */
  audit: AuditPlan<N>;
  /** How the output is masked for staff, or why it holds nothing personal (masking.ts). */
  mask: Masker<N>;
  /** It queues a change for HQ: a desk starts a sync as soon as it succeeds. */
  writes: boolean;
  /** A crash point for the fault tests, passed once the command's transaction has committed. */
  faultPoint?: string;
}

/** The commands whose names start with `prefix.` (an area's file declares exactly these). */
export type CommandsOf<Prefix extends string> = Extract<CommandName, `${Prefix}.${string}`>;

export type CommandDefinitions<K extends CommandName> = { [N in K]: CommandDefinition<N> };
