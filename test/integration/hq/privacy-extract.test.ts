// `npm run hq -- privacy extract` on both of HQ's databases, as an analyst's dataset would be
// made: a seeded HQ, the command as a process, the CSV read back. The file holds no direct
// identifier of anyone, every combination of quasi-identifiers in it occurs at least k times, and
// an attacker who knows each customer's exact age, gender, address, segment, products and risk
// rating (the synthetic source, read straight from HQ's database) and joins on them finds no
// one's row uniquely. HQ's own audit records who made the extract.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../hq/db/database';
import { ageOn, extractColumns, quasiIdentifiers } from '../../../hq/privacy/extract';
import type { Customer } from '../../../shared/customer';
import { bankToday } from '../../../shared/insight/day';
import { tempDir } from '../../support/files';
import { hqCommand, type HqEnv } from '../../support/hq';
import { startPostgres, type PostgresCluster } from '../../support/postgres';

const databases = ['pglite', 'postgres'] as const;
type Row = Record<(typeof extractColumns)[number], string>;

/** The CSV as written: a byte-order mark, a header, CRLF lines, no quoting needed here. */
function readCsv(path: string): { header: string[]; rows: Row[] } {
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...lines] = text.slice(1).trimEnd().split('\r\n');
  const columns = header!.split(',');
  return {
    header: columns,
    rows: lines.map(
      (line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v])) as Row,
    ),
  };
}

/**
 * The attacker's test, written apart from the extract's code: could this published row be this
 * person? Each generalised value must cover the person's exact one.
 */
function couldBe(row: Row, person: Customer & { kind: 'individual' }, today: string): boolean {
  const any = (value: string) => value === '*';
  const age = ageOn(person.birthDate, today);
  if (!any(row.age_band)) {
    const inBand = row.age_band.endsWith('+')
      ? age >= Number(row.age_band.slice(0, -1))
      : (() => {
          const [low, high] = row.age_band.split('-').map(Number) as [number, number];
          return age >= low && age <= high;
        })();
    if (!inBand) return false;
  }
  if (!any(row.gender) && row.gender !== person.gender) return false;
  const home = (person.addresses.find((a) => a.kind === 'residential') ?? person.addresses[0])
    ?.districtCode;
  if (!any(row.area)) {
    const prefix = row.area.replace(/0{2,4}$/, '');
    if (row.area === 'unknown' ? home !== undefined : !home?.startsWith(prefix)) return false;
  }
  if (!any(row.segment) && row.segment !== person.segment) return false;
  if (!any(row.risk_rating) && row.risk_rating !== person.kyc.riskRating) return false;
  const held = [
    ...new Set(person.accounts.filter((a) => a.status !== 'closed').map((a) => a.product)),
  ].sort();
  switch (row.products) {
    case '*':
      return true;
    case '1+':
      return held.length > 0;
    case '0':
      return held.length === 0;
    case '1':
    case '2':
      return held.length === Number(row.products);
    case '3+':
      return held.length >= 3;
    default:
      return row.products === (held.length === 0 ? 'none' : held.join('+'));
  }
}

describe.each(databases)('an anonymised extract for analysts on %s', (database) => {
  const dir = tempDir('branchdesk-extract-');
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let scope: (Customer & { kind: 'individual' })[] = [];
  let everyone: Customer[] = [];
  // The bank's day, as `privacy extract` judges ages by it.
  const today = bankToday();

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(dir.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    const seeded = hqCommand(hq, ['seed', '--customers', '1500', '--branches', '2', '--seed', '5']);
    expect(seeded.status, seeded.stderr).toBe(0);
    // The source, read independently of the extract's own query.
    const db = await openDatabase({
      dataDir: hq.dataDir,
      ...(hq.databaseUrl ? { databaseUrl: hq.databaseUrl } : {}),
    });
    const rows = await db.query<{ record: Customer; home_branch_id: string; rm_branch: string }>(
      `SELECT c.record, c.home_branch_id, rm.branch_id AS rm_branch
         FROM customer c LEFT JOIN relationship_manager rm ON rm.id = c.assigned_rm_id`,
    );
    await db.close();
    everyone = rows.map((row) => row.record);
    scope = rows
      .filter((row) => row.home_branch_id === 'B001' || row.rm_branch === 'B001')
      .map((row) => row.record)
      .filter(
        (record): record is Customer & { kind: 'individual' } => record.kind === 'individual',
      );
    expect(scope.length).toBeGreaterThan(300);
  }, 300_000);
  afterAll(() => {
    cluster?.stop();
    dir.cleanup();
  });

  it('writes no direct identifier, is k-anonymous, and resists a join on the quasi-identifiers', async () => {
    const out = join(dir.path, 'b001.csv');
    const run = hqCommand(hq, ['privacy', 'extract', '--branch', 'B001', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    const summary = /(\d+) rows written of (\d+) individual customers; (\d+) suppressed/.exec(
      run.stdout,
    );
    expect(summary, run.stdout).not.toBeNull();
    const [written, total, suppressed] = summary!.slice(1).map(Number) as [number, number, number];
    expect(total).toBe(scope.length);
    expect(written + suppressed).toBe(total);
    expect(suppressed).toBeLessThanOrEqual(0.05 * total);
    // Only its owner may read the file.
    expect(statSync(out).mode & 0o077).toBe(0);

    const { header, rows } = readCsv(out);
    expect(header).toEqual([...extractColumns]);
    expect(rows).toHaveLength(written);

    // Nothing that names or reaches a person, of anyone at HQ.
    const text = readFileSync(out, 'utf8');
    for (const person of everyone) {
      expect(text).not.toContain(person.id);
      expect(text).not.toContain(person.customerNumber);
      expect(text).not.toContain(person.legalName);
      for (const document of person.identityDocuments) expect(text).not.toContain(document.number);
      for (const phone of person.phones) expect(text).not.toContain(phone.e164.replace('+', ''));
      for (const address of person.addresses) expect(text).not.toContain(address.line);
    }

    // k-anonymity, counted on the file itself.
    const groups = new Map<string, number>();
    for (const row of rows) {
      const key = quasiIdentifiers.map((column) => row[column]).join('|');
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    expect(Math.min(...groups.values())).toBeGreaterThanOrEqual(5);

    // The re-identification attack: nobody in the source matches exactly one row.
    let unique = 0;
    let matched = 0;
    for (const person of scope) {
      const candidates = rows.filter((row) => couldBe(row, person, today)).length;
      if (candidates === 1) unique += 1;
      if (candidates > 0) matched += 1;
    }
    expect(unique).toBe(0);
    // The attack is real: most people do match rows (groups of k or more).
    expect(matched).toBeGreaterThan(0.9 * written);
  });

  it('generalises further rather than suppress beyond the budget, for a k of the reader’s choice', () => {
    const strict = join(dir.path, 'strict.csv');
    const run = hqCommand(hq, [
      'privacy',
      'extract',
      '--branch',
      'B001',
      '--out',
      strict,
      '--k',
      '25',
      '--max-suppressed',
      '1',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const suppressed = Number(/; (\d+) suppressed/.exec(run.stdout)![1]);
    expect(suppressed).toBeLessThanOrEqual(0.01 * scope.length);
    const { rows } = readCsv(strict);
    const sizes = new Map<string, number>();
    for (const row of rows) {
      const key = quasiIdentifiers.map((column) => row[column]).join('|');
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    expect(Math.min(...sizes.values())).toBeGreaterThanOrEqual(25);
  });

  // The refusals do not depend on the database: one shows them.
  it.runIf(database === 'pglite')(
    'refuses an existing file, an unknown branch and a k below 2, in words, writing nothing',
    async () => {
      const out = join(dir.path, 'b001.csv');
      const before = readFileSync(out);
      const again = hqCommand(hq, ['privacy', 'extract', '--branch', 'B001', '--out', out]);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('was not overwritten');
      expect(readFileSync(out)).toEqual(before);

      const nowhere = join(dir.path, 'nowhere.csv');
      const unknown = hqCommand(hq, ['privacy', 'extract', '--branch', 'B999', '--out', nowhere]);
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('There is no branch B999');
      expect(existsSync(nowhere)).toBe(false);

      const weak = hqCommand(hq, [
        'privacy',
        'extract',
        '--branch',
        'B001',
        '--out',
        nowhere,
        '--k',
        '1',
      ]);
      expect(weak.status).toBe(2);
      expect(existsSync(nowhere)).toBe(false);

      // HQ's own audit: who made which extract, and how it ended; never a customer's data.
      const db = await openDatabase({
        dataDir: hq.dataDir,
        ...(hq.databaseUrl ? { databaseUrl: hq.databaseUrl } : {}),
      });
      const entries = await db.query<{ target: string; details: string }>(
        "SELECT target, details FROM hq_audit WHERE action = 'privacy_extract' ORDER BY seq",
      );
      await db.close();
      expect(entries.map((entry) => entry.target)).toEqual(['B001', 'B001', 'B001', 'B999']);
      expect(entries.map((entry) => JSON.parse(entry.details).outcome)).toEqual([
        'ok',
        'ok',
        'OUTPUT_FILE_EXISTS',
        'BRANCH_NOT_FOUND',
      ]);
    },
  );
});
