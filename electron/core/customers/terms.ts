// The search terms of a customer. Each term is a tag, a colon and a value; the tag says what
// the value is, so one B-tree index answers every kind of lookup, by exact key or by prefix
// range. Tails (the last digits of an ID or a phone) are stored reversed, which turns "ends
// with" into "starts with", a range seek instead of a scan. Customer numbers need no term: the
// customer table's own unique index finds them.
import { createHash } from 'node:crypto';
import { pinyin } from 'pinyin-pro';
import type { Customer } from '../../../shared/customer';

export const termTags = {
  /** `r:<number reversed>`: any document number; whole for the number, a prefix for tails. */
  documentReversed: 'r',
  /** `p:<national number>`: a phone (11 digits for mainland mobiles), for full and prefix. */
  phone: 'p',
  /** `q:<national number reversed>`: a phone, for tails. */
  phoneReversed: 'q',
  /** `a:<last 4 digits reversed>`: the visible tail of a masked account number. */
  accountTail: 'a',
  /** `k:<first 4><last 4>`: the visible ends of a masked card number. */
  accountEnds: 'k',
  /** `n:<one or two characters>`: every character and every pair of neighbours in a name. */
  nameGram: 'n',
  /** `y:<pinyin>`: the name's full pinyin without spaces. */
  pinyin: 'y',
  /** `Y:<pinyin>`: the pinyin from the second syllable on (given names), without spaces. */
  pinyinGiven: 'Y',
  /** `z:<initials>`: the first letter of each syllable. */
  initials: 'z',
  /** `b:<name>|<birth date>`: for probable duplicates. */
  nameBirth: 'b',
  /** `m:<customer number>`: the number of a record merged into this one (it still finds it). */
  mergedNumber: 'm',
} as const;

export type TermTag = (typeof termTags)[keyof typeof termTags];

export const term = (tag: TermTag, value: string): string => `${tag}:${value}`;

/** The smallest string above every term that starts with `prefix` (tags and prefixes are ASCII). */
export const afterPrefix = (prefix: string): string =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

export const reverse = (value: string): string => [...value].reverse().join('');

/**
 * The name a search compares whole and by its start (the `customer.search_name` column): none for
 * a restricted customer, who is found only by what they present at the counter.
 */
export function searchNameOf(customer: Customer): string | null {
  return customer.restriction ? null : searchableName(customer.legalName);
}

/** The characters of a name that matter for search: no spaces, no middle dots. */
export function searchableName(name: string): string {
  return name.replace(/[\s·•・.-]/gu, '');
}

/**
 * Names whose pinyin was worked out lately (common names come again and again). Emptied when it
 * holds this many: at 100k it kept every name of a 100k-customer initial sync alive, V8 let its
 * heap grow in step with that, and the syncing client peaked at 458 MB of RSS against 354 MB
 * with 10k (one run each, same HQ, same speed within noise).
 */
export const PINYIN_CACHE_NAMES = 10_000;

const pinyinCache = new Map<string, { syllables: string[]; initials: string }>();

/** How many names the pinyin cache holds now. */
export const cachedPinyinNames = (): number => pinyinCache.size;

/** Pinyin of a Chinese name, surnames read as surnames (单 shan, 曾 zeng, 尉迟 yuchi). */
export function namePinyin(name: string): { syllables: string[]; initials: string } | undefined {
  const hanzi = [...searchableName(name)].filter((char) => /\p{Script=Han}/u.test(char)).join('');
  if (hanzi.length === 0) return undefined;
  let cached = pinyinCache.get(hanzi);
  if (!cached) {
    const syllables = pinyin(hanzi, { toneType: 'none', type: 'array', surname: 'head', v: true })
      .map((syllable) => syllable.toLowerCase().replace(/[^a-z]/g, ''))
      .filter(Boolean);
    cached = { syllables, initials: syllables.map((syllable) => syllable[0]).join('') };
    if (pinyinCache.size >= PINYIN_CACHE_NAMES) pinyinCache.clear();
    pinyinCache.set(hanzi, cached);
  }
  return cached;
}

/** The national significant number of an E.164 phone: 11 digits for +86 mobiles. */
export function nationalNumber(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
}

/**
 * A stamp of a customer's search terms, kept on its row (`customer.terms_stamp`, vault migration
 * 29): the first 48 bits of the SHA-256 of the terms sorted, one a line. A record replaced by
 * one with the same stamp keeps its terms, and the old record need not be read to find them
 * (most edits, a contact detail, change none). A change to what `customerTerms` gives needs a
 * migration that rebuilds the terms and clears the stamps.
 */
export function termsStamp(terms: readonly string[]): number {
  return createHash('sha256')
    .update([...terms].sort().join('\n'))
    .digest()
    .readUIntBE(0, 6);
}

/** Every search term of `customer`, without duplicates. */
export function customerTerms(customer: Customer): string[] {
  const terms = new Set<string>();
  const add = (tag: TermTag, value: string | undefined) => {
    if (value) terms.add(term(tag, value));
  };

  for (const document of customer.identityDocuments)
    add(termTags.documentReversed, reverse(document.number));
  for (const merged of customer.mergedFrom ?? []) add(termTags.mergedNumber, merged.customerNumber);
  for (const phone of customer.phones) {
    const national = nationalNumber(phone.e164);
    add(termTags.phone, national);
    add(termTags.phoneReversed, reverse(national));
  }
  // Restricted (PIPL Art. 47): out of the search suggestions. Found only by what the customer
  // presents at the counter (their ID or phone number; the customer number is looked up apart),
  // never by a name, its pinyin or an account's digits as someone types.
  if (customer.restriction) return [...terms];
  for (const account of customer.accounts) {
    const digits = account.maskedNumber.replace(/\D/g, '');
    if (digits.length >= 4) add(termTags.accountTail, reverse(digits.slice(-4)));
    if (digits.length >= 8) add(termTags.accountEnds, digits.slice(0, 4) + digits.slice(-4));
  }

  const names = new Set(
    [customer.legalName, customer.chineseName].filter((name): name is string => !!name),
  );
  for (const name of names) {
    const chars = [...searchableName(name)];
    chars.forEach((char, index) => {
      add(termTags.nameGram, char);
      if (index + 1 < chars.length) add(termTags.nameGram, char + chars[index + 1]);
    });
    const reading = namePinyin(name);
    if (reading) {
      add(termTags.pinyin, reading.syllables.join(''));
      for (let from = 1; from < reading.syllables.length; from++) {
        add(termTags.pinyinGiven, reading.syllables.slice(from).join(''));
      }
      add(termTags.initials, reading.initials);
    }
  }
  if (customer.kind === 'individual')
    add(termTags.nameBirth, `${searchableName(customer.legalName)}|${customer.birthDate}`);
  return [...terms];
}
