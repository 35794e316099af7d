// Anonymised extracts for analysis (PIPL Art. 4 and 73: anonymised information is no longer
// personal information; Art. 51: de-identification). A branch's individual customers become rows
// of quasi-identifiers only (age band, gender, area, segment, product holding, risk rating) and
// one attribute to study (KYC status); names, document and phone numbers, addresses, customer
// numbers and ids never leave the database query. Every combination of quasi-identifiers in the
// file occurs at least k times (k-anonymity): rows in smaller groups are suppressed, after
// generalising as little as the suppression budget allows.
import { csvDocument } from '../../shared/csv';
import { BranchDeskError } from '../../shared/errors';
import type { Database } from '../db/database';
import { inBranchScope } from '../scope';
import { writeNewFile } from './files';

export const quasiIdentifiers = [
  'age_band',
  'gender',
  'area',
  'segment',
  'products',
  'risk_rating',
] as const;
export type QuasiIdentifier = (typeof quasiIdentifiers)[number];
export const extractColumns = [...quasiIdentifiers, 'kyc_status'] as const;
export type ExtractRow = Record<(typeof extractColumns)[number], string>;

/** What the query reads of one customer: nothing that names or reaches them. */
export interface ExtractSource {
  birthDate: string;
  gender: string;
  /** The addresses' kinds and six-digit district codes (行政区划代码), no street line. */
  districts: { kind: string; district: string }[];
  segment: string;
  /** Products of the accounts that are not closed, as HQ names them. */
  products: string[];
  riskRating: string;
  kycStatus: string;
}

/**
 * How coarse each quasi-identifier is: a level in its hierarchy, 0 being the finest. The top
 * level of each says nothing (`*`).
 *  - age_band: 5-, 10-, 20-, 40-year bands (80 and over in one), then `*`
 *  - gender: as recorded, then `*`
 *  - area: the six-digit district code, its city, its province, then `*`
 *  - segment, risk_rating: as recorded, then `*`
 *  - products: the set held, how many (0, 1, 2, 3+), whether any (0, 1+), then `*`
 */
export type Generalisation = Record<QuasiIdentifier, number>;

export const hierarchyHeights: Generalisation = {
  age_band: 4,
  gender: 1,
  area: 3,
  segment: 1,
  products: 3,
  risk_rating: 1,
};

const AGE_BANDS = [5, 10, 20, 40] as const;
/** Ages from here up share one band: the very old are few and easy to single out. */
const TOP_AGE = 80;
const ANY = '*';

/** Whole years from a birth date to `today` (both `YYYY-MM-DD`). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

function ageBand(age: number, level: number): string {
  const years = AGE_BANDS[level];
  if (years === undefined) return ANY;
  if (age >= TOP_AGE) return `${TOP_AGE}+`;
  const low = Math.floor(Math.max(age, 0) / years) * years;
  return `${low}-${Math.min(low + years - 1, TOP_AGE - 1)}`;
}

/** The residential address's district (else the first address's), as coarse as asked. */
function area(districts: ExtractSource['districts'], level: number): string {
  if (level >= 3) return ANY;
  const code = (districts.find((entry) => entry.kind === 'residential') ?? districts[0])?.district;
  if (!code || !/^\d{6}$/.test(code)) return 'unknown';
  if (level === 0) return code;
  return level === 1 ? `${code.slice(0, 4)}00` : `${code.slice(0, 2)}0000`;
}

function products(held: string[], level: number): string {
  const distinct = [...new Set(held)].sort();
  if (level === 0) return distinct.length === 0 ? 'none' : distinct.join('+');
  if (level === 1) return distinct.length >= 3 ? '3+' : String(distinct.length);
  if (level === 2) return distinct.length === 0 ? '0' : '1+';
  return ANY;
}

/** One quasi-identifier of one customer at one level of its hierarchy. */
function quasiValue(
  column: QuasiIdentifier,
  level: number,
  source: ExtractSource,
  today: string,
): string {
  switch (column) {
    case 'age_band':
      return ageBand(ageOn(source.birthDate, today), level);
    case 'gender':
      return level === 0 ? source.gender : ANY;
    case 'area':
      return area(source.districts, level);
    case 'segment':
      return level === 0 ? source.segment : ANY;
    case 'products':
      return products(source.products, level);
    case 'risk_rating':
      return level === 0 ? source.riskRating : ANY;
  }
}

/** One customer's row at one generalisation. */
export function generalise(
  source: ExtractSource,
  levels: Generalisation,
  today: string,
): ExtractRow {
  const row = { kyc_status: source.kycStatus } as ExtractRow;
  for (const column of quasiIdentifiers)
    row[column] = quasiValue(column, levels[column], source, today);
  return row;
}

/** The combination a row is grouped (and re-identified) by. */
export const quasiKey = (row: ExtractRow) =>
  quasiIdentifiers.map((column) => row[column]).join('\u001f');

/** How many rows share each row's combination of quasi-identifiers. */
function groupSizes(rows: readonly ExtractRow[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const row of rows) {
    const key = quasiKey(row);
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return sizes;
}

/** Every generalisation: each quasi-identifier at each level of its hierarchy. */
function* lattice(): Generator<Generalisation> {
  const columns = [...quasiIdentifiers];
  const levels = columns.map(() => 0);
  for (;;) {
    yield Object.fromEntries(columns.map((column, i) => [column, levels[i]])) as Generalisation;
    let i = 0;
    while (i < columns.length && levels[i] === hierarchyHeights[columns[i]!]) levels[i++] = 0;
    if (i === columns.length) return;
    levels[i]! += 1;
  }
}

/** Information lost: how far up its hierarchy each quasi-identifier went, on average (0 to 1). */
export function loss(levels: Generalisation): number {
  const shares = quasiIdentifiers.map((column) => levels[column] / hierarchyHeights[column]);
  return shares.reduce((sum, share) => sum + share, 0) / shares.length;
}

export interface Anonymised {
  rows: ExtractRow[];
  /** Customers considered. */
  total: number;
  /** Rows left out because their group was smaller than k. */
  suppressed: number;
  generalisation: Generalisation;
}

export interface AnonymiseOptions {
  k: number;
  /** The share of rows that may be suppressed (their groups being smaller than k). */
  maxSuppressedShare: number;
  today: string;
}

/**
 * Full-domain generalisation (Samarati): of every combination of levels, the one that loses
 * least information while suppressing no more than the budget; ties go to fewer rows suppressed.
 * Rows in groups smaller than k are then left out, and the rest sorted by their values, so their
 * order says nothing of the customers' numbers or ids. Each quasi-identifier's value at each
 * level is worked out once and coded as a number, so each of the 640 combinations costs one
 * pass over small integers.
 */
export function anonymise(
  sources: readonly ExtractSource[],
  { k, maxSuppressedShare, today }: AnonymiseOptions,
): Anonymised {
  // codes[column][level][row]: the row's value as an index into that level's distinct values.
  const codes = {} as Record<QuasiIdentifier, Uint32Array[]>;
  const distinct = {} as Record<QuasiIdentifier, number[]>;
  for (const column of quasiIdentifiers) {
    codes[column] = [];
    distinct[column] = [];
    for (let level = 0; level <= hierarchyHeights[column]; level += 1) {
      const index = new Map<string, number>();
      const coded = new Uint32Array(sources.length);
      sources.forEach((source, row) => {
        const value = quasiValue(column, level, source, today);
        let code = index.get(value);
        if (code === undefined) index.set(value, (code = index.size));
        coded[row] = code;
      });
      codes[column].push(coded);
      distinct[column].push(index.size);
    }
  }
  const budget = maxSuppressedShare * sources.length;
  let best: { levels: Generalisation; loss: number; suppressed: number } | undefined;
  const keys = new Float64Array(sources.length);
  for (const levels of lattice()) {
    const cost = loss(levels);
    if (best && cost > best.loss) continue;
    keys.fill(0);
    for (const column of quasiIdentifiers) {
      const coded = codes[column][levels[column]]!;
      const radix = distinct[column][levels[column]]!;
      for (let row = 0; row < keys.length; row += 1) keys[row] = keys[row]! * radix + coded[row]!;
    }
    const sizes = new Map<number, number>();
    for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
    let suppressed = 0;
    for (const size of sizes.values()) if (size < k) suppressed += size;
    if (suppressed > budget) continue;
    if (!best || cost < best.loss || suppressed < best.suppressed)
      best = { levels, loss: cost, suppressed };
  }
  // The top of every hierarchy is one group of everyone: within any budget once there are k.
  const levels = best?.levels ?? hierarchyHeights;
  const all = sources.map((source) => generalise(source, levels, today));
  const sizes = groupSizes(all);
  const rows = all.filter((row) => sizes.get(quasiKey(row))! >= k);
  rows.sort((a, b) => {
    for (const column of extractColumns) {
      const order = a[column].localeCompare(b[column], 'en');
      if (order !== 0) return order;
    }
    return 0;
  });
  return { rows, total: all.length, suppressed: all.length - rows.length, generalisation: levels };
}

/**
 * The rows as they are written, after checking again, on the rows themselves, that every group
 * has k rows: the file is never written from a result that is not k-anonymous.
 */
export function assertAnonymous(rows: readonly ExtractRow[], k: number): void {
  const sizes = groupSizes(rows);
  const exposed = rows.filter((row) => sizes.get(quasiKey(row))! < k).length;
  if (exposed > 0) throw new BranchDeskError('EXTRACT_NOT_ANONYMOUS', { rows: exposed, k });
}

/**
 * The branch's individual customers (its scope: home branch, or an RM of the branch), reading
 * only the fields the extract generalises. A company is not a person and is left out.
 */
export async function extractSources(db: Database, branchId: string): Promise<ExtractSource[]> {
  const known = await db.query('SELECT 1 FROM branch WHERE id = $1', [branchId]);
  if (known.length === 0) throw new BranchDeskError('BRANCH_NOT_FOUND', { branchId });
  const rows = await db.query<{
    birth_date: string;
    gender: string;
    districts: { kind: string; district: string }[] | null;
    segment: string;
    products: string[] | null;
    risk_rating: string;
    kyc_status: string;
  }>(
    `SELECT c.record->>'birthDate' AS birth_date,
            c.record->>'gender' AS gender,
            (SELECT jsonb_agg(jsonb_build_object('kind', a->>'kind', 'district', a->>'districtCode'))
               FROM jsonb_array_elements(c.record->'addresses') AS a) AS districts,
            c.record->>'segment' AS segment,
            (SELECT array_agg(DISTINCT x->>'product')
               FROM jsonb_array_elements(c.record->'accounts') AS x
              WHERE x->>'status' <> 'closed') AS products,
            c.record->'kyc'->>'riskRating' AS risk_rating,
            c.record->'kyc'->>'status' AS kyc_status
       FROM customer c
      WHERE c.record->>'kind' = 'individual' AND ${inBranchScope}
        -- Restricted data is only kept (PIPL Art. 47): no analysis.
        AND NOT c.record ? 'restriction'`,
    [branchId],
  );
  return rows.map((row) => ({
    birthDate: row.birth_date,
    gender: row.gender,
    districts: row.districts ?? [],
    segment: row.segment,
    products: row.products ?? [],
    riskRating: row.risk_rating,
    kycStatus: row.kyc_status,
  }));
}

export interface ExtractSummary {
  branchId: string;
  total: number;
  written: number;
  suppressed: number;
  k: number;
  generalisation: Generalisation;
}

/**
 * `npm run hq -- privacy extract`: the branch's anonymised dataset as CSV at `out`, a new file
 * readable by its owner only (an existing file is never overwritten).
 */
export async function writeExtract(
  db: Database,
  options: { branchId: string; out: string; k: number; maxSuppressedShare: number; today: string },
): Promise<ExtractSummary> {
  const result = anonymise(await extractSources(db, options.branchId), options);
  assertAnonymous(result.rows, options.k);
  const lines = [
    [...extractColumns],
    ...result.rows.map((row) => extractColumns.map((column) => row[column])),
  ];
  writeNewFile(options.out, csvDocument(lines));
  return {
    branchId: options.branchId,
    total: result.total,
    written: result.rows.length,
    suppressed: result.suppressed,
    k: options.k,
    generalisation: result.generalisation,
  };
}

/** What the console prints of an extract: counts and the generalisation, nothing of a person. */
export function describeExtract(summary: ExtractSummary): string {
  const levels = quasiIdentifiers
    .map(
      (column) => `${column} level ${summary.generalisation[column]}/${hierarchyHeights[column]}`,
    )
    .join(', ');
  return [
    `extract of branch ${summary.branchId}: ${summary.written} rows written of ${summary.total} individual customers`,
    `${summary.suppressed} suppressed (groups smaller than k = ${summary.k})`,
    `generalisation: ${levels}`,
  ].join('; ');
}
