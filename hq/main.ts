// `npm run hq -- <command>`: the HQ reference service and its admin commands.
//   serve (default)                       start the HTTP service
//   migrate                               apply SQL migrations and exit
//   rotate-epoch                          after a restore from a backup: a new epoch
//   seed --customers N --branches B --seed S
//   enroll-code --branch ID [--ttl-hours H]
//   revoke-device --device ID
//   reassign --customer ID --branch ID [--rm ID]
//   user add --username U --name N --roles R[,R] [--branch ID] [--rm RM]
//   user reset-password|disable|totp --username U
//   hq-user add --username U --name N --roles R[,R] | hq-user reset-password|disable --username U
//   audit who --customer ID | audit flagged | audit verify --device ID | --hq | audit overdue
//   privacy extract --branch ID --out FILE [--k K] [--max-suppressed PCT]
//   privacy copy --customer ID --out FILE.json     (and FILE.html beside it)
//   privacy notice publish --version V --effective-from YYYY-MM-DD --zh FILE --en FILE
//   privacy notice list
//   privacy restrict --customer ID --reason erasure_requested|legal_hold|customer_request [--until YYYY-MM-DD]
//   privacy lift-restriction --customer ID
//   quality report [--branch ID]
//   duplicates [--branch ID]
//   merge list [--status S]
// DATABASE_URL selects PostgreSQL; without it HQ runs on embedded PGlite in HQ_DATA_DIR.
// HQ staff use /v1/admin after signing in (hq-user add makes them); every command here but serve
// and migrate is recorded in HQ's own audit as the OS account that ran it.
// HQ_OFFLINE_WINDOW_HOURS, HQ_IDLE_LOCK_MINUTES, HQ_AUDIT_RETENTION_DAYS set the sign-in policy.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BranchDeskError, serializeError } from '../shared/errors';
import type { ErasureHold } from '../shared/protocol/privacy';
import { HqAdminCommand, PortNumber } from '../shared/protocol/hq-admin';
import { openDatabase, type Database } from './db/database';
import { lockDataDir } from './db/lock';
import { askRunningHq, serveConsole } from './console-socket';
import type { ConsoleAnswer, ConsoleRequest } from '../shared/protocol/hq-console';
import { qualityRulesStamp } from './quality-facts';
import { migrate } from './db/migrate';
import { createEnrollmentCode, revokeDevice } from './devices';
import { rotateEpoch } from './epoch';
import { reassignCustomer } from './scope';
import { seedHq } from './seed';
import { addUser, disableUser, resetPassword, totpSecretOf } from './staff';
import { customerAccess, flaggedDevices, overdueDevices, verifyStoredChain } from './audit';
import { osOperator, recordHqAction, verifyHqChain, type HqAuditRecord } from './hq-audit';
import { addHqUser, disableHqUser, resetHqPassword } from './hq-staff';
import { defaultSignInPolicy, SignInPolicy } from '../shared/auth/staff';
import { totpAt, totpUri } from '../shared/auth/totp';
import { buildServer } from './server';
import { serveMetrics } from './metrics';
import { customerCopy, customerCopyHtml } from './privacy/copy';
import { liftRestriction, restrictCustomer } from './privacy/restriction';
import {
  erasureRequests,
  placeLegalHold,
  releaseLegalHold,
  requestErasure,
  runRetention,
  retentionPolicy,
} from './privacy/erasure';
import { describeExtract, writeExtract } from './privacy/extract';
import { listNotices, publishNotice, readNoticeFile } from './privacy/notices';
import { writeNewFile } from './privacy/files';
import { describeQuality, makeCleansingTasks, qualityReport } from './quality';
import { describeDuplicates, findDuplicates } from './duplicates';
import { listMerges } from './merges';
import { complaintsReport, describeComplaints } from './complaints';
import { makeTrainingHq } from './environment';
import { bankDay, bankToday } from '../shared/insight/day';
import {
  campaignResults,
  currentRiskRules,
  publishCampaign,
  publishRiskRules,
  publishVersioned,
  applySegments,
  readJsonFile,
  readRiskRules,
  rerate,
  ruleTablesAfter,
  type RerateSummary,
} from './insight/rules';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const USAGE = `usage: npm run hq -- [command] [options]
  serve [--port N] [--host H] [--metrics-port N]     (the default)
  migrate
  rotate-epoch                                       (after restoring HQ's database from a backup)
  seed [--customers N] [--branches B] [--seed S] [--training] [--plant-problems SHARE]
  enroll-code --branch ID [--ttl-hours H]
  revoke-device --device ID
  reassign --customer ID --branch ID [--rm ID]
  user add --username U --name N --roles R[,R] [--branch ID] [--rm RM]
  user reset-password --username U
  user disable --username U
  user totp --username U                             (the code an authenticator shows now)
  audit who --customer ID                            (who looked at a customer, every device)
  audit flagged                                      (devices whose audit chain broke)
  audit verify --device ID                           (re-verify HQ's copy of a device's chain)
  audit verify --hq                                  (re-verify HQ's own audit of admin actions)
  audit overdue [--hours H]                          (devices whose audit has not arrived for H h, 24)
  hq-user add --username U --name N --roles R[,R]    (hq_admin, hq_auditor, privacy_officer)
  hq-user reset-password --username U
  hq-user disable --username U
  privacy extract --branch ID --out FILE [--k 5] [--max-suppressed 5]
                                                     (anonymised CSV for analysts, k-anonymous)
  privacy copy --customer ID --out FILE.json         (the customer's own copy; FILE.html to print)
  privacy notice publish --version V --effective-from YYYY-MM-DD --zh FILE --en FILE
                                                     (each file: first line the title, then the body)
  privacy notice list                                (the notices published, in order)
  privacy restrict --customer ID --reason R [--until YYYY-MM-DD]
                                                     (erasure_requested, legal_hold, customer_request)
  privacy lift-restriction --customer ID
  privacy erasure-request --customer ID --channel C --reference R
                                                     (branch, online_banking, mobile_app, phone, letter;
                                                      erased now, or restricted while a hold applies)
  privacy erasures [--status held|erased]            (the erasure requests, newest first)
  privacy hold --customer ID --reference R           (a legal or investigation hold)
  privacy release-hold --hold ID
  privacy retention [--today YYYY-MM-DD] [--years N] [--dry-run]
                                                     (erase what no hold keeps; N from HQ_AML_RETENTION_YEARS, 10)
  quality report [--branch ID]                       (data quality per branch, by the shared rules)
  duplicates [--branch ID]                           (probable duplicates across branches)
  quality tasks --problem RULE --due YYYY-MM-DD --title T [--branch ID] [--assignee rm|counter]
                                                     (cleansing tasks for every customer with a problem)
  merge list [--status proposed|merged|...]          (merges of duplicates; decided in the admin API)
  risk publish --file TABLE.json                     (an AML risk-rating rule table, to every device)
  risk tables                                        (the rule tables published, in order)
  risk rerate [--branch ID] [--today YYYY-MM-DD] [--dry-run]
                                                     (HQ re-rates with the table in force; writes what differs)
  segment publish --file TABLE.json                  (a segment rule table, to every device)
  segment apply [--branch ID] [--dry-run]            (HQ writes the wealth segment the table gives)
  counter publish-notices --file NOTICES.json        (notices for customers, on every counter's screen)
  help publish --file HELP.json                      (the desk's help panels, F1, to every device)
  complaints publish-rules --file RULES.json         (complaint categories and service levels, to every device)
  complaints report [--branch ID] [--today YYYY-MM-DD]
                                                     (complaints per branch by category and age)
  campaign publish --file CAMPAIGN.json              (a campaign, to every branch's RMs)
  campaign results --campaign ID                     (contacts by outcome, per branch)`;

/** What the console says of a rule table or campaign published (or published already). */
function publication(what: string, table: { version: string; seq: number }, published: boolean) {
  return published
    ? `${what} ${table.version} published (seq ${table.seq})`
    : `${what} ${table.version} was already published with this body; nothing changed`;
}

/** What the console says of a re-rating or a segment run: how many, and the moves. */
function runSummary(verb: string, summary: RerateSummary): string {
  const moves = Object.entries(summary.moves)
    .map(([move, count]) => `${move} ${count}`)
    .join(', ');
  return `${verb} ${summary.rated} under ${summary.ruleVersion}; ${summary.dryRun ? 'would change' : 'changed'} ${summary.changed}${moves ? ` (${moves})` : ''}`;
}

/** argv as one typed admin command, or the reason it is not one. */
function parseCommand(
  argv: string[],
): { ok: true; command: HqAdminCommand } | { ok: false; problem: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(
          [
            'customers',
            'branches',
            'file',
            'campaign',
            'seed',
            'branch',
            'device',
            'ttl-hours',
            'customer',
            'rm',
            'port',
            'host',
            'metrics-port',
            'username',
            'name',
            'roles',
            'hours',
            'out',
            'k',
            'max-suppressed',
            'version',
            'effective-from',
            'zh',
            'en',
            'reason',
            'until',
            'channel',
            'reference',
            'hold',
            'status',
            'today',
            'years',
            'plant-problems',
            'problem',
            'assignee',
            'due',
            'title',
          ].map((name) => [name, { type: 'string' as const }]),
        ),
        hq: { type: 'boolean' as const },
        'dry-run': { type: 'boolean' as const },
        training: { type: 'boolean' as const },
      },
    });
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
  const { values, positionals } = parsed;
  // `user` and `audit` take a verb: `user add`, `audit who`; notices one more: `privacy notice list`.
  const words =
    positionals[0] === 'privacy' && positionals[1] === 'notice'
      ? 3
      : [
            'user',
            'hq-user',
            'audit',
            'privacy',
            'quality',
            'merge',
            'risk',
            'segment',
            'campaign',
            'counter',
            'complaints',
            'help',
          ].includes(positionals[0] ?? '')
        ? 2
        : 1;
  if (positionals.length > words)
    return { ok: false, problem: `unexpected ${positionals.slice(words).join(' ')}` };
  const {
    'ttl-hours': ttlHours,
    'max-suppressed': maxSuppressed,
    'effective-from': effectiveFrom,
    'dry-run': dryRun,
    'plant-problems': plantProblems,
    'metrics-port': metricsPort,
    ...rest
  }: Record<string, string | boolean | undefined> = values;
  const result = HqAdminCommand.safeParse({
    command: positionals.slice(0, words).join(' ') || 'serve',
    ...rest,
    ...(ttlHours === undefined ? {} : { ttlHours }),
    ...(metricsPort === undefined ? {} : { metricsPort }),
    ...(maxSuppressed === undefined ? {} : { maxSuppressed }),
    ...(effectiveFrom === undefined ? {} : { effectiveFrom }),
    ...(dryRun === undefined ? {} : { dryRun }),
    ...(plantProblems === undefined ? {} : { plantProblems }),
  });
  if (result.success) return { ok: true, command: result.data };
  const problem = result.error.issues.map(
    (issue) => `${issue.path.join('.') || 'command'}: ${issue.message}`,
  );
  return { ok: false, problem: problem.join('; ') };
}

/** The sign-in policy, from the environment where set. */
function policyFromEnv(): SignInPolicy {
  const setting = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const parsed = SignInPolicy.safeParse({
    offlineWindowHours:
      setting('HQ_OFFLINE_WINDOW_HOURS') ?? defaultSignInPolicy.offlineWindowHours,
    idleLockMinutes: setting('HQ_IDLE_LOCK_MINUTES') ?? defaultSignInPolicy.idleLockMinutes,
    auditRetentionDays:
      setting('HQ_AUDIT_RETENTION_DAYS') ?? defaultSignInPolicy.auditRetentionDays,
  });
  if (!parsed.success)
    throw new BranchDeskError('INPUT_INVALID', {
      issues: parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; '),
    });
  return parsed.data;
}

/** HQ_METRICS_PORT, checked as `--metrics-port` is: a typo stops HQ with a typed error. */
function metricsPortFromEnv(): number | undefined {
  const setting = process.env.HQ_METRICS_PORT;
  if (setting === undefined || setting === '') return undefined;
  const parsed = PortNumber.safeParse(setting);
  if (!parsed.success)
    throw new BranchDeskError('INPUT_INVALID', {
      issues: 'HQ_METRICS_PORT: a port number from 0 to 65535',
    });
  return parsed.data;
}

/** A new account's credentials, shown once to the admin who made it. */
function printCredentials(
  user: { username: string; password: string; totpSecret: string },
  io: ConsoleIo,
) {
  io.out(`user ${user.username}`);
  io.out(`  password     ${user.password}`);
  io.out(`  TOTP secret  ${user.totpSecret}`);
  io.out(`  TOTP URI     ${totpUri(user.totpSecret, user.username)}`);
}

/** Where a command prints and whose working folder its relative paths are in. */
interface ConsoleIo {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
}

/** The console's own terminal: the command runs in this process. */
const terminal: ConsoleIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  cwd: process.cwd(),
};

/** The language of the console's messages, from its LANG. */
const consoleLang = (): 'zh-CN' | 'en' => (process.env.LANG?.startsWith('en') ? 'en' : 'zh-CN');

/** What HQ's audit records of an admin command run at this console; null: not an admin action. */
function auditRecordOf(command: HqAdminCommand): Omit<HqAuditRecord, 'actor'> | null {
  switch (command.command) {
    case 'serve':
    case 'migrate':
      return null;
    case 'seed':
      return {
        action: 'seed',
        details: {
          customers: command.customers,
          branches: command.branches,
          ...(command.training ? { training: true } : {}),
        },
      };
    case 'enroll-code':
      return {
        action: 'enrollment_code',
        target: command.branch,
        details: { ttlHours: command.ttlHours },
      };
    case 'revoke-device':
      return { action: 'device_revoke', target: command.device };
    case 'rotate-epoch':
      return { action: 'epoch_rotate' };
    case 'reassign':
      return {
        action: 'customer_reassign',
        target: command.customer,
        details: { branchId: command.branch, rmId: command.rm ?? null },
      };
    case 'user add':
      return {
        action: 'staff_add',
        target: command.username,
        details: {
          roles: command.roles,
          branchId: command.branch ?? null,
          rmId: command.rm ?? null,
        },
      };
    case 'user reset-password':
      return { action: 'staff_reset_password', target: command.username };
    case 'user disable':
      return { action: 'staff_disable', target: command.username };
    case 'user totp':
      return { action: 'staff_totp', target: command.username };
    case 'hq-user add':
      return { action: 'hq_user_add', target: command.username, details: { roles: command.roles } };
    case 'hq-user reset-password':
      return { action: 'hq_user_reset_password', target: command.username };
    case 'hq-user disable':
      return { action: 'hq_user_disable', target: command.username };
    case 'audit who':
      return { action: 'audit_customer_access', target: command.customer };
    case 'audit flagged':
      return { action: 'audit_flagged' };
    case 'audit verify':
      return { action: 'audit_verify', target: command.device ?? 'hq' };
    case 'audit overdue':
      return { action: 'audit_overdue', details: { hours: command.hours } };
    case 'privacy copy':
      return { action: 'privacy_copy', target: command.customer };
    case 'quality report':
      return { action: 'quality_report', target: command.branch ?? null };
    case 'duplicates':
      return { action: 'duplicates_report', target: command.branch ?? null };
    case 'quality tasks':
      return {
        action: 'quality_tasks',
        target: command.branch ?? null,
        details: { problem: command.problem, assignee: command.assignee, due: command.due },
      };
    case 'merge list':
      return { action: 'customer_merge_list', details: { status: command.status ?? null } };
    case 'privacy notice publish':
      return {
        action: 'privacy_notice_publish',
        target: command.version,
        details: { effectiveFrom: command.effectiveFrom },
      };
    case 'privacy notice list':
      return { action: 'privacy_notice_list' };
    case 'risk publish':
      return { action: 'risk_rules_publish' };
    case 'segment publish':
      return { action: 'segment_rules_publish' };
    case 'counter publish-notices':
      return { action: 'counter_notices_publish' };
    case 'complaints publish-rules':
      return { action: 'complaint_rules_publish' };
    case 'help publish':
      return { action: 'help_publish' };
    case 'complaints report':
      return { action: 'complaints_report', target: command.branch ?? null };
    case 'segment apply':
      return {
        action: 'segment_apply',
        details: { branchId: command.branch ?? null, dryRun: command.dryRun },
      };
    case 'campaign publish':
      return { action: 'campaign_publish' };
    case 'campaign results':
      return { action: 'campaign_results', target: command.campaign };
    case 'risk tables':
      return { action: 'risk_rules_list' };
    case 'risk rerate':
      return {
        action: 'risk_rerate',
        details: { branchId: command.branch ?? null, dryRun: command.dryRun },
      };
    case 'privacy restrict':
      return {
        action: 'privacy_restrict',
        target: command.customer,
        details: { reason: command.reason, until: command.until ?? null },
      };
    case 'privacy lift-restriction':
      return { action: 'privacy_lift_restriction', target: command.customer };
    case 'privacy erasure-request':
      return {
        action: 'privacy_erasure_request',
        target: command.customer,
        details: { channel: command.channel },
      };
    case 'privacy erasures':
      return { action: 'privacy_erasure_list', details: { status: command.status ?? null } };
    case 'privacy hold':
      return { action: 'privacy_legal_hold', target: command.customer };
    case 'privacy release-hold':
      return { action: 'privacy_release_hold', target: command.hold };
    case 'privacy retention':
      return {
        action: 'privacy_retention',
        details: {
          today: command.today ?? null,
          years: command.years ?? null,
          dryRun: command.dryRun,
        },
      };
    case 'privacy extract':
      return {
        action: 'privacy_extract',
        target: command.branch,
        details: { k: command.k, maxSuppressedPercent: command.maxSuppressed },
      };
  }
}

/** Holds as one line for the console: kinds, ends and references, never a person's data. */
function describeHolds(holds: ErasureHold[]): string {
  return holds
    .map((hold) =>
      hold.kind === 'active_product'
        ? `${hold.accounts} account(s) open`
        : hold.kind === 'aml_retention'
          ? `AML retention until ${hold.until ?? 'unknown (a closing day is missing)'}`
          : `legal hold ${hold.holdId} (${hold.reference})`,
    )
    .join('; ');
}

/** Who a change made at HQ's console is by, as a record names it (a reference, no host). */
const HQ_CONSOLE = 'hq:console';

async function main(argv: string[]): Promise<number> {
  // Checked before anything is opened or locked: a typo costs nothing.
  const parsed = parseCommand(argv);
  if (!parsed.ok) {
    console.error(`${USAGE}\n${parsed.problem}`);
    return EXIT_USAGE;
  }
  const options = parsed.command;
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = resolve(process.env.HQ_DATA_DIR ?? '.branchdesk-demo/hq');
  const place: Place = databaseUrl
    ? { where: 'postgres' }
    : { where: `pglite ${dataDir}`, pgliteDir: dataDir };
  let unlock = () => {};
  let db: Database | undefined;
  try {
    if (place.pgliteDir && options.command !== 'serve') {
      // An HQ serving the folder runs the command itself (console-socket.ts).
      const answer = await askRunningHq(place.pgliteDir, {
        argv,
        cwd: terminal.cwd,
        lang: consoleLang(),
      });
      if (answer) {
        process.stdout.write(answer.stdout);
        process.stderr.write(answer.stderr);
        return answer.status;
      }
    }
    if (place.pgliteDir) unlock = lockDataDir(place.pgliteDir);
    db = await openDatabase({ ...(databaseUrl ? { databaseUrl } : {}), dataDir });
    await migrate(db);
    return await runRecorded(db, options, place, terminal, consoleLang());
  } catch (error) {
    // Before the command ran: asking HQ, opening or migrating the database.
    failure(error, consoleLang()).lines.forEach((line) => console.error(line));
    return EXIT_FAILED;
  } finally {
    await db?.close();
    unlock();
  }
}

/** Where the database is: for messages, and the data folder when it is PGlite's. */
interface Place {
  where: string;
  pgliteDir?: string;
}

/** The error's code and the lines the console shows for it. */
function failure(error: unknown, lang: 'zh-CN' | 'en'): { code: string; lines: string[] } {
  const body = serializeError(error);
  const lines = [`Error [${body.code}]: ${body.message[lang]}`];
  // The kind of an unexpected error only: its message and properties may hold a connection
  // string, a path or a value from the database.
  if (body.code === 'INTERNAL')
    lines.push(`(${error instanceof Error ? error.name : typeof error})`);
  return { code: body.code, lines };
}

/** Runs a command and records it in HQ's audit with its outcome, as the OS account that ran it. */
async function runRecorded(
  db: Database,
  options: HqAdminCommand,
  place: Place,
  io: ConsoleIo,
  lang: 'zh-CN' | 'en',
): Promise<number> {
  const record = auditRecordOf(options);
  const recordOutcome = async (outcome: string) => {
    if (!record) return;
    await recordHqAction(db, {
      ...record,
      actor: osOperator(),
      details: { ...record.details, outcome },
    });
  };
  try {
    const exit = await run(db, options, place, io);
    await recordOutcome(exit === 0 ? 'ok' : 'failed');
    return exit;
  } catch (error) {
    const { code, lines } = failure(error, lang);
    lines.forEach((line) => io.err(line));
    await recordOutcome(code).catch(() => {});
    return EXIT_FAILED;
  }
}

/**
 * A console command sent to this serving HQ (console-socket.ts), run on its own connection as
 * the console would have run it; the answer holds what it printed. Only the socket's owner can
 * send one: the OS account HQ runs as, which the audit record names.
 */
async function answerConsole(
  db: Database,
  place: Place,
  request: ConsoleRequest,
): Promise<ConsoleAnswer> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: ConsoleIo = {
    out: (line) => stdout.push(`${line}\n`),
    err: (line) => stderr.push(`${line}\n`),
    cwd: request.cwd,
  };
  const parsed = parseCommand(request.argv);
  let status: number;
  if (!parsed.ok) {
    io.err(`${USAGE}\n${parsed.problem}`);
    status = EXIT_USAGE;
  } else if (parsed.command.command === 'serve') {
    const busy = new BranchDeskError('HQ_DATA_BUSY', {
      dataDir: place.pgliteDir ?? '',
      pid: process.pid,
    });
    failure(busy, request.lang).lines.forEach((line) => io.err(line));
    status = EXIT_FAILED;
  } else status = await runRecorded(db, parsed.command, place, io, request.lang);
  return { status, stdout: stdout.join(''), stderr: stderr.join('') };
}

/** Runs one command on an open, migrated database; returns the exit status. */
async function run(
  db: Database,
  options: HqAdminCommand,
  place: Place,
  io: ConsoleIo,
): Promise<number> {
  const { where } = place;
  {
    switch (options.command) {
      case 'migrate':
        io.out(`HQ database ready (${where})`);
        return 0;
      case 'seed': {
        // A training HQ (培训): synthetic customers only, and no production device ever.
        if (options.training) await makeTrainingHq(db);
        const seeded = await seedHq(db, {
          customers: options.customers,
          branches: options.branches,
          seed: options.seed,
          ...(options.plantProblems !== undefined ? { plantProblems: options.plantProblems } : {}),
          onProgress: (done, total) => {
            if (process.stderr.isTTY) process.stderr.write(`\rseeding customers ${done}/${total}`);
          },
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (!seeded) {
          io.out('HQ already has data; seed skipped');
          return 0;
        }
        io.out(
          seeded.customers > 0
            ? `HQ seeded with ${seeded.customers} customers`
            : 'HQ already has customers; demo staff added',
        );
        io.out('demo staff (synthetic, for the demo only; derived from the seed):');
        for (const user of seeded.users) {
          printCredentials(user, io);
          io.out(
            `  roles        ${user.roles.join(',')}${user.branchId ? ` at ${user.branchId}` : ''}`,
          );
        }
        return 0;
      }
      case 'enroll-code':
        io.out(await createEnrollmentCode(db, options.branch, options.ttlHours));
        return 0;
      case 'rotate-epoch':
        io.out(`HQ epoch ${await rotateEpoch(db, 'restore')}`);
        return 0;
      case 'revoke-device':
        await revokeDevice(db, options.device);
        io.out(`device ${options.device} revoked`);
        return 0;
      case 'reassign':
        await reassignCustomer(db, options.customer, options.branch, options.rm ?? null);
        io.out(`customer ${options.customer} now belongs to ${options.branch}`);
        return 0;
      case 'user add': {
        const added = await addUser(db, {
          username: options.username,
          displayName: options.name,
          roles: options.roles,
          branchId: options.branch ?? null,
          rmId: options.rm ?? null,
        });
        printCredentials(added, io);
        return 0;
      }
      case 'user reset-password':
        io.out(
          `new password for ${options.username}: ${await resetPassword(db, options.username)}`,
        );
        return 0;
      case 'user disable':
        await disableUser(db, options.username);
        io.out(`user ${options.username} disabled; their sessions have ended`);
        return 0;
      case 'user totp':
        io.out(totpAt(await totpSecretOf(db, options.username), Date.now()));
        return 0;
      case 'audit who': {
        const entries = await customerAccess(db, options.customer);
        for (const entry of entries)
          io.out([entry.at, entry.actor, entry.action, entry.deviceId, entry.details].join('\t'));
        io.out(`${entries.length} entries`);
        return 0;
      }
      case 'audit flagged': {
        const flagged = await flaggedDevices(db);
        for (const device of flagged)
          io.out([device.flaggedAt, device.deviceId, device.branchId, device.flag].join('\t'));
        io.out(`${flagged.length} flagged devices`);
        return 0;
      }
      case 'audit verify': {
        if (options.device === undefined) {
          const verified = await verifyHqChain(db);
          if (verified.ok) {
            io.out(`HQ audit chain: ${verified.count} entries, intact`);
            return 0;
          }
          io.out(
            `HQ audit chain: broken at entry ${verified.break.seq} (${verified.break.problem}) after ${verified.count} good entries`,
          );
          return EXIT_FAILED;
        }
        const verified = await verifyStoredChain(db, options.device);
        if (verified.ok) {
          io.out(`audit chain of ${options.device}: ${verified.count} entries, intact`);
          return 0;
        }
        io.out(
          `audit chain of ${options.device}: broken at entry ${verified.break.seq} (${verified.break.problem}) after ${verified.count} good entries`,
        );
        return EXIT_FAILED;
      }
      case 'audit overdue': {
        const overdue = await overdueDevices(db, options.hours);
        for (const device of overdue)
          io.out(
            [
              device.deviceId,
              device.branchId,
              device.lastUploadAt ?? `never (enrolled ${device.enrolledAt})`,
              `held through ${device.heldSeq}`,
            ].join('\t'),
          );
        io.out(`${overdue.length} devices without an audit upload for ${options.hours} h`);
        return 0;
      }
      case 'risk publish': {
        const { table, published } = await publishRiskRules(
          db,
          readRiskRules(resolve(io.cwd, options.file)),
        );
        io.out(publication('risk rule table', table, published));
        return 0;
      }
      case 'segment publish': {
        const { table, published } = await publishVersioned(
          db,
          'segment',
          readJsonFile(resolve(io.cwd, options.file)),
        );
        io.out(publication('segment rule table', table, published));
        return 0;
      }
      case 'help publish': {
        const { table, published } = await publishVersioned(
          db,
          'help',
          readJsonFile(resolve(io.cwd, options.file)),
        );
        io.out(publication('help panels', table, published));
        return 0;
      }
      case 'complaints publish-rules': {
        const { table, published } = await publishVersioned(
          db,
          'complaint_rules',
          readJsonFile(resolve(io.cwd, options.file)),
        );
        io.out(publication('complaint rules', table, published));
        return 0;
      }
      case 'complaints report':
        io.out(
          describeComplaints(
            await complaintsReport(db, {
              ...(options.branch ? { branchId: options.branch } : {}),
              today: options.today ?? bankDay(Date.now()),
            }),
          ),
        );
        return 0;
      case 'counter publish-notices': {
        const { table, published } = await publishVersioned(
          db,
          'counter_notices',
          readJsonFile(resolve(io.cwd, options.file)),
        );
        io.out(publication('notices for customers', table, published));
        return 0;
      }
      case 'segment apply': {
        const summary = await applySegments(db, {
          dryRun: options.dryRun,
          actor: HQ_CONSOLE,
          ...(options.branch ? { branchId: options.branch } : {}),
        });
        io.out(runSummary('segmented', summary));
        return 0;
      }
      case 'campaign publish': {
        const { table, published } = await publishCampaign(
          db,
          readJsonFile(resolve(io.cwd, options.file)),
        );
        io.out(publication('campaign', table, published));
        return 0;
      }
      case 'campaign results': {
        const results = await campaignResults(db, options.campaign);
        for (const [branch, outcomes] of results)
          io.out(
            `${branch}\t${Object.entries(outcomes)
              .map(([outcome, count]) => `${outcome} ${count}`)
              .join(', ')}`,
          );
        io.out(`${results.size} branches with contacts for ${options.campaign}`);
        return 0;
      }
      case 'risk tables': {
        const tables = await ruleTablesAfter(db, 0);
        for (const table of tables)
          io.out([table.seq, table.kind, table.version, table.publishedAt].join('\t'));
        io.out(
          `${tables.length} tables published; in force: ${(await currentRiskRules(db)).version}`,
        );
        return 0;
      }
      case 'risk rerate': {
        const summary = await rerate(db, {
          today: options.today ?? bankToday(),
          dryRun: options.dryRun,
          actor: HQ_CONSOLE,
          ...(options.branch ? { branchId: options.branch } : {}),
        });
        io.out(runSummary('rated', summary));
        return 0;
      }
      case 'quality tasks': {
        const made = await makeCleansingTasks(db, {
          problem: options.problem,
          ...(options.branch ? { branchId: options.branch } : {}),
          assignee: options.assignee,
          dueOn: options.due,
          title: options.title,
          today: bankDay(Date.now()),
          actor: 'hq:console',
        });
        io.out(`${made.created} tasks made, ${made.skipped} customers passed over`);
        return 0;
      }
      case 'duplicates':
        io.out(
          describeDuplicates(
            await findDuplicates(db, options.branch ? { branchId: options.branch } : {}),
          ),
        );
        return 0;
      case 'merge list':
        for (const merge of await listMerges(
          db,
          { actor: 'hq:console', branchId: null },
          options.status ? { status: options.status } : {},
        ))
          io.out(
            [
              merge.id,
              merge.status,
              `${merge.mergedNumber} -> ${merge.survivorNumber}`,
              `proposed by ${merge.proposedBy} ${merge.proposedAt}`,
              merge.decidedBy ? `decided by ${merge.decidedBy} ${merge.decidedAt}` : '',
            ]
              .filter(Boolean)
              .join('\t'),
          );
        return 0;
      case 'quality report':
        io.out(
          describeQuality(
            await qualityReport(db, {
              ...(options.branch ? { branchId: options.branch } : {}),
              today: bankToday(),
            }),
          ),
        );
        return 0;
      case 'privacy copy': {
        const json = resolve(io.cwd, options.out);
        const html = json.replace(/\.json$/, '.html');
        const copy = await customerCopy(db, options.customer);
        // Both or neither: the report's name is checked before the JSON is written.
        if (existsSync(html)) throw new BranchDeskError('OUTPUT_FILE_EXISTS', { path: html });
        writeNewFile(json, `${JSON.stringify(copy, null, 2)}\n`);
        writeNewFile(html, customerCopyHtml(copy));
        io.out(
          `copy of customer ${options.customer}: ${copy.changes.length} changes, ${copy.access.length} access groups; ${json}, ${html}`,
        );
        return 0;
      }
      case 'privacy notice publish': {
        // Both files are read and checked before anything is written.
        const { notice, published } = await publishNotice(db, {
          version: options.version,
          effectiveFrom: options.effectiveFrom,
          zh: readNoticeFile(resolve(io.cwd, options.zh)),
          en: readNoticeFile(resolve(io.cwd, options.en)),
        });
        io.out(
          published
            ? `privacy notice ${notice.version} published (seq ${notice.seq}), in force from ${notice.effectiveFrom}`
            : `privacy notice ${notice.version} was already published with this text; nothing changed`,
        );
        return 0;
      }
      case 'privacy restrict': {
        const { version } = await restrictCustomer(
          db,
          options.customer,
          { reason: options.reason, ...(options.until ? { until: options.until } : {}) },
          // The record names HQ's console; HQ's audit entry names the OS account that ran it.
          HQ_CONSOLE,
        );
        io.out(`customer ${options.customer} restricted (${options.reason}), version ${version}`);
        return 0;
      }
      case 'privacy lift-restriction': {
        const { version } = await liftRestriction(db, options.customer, HQ_CONSOLE);
        io.out(`customer ${options.customer}: restriction lifted, version ${version}`);
        return 0;
      }
      case 'privacy erasure-request': {
        const { request, outcome } = await requestErasure(
          db,
          {
            customerId: options.customer,
            channel: options.channel,
            reference: options.reference,
            actor: osOperator(),
          },
          retentionPolicy(),
        );
        io.out(
          outcome === 'erased'
            ? `customer ${options.customer} erased (request ${request.id}): nothing held the data`
            : `erasure request ${request.id} held; customer ${options.customer} restricted meanwhile: ${describeHolds(request.holds)}`,
        );
        return 0;
      }
      case 'privacy erasures': {
        const requests = await erasureRequests(
          db,
          options.status ? { status: options.status } : {},
        );
        for (const request of requests)
          io.out(
            [
              request.id,
              request.customerId,
              request.status,
              request.receivedAt,
              request.status === 'held' ? describeHolds(request.holds) : (request.erasedAt ?? ''),
            ].join('\t'),
          );
        io.out(`${requests.length} erasure requests`);
        return 0;
      }
      case 'privacy hold': {
        const { holdId } = await placeLegalHold(db, {
          customerId: options.customer,
          reference: options.reference,
          actor: osOperator(),
        });
        io.out(`legal hold ${holdId} placed on customer ${options.customer}`);
        return 0;
      }
      case 'privacy release-hold': {
        const { customerId } = await releaseLegalHold(db, {
          holdId: options.hold,
          actor: osOperator(),
        });
        io.out(
          `legal hold ${options.hold} released; customer ${customerId} is erased at the next retention run if nothing else holds`,
        );
        return 0;
      }
      case 'privacy retention': {
        const policy = retentionPolicy(options);
        const run = await runRetention(db, policy, { dryRun: options.dryRun });
        io.out(
          `${options.dryRun ? 'dry run, nothing erased: would erase' : 'erased'} ${run.erasedOnRequest} on request and ${run.erasedRetentionEnded} whose retention ended (${policy.years} years, today ${policy.today}); ${run.stillHeld} requests still held`,
        );
        return 0;
      }
      case 'privacy notice list': {
        const notices = await listNotices(db);
        for (const notice of notices)
          io.out(
            [notice.version, notice.effectiveFrom, notice.publishedAt, `seq ${notice.seq}`].join(
              '\t',
            ),
          );
        io.out(`${notices.length} privacy notices published`);
        return 0;
      }
      case 'privacy extract': {
        const summary = await writeExtract(db, {
          branchId: options.branch,
          out: resolve(io.cwd, options.out),
          k: options.k,
          maxSuppressedShare: options.maxSuppressed / 100,
          today: bankToday(),
        });
        io.out(describeExtract(summary));
        return 0;
      }
      case 'hq-user add': {
        const added = await addHqUser(db, {
          username: options.username,
          displayName: options.name,
          roles: options.roles,
        });
        printCredentials(added, io);
        return 0;
      }
      case 'hq-user reset-password':
        io.out(
          `new password for ${options.username}: ${await resetHqPassword(db, options.username)}`,
        );
        return 0;
      case 'hq-user disable':
        await disableHqUser(db, options.username);
        io.out(`HQ user ${options.username} disabled; their sessions have ended`);
        return 0;
      case 'serve': {
        // The shared token is gone: a deployment still setting it would believe it protects
        // something. HQ staff sign in (hq-user add).
        if (process.env.HQ_ADMIN_TOKEN !== undefined)
          throw new BranchDeskError('INPUT_INVALID', {
            issues:
              'HQ_ADMIN_TOKEN is no longer read: HQ staff sign in (npm run hq -- hq-user add)',
          });
        // Prometheus scrapes a port of its own (HQ_METRICS_PORT), never the devices' door.
        const metricsPort = options.metricsPort ?? metricsPortFromEnv();
        const app = await buildServer(db, {
          logLevel: process.env.HQ_LOG_LEVEL ?? 'info',
          policy: policyFromEnv(),
        });
        const host = options.host ?? process.env.HQ_HOST ?? '127.0.0.1';
        const url = await app.listen({
          host,
          port: options.port ?? Number(process.env.HQ_PORT ?? 8787),
        });
        const metrics =
          metricsPort === undefined
            ? undefined
            : await serveMetrics(app.metrics, host, metricsPort);
        if (metrics) io.out(`HQ metrics on ${metrics.url}`);
        // On PGlite the console reaches this HQ through its data folder (console-socket.ts).
        const consoleSocket = place.pgliteDir
          ? await serveConsole(
              place.pgliteDir,
              (request) => answerConsole(db, place, request),
              (problem) =>
                io.err(
                  `HQ's console socket is not served (${problem}): stop HQ to use the console`,
                ),
            )
          : undefined;
        io.out(`HQ listening on ${url} (${where})`);
        // The quality rules' stamp (~0.2 s, hq/quality-facts.ts), worked out as soon as HQ is
        // listening rather than in the first push that writes a record.
        setImmediate(qualityRulesStamp);
        // Served until a signal; the database closes after the server, in main's finally.
        await new Promise<void>((done) => {
          const stop = () =>
            void Promise.all([consoleSocket?.close(), app.close(), metrics?.close()]).then(() =>
              done(),
            );
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        return 0;
      }
      default: {
        const unknown: never = options;
        return unknown;
      }
    }
  }
}

process.exitCode = await main(process.argv.slice(2));
