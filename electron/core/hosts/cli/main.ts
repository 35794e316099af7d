// branchctl: the IT and scripting door to the core. It parses argv, then calls the same
// command table as the UI; it never reaches around it.
import { loadMachineConfig, machineConfigPath } from '../../device/machine-config';
import { userInfo } from 'node:os';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { VaultDoctorOutput } from '../../../../shared/commands/vault';
import type { CommandName, CommandOutput } from '../../../../shared/commands/contract';
import {
  BranchDeskError,
  describeError,
  serializeError,
  type SerializedError,
} from '../../../../shared/errors';
import { locales, type Locale } from '../../../../shared/i18n/errors';
import { doctorCheckLabels } from '../../../../shared/i18n/doctor';
import { describeRejection } from '../../../../shared/i18n/sync';
import { dispatch, type CommandResult } from '../../commands';
import { OsSecretStore } from '../../secrets';
import { openVault, type Vault } from '../../vault';
import { defaultDataDir } from './data-dir';
import { cliText, type CliMessage } from './messages';

/** The vault's verbs and the command each dispatches. */
const verbs = {
  init: 'vault.init',
  doctor: 'vault.doctor',
  rekey: 'vault.rekey',
} as const satisfies Record<string, CommandName>;

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/**
 * What branchctl may do inside an installed app (`BranchDesk --branchctl`): the device's upkeep,
 * nothing that reads or changes customers. branchctl runs as the local operator, who sees records
 * whole and is not held to maker-checker; on a branch PC, staff work with customers at the desk,
 * signed in. A source checkout (`npm run branchctl`) allows every verb.
 */
export const INSTALLED_VERBS: readonly string[] = [
  'help',
  'init',
  'enroll',
  'doctor',
  'rekey',
  'sync',
  'device',
  'verify-audit',
];

export async function main(
  argv: string[],
  io: Io = stdio,
  options: { allowedVerbs?: readonly string[] } = {},
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        lang: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        limit: { type: 'string' },
        offset: { type: 'string' },
        file: { type: 'string' },
        'base-version': { type: 'string' },
        hq: { type: 'string' },
        code: { type: 'string' },
        'device-name': { type: 'string' },
        // A training profile (培训模式): enrolls with a training HQ only.
        training: { type: 'boolean', default: false },
        'page-size': { type: 'string' },
        'initial-sync': { type: 'string' },
        take: { type: 'string' },
        all: { type: 'boolean', default: false },
        from: { type: 'string' },
        to: { type: 'string' },
        customer: { type: 'string' },
      },
    });
  } catch (error) {
    const locale = pickLocale(undefined);
    io.err(cliText(locale, 'usage'));
    io.err(`\n${cliText(locale, 'error')}: ${(error as Error).message}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const locale = pickLocale(values.lang);
  const verb = positionals[0];
  if (verb !== undefined && options.allowedVerbs && !options.allowedVerbs.includes(verb)) {
    io.err(cliText(locale, 'verbNotInstalled', { verb: verb.slice(0, 32) }));
    return EXIT_USAGE;
  }
  if (values.help || verb === undefined || verb === 'help') {
    io.out(cliText(locale, 'usage'));
    return verb === undefined && !values.help ? EXIT_USAGE : EXIT_OK;
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  let request: { command: CommandName; input: unknown; needsVault: boolean; describe: Describe };
  try {
    request = toRequest(positionals, values, dataDir);
  } catch (error) {
    return fail(io, values.json, locale, serializeError(error), EXIT_USAGE);
  }

  const secrets = new OsSecretStore();
  let vault: Vault | undefined;
  if (request.needsVault) {
    try {
      vault = openVault(dataDir, secrets);
    } catch (error) {
      return fail(io, values.json, locale, serializeError(error), EXIT_FAILED);
    }
  }
  let result: CommandResult;
  try {
    result = await dispatch(request.command, request.input, {
      principal: { kind: 'local_operator', osUser: userInfo().username },
      secrets,
      ...(vault ? { vault } : {}),
      onProgress: progressReporter(io, values.json === true),
    });
    if (process.stderr.isTTY && !values.json) process.stderr.write('\n');
  } finally {
    vault?.close();
  }
  if (!result.ok) {
    return fail(
      io,
      values.json,
      locale,
      result.error,
      result.error.code === 'INPUT_INVALID' ? EXIT_USAGE : EXIT_FAILED,
    );
  }
  if (values.json) {
    io.out(JSON.stringify(result));
  } else {
    io.out(request.describe(result.value, locale));
  }
  if (request.command === 'vault.doctor' && !(result.value as VaultDoctorOutput).healthy)
    return EXIT_FAILED;
  if (request.command === 'audit.verify' && !(result.value as CommandOutput<'audit.verify'>).ok)
    return EXIT_FAILED;
  return EXIT_OK;
}

function fail(
  io: Io,
  json: boolean | undefined,
  locale: Locale,
  error: SerializedError,
  code: number,
): number {
  if (json) io.out(JSON.stringify({ ok: false, error }));
  else io.err(`${cliText(locale, 'error')} [${error.code}]: ${error.message[locale]}`);
  return code;
}

type Describe = (value: unknown, locale: Locale) => string;
type Values = Record<string, string | boolean | undefined>;

/** Turns argv into one command of the table, its raw input, and how to print its result. */
function toRequest(
  positionals: string[],
  values: Values,
  dataDir: string,
): { command: CommandName; input: unknown; needsVault: boolean; describe: Describe } {
  const [verb, sub, ...rest] = positionals;
  const unknown = () =>
    new BranchDeskError('COMMAND_UNKNOWN', { command: positionals.join(' ').slice(0, 64) });
  const number = (name: string) => (values[name] === undefined ? undefined : Number(values[name]));
  const text = (key: CliMessage) => (value: unknown, locale: Locale) =>
    cliText(locale, key, value as Record<string, string>);

  if (verb === 'init' || verb === 'doctor' || verb === 'rekey') {
    if (sub !== undefined) throw unknown();
    const command = verbs[verb];
    const describe: Describe =
      verb === 'doctor'
        ? (value, locale) => describeDoctor(value as VaultDoctorOutput, locale)
        : text(verb === 'init' ? 'initDone' : 'rekeyDone');
    return { command, input: { dataDir }, needsVault: false, describe };
  }
  if (verb === 'enroll' && sub === undefined) {
    const input = dropUndefined({
      dataDir,
      // Without --hq, the address IT put in the machine configuration (docs/OPERATIONS.md).
      hqUrl: values.hq ?? loadMachineConfig(machineConfigPath(process.platform)).hqUrl,
      code: values.code,
      deviceName: values['device-name'],
      training: values.training || undefined,
    });
    return { command: 'device.enroll', input, needsVault: false, describe: text('enrolled') };
  }
  if (verb === 'sync' && sub === undefined) {
    return {
      command: 'sync.run',
      input: dropUndefined({
        pageSize: number('page-size'),
        initialSync: values['initial-sync'],
      }),
      needsVault: true,
      describe: (value, locale) => {
        const round = value as CommandOutput<'sync.run'>;
        return cliText(locale, 'syncDone', {
          ...round.push,
          ...round.pull,
          loaded: round.snapshot?.loaded ?? 0,
          evicted: round.evicted,
        } as unknown as Record<string, number>);
      },
    };
  }
  if (verb === 'conflicts') {
    if (sub === undefined) {
      return {
        command: 'sync.conflicts.list',
        input: dropUndefined({ all: values.all === true, limit: number('limit') }),
        needsVault: true,
        describe: describeConflicts,
      };
    }
    const id = Number(rest[0]);
    if (sub === 'show' && rest.length === 1)
      return {
        command: 'sync.conflicts.show',
        input: { id },
        needsVault: true,
        describe: (value, locale) => describeConflict(value as Conflict, locale),
      };
    if (sub === 'resolve' && rest.length === 1)
      return {
        command: 'sync.conflicts.resolve',
        input: dropUndefined({
          id,
          take: values.take,
          value: values.take === 'value' ? readJson(values.file) : undefined,
        }),
        needsVault: true,
        describe: (value, locale) => {
          const { conflict } = value as CommandOutput<'sync.conflicts.resolve'>;
          return cliText(locale, 'conflictResolvedDone', {
            id: conflict.id,
            resolution: conflict.resolution ?? '',
          });
        },
      };
    throw unknown();
  }
  if (verb === 'rejected' && sub === undefined) {
    return {
      command: 'sync.rejected.list',
      input: dropUndefined({ limit: number('limit') }),
      needsVault: true,
      describe: describeRejected,
    };
  }
  if (verb === 'sync' && sub === 'status' && rest.length === 0) {
    return {
      command: 'sync.status',
      input: {},
      needsVault: true,
      describe: (value, locale) => {
        const status = value as CommandOutput<'sync.status'>;
        return cliText(locale, 'syncStatus', {
          ...status,
          branchId: status.branchId ?? '-',
          lastSyncAt: status.lastSyncAt ?? '-',
        } as unknown as Record<string, string>);
      },
    };
  }
  if (verb === 'device' && sub === 'status' && rest.length === 0) {
    return {
      command: 'device.status',
      input: { dataDir },
      needsVault: false,
      describe: (value, locale) =>
        cliText(
          locale,
          (value as { wiped: boolean }).wiped ? 'deviceWiped' : 'deviceStatus',
          value as Record<string, string>,
        ),
    };
  }
  if (verb === 'verify-audit' && sub === undefined) {
    return {
      command: 'audit.verify',
      input: {},
      needsVault: true,
      describe: (value, locale) => {
        const result = value as CommandOutput<'audit.verify'>;
        return result.ok
          ? cliText(locale, 'auditIntact', { checked: result.checked, seq: result.head?.seq ?? 0 })
          : cliText(locale, 'auditBroken', {
              checked: result.checked,
              seq: result.firstBad?.seq ?? 0,
              problem: result.firstBad?.problem ?? '',
            });
      },
    };
  }
  if (verb === 'audit' && sub === 'export' && rest.length === 0) {
    return {
      command: 'audit.export',
      input: dropUndefined({
        from: values.from,
        to: values.to,
        customerId: values.customer,
        limit: number('limit'),
      }),
      needsVault: true,
      describe: (value) =>
        (value as CommandOutput<'audit.export'>).entries
          .map((entry) => JSON.stringify(entry))
          .join('\n'),
    };
  }
  if (verb === 'duplicates' && sub === undefined) {
    return {
      command: 'customer.duplicates',
      input: dropUndefined({ limit: number('limit') }),
      needsVault: true,
      describe: describeDuplicates,
    };
  }
  if (verb !== 'customer') throw unknown();
  switch (sub) {
    case 'search':
      return {
        command: 'customer.search',
        input: dropUndefined({
          query: rest.join(' '),
          limit: number('limit'),
          offset: number('offset'),
        }),
        needsVault: true,
        describe: describeSearch,
      };
    case 'show': {
      if (rest.length !== 1) throw unknown();
      const key = rest[0]!;
      const input = /^[0-9a-f]{8}-/i.test(key)
        ? { id: key }
        : { customerNumber: key.toUpperCase() };
      return {
        command: 'customer.show',
        input,
        needsVault: true,
        describe: (value) => JSON.stringify(value, null, 2),
      };
    }
    case 'create':
      if (rest.length !== 0) throw unknown();
      return {
        command: 'customer.create',
        input: { customer: readJson(values.file) },
        needsVault: true,
        describe: describeWrite('created'),
      };
    case 'update':
      if (rest.length !== 1) throw unknown();
      return {
        command: 'customer.update',
        input: { id: rest[0], baseVersion: number('base-version'), changes: readJson(values.file) },
        needsVault: true,
        describe: describeWrite('updated'),
      };
    default:
      throw unknown();
  }
}

/**
 * Progress of long work: a bar on a terminal, one JSON line per step when --json (so scripts
 * can follow), nothing otherwise.
 */
function progressReporter(io: Io, json: boolean) {
  return (progress: { pages: number; done: number; total: number }) => {
    if (json) {
      io.out(JSON.stringify({ progress }));
    } else if (process.stderr.isTTY) {
      const width = 30;
      const share = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 1;
      const filled = Math.round(share * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.done}/${progress.total}`,
      );
    }
  };
}

function dropUndefined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

/** A JSON document from --file (a path, or - for standard input). */
function readJson(file: string | boolean | undefined): unknown {
  if (typeof file !== 'string')
    throw new BranchDeskError('INPUT_INVALID', { issues: '--file: required' });
  try {
    return JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch {
    throw new BranchDeskError('INPUT_INVALID', { issues: `--file: not a readable JSON document` });
  }
}

type Conflict = CommandOutput<'sync.conflicts.show'>;

function conflictState(conflict: Conflict, locale: Locale): string {
  return conflict.resolvedAt
    ? cliText(locale, 'conflictResolved', { resolution: conflict.resolution ?? '' })
    : cliText(locale, 'conflictOpen');
}

function describeConflicts(value: unknown, locale: Locale): string {
  const { conflicts } = value as CommandOutput<'sync.conflicts.list'>;
  const lines = conflicts.map((conflict) =>
    cliText(locale, 'conflictLine', {
      id: conflict.id,
      customerNumber: conflict.customerNumber ?? conflict.customerId,
      field: conflict.field,
      state: conflictState(conflict, locale),
    }),
  );
  lines.push(cliText(locale, 'conflictCount', { count: conflicts.length }));
  return lines.join('\n');
}

function describeConflict(conflict: Conflict, locale: Locale): string {
  const show = (value: unknown) => (value === undefined ? '-' : JSON.stringify(value));
  return cliText(locale, 'conflictDetail', {
    id: conflict.id,
    customerNumber: conflict.customerNumber ?? conflict.customerId,
    field: conflict.field,
    base: show(conflict.base),
    local: show(conflict.local),
    hq: show(conflict.hq),
    hqVersion: conflict.hqVersion ?? '-',
    state: conflictState(conflict, locale),
  });
}

function describeRejected(value: unknown, locale: Locale): string {
  const { rejected } = value as CommandOutput<'sync.rejected.list'>;
  const lines = rejected.map((entry) =>
    cliText(locale, 'rejectedLine', {
      decidedAt: entry.decidedAt,
      customerId: entry.customerId,
      field: entry.field ?? cliText(locale, 'wholeChange'),
      reason: describeRejection(locale, entry.reason),
    }),
  );
  lines.push(cliText(locale, 'rejectedCount', { count: rejected.length }));
  return lines.join('\n');
}

function describeSearch(value: unknown, locale: Locale): string {
  const result = value as CommandOutput<'customer.search'>;
  const lines = result.items.map((item) =>
    [
      item.customerNumber,
      item.displayName,
      item.identityDocumentNumber ?? '-',
      item.primaryPhone ?? '-',
      item.matchedField,
    ].join('  '),
  );
  lines.push(
    cliText(locale, result.truncated ? 'searchTruncated' : 'searchCount', {
      count: result.items.length,
    }),
  );
  return lines.join('\n');
}

function describeWrite(what: 'created' | 'updated'): Describe {
  return (value, locale) => {
    const result = value as {
      customer: { customerNumber: string; id: string; version: number };
      probableDuplicates: {
        reason: string;
        candidate: { customerNumber: string; displayName: string };
      }[];
    };
    const lines = [
      cliText(locale, what === 'created' ? 'customerCreated' : 'customerUpdated', result.customer),
    ];
    for (const duplicate of result.probableDuplicates) {
      lines.push(
        cliText(locale, 'probableDuplicate', {
          customerNumber: duplicate.candidate.customerNumber,
          reason: duplicate.reason,
        }),
      );
    }
    return lines.join('\n');
  };
}

function describeDuplicates(value: unknown, locale: Locale): string {
  const { groups } = value as CommandOutput<'customer.duplicates'>;
  const lines = groups.map(
    (group) => `${group.reason}: ${group.customers.map((c) => c.customerNumber).join(', ')}`,
  );
  lines.push(cliText(locale, 'duplicateGroups', { count: groups.length }));
  return lines.join('\n');
}

function describeDoctor(report: VaultDoctorOutput, locale: Locale): string {
  const lines = [`profile: ${report.profileId ?? cliText(locale, 'noProfile')}`];
  for (const check of report.checks) {
    const mark = check.ok ? '✓' : check.severity === 'warning' ? '!' : '✗';
    const facts = Object.entries(check.facts)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    lines.push(`  ${mark} ${doctorCheckLabels[locale][check.id]}${facts ? `  (${facts})` : ''}`);
    if (!check.ok && check.errorCode) {
      const details = { file: 'branch.db', profileId: report.profileId ?? '', ...check.facts };
      const code = check.errorCode as SerializedError['code'];
      lines.push(`      ${code}: ${describeError(code, details, locale)}`);
    }
  }
  lines.push(cliText(locale, report.healthy ? 'healthy' : 'unhealthy'));
  return lines.join('\n');
}

function pickLocale(requested: string | undefined): Locale {
  const wanted =
    requested ??
    process.env.BRANCHDESK_LANG ??
    (process.env.LANG?.startsWith('en') ? 'en' : 'zh-CN');
  return (locales as readonly string[]).includes(wanted) ? (wanted as Locale) : 'zh-CN';
}
