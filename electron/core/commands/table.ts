// The command table: one handler per entry of the shared contract, and the single dispatcher
// every transport (Electron IPC, web harness, branchctl) calls. Validation and authorisation
// happen here, so no door can skip them.
import type { z } from 'zod';
import { principalPermissions, type Principal } from '../../../shared/access/permissions';
import {
  commandContract,
  isCommandName,
  type CommandName,
  type CommandOutput,
} from '../../../shared/commands/contract';
import { BranchDeskError, serializeError, type SerializedError } from '../../../shared/errors';
import { log } from '../log';
import type { SecretStore } from '../secrets';
import type { Vault } from '../vault';
import { customerHandlers } from './customer-commands';
import { syncHandlers } from './sync-commands';
import { vaultHandlers } from './vault-commands';

export interface CommandContext {
  principal: Principal;
  secrets: SecretStore;
  /** The open vault, for commands that work on its data; absent for the vault's own commands. */
  vault?: Vault;
  /** Progress of long work (a sync), for a progress bar or event stream. */
  onProgress?: (progress: { pages: number; done: number; total: number }) => void;
}

export type CommandHandler<N extends CommandName> = (
  input: z.output<(typeof commandContract)[N]['input']>,
  context: CommandContext,
) => CommandOutput<N> | Promise<CommandOutput<N>>;

export type CommandHandlers = { [N in CommandName]: CommandHandler<N> };

const handlers = {
  ...vaultHandlers,
  ...customerHandlers,
  ...syncHandlers,
} satisfies CommandHandlers;

export type CommandResult<T = unknown> =
  { ok: true; value: T } | { ok: false; error: SerializedError };

/** Runs command `name` with untrusted `input`. Never throws: failures come back as typed errors. */
export async function dispatch(
  name: string,
  input: unknown,
  context: CommandContext,
): Promise<CommandResult> {
  const started = performance.now();
  let result: CommandResult;
  try {
    result = { ok: true, value: await run(name, input, context) };
  } catch (error) {
    result = { ok: false, error: serializeError(error) };
    if (result.error.code === 'INTERNAL')
      // The error's name only: its message could quote whatever value broke it.
      log('error', 'command.internal_error', {
        command: name,
        error: error instanceof Error ? error.name : typeof error,
      });
  }
  log('info', 'command', {
    command: name,
    outcome: result.ok ? 'ok' : result.error.code,
    ms: Math.round(performance.now() - started),
  });
  return result;
}

async function run(name: string, rawInput: unknown, context: CommandContext): Promise<unknown> {
  if (!isCommandName(name))
    throw new BranchDeskError('COMMAND_UNKNOWN', { command: name.slice(0, 64) });
  const spec = commandContract[name];
  if (!principalPermissions(context.principal).has(spec.permission)) {
    throw new BranchDeskError('PERMISSION_DENIED', { permission: spec.permission });
  }
  const parsed = spec.input.safeParse(rawInput);
  if (!parsed.success) {
    // Paths and rule messages only: the rejected values may be PII.
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`,
    );
    throw new BranchDeskError('INPUT_INVALID', { issues: issues.join('; ') });
  }
  const handler = handlers[name] as CommandHandler<typeof name>;
  return spec.output.parse(await handler(parsed.data as never, context));
}
