// The one search box, against a real encrypted vault of 20,000 generated customers plus a few
// hand-made ones whose names pin down the hard cases (张三 and 张三丰, the surname 单 read shan,
// the compound surname 欧阳, a minority name with a middle dot). Each case says which customer
// must come first, or, for queries many customers match, that the expected one is among the
// results and every result really matches. The plans of the statements a search runs are
// checked too: every lookup is an index seek, never a table scan.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerService } from '../../electron/core/customers/service';
import { CustomerStore } from '../../electron/core/customers/store';
import { nationalNumber, searchableName } from '../../electron/core/customers/terms';
import {
  CANDIDATE_CAP,
  CustomerSearch,
  type SearchHitItem,
  type SearchResult,
} from '../../electron/core/search/search';
import { bulkLoad, createVault, type SqliteDatabase, type Vault } from '../../electron/core/vault';
import { customerSchema, type Customer } from '../../shared/customer';
import { planSearch } from '../../shared/search/plan';
import {
  generateCustomer,
  generateCustomers,
  type SyntheticCustomerOptions,
} from '../../shared/synthetic';
import { profileSandbox, realSecretStore } from '../support/keyring';

const SEED = 11;
const COUNT = 20_000;
const BATCH = 5_000;
const options: SyntheticCustomerOptions = { branches: ['b01', 'b02'], rmsPerBranch: 3 };

// ——— recording the statements a search runs, for their query plans ———

type Statement = ReturnType<SqliteDatabase['prepare']>;
interface StatementCall {
  sql: string;
  args: unknown[];
}

/** `statement`, but every execution is recorded in `calls` with its SQL and arguments. */
function recordingStatement(statement: Statement, sql: string, calls: StatementCall[]): Statement {
  const proxy: Statement = new Proxy(statement, {
    get(target, property) {
      if (property === 'all' || property === 'get' || property === 'run') {
        return (...args: unknown[]) => {
          calls.push({ sql, args });
          return (target[property] as (...values: unknown[]) => unknown).apply(target, args);
        };
      }
      if (property === 'pluck' || property === 'raw' || property === 'expand') {
        return (...args: unknown[]) => {
          (target[property] as (...values: unknown[]) => unknown).apply(target, args);
          return proxy;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...values: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return proxy;
}

/** `db`, but the statements it prepares record their executions in `calls`. */
function recordingDatabase(db: SqliteDatabase, calls: StatementCall[]): SqliteDatabase {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare')
        return (sql: string) => recordingStatement(target.prepare(sql), sql, calls);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...values: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

// ——— the data ———

/** A valid individual from past the loaded range, renamed; everything else stays as generated. */
function handMade(index: number, legalName: string, pinyinName?: string): Customer {
  for (let at = index; ; at++) {
    const base = generateCustomer(SEED, at, options);
    if (base.kind !== 'individual') continue;
    const renamed: Record<string, unknown> = { ...base, legalName, chineseName: legalName };
    if (pinyinName === undefined) delete renamed.pinyinName;
    else renamed.pinyinName = pinyinName;
    return customerSchema.parse(renamed);
  }
}

const digitsOf = (text: string) => text.replace(/\D/g, '');
const toFullWidth = (text: string) =>
  text.replace(/[0-9A-Za-z]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
const spacedPhone = (national: string) =>
  `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;

function counts<T>(items: Iterable<T>, keys: (item: T) => string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const item of items)
    for (const key of new Set(keys(item))) map.set(key, (map.get(key) ?? 0) + 1);
  return map;
}

describe('customer search', () => {
  const secrets = realSecretStore();
  const sandbox = profileSandbox(secrets);
  let vault: Vault;
  let store: CustomerStore;
  let search: CustomerSearch;
  let generated: Customer[] = [];
  let all: Customer[] = [];
  const made = {
    zhangSanFeng: handMade(COUNT + 100, '张三丰', 'Zhang Sanfeng'),
    zhangSan: handMade(COUNT + 200, '张三', 'Zhang San'),
    shan: handMade(COUNT + 300, '单雄信', 'Shan Xiongxin'),
    ouyang: handMade(COUNT + 400, '欧阳修远', 'Ouyang Xiuyuan'),
    maimaiti: handMade(COUNT + 500, '买买提·艾力'),
  };

  const find = (query: string, limit = 20, offset = 0): SearchResult =>
    search.search(query, { limit, offset });
  const everything = (query: string): SearchResult => find(query, 10 * CANDIDATE_CAP);
  const idsOf = (result: SearchResult) => result.items.map((item) => item.id);
  const stored = (item: SearchHitItem): Customer => {
    const found = store.get(item.id);
    if (!found) throw new Error(`search returned ${item.id}, which is not stored`);
    return found.customer;
  };
  const individuals = () =>
    generated.filter(
      (customer): customer is Extract<Customer, { kind: 'individual' }> =>
        customer.kind === 'individual',
    );

  /** Every result of a 4-digit query really ends with it, in the field it says it matched. */
  const expectEveryTailHitToMatch = (result: SearchResult, tail: string) => {
    expect(result.fields).toEqual(['id_tail', 'phone_tail', 'account_tail']);
    for (const item of result.items) {
      const customer = stored(item);
      const matches: Partial<Record<SearchHitItem['matchedField'], boolean>> = {
        id_tail: customer.identityDocuments.some((document) => document.number.endsWith(tail)),
        phone_tail: customer.phones.some((phone) => nationalNumber(phone.e164).endsWith(tail)),
        account_tail: customer.accounts.some((account) =>
          digitsOf(account.maskedNumber).endsWith(tail),
        ),
      };
      expect(matches[item.matchedField], `${item.customerNumber} by ${item.matchedField}`).toBe(
        true,
      );
    }
  };

  beforeAll(() => {
    vault = createVault(join(sandbox.path, 'search'), secrets);
    sandbox.forget(vault.profileId);
    store = new CustomerStore(vault.db);
    search = new CustomerSearch(vault.db);
    generated = [...generateCustomers({ seed: SEED, count: COUNT, ...options })];
    bulkLoad(vault.db, () => {
      for (let start = 0; start < COUNT; start += BATCH)
        store.insertMany(generated.slice(start, start + BATCH));
    });
    for (const customer of Object.values(made)) store.insert(customer);
    all = [...generated, ...Object.values(made)];
  });
  afterAll(() => {
    vault?.close();
    sandbox.cleanup();
  });

  it('holds the generated and the hand-made customers', () => {
    expect(store.count()).toBe(COUNT + Object.keys(made).length);
  });

  describe('by identity document', () => {
    /** An individual whose resident ID satisfies `test` and no other customer shares `key` of. */
    function withResidentId(
      test: (id: string) => boolean,
      key: (id: string) => string = (id) => id,
    ): { id: string; number: string } {
      const keys = counts(all, (customer) =>
        customer.identityDocuments.map((document) => key(document.number)),
      );
      for (const customer of individuals()) {
        const id = customer.identityDocuments[0]?.number;
        if (id && test(id) && keys.get(key(id)) === 1) return { id: customer.id, number: id };
      }
      throw new Error('no such customer in the generated data');
    }

    it('finds a customer by the full 18-character resident ID, first', () => {
      const target = withResidentId((id) => /^\d{17}\d$/.test(id));
      const result = find(target.number);
      // 18 digits could also be a card number; the ID is looked up first.
      expect(result.fields[0]).toBe('id_number');
      expect(result.items[0]?.id).toBe(target.id);
      expect(result.items[0]?.matchedField).toBe('id_number');
      expect(result.items).toHaveLength(1);
    });

    it('finds the same customer when the ID is typed in full-width digits', () => {
      const target = withResidentId((id) => /^\d{18}$/.test(id));
      expect(idsOf(find(toFullWidth(target.number)))[0]).toBe(target.id);
    });

    it('finds an ID ending in X when typed with a lowercase x, half- or full-width', () => {
      const target = withResidentId((id) => id.endsWith('X'));
      const lower = target.number.slice(0, 17) + 'x';
      expect(idsOf(find(lower))[0]).toBe(target.id);
      expect(idsOf(find(toFullWidth(lower)))[0]).toBe(target.id);
      expect(
        idsOf(
          find(` ${target.number.slice(0, 6)} ${target.number.slice(6, 14)} ${lower.slice(14)} `),
        )[0],
      ).toBe(target.id);
    });

    it('finds the 18-character customer by the legacy 15-digit form of a 19xx ID', () => {
      const target = withResidentId((id) => /^\d{6}19\d{9}[\dX]$/.test(id));
      const legacy = target.number.slice(0, 6) + target.number.slice(8, 17);
      expect(legacy).toMatch(/^\d{15}$/);
      const result = find(legacy);
      expect(result.fields).toEqual(['id_number']);
      expect(result.items[0]?.id).toBe(target.id);
      expect(result.items).toHaveLength(1);
    });

    it('finds a customer by the last six characters of the resident ID, first', () => {
      const target = withResidentId(
        (id) => /^\d{18}$/.test(id),
        (id) => id.slice(-6),
      );
      const result = find(target.number.slice(-6));
      expect(result.fields).toEqual(['id_tail']);
      expect(result.items[0]?.id).toBe(target.id);
      expect(result.items[0]?.matchedField).toBe('id_tail');
    });

    it('finds every customer whose ID ends in the six characters typed, X included', () => {
      const shared = [
        ...counts(all, (customer) =>
          customer.identityDocuments.map((document) => document.number.slice(-6)),
        ),
      ].find(([tail, n]) => n > 1 && tail.endsWith('X'));
      expect(shared, 'a six-character tail ending in X that several IDs share').toBeDefined();
      const [tail, n] = shared!;
      const result = everything(tail.toLowerCase());
      expect(result.items).toHaveLength(n);
      for (const item of result.items) {
        expect(
          stored(item).identityDocuments.some((document) => document.number.endsWith(tail)),
        ).toBe(true);
      }
    });

    it('includes a customer by the last four characters of the ID, and every result ends with them', () => {
      const target = individuals()[123]!;
      const tail = target.identityDocuments[0]!.number.slice(-4);
      const result = everything(tail);
      expect(idsOf(result)).toContain(target.id);
      expect(result.truncated).toBe(false);
      expectEveryTailHitToMatch(result, tail);
      // Every customer that does end with the tail is there: nothing is missed.
      const endingWithTail = all.filter((customer) =>
        customer.identityDocuments.some((document) => document.number.endsWith(tail)),
      );
      expect(idsOf(result)).toEqual(expect.arrayContaining(endingWithTail.map((c) => c.id)));
    });
  });

  describe('by phone', () => {
    function withUniqueMobile(skip = 0): { customer: Customer; national: string } {
      const phones = counts(all, (customer) =>
        customer.phones.map((phone) => nationalNumber(phone.e164)),
      );
      let seen = 0;
      for (const customer of individuals()) {
        const phone = customer.phones[0];
        if (phone?.kind !== 'mobile') continue;
        const national = nationalNumber(phone.e164);
        if (phones.get(national) === 1 && seen++ === skip) return { customer, national };
      }
      throw new Error('no such customer in the generated data');
    }

    it('finds a customer by the full 11-digit mobile number, first', () => {
      const { customer, national } = withUniqueMobile();
      const result = find(national);
      expect(result.fields).toContain('phone');
      expect(result.items[0]?.id).toBe(customer.id);
      expect(result.items[0]?.matchedField).toBe('phone');
    });

    it('finds the same customer with a +86 prefix, with spaces, and with both', () => {
      const { customer, national } = withUniqueMobile();
      for (const typed of [
        `+86${national}`,
        `0086${national}`,
        spacedPhone(national),
        `+86 ${spacedPhone(national)}`,
        `${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`,
        toFullWidth(national),
      ]) {
        expect(idsOf(find(typed))[0], typed).toBe(customer.id);
      }
    });

    it('includes a customer by the last four digits of the phone', () => {
      const { customer, national } = withUniqueMobile(1);
      const result = everything(national.slice(-4));
      expect(result.truncated).toBe(false);
      expect(idsOf(result)).toContain(customer.id);
      expectEveryTailHitToMatch(result, national.slice(-4));
    });

    it('includes a customer by the first seven digits of the phone', () => {
      const { customer, national } = withUniqueMobile(2);
      const result = everything(national.slice(0, 7));
      expect(result.fields).toEqual(['phone_prefix']);
      expect(idsOf(result)).toContain(customer.id);
      for (const item of result.items)
        expect(
          stored(item).phones.some((p) => nationalNumber(p.e164).startsWith(national.slice(0, 7))),
        ).toBe(true);
    });
  });

  describe('by account or card', () => {
    function withUniqueAccountEnds(): { customer: Customer; masked: string } {
      const ends = counts(all, (customer) =>
        customer.accounts.map((account) => {
          const digits = digitsOf(account.maskedNumber);
          return digits.slice(0, 4) + digits.slice(-4);
        }),
      );
      for (const customer of individuals()) {
        for (const account of customer.accounts) {
          const digits = digitsOf(account.maskedNumber);
          if (ends.get(digits.slice(0, 4) + digits.slice(-4)) === 1)
            return { customer, masked: digits };
        }
      }
      throw new Error('no such customer in the generated data');
    }

    it('includes a customer by the last four digits of a masked account number', () => {
      const { customer, masked } = withUniqueAccountEnds();
      const result = everything(masked.slice(-4));
      expect(result.truncated).toBe(false);
      expect(idsOf(result)).toContain(customer.id);
      expectEveryTailHitToMatch(result, masked.slice(-4));
      const withTail = all.filter((c) =>
        c.accounts.some((account) => digitsOf(account.maskedNumber).endsWith(masked.slice(-4))),
      );
      expect(idsOf(result)).toEqual(expect.arrayContaining(withTail.map((c) => c.id)));
    });

    it('finds a customer by a full 16- or 19-digit card number whose ends match the masked account, first', () => {
      const { customer, masked } = withUniqueAccountEnds();
      for (const card of [
        `${masked.slice(0, 4)}12345678${masked.slice(-4)}`,
        `${masked.slice(0, 4)}98765432101${masked.slice(-4)}`,
        `${masked.slice(0, 4)} 1234 5678 ${masked.slice(-4)}`,
      ]) {
        const result = find(card);
        expect(result.fields, card).toContain('card');
        expect(result.items[0]?.id, card).toBe(customer.id);
        expect(result.items[0]?.matchedField, card).toBe('card');
      }
    });
  });

  describe('by customer number', () => {
    it('finds a customer by the customer number, first, also typed in lowercase', () => {
      const target = generated[4321]!;
      for (const typed of [target.customerNumber, target.customerNumber.toLowerCase()]) {
        const result = find(typed);
        expect(result.fields, typed).toEqual(['customer_number']);
        expect(
          result.items.map((item) => item.customerNumber),
          typed,
        ).toEqual([target.customerNumber]);
      }
    });

    it('does not take a number with a wrong check digit for a customer number', () => {
      const target = generated[4321]!;
      const wrong =
        target.customerNumber.slice(0, 10) + ((Number(target.customerNumber[10]) + 1) % 10);
      expect(find(wrong).fields).not.toContain('customer_number');
    });
  });

  describe('by Chinese name', () => {
    it('puts exact matches of a 2-character name first and includes everyone who has it', () => {
      const byName = counts(individuals(), (customer) => [customer.legalName]);
      const [name, n] = [...byName]
        .filter(([legalName]) => [...legalName].length === 2)
        .sort((a, b) => b[1] - a[1])[0]!;
      expect(n).toBeGreaterThan(1);
      const result = everything(name);
      expect(result.items[0]?.displayName).toBe(name);
      expect(result.items.slice(0, n).every((item) => item.displayName === name)).toBe(true);
      const everyone = all.filter((customer) => customer.legalName === name).map((c) => c.id);
      expect(idsOf(result).slice(0, n).sort()).toEqual(everyone.sort());
      for (const item of result.items) expect(item.displayName).toContain(name);
    });

    it('ranks a page of a name as reading every customer would: whole, then start, then inside; shorter, then by number', () => {
      // The page comes from the name index (whole names, then starts) and reads names holding
      // the query further in only when those do not fill it: the same page as ranking them all.
      const reference = (query: string, limit: number) =>
        all
          .filter((customer) => !customer.restriction)
          .map((customer) => ({ customer, name: searchableName(customer.legalName) }))
          .filter(({ name }) => name.includes(query))
          .map(({ customer, name }) => ({
            id: customer.id,
            rank: name === query ? 0 : name.startsWith(query) ? 1 : 2,
            length: [...name].length,
            number: customer.customerNumber,
          }))
          .sort(
            (a, b) => a.rank - b.rank || a.length - b.length || a.number.localeCompare(b.number),
          )
          .slice(0, limit)
          .map((hit) => hit.id);
      const byName = counts(individuals(), (customer) => [customer.legalName]);
      const common = [...byName].sort((a, b) => b[1] - a[1]).map(([name]) => name);
      const queries = [
        ...common.slice(0, 5),
        ...common.slice(0, 5).map((name) => [...name][0]!),
        ...common.slice(0, 5).map((name) => [...name].slice(-2).join('')),
        '张三',
        '三丰',
      ];
      // A query matching more than a lookup reads is truncated, and ranks what it read.
      const whole = queries.filter((query) => !everything(query).truncated);
      expect(whole.length).toBeGreaterThanOrEqual(10);
      for (const query of whole)
        for (const limit of [1, 20, 50])
          expect(idsOf(find(query, limit)), `${query} (${limit})`).toEqual(reference(query, limit));
      // A page of whole names does not read the names that start with the query; it still says
      // whether the query matches more than a search reads, as a page that reads them does.
      for (const query of queries)
        for (const limit of [1, 20])
          expect(find(query, limit).truncated, `${query} (${limit})`).toBe(
            everything(query).truncated,
          );
    });

    it('finds a customer by a 3-character name, first', () => {
      const byName = counts(all, (customer) => [customer.legalName]);
      const target = individuals().find(
        (customer) => [...customer.legalName].length === 3 && byName.get(customer.legalName) === 1,
      )!;
      const result = find(target.legalName);
      expect(result.fields).toEqual(['name']);
      expect(result.items[0]?.id).toBe(target.id);
    });

    it('puts 张三 before 张三丰 for 张三, and finds both', () => {
      const result = everything('张三');
      expect(result.items[0]?.id).toBe(made.zhangSan.id);
      expect(idsOf(result)).toContain(made.zhangSanFeng.id);
    });

    it('finds 张三丰 by his full name, first, and by his given name 三丰', () => {
      expect(idsOf(find('张三丰'))[0]).toBe(made.zhangSanFeng.id);
      const given = everything('三丰');
      expect(idsOf(given)).toContain(made.zhangSanFeng.id);
      for (const item of given.items) expect(item.displayName).toContain('三丰');
    });

    it('finds names containing a single character, and only those', () => {
      const result = everything('丰');
      expect(result.truncated).toBe(false);
      expect(idsOf(result)).toContain(made.zhangSanFeng.id);
      const expected = all.filter((customer) => customer.legalName.includes('丰'));
      expect(result.items).toHaveLength(expected.length);
      for (const item of result.items) expect(item.displayName).toContain('丰');
    });

    it('finds a compound surname 欧阳 customer by full name first, and by the surname', () => {
      expect(idsOf(find('欧阳修远'))[0]).toBe(made.ouyang.id);
      const result = everything('欧阳');
      expect(idsOf(result)).toContain(made.ouyang.id);
      expect(result.items).toHaveLength(all.filter((c) => c.legalName.includes('欧阳')).length);
    });

    it('finds a name with a middle dot, typed with or without it, first', () => {
      for (const typed of ['买买提·艾力', '买买提艾力', '买买提 艾力', '买买提・艾力']) {
        const result = find(typed);
        expect(result.items[0]?.id, typed).toBe(made.maimaiti.id);
        expect(result.items[0]?.displayName, typed).toBe('买买提·艾力');
      }
      expect(idsOf(everything('艾力'))).toContain(made.maimaiti.id);
    });

    it('finds a company by its full legal name, first', () => {
      const byName = counts(all, (customer) => [customer.legalName]);
      const companies = generated.filter(
        (customer) => customer.kind === 'corporate' && byName.get(customer.legalName) === 1,
      );
      // The last one loaded: its key is above those of the first thousand companies.
      const target = companies[companies.length - 1]!;
      const result = find(target.legalName);
      expect(result.items[0]?.id, `${target.legalName} (truncated: ${result.truncated})`).toBe(
        target.id,
      );
    });
  });

  describe('by pinyin', () => {
    it("finds 张三 and 张三丰 by the initials 'zs', 张三 as a whole match", () => {
      const result = everything('zs');
      expect(result.fields).toEqual(['pinyin']);
      expect(result.truncated).toBe(false);
      expect(idsOf(result)).toEqual(
        expect.arrayContaining([made.zhangSan.id, made.zhangSanFeng.id]),
      );
      const index = (id: string) => idsOf(result).indexOf(id);
      expect(index(made.zhangSan.id)).toBeLessThan(index(made.zhangSanFeng.id));
    });

    it("finds 张三 and 张三丰 by 'zhangs'", () => {
      const result = everything('zhangs');
      expect(result.truncated).toBe(false);
      expect(idsOf(result)).toEqual(
        expect.arrayContaining([made.zhangSan.id, made.zhangSanFeng.id]),
      );
    });

    it("puts 张三丰 first for 'zhangsanfeng', and 张三 first for 'zhangsan'", () => {
      expect(idsOf(find('zhangsanfeng'))[0]).toBe(made.zhangSanFeng.id);
      expect(idsOf(find('ZhangSanFeng'))[0]).toBe(made.zhangSanFeng.id);
      expect(idsOf(find('zhang san feng'))[0]).toBe(made.zhangSanFeng.id);
      const zhangsan = find('zhangsan');
      expect(zhangsan.items[0]?.id).toBe(made.zhangSan.id);
      expect(idsOf(everything('zhangsan'))).toContain(made.zhangSanFeng.id);
    });

    it("reads the surname 单 as shan: 'shan' + given-name pinyin finds 单雄信 first", () => {
      expect(idsOf(find('shanxiongxin'))[0]).toBe(made.shan.id);
      expect(idsOf(find('shanxiong'))[0]).toBe(made.shan.id);
      expect(idsOf(find('sxx'))).toContain(made.shan.id);
    });

    it("finds every customer surnamed 单 by 'shan'", () => {
      const result = everything('shan');
      expect(result.truncated).toBe(false);
      const surnamedShan = all.filter((customer) => customer.legalName.startsWith('单'));
      expect(surnamedShan.length).toBeGreaterThan(1);
      expect(idsOf(result)).toEqual(expect.arrayContaining(surnamedShan.map((c) => c.id)));
    });

    it("does not read 单 as dan: 'danxiongxin' does not find 单雄信", () => {
      expect(idsOf(everything('danxiongxin'))).not.toContain(made.shan.id);
      const dan = everything('dan');
      const asFullPinyin = dan.items.filter(
        (item) => item.id === made.shan.id && item.matchedField === 'pinyin',
      );
      expect(asFullPinyin).toEqual([]);
    });

    it("finds 欧阳修远 by 'ouyangxiuyuan' first, and by the initials 'oyxy'", () => {
      expect(idsOf(find('ouyangxiuyuan'))[0]).toBe(made.ouyang.id);
      expect(idsOf(find('oyxy'))).toContain(made.ouyang.id);
    });

    it("finds 买买提·艾力 by 'maimaitiaili', first", () => {
      expect(idsOf(find('maimaitiaili'))[0]).toBe(made.maimaiti.id);
    });
  });

  describe('pages', () => {
    it('are disjoint and together equal one bigger page', () => {
      const query = '李';
      const pages = [0, 40, 80].map((offset) => idsOf(find(query, 40, offset)));
      const big = idsOf(find(query, 120, 0));
      expect(big).toHaveLength(120);
      expect(new Set(pages.flat()).size).toBe(120);
      expect(pages.flat()).toEqual(big);
      expect(idsOf(find(query, 40, 40))).toEqual(pages[1]);
    });

    it('are empty past the last result', () => {
      const total = everything('丰').items.length;
      expect(find('丰', 20, total).items).toEqual([]);
      expect(find('丰', 20, total + 1000).items).toEqual([]);
    });

    it('say they are truncated when a query matches more than CANDIDATE_CAP customers', () => {
      // 张 is the commonest surname: about 1,500 of the 20,000 generated names contain it.
      const expected = all.filter((customer) => customer.legalName.includes('张')).length;
      expect(expected).toBeGreaterThan(CANDIDATE_CAP);
      const result = everything('张');
      expect(result.truncated).toBe(true);
      expect(result.items.length).toBeLessThanOrEqual(CANDIDATE_CAP);
      for (const item of result.items) expect(item.displayName).toContain('张');
      expect(find('张三丰').truncated).toBe(false);
    });
  });

  describe('bad queries', () => {
    const bad = [
      '',
      '   ',
      '\u3000\t\n',
      'x'.repeat(10_000),
      '1'.repeat(10_000),
      '张'.repeat(10_000),
      "' OR 1=1 --",
      "'; DROP TABLE customer; --",
      '"*" NEAR(',
      '%_',
      '%',
      '*',
      'zhang%',
      'a" OR "1"="1',
      '😀',
      '😀😀😀',
      '\u0000',
      '\u0000\u0001\u0007\u001b[0m',
      '\ud800',
      '()',
      '-',
      '+',
      '+86',
      'C',
      'x',
    ];

    it.each(bad.map((query) => [JSON.stringify(query.slice(0, 24)), query]))(
      'never throw and return a sane result: %s',
      (_label, query) => {
        let result: SearchResult | undefined;
        expect(() => (result = find(query, 50))).not.toThrow();
        expect(result!.items.length).toBeLessThanOrEqual(50);
        for (const item of result!.items) expect(store.get(item.id)).toBeDefined();
      },
    );

    it('that plan to nothing return nothing and run no lookup', () => {
      const calls: StatementCall[] = [];
      const recorded = new CustomerSearch(recordingDatabase(vault.db, calls));
      for (const query of [
        '',
        '   ',
        'x'.repeat(10_000),
        "' OR 1=1 --",
        '"*" NEAR(',
        '%_',
        '😀',
        '\u0000\u0007',
      ]) {
        expect(planSearch(query).steps, JSON.stringify(query.slice(0, 20))).toEqual([]);
        const result = recorded.search(query, { limit: 20, offset: 0 });
        expect(result).toEqual({ items: [], fields: [], truncated: false });
      }
      expect(calls.filter((call) => !call.sql.includes('json_each'))).toEqual([]);
      expect(calls.every((call) => call.args[0] === '[]')).toBe(true);
    });

    it('leave the vault as it was', () => {
      expect(store.count()).toBe(COUNT + Object.keys(made).length);
      expect(idsOf(find(made.zhangSan.customerNumber))).toEqual([made.zhangSan.id]);
    });
  });

  describe('query plans', () => {
    it('seek an index for every kind of query, never scanning customer or either term index', () => {
      const target = individuals()[77]!;
      const id = target.identityDocuments[0]!.number;
      const national = nationalNumber(target.phones[0]?.e164 ?? '+8613812345678');
      const account = digitsOf(
        individuals().find((c) => c.accounts.length > 0)!.accounts[0]!.maskedNumber,
      );
      const legacy = individuals()
        .map((c) => c.identityDocuments[0]!.number)
        .find((number) => /^\d{6}19/.test(number))!;
      const queries: Record<string, string> = {
        customer_number: target.customerNumber,
        id_number: id,
        legacy_id: legacy.slice(0, 6) + legacy.slice(8, 17),
        passport_like: 'E12345678',
        phone: national,
        card: `${account.slice(0, 4)}12345678${account.slice(-4)}`,
        four_digit_tails: id.slice(-4),
        id_tail: id.slice(-6),
        phone_prefix: national.slice(0, 7),
        name_single: '张',
        name: '张三丰',
        // A name whose bearers fill the page (of one): the names starting with it are counted.
        name_filling_the_page: [...counts(individuals(), (customer) => [customer.legalName])].sort(
          (a, b) => b[1] - a[1],
        )[0]![0],
        pinyin: 'zhangs',
        initials: 'zs',
      };
      const limits: Record<string, number> = { name_filling_the_page: 1 };
      const seen = new Set<string>();
      for (const [kind, query] of Object.entries(queries)) {
        const calls: StatementCall[] = [];
        const result = new CustomerSearch(recordingDatabase(vault.db, calls)).search(query, {
          limit: limits[kind] ?? 20,
          offset: 0,
        });
        expect(result.fields.length, kind).toBeGreaterThan(0);
        expect(
          calls.some((call) => call.sql.includes('json_each')),
          kind,
        ).toBe(true);
        for (const call of calls) {
          seen.add(call.sql);
          const plan = vault.db.prepare(`EXPLAIN QUERY PLAN ${call.sql}`).all(...call.args) as {
            detail: string;
          }[];
          const details = plan.map((row) => row.detail);
          expect(details.length, `${kind}: ${call.sql}`).toBeGreaterThan(0);
          for (const detail of details) {
            expect(detail, `${kind}: ${call.sql}\n${details.join('\n')}`).not.toMatch(
              /\bSCAN (customer|customer_term|customer_term_recent)\b/,
            );
          }
        }
      }
      // Every statement CustomerSearch prepares was exercised and checked.
      const prepared: StatementCall[] = [];
      new CustomerSearch(
        new Proxy(vault.db, {
          get(target, property) {
            if (property === 'prepare')
              return (sql: string) => {
                prepared.push({ sql, args: [] });
                return target.prepare(sql);
              };
            const value: unknown = Reflect.get(target, property, target);
            return typeof value === 'function'
              ? (value as (...values: unknown[]) => unknown).bind(target)
              : value;
          },
        }),
      );
      expect(prepared.length).toBeGreaterThan(0);
      for (const { sql } of prepared) expect(seen, sql).toContain(sql);
    });
  });

  describe('after an update', () => {
    it('finds a customer by the new phone and no longer by the old one', () => {
      const phones = counts(all, (customer) =>
        customer.phones.map((phone) => nationalNumber(phone.e164)),
      );
      const target = individuals().find(
        (customer) =>
          customer.phones.length === 1 &&
          customer.phones[0]!.kind === 'mobile' &&
          phones.get(nationalNumber(customer.phones[0]!.e164)) === 1,
      )!;
      const oldPhone = nationalNumber(target.phones[0]!.e164);
      const newPhone = '13900007531';
      expect(find(newPhone).items).toEqual([]);
      expect(idsOf(find(oldPhone))[0]).toBe(target.id);

      const service = new CustomerService(vault);
      const current = service.show({ id: target.id }).customer;
      service.update(
        target.id,
        current.version,
        { phones: [{ kind: 'mobile', e164: `+86${newPhone}`, primary: true }] },
        { id: 'b01-teller-01' },
      );

      expect(idsOf(everything(oldPhone))).not.toContain(target.id);
      expect(idsOf(everything(oldPhone.slice(-4)))).not.toContain(target.id);
      const found = find(newPhone);
      expect(found.items[0]?.id).toBe(target.id);
      expect(found.items[0]?.primaryPhone).toBe(`+86${newPhone}`);
      expect(found.items[0]?.hasPendingChanges).toBe(true);
      expect(idsOf(everything(newPhone.slice(-4)))).toContain(target.id);
      // The rest of the index is untouched: name and ID still find the customer.
      expect(idsOf(find(target.identityDocuments[0]!.number))[0]).toBe(target.id);
      expect(idsOf(everything(target.legalName))).toContain(target.id);
    });
  });

  describe('a page filled by whole names', () => {
    it('still says it is truncated when the names starting with the query pass the cap', () => {
      // One 公孙策 and, past the cap, customers whose name starts with it (added last: the tests
      // above count the vault).
      const name = '公孙策';
      const whole = handMade(COUNT + 1_000, name);
      const longer = new Map<string, Customer>();
      for (let at = COUNT + 2_000; longer.size < CANDIDATE_CAP; at++) {
        const customer = handMade(at, `${name}明`);
        longer.set(customer.id, customer);
      }
      store.insertMany([whole, ...longer.values()]);

      // A page of one is filled by the whole name: the thousand others are only counted.
      const first = find(name, 1);
      expect(idsOf(first)).toEqual([whole.id]);
      expect(first.truncated).toBe(true);
      // A page of twenty reads them, and is truncated as well.
      const page = find(name, 20);
      expect(idsOf(page)[0]).toBe(whole.id);
      expect(page.items.slice(1).every((item) => item.displayName === `${name}明`)).toBe(true);
      expect(page.truncated).toBe(true);
      expect(everything(name).truncated).toBe(true);
    });
  });
});
