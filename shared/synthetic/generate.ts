// Deterministic synthetic customers: `generateCustomer(seed, index, options)` is a pure function
// of its arguments, and `generateCustomers` streams indices start…start+count-1 through it, so a
// million records never sit in memory and any one of them can be rebuilt alone. Customer numbers
// and resident ID numbers are unique by construction (bijections of the index), not by luck.
import { plantedCustomer, type PlantOptions } from '../quality/plant';
import type {
  AccountSummary,
  Address,
  Consent,
  CorporateCustomer,
  Customer,
  IdentityDocument,
  IndividualCustomer,
  Kyc,
  Note,
  Phone,
  Segment,
  Task,
  Visit,
} from '../customer';
import { customerNumberCheckDigit, withEntryIds } from '../customer';
import {
  type CalendarDate,
  addYears,
  ageOn,
  computeOrganisationCodeCheck,
  computeResidentIdCheck,
  computeUsccCheck,
  formatIsoDate,
  fromDayNumber,
  parseIsoDate,
  residentIdValidityForAge,
  toDayNumber,
  USCC_ALPHABET,
} from '../validation';
import { RecordRandom, type WeightedTable, mix32, weighted } from './random';
import {
  type City,
  type NamePart,
  accountProducts,
  cities,
  syntheticConsentPurposes,
  femaleGivenCharacters,
  industries,
  maleGivenCharacters,
  mobilePrefixes,
  corporateNoteTexts,
  individualNoteTexts,
  occupations,
  rareGivenCharacters,
  sevenDigitAreaCodes,
  sourcesOfFunds,
  streets,
  surnames,
  taskTitles,
  tradeNames,
  uyghurFemaleNames,
  uyghurMaleNames,
} from './tables';

export interface SyntheticCustomerOptions {
  /** Branch ids customers are homed at, evenly. */
  branches: readonly string[];
  /**
   * Relationship managers per branch, named `<branch>-rm-01` …; or the RM ids of each branch
   * (a branch missing from the record has none).
   */
  rmsPerBranch: number | Readonly<Record<string, readonly string[]>>;
  /** The day the data describes, `YYYY-MM-DD`; nothing is dated later. Default 2026-07-01. */
  today?: string;
  /** Share of corporate customers, 0–1. Default 0.1. */
  corporateShare?: number;
}

export interface GenerateCustomersOptions extends SyntheticCustomerOptions {
  /** A non-negative safe integer; the same seed gives the same customers. */
  seed: number;
  count: number;
  /** First index; default 0. Lets a run be split into ranges. */
  start?: number;
  /**
   * Data quality problems planted (shared/quality/plant.ts): every customer put right on
   * `today`, then a share of them given exactly one problem. Absent: the data as generated.
   */
  plant?: PlantOptions;
}

export const DEFAULT_SYNTHETIC_TODAY = '2026-07-01';

const YOUNGEST_AGE = 18;
const OLDEST_AGE = 80;
/** Sequence codes per birth date and gender: `2k+1` male, `2k` female, k in 0…499. */
const SEQUENCES_PER_DAY = 500;
const CUSTOMER_NUMBER_SPACE = 1_000_000_000;
// Odd and not a multiple of 5, so `index * STRIDE mod 10^9` is a bijection.
const CUSTOMER_NUMBER_STRIDE = 7_654_321;
const REFERENCE_ID = /^[A-Za-z0-9._:-]{1,64}$/u;

/** Everything derived once from the seed and options, shared by all records of a run. */
interface Context {
  seed: number;
  today: CalendarDate;
  todayDay: number;
  earliestBirthDay: number;
  idSlots: number;
  idStride: number;
  idOffset: number;
  numberOffset: number;
  branches: readonly string[];
  rms: ReadonlyMap<string, readonly string[]>;
  corporateShare: number;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function createContext(seed: number, options: SyntheticCustomerOptions): Context {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError('seed must be a non-negative safe integer');
  if (options.branches.length === 0) throw new RangeError('branches must not be empty');
  const today = parseIsoDate(options.today ?? DEFAULT_SYNTHETIC_TODAY);
  if (!today) throw new RangeError(`today is not a date: ${options.today}`);
  const rms = new Map<string, readonly string[]>();
  for (const branch of options.branches) {
    const ids =
      typeof options.rmsPerBranch === 'number'
        ? Array.from(
            { length: options.rmsPerBranch },
            (_, n) => `${branch}-rm-${String(n + 1).padStart(2, '0')}`,
          )
        : (options.rmsPerBranch[branch] ?? []);
    for (const id of [branch, ...ids, `${branch}-dev-01`]) {
      if (!REFERENCE_ID.test(id)) throw new RangeError(`not a reference id: ${id}`);
    }
    rms.set(branch, ids);
  }
  const todayDay = toDayNumber(today);
  const earliestBirthDay = toDayNumber(addYears(today, -OLDEST_AGE));
  const latestBirthDay = toDayNumber(addYears(today, -YOUNGEST_AGE));
  const idSlots = (latestBirthDay - earliestBirthDay + 1) * SEQUENCES_PER_DAY;
  let idStride = 1_000_003 % idSlots;
  while (gcd(idStride, idSlots) !== 1) idStride += 1;
  const seedHash = mix32(mix32(seed >>> 0) ^ Math.floor(seed / 0x1_0000_0000));
  return {
    seed,
    today,
    todayDay,
    earliestBirthDay,
    idSlots,
    idStride,
    idOffset: seedHash % idSlots,
    numberOffset: mix32(seedHash ^ 0x5bd1e995) % CUSTOMER_NUMBER_SPACE,
    branches: options.branches,
    rms,
    corporateShare: options.corporateShare ?? 0.1,
  };
}

/** How many records one seed can give before customer or ID numbers would repeat. */
function capacity(context: Context): number {
  return Math.min(context.idSlots, CUSTOMER_NUMBER_SPACE);
}

/** Streams `count` customers from index `start` (default 0). */
export function* generateCustomers(options: GenerateCustomersOptions): Generator<Customer> {
  const context = createContext(options.seed, options);
  const start = options.start ?? 0;
  if (!Number.isSafeInteger(start) || start < 0 || !Number.isSafeInteger(options.count))
    throw new RangeError('start and count must be non-negative integers');
  if (start + options.count > capacity(context))
    throw new RangeError(`at most ${capacity(context)} customers per seed`);
  for (let index = start; index < start + options.count; index += 1) {
    const customer = buildCustomer(context, index);
    yield options.plant ? plantedCustomer(customer, options.seed, index, options.plant) : customer;
  }
}

/** The customer at `index` of the run for `seed`: the same whatever the run's count. */
export function generateCustomer(
  seed: number,
  index: number,
  options: SyntheticCustomerOptions,
): Customer {
  const context = createContext(seed, options);
  if (!Number.isSafeInteger(index) || index < 0 || index >= capacity(context))
    throw new RangeError(`index must be in 0…${capacity(context) - 1}`);
  return buildCustomer(context, index);
}

function buildCustomer(context: Context, index: number): Customer {
  const random = new RecordRandom(context.seed, index);
  return random.chance(context.corporateShare)
    ? buildCorporate(context, index, random)
    : buildIndividual(context, index, random);
}

// ——— shared pieces ———

const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

// Formatting dates is a large share of the work; a run touches only ~30,000 distinct days.
const isoDays = new Map<number, string>();

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
function isoDay(day: number): string {
  let text = isoDays.get(day);
  if (text === undefined) {
    text = formatIsoDate(fromDayNumber(day));
    isoDays.set(day, text);
  }
  return text;
}

function isoDate(date: CalendarDate): string {
  return isoDay(toDayNumber(date));
}

/** A moment during branch hours on `day`, China time. */
function branchTime(random: RecordRandom, day: number): string {
  return `${isoDay(day)}T${pad2(random.between(9, 16))}:${pad2(random.int(60))}:${pad2(random.int(60))}+08:00`;
}

function customerNumber(context: Context, index: number): string {
  const body = String(
    (index * CUSTOMER_NUMBER_STRIDE + context.numberOffset) % CUSTOMER_NUMBER_SPACE,
  ).padStart(9, '0');
  return `C${body}${customerNumberCheckDigit(body)}`;
}

interface Assignment {
  branch: string;
  rm: string | undefined;
  staff: readonly string[];
}

function assign(context: Context, random: RecordRandom): Assignment {
  const branch = random.pick(context.branches);
  const rms = context.rms.get(branch) ?? [];
  const rm = rms.length > 0 ? random.pick(rms) : undefined;
  return {
    branch,
    rm,
    staff: rm === undefined ? [`${branch}-teller-01`] : [rm, `${branch}-teller-01`],
  };
}

function address(random: RecordRandom, city: City, kind: Address['kind']): Address {
  const district = random.pick(city.districts);
  const line = `${random.pick(streets)}${random.between(1, 899)}号${random.between(1, 30)}号楼${random.between(1, 6)}单元${random.between(1, 32)}0${random.between(1, 6)}室`;
  return {
    kind,
    provinceCode: city.provinceCode,
    cityCode: city.code,
    districtCode: district.code,
    line,
    postcode: `${city.postcodePrefix}${random.digits(3)}`,
  };
}

function mobile(random: RecordRandom, primary: boolean): Phone {
  const phone: Phone = {
    kind: 'mobile',
    e164: `+86${random.pick(mobilePrefixes)}${random.digits(8)}`,
  };
  if (primary) phone.primary = true;
  return phone;
}

function landline(random: RecordRandom, city: City, primary: boolean): Phone {
  const length = sevenDigitAreaCodes.has(city.areaCode) ? 7 : 8;
  const subscriber = `${random.between(5, 6)}${random.digits(length - 1)}`;
  const phone: Phone = { kind: 'landline', e164: `+86${city.areaCode}${subscriber}` };
  if (primary) phone.primary = true;
  return phone;
}

const kycStatuses: WeightedTable<Kyc['status']> = weighted<Kyc['status']>([
  ['verified', 86],
  ['review_required', 7],
  ['pending', 5],
  ['rejected', 2],
]);
const individualRisk: WeightedTable<Kyc['riskRating']> = weighted<Kyc['riskRating']>([
  ['low', 72],
  ['medium', 24],
  ['high', 4],
]);
const corporateRisk: WeightedTable<Kyc['riskRating']> = weighted<Kyc['riskRating']>([
  ['low', 40],
  ['medium', 50],
  ['high', 10],
]);
const REVIEW_CYCLE_YEARS = { low: 3, medium: 2, high: 1 } as const;

function kyc(
  context: Context,
  random: RecordRandom,
  risks: WeightedTable<Kyc['riskRating']>,
  sourceOfFunds: string | undefined,
): Kyc {
  const pep = random.chance(0.003);
  const sanctionsHit = random.chance(0.0005);
  let status = random.pickWeighted(kycStatuses);
  if (sanctionsHit) status = 'review_required';
  const riskRating = pep || sanctionsHit ? 'high' : random.pickWeighted(risks);
  const result: Kyc = { status, nextReviewDue: '', riskRating, pep, sanctionsHit };
  if (status === 'pending') {
    result.nextReviewDue = isoDay(context.todayDay + random.between(1, 60));
  } else {
    const cycle = REVIEW_CYCLE_YEARS[riskRating];
    // Up to two months past a full cycle, so a few reviews are overdue, as in life.
    const last = fromDayNumber(context.todayDay - random.int(cycle * 365 + 60));
    result.lastReviewedOn = isoDate(last);
    result.nextReviewDue = isoDate(addYears(last, cycle));
  }
  if (sourceOfFunds !== undefined) result.sourceOfFunds = sourceOfFunds;
  return result;
}

/** FNV-1a of `text`: a spread of values that costs no draw from the generator. */
function accountHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function accounts(
  random: RecordRandom,
  firstDay: number,
  lastDay: number,
  count: number,
): AccountSummary[] {
  const list: AccountSummary[] = [];
  for (let n = 0; n < count; n += 1) {
    const [product, prefix] = random.pick(accountProducts);
    const roll = random.float();
    const maskedNumber = `${prefix} **** **** ${random.digits(4)}`;
    const status =
      roll < 0.88 ? 'active' : roll < 0.96 ? 'dormant' : roll < 0.98 ? 'frozen' : 'closed';
    const opened = random.between(firstDay, lastDay);
    const account: AccountSummary = { product, maskedNumber, status, openedOn: isoDay(opened) };
    // Closed halfway to the last day: no draw of its own, so every other value stays as it was.
    if (status === 'closed') account.closedOn = isoDay(Math.ceil((opened + lastDay) / 2));
    // A balance and a time deposit's maturity from a hash of what was drawn already, for the
    // same reason: records generated before these fields existed keep every other value.
    else if (product !== '信用卡') {
      const spread = accountHash(`${maskedNumber}|${opened}`);
      // Log-uniform from 100 yuan to 10 million: most small, a few large, as in a branch's book.
      account.balance = Math.round(10 ** (2 + (5 * (spread % 10_000)) / 10_000));
      if (product === '定期存款') {
        const termDays = [91, 182, 365, 730, 1095][spread % 5]!;
        let matures = opened + termDays;
        while (matures <= lastDay) matures += termDays;
        account.maturesOn = isoDay(matures);
      }
    }
    list.push(account);
  }
  return list;
}

function consents(random: RecordRandom, firstDay: number, lastDay: number): Consent[] {
  const list: Consent[] = [];
  for (const purpose of syntheticConsentPurposes) {
    if (!random.chance(0.35)) continue;
    const channel = random.pick(['branch', 'online_banking', 'mobile_app', 'phone'] as const);
    const granted = random.between(firstDay, lastDay);
    list.push({ purpose, state: 'granted', at: branchTime(random, granted), channel });
    if (random.chance(0.15)) {
      const withdrawn = random.between(granted + 1, lastDay + 1);
      list.push({ purpose, state: 'withdrawn', at: branchTime(random, withdrawn), channel });
    }
  }
  return list;
}

interface Records {
  notes: Note[];
  visits: Visit[];
  tasks: Task[];
}

function records(
  context: Context,
  random: RecordRandom,
  staff: readonly string[],
  visitKinds: readonly Visit['kind'][],
  noteTexts: readonly string[],
): Records {
  const notes: Note[] = [];
  const visits: Visit[] = [];
  const tasks: Task[] = [];
  for (let n = random.int(3); n > 0; n -= 1) {
    notes.push({
      id: random.uuid(),
      at: branchTime(random, context.todayDay - random.int(730)),
      author: random.pick(staff),
      text: random.pick(noteTexts),
    });
  }
  for (let n = random.int(3); n > 0; n -= 1) {
    visits.push({
      id: random.uuid(),
      at: branchTime(random, context.todayDay - random.int(730)),
      author: random.pick(staff),
      kind: random.pick(visitKinds),
    });
  }
  if (random.chance(0.2)) {
    const done = random.chance(0.5);
    tasks.push({
      id: random.uuid(),
      title: random.pick(taskTitles),
      dueOn: isoDay(context.todayDay + (done ? -random.int(180) : random.between(1, 90))),
      status: done ? 'done' : 'open',
      assignee: random.pick(staff),
    });
  }
  return { notes, visits, tasks };
}

const individualSegments: WeightedTable<Segment> = weighted<Segment>([
  ['mass', 85],
  ['affluent', 13],
  ['private_banking', 2],
]);
const corporateSegments: WeightedTable<Segment> = weighted<Segment>([
  ['mass', 70],
  ['affluent', 30],
]);

type Channel = Customer['preferredChannel'];
const channelPreferences: WeightedTable<Channel> = weighted<Channel>([
  ['sms', 40],
  ['phone', 25],
  ['email', 15],
  ['branch', 15],
  ['post', 5],
]);

function preferredChannel(random: RecordRandom, phones: Phone[], hasEmail: boolean): Channel {
  const channel = random.pickWeighted(channelPreferences);
  if ((channel === 'sms' || channel === 'phone') && phones.length === 0) return 'branch';
  if (channel === 'sms' && phones[0]?.kind !== 'mobile' && phones[1]?.kind !== 'mobile')
    return 'phone';
  if (channel === 'email' && !hasEmail) return 'branch';
  return channel;
}

// ——— individuals ———

interface PersonName {
  legalName: string;
  /** `Ouyang Mingxuan`; undefined for names not written in Han characters. */
  pinyinName: string | undefined;
  /** For the e-mail address. */
  handle: string;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function personName(random: RecordRandom, male: boolean): PersonName {
  if (random.chance(0.01)) {
    const given = random.pick(male ? uyghurMaleNames : uyghurFemaleNames);
    const father = random.pick(uyghurMaleNames);
    return { legalName: `${given}\u00b7${father}`, pinyinName: undefined, handle: 'user' };
  }
  const [surname, surnamePinyin] = random.pickWeighted(surnames);
  const characters = male ? maleGivenCharacters : femaleGivenCharacters;
  const first: NamePart = random.pick(characters);
  let second: NamePart | undefined = random.chance(0.7) ? random.pick(characters) : undefined;
  const rare = random.chance(0.002) ? random.pick(rareGivenCharacters) : undefined;
  if (rare !== undefined) second = rare;
  const given = second === undefined ? first[0] : first[0] + second[0];
  const givenPinyin = second === undefined ? first[1] : first[1] + second[1];
  return {
    legalName: surname + given,
    pinyinName: `${capitalise(surnamePinyin)} ${capitalise(givenPinyin)}`,
    handle: `${givenPinyin}.${surnamePinyin}`,
  };
}

/** The current resident ID card: renewed on expiry (mostly), so a few are expired. */
function residentIdCard(
  context: Context,
  random: RecordRandom,
  number: string,
  birth: CalendarDate,
  birthDay: number,
  city: City,
  districtName: string,
): IdentityDocument {
  const firstIssue = Math.min(toDayNumber(addYears(birth, 16)) + random.int(700), context.todayDay);
  let issued = fromDayNumber(firstIssue);
  let expires: CalendarDate | null;
  for (;;) {
    const period = residentIdValidityForAge(ageOn(birth, issued));
    if (period === 'long_term') {
      expires = null;
      break;
    }
    expires = addYears(issued, period);
    const expiresDay = toDayNumber(expires);
    if (expiresDay >= context.todayDay || random.chance(0.03)) break;
    issued = fromDayNumber(Math.max(expiresDay - random.int(60), birthDay + 1));
  }
  const bureau = districtName === '' ? '' : `${districtName.replace(/区$/u, '')}分局`;
  return {
    type: 'resident_id',
    number,
    issuedBy: `${city.name}公安局${bureau}`,
    issuedOn: isoDate(issued),
    expiresOn: expires === null ? null : isoDate(expires),
  };
}

function sourceOfFunds(random: RecordRandom, age: number): string {
  if (age >= 60 && random.chance(0.7)) return '退休金';
  for (;;) {
    const source = random.pick(sourcesOfFunds);
    if (source !== '退休金' || age >= 55) return source;
  }
}

const emailDomains = ['example.com', 'example.cn', 'example.net'] as const;

function buildIndividual(
  context: Context,
  index: number,
  random: RecordRandom,
): IndividualCustomer {
  const male = random.chance(0.5);
  const slot = (index * context.idStride + context.idOffset) % context.idSlots;
  const birthDay = context.earliestBirthDay + Math.floor(slot / SEQUENCES_PER_DAY);
  const birth = fromDayNumber(birthDay);
  const sequence = 2 * (slot % SEQUENCES_PER_DAY) + (male ? 1 : 0);
  const name = personName(random, male);

  const home = random.pickWeighted(cities);
  // Most people bank where they were born; the ID keeps the birthplace's code.
  const birthCity = random.chance(0.6) ? home : random.pickWeighted(cities);
  const birthDistrict = random.pick(birthCity.districts);
  const first17 = `${birthDistrict.code}${isoDay(birthDay).replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  const idNumber = first17 + computeResidentIdCheck(first17);

  const phones: Phone[] = [];
  if (random.chance(0.97)) phones.push(mobile(random, true));
  if (random.chance(0.15)) phones.push(landline(random, home, phones.length === 0));
  const email = random.chance(0.45)
    ? `${name.handle}${random.int(1000)}@${random.pick(emailDomains)}`
    : undefined;
  const addresses = [address(random, home, 'residential')];
  if (random.chance(0.2)) addresses.push(address(random, home, 'mailing'));

  const adultDay = toDayNumber(addYears(birth, YOUNGEST_AGE));
  const { branch, rm, staff } = assign(context, random);
  const segment = random.pickWeighted(individualSegments);
  const age = ageOn(birth, context.today);
  const occupation =
    age >= 62 && random.chance(0.7)
      ? '退休人员'
      : random.chance(0.8)
        ? random.pick(occupations)
        : undefined;
  const customer: IndividualCustomer = {
    kind: 'individual',
    id: random.uuid(),
    customerNumber: customerNumber(context, index),
    version: random.between(1, 6),
    updatedAt: branchTime(random, context.todayDay - random.int(365)),
    updatedBy: random.pick(staff),
    updatedByDevice: `${branch}-dev-01`,
    legalName: name.legalName,
    chineseName: name.legalName,
    gender: male ? 'male' : 'female',
    birthDate: isoDate(birth),
    nationality: 'CHN',
    identityDocuments: [
      residentIdCard(context, random, idNumber, birth, birthDay, birthCity, birthDistrict.name),
    ],
    // The ids a stored list without them is given on read, so a parse changes nothing.
    phones: withEntryIds(phones),
    preferredChannel: preferredChannel(random, phones, email !== undefined),
    addresses: withEntryIds(addresses),
    kyc: kyc(
      context,
      random,
      individualRisk,
      random.chance(0.9) ? sourceOfFunds(random, age) : undefined,
    ),
    segment,
    homeBranchId: branch,
    accounts: accounts(
      random,
      Math.max(adultDay, context.todayDay - 25 * 365),
      context.todayDay,
      random.pickWeighted(accountCounts),
    ),
    consents: consents(
      random,
      Math.max(adultDay, context.todayDay - 6 * 365),
      context.todayDay - 1,
    ),
    ...records(context, random, staff, ['branch', 'home', 'phone', 'video'], individualNoteTexts),
  };
  if (name.pinyinName !== undefined) customer.pinyinName = name.pinyinName;
  if (email !== undefined) customer.email = email;
  if (occupation !== undefined) customer.occupation = occupation;
  if (occupation !== undefined && occupation !== '退休人员' && random.chance(0.5)) {
    const [industry] = random.pick(industries);
    customer.employer = `${home.name.replace(/市$/u, '')}${random.pick(tradeNames)}${industry}有限公司`;
  }
  if (rm !== undefined && (segment !== 'mass' || random.chance(0.3))) customer.assignedRmId = rm;
  return customer;
}

const accountCounts: WeightedTable<number> = weighted<number>([
  [0, 5],
  [1, 50],
  [2, 30],
  [3, 15],
]);

// ——— corporates ———

const usccTypes: WeightedTable<string> = weighted<string>([
  ['91', 88],
  ['92', 4],
  ['93', 3],
  ['52', 3],
  ['12', 2],
]);

/** A USCC whose organisation code (GB 11714) and MOD 31 check characters are both right. */
function uscc(random: RecordRandom, districtCode: string): string {
  let body = random.chance(0.6) ? 'MA' : '';
  while (body.length < 8) body += USCC_ALPHABET[random.int(USCC_ALPHABET.length)] ?? '0';
  const first17 = `${random.pickWeighted(usccTypes)}${districtCode}${body}${computeOrganisationCodeCheck(body)}`;
  return first17 + computeUsccCheck(first17);
}

function buildCorporate(context: Context, index: number, random: RecordRandom): CorporateCustomer {
  const home = random.pickWeighted(cities);
  const registered = address(random, home, 'registered');
  const [industry] = random.pick(industries);
  const trade = random.pick(tradeNames);
  const shareholding = random.chance(0.15);
  const legalName = `${home.name.replace(/市$/u, '')}${trade}${industry}${shareholding ? '股份' : ''}有限公司`;
  const issuedDay = context.todayDay - random.between(30, 25 * 365);
  const expires = random.chance(0.7) ? null : isoDay(issuedDay + random.between(20, 30) * 365);

  const phones: Phone[] = [landline(random, home, true)];
  if (random.chance(0.5)) phones.push(mobile(random, false));
  const number = customerNumber(context, index);
  const email = random.chance(0.6)
    ? `finance.${number.toLowerCase()}@${random.pick(emailDomains)}`
    : undefined;
  const addresses = [registered];
  if (random.chance(0.4)) addresses.push(address(random, home, 'mailing'));
  const { branch, rm, staff } = assign(context, random);

  const customer: CorporateCustomer = {
    kind: 'corporate',
    id: random.uuid(),
    customerNumber: number,
    version: random.between(1, 6),
    updatedAt: branchTime(random, context.todayDay - random.int(365)),
    updatedBy: random.pick(staff),
    updatedByDevice: `${branch}-dev-01`,
    legalName,
    chineseName: legalName,
    identityDocuments: [
      {
        type: 'uscc',
        number: uscc(random, registered.districtCode),
        issuedBy: `${home.name}市场监督管理局`,
        issuedOn: isoDay(issuedDay),
        expiresOn: expires,
      },
    ],
    // The ids a stored list without them is given on read, so a parse changes nothing.
    phones: withEntryIds(phones),
    preferredChannel: preferredChannel(random, phones, email !== undefined),
    addresses: withEntryIds(addresses),
    kyc: kyc(context, random, corporateRisk, '经营收入'),
    segment: random.pickWeighted(corporateSegments),
    homeBranchId: branch,
    accounts: accounts(random, issuedDay, context.todayDay, random.between(1, 3)),
    consents: consents(
      random,
      Math.max(issuedDay, context.todayDay - 6 * 365),
      context.todayDay - 1,
    ),
    ...records(
      context,
      random,
      staff,
      ['branch', 'business_premises', 'phone', 'video'],
      corporateNoteTexts,
    ),
  };
  if (email !== undefined) customer.email = email;
  if (rm !== undefined) customer.assignedRmId = rm;
  return customer;
}
