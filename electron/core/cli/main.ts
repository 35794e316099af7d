// branchctl: the IT and scripting door to the core. It parses argv, then calls the same
// command table as the UI; it never reaches around it.
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { VaultDoctorOutput } from '../../../shared/commands/vault';
import type { CommandName } from '../../../shared/commands/contract';
import {
  BranchDeskError,
  describeError,
  serializeError,
  type SerializedError,
} from '../../../shared/errors';
import { locales, type Locale } from '../../../shared/i18n/errors';
import { doctorCheckLabels } from '../../../shared/i18n/doctor';
import { dispatch, type CommandResult } from '../commands';
import { OsSecretStore } from '../secrets';
import { defaultDataDir } from './data-dir';
import { cliText } from './messages';

/** branchctl verbs and the command each dispatches. */
const verbs = {
  init: 'vault.init',
  doctor: 'vault.doctor',
  rekey: 'vault.rekey',
} as const satisfies Record<string, CommandName>;
type Verb = keyof typeof verbs;

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

export async function main(argv: string[], io: Io = stdio): Promise<number> {
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
  if (values.help || verb === undefined || verb === 'help') {
    io.out(cliText(locale, 'usage'));
    return verb === undefined && !values.help ? EXIT_USAGE : EXIT_OK;
  }
  if (!(verb in verbs) || positionals.length > 1) {
    return fail(
      io,
      values.json,
      locale,
      serializeError(new BranchDeskError('COMMAND_UNKNOWN', { command: positionals.join(' ') })),
      EXIT_USAGE,
    );
  }

  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const result = await dispatch(
    verbs[verb as Verb],
    { dataDir },
    {
      principal: { kind: 'local_operator', osUser: userInfo().username },
      secrets: new OsSecretStore(),
    },
  );
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
    io.out(describeSuccess(verb as Verb, result, locale));
  }
  if (verb === 'doctor' && !(result.value as VaultDoctorOutput).healthy) return EXIT_FAILED;
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

function describeSuccess(
  verb: Verb,
  result: Extract<CommandResult, { ok: true }>,
  locale: Locale,
): string {
  const value = result.value as Record<string, string | number>;
  switch (verb) {
    case 'init':
      return cliText(locale, 'initDone', value);
    case 'rekey':
      return cliText(locale, 'rekeyDone', value);
    case 'doctor':
      return describeDoctor(result.value as VaultDoctorOutput, locale);
  }
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
