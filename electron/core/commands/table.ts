// The command table: one declaration per entry of the shared contract (define.ts), and the
// single dispatcher every transport (Electron IPC, web harness, branchctl) calls. Validation,
// authorisation, auditing and masking happen here, so no door can skip them.
import { resolve } from 'node:path';
import type { z } from 'zod';
import { principalPermissions, type Principal } from '../../../shared/access/permissions';
import {
  commandContract,
  commandNames,
  isCommandName,
  type CommandName,
  type CommandOutput,
} from '../../../shared/commands/contract';
import {
  BranchDeskError,
  isBranchDeskError,
  serializeError,
  type SerializedError,
} from '../../../shared/errors';
import { AuditLog } from '../audit/log';
import { faultPoint } from '../fault';
import { log } from '../log';
import type { SecretStore } from '../secrets';
import { openVault, type Vault } from '../vault';
import { approvalCommands } from './approval-commands';
import { auditCommands, auditOf } from './audit-commands';
import type { AuditPlan } from './audit-plan';
import { actorOf, customerCommands } from './customer-commands';
import type { CommandDefinition } from './define';
import { maskOutput, type Masker } from './masking';
import { syncCommands } from './sync-commands';
import { privacyCommands } from './privacy-commands';
import { mergeCommands } from './merge-commands';
import { qualityCommands } from './quality-commands';
import { insightCommands } from './insight-commands';
import { sessionCommands } from './session-commands';
import { vaultCommands } from './vault-commands';
import type { StaffSession } from '../session/session';
import type { Counter } from '../counter/counter';
import { counterCommands } from './counter-commands';
import { complaintCommands, helpCommands } from './complaint-commands';
import { trainingCommands } from './training-commands';

export interface CommandContext {
  /** Who calls, for transports without a desk session (branchctl: the local operator). */
  principal: Principal;
  /**
   * The desk's staff session (Electron window, web harness). When present, every command runs as
   * the session's user, as the session decides (idle lock, sign-out, HQ disabling the user).
   */
  session?: StaffSession;
  secrets: SecretStore;
  /**
   * The profile a desk's host works on. Through a desk session, a command that names a profile's
   * folder may name only this one: IT at a desk administers this device, not any folder on it.
   */
  dataDir?: string;
  /** The open vault, for commands that work on its data; absent for the vault's own commands. */
  vault?: Vault;
  /**
   * The customer confirmed this on the counter's customer screen (electron/core/counter): set by
   * the core when it saves what the customer confirmed, never by a caller. Recorded in the
   * change's audit entry; a consent's `customer_screen` evidence and a satisfaction rating
   * require it.
   */
  confirmation?: { requestId: string; on: 'customer_screen' };
  /** The counter's customer screen of this PC (desk hosts only). */
  counter?: Counter;
  /** Progress of long work (a sync), for a progress bar or event stream. */
  onProgress?: (progress: { pages: number; done: number; total: number }) => void;
}

export type CommandHandler<N extends CommandName> = (
  input: z.output<(typeof commandContract)[N]['input']>,
  context: CommandContext,
) => CommandOutput<N> | Promise<CommandOutput<N>>;

/** Every command of the contract, declared once; one missing does not compile. */
const commands: { [N in CommandName]: CommandDefinition<N> } = {
  ...vaultCommands,
  ...customerCommands,
  ...syncCommands,
  ...auditCommands,
  ...approvalCommands,
  ...sessionCommands,
  ...privacyCommands,
  ...mergeCommands,
  ...qualityCommands,
  ...insightCommands,
  ...counterCommands,
  ...complaintCommands,
  ...helpCommands,
  ...trainingCommands,
};

/** Commands that queue a change for HQ: a desk syncs as soon as one succeeds. */
export const writeCommands: ReadonlySet<CommandName> = new Set(
  commandNames.filter((name) => commands[name].writes),
);

export const isWriteCommand = (name: string): boolean =>
  isCommandName(name) && writeCommands.has(name);

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
    // With a desk session, the session says who this is (and may refuse: locked, signed out).
    const effective =
      context.session && isCommandName(name)
        ? { ...context, principal: context.session.principalFor(name, context) }
        : context;
    const output = await run(name, input, effective);
    // Masked on the way out, after its audit entry was written from the whole record.
    result = {
      ok: true,
      value: maskOutput(
        commands[name as CommandName].mask as Masker<CommandName>,
        output as never,
        effective.principal,
      ),
    };
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
    recordDenied(context, name, spec.permission);
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
  const input = parsed.data as never;
  refuseOtherProfile(context, name, input);
  const command = commands[name] as CommandDefinition<typeof name>;
  const handler = command.handler as CommandHandler<typeof name>;
  const plan = command.audit as AuditPlan<typeof name>;
  const actor = actorOf(context.principal).id;
  const checked = (output: unknown) => spec.output.parse(output) as never;

  switch (plan.kind) {
    case 'within': {
      // The action and its audit entry commit together, or neither does.
      const audit = auditOf(context);
      let output: unknown;
      try {
        output = context
          .vault!.db.transaction(() => {
            const returned: unknown = handler(input, context);
            if (returned instanceof Promise)
              throw new Error(`${name} is audited within a transaction but is asynchronous`);
            const result = checked(returned);
            const entry = plan.entry(input, result);
            // What the customer confirmed on their screen says so in its entry: the evidence.
            if (context.confirmation)
              entry.details = {
                ...entry.details,
                confirmedOn: context.confirmation.on,
                counterRequest: context.confirmation.requestId,
              };
            audit.append({ actor, ...entry });
            return result;
          })
          .immediate();
      } catch (error) {
        // Refused by a finer check inside the handler (an identity field): still recorded.
        if (isBranchDeskError(error, 'PERMISSION_DENIED'))
          recordDenied(context, name, String(error.details?.permission ?? spec.permission));
        throw error;
      }
      if (command.faultPoint) faultPoint(command.faultPoint);
      return output;
    }
    case 'around': {
      const audit = auditOf(context);
      audit.append({ actor, ...plan.start(input) });
      let output: never;
      try {
        output = checked(await handler(input, context));
      } catch (error) {
        const code = isBranchDeskError(error) ? error.code : 'INTERNAL';
        try {
          audit.append({ actor, ...plan.end(input, { error: code }) });
        } catch {
          // The vault itself may be what failed (or was wiped: a revoked device): the command's
          // own error is the one to report.
        }
        throw error;
      }
      audit.append({ actor, ...plan.end(input, { output }) });
      return output;
    }
    case 'after': {
      const output = checked(await handler(input, context));
      // The command made or rebuilt the vault: record it there now it is in place.
      const vault = openVault((input as { dataDir: string }).dataDir, context.secrets);
      try {
        new AuditLog(vault).append({ actor, ...plan.entry(input, output) });
      } finally {
        vault.close();
      }
      return output;
    }
    case 'none':
    case 'self':
      return checked(await handler(input, context));
  }
}

/** A refused command leaves an entry (who tried what) when there is a vault to write it to. */
function recordDenied(context: CommandContext, command: string, permission: string): void {
  if (!context.vault) return;
  auditOf(context).append({
    actor: actorOf(context.principal).id,
    action: 'denied',
    details: { command, permission },
  });
}

/** Through a desk, a command that names a profile's folder may name only the desk's own. */
function refuseOtherProfile(context: CommandContext, command: string, input: unknown): void {
  if (!context.session || typeof input !== 'object' || input === null || !('dataDir' in input))
    return;
  const named = (input as { dataDir: unknown }).dataDir;
  const own = context.dataDir;
  if (own !== undefined && typeof named === 'string' && resolve(named) === resolve(own)) return;
  const permission = 'administer_device:own_profile_only';
  recordDenied(context, command, permission);
  throw new BranchDeskError('PERMISSION_DENIED', { permission });
}
