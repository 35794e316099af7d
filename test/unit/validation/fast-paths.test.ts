// The validators' shortcuts for text that needs no work (a stored record's names, numbers,
// dates and phones) must answer exactly what the long way answers. The long way is kept here as it was
// before the shortcuts, as the oracle; every property compares the two on text built from the
// characters each shortcut has to be careful about.
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { isUnmaskedAccountNumber } from '../../../shared/customer';
import { generateCustomers } from '../../../shared/synthetic';
import {
  type PersonNameOptions,
  compactIdentifier,
  isCanonicalMainlandLandline,
  isRealDate,
  normalizePersonName,
  parseIsoDate,
  toHalfWidth,
  validatePersonName,
  validatePhone,
} from '../../../shared/validation';
import {
  type ValidationResult,
  conclude,
  error,
  rejected,
} from '../../../shared/validation/result';

// ——— the code as it was before the shortcuts (shared/validation/normalize.ts, person-name.ts) ———

function toHalfWidthBefore(input: string): string {
  let out = '';
  for (const char of input) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (char === '\u3000') out += ' ';
    else out += char;
  }
  return out;
}

function compactIdentifierBefore(input: string): string {
  return toHalfWidthBefore(input)
    .replace(/[\s\u200b-\u200f\u2060\ufeff]/gu, '')
    .replace(/[-\u00ad\u2010-\u2015\u2043\u2212\ufe58\ufe63\uff0d]/gu, '');
}

function normalizePersonNameBefore(input: string): string {
  const dotted = input.replace(/[\u2022\u2027\u30fb\uff0e\uff65\u2219\u22c5\u0387]/gu, '\u00b7');
  return toHalfWidthBefore(dotted)
    .replace(/[\u200b-\u200f\u2060\ufeff]/gu, '')
    .replace(/\s+/gu, ' ')
    .replace(/ ?\u00b7 ?/gu, '\u00b7')
    .trim();
}

const HAN = /\p{Script=Han}/u;
const LATIN = /[\p{Script=Latin}\p{M}]/u;
const DIGIT = /\p{Nd}/u;
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Presentation}|\p{Emoji_Modifier}|\u200d|\ufe0f/u;
const CONTROL = /[\p{Cc}\p{Cf}]/u;
const LATIN_JOINERS = new Set([' ', '-', "'", '\u2019', '.']);

function validatePersonNameBefore(
  input: string,
  options: PersonNameOptions = {},
): ValidationResult<string> {
  const name = normalizePersonNameBefore(input);
  if (name === '') return rejected([error('REQUIRED')]);
  const characters = [...name];
  if (characters.some((character) => EMOJI.test(character)))
    return rejected([error('PERSON_NAME_EMOJI')]);
  if (characters.some((character) => DIGIT.test(character)))
    return rejected([error('PERSON_NAME_DIGITS')]);
  if (characters.some((character) => CONTROL.test(character)))
    return rejected([error('PERSON_NAME_CHARACTERS')]);
  const han = characters.some((character) => HAN.test(character));
  if (han && options.script === 'latin') return rejected([error('PERSON_NAME_LATIN_ONLY')]);
  const allowed = (character: string) =>
    HAN.test(character) ||
    LATIN.test(character) ||
    character === '\u00b7' ||
    LATIN_JOINERS.has(character);
  if (!characters.every(allowed)) return rejected([error('PERSON_NAME_CHARACTERS')]);
  if (!characters.some((character) => HAN.test(character) || /\p{L}/u.test(character)))
    return rejected([error('PERSON_NAME_CHARACTERS')]);
  const issues = [];
  if (name.startsWith('\u00b7') || name.endsWith('\u00b7') || name.includes('\u00b7\u00b7'))
    issues.push(error('PERSON_NAME_DOT_POSITION'));
  const max = han ? 30 : 100;
  if (characters.length > max) issues.push(error('PERSON_NAME_TOO_LONG', { max }));
  return issues.length > 0 ? rejected(issues) : conclude(name, issues);
}

function isUnmaskedAccountNumberBefore(text: string): boolean {
  return /\d{12,}/u.test(compactIdentifierBefore(text));
}

function parseIsoDateBefore(text: string) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(text.trim());
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isRealDate(date) ? date : undefined;
}

// ——— text to try them on ———

// Every character one of the shortcuts looks for, and plain ones around them.
const tricky = [
  ...'王李欧阳𠮷〇々abcXYZ019',
  ' ',
  '  ',
  '\u00b7',
  '\u2022',
  '\u30fb',
  '\uff0e',
  '\uff65',
  '\u0387',
  '\u3000',
  '\u00a0',
  '\t',
  '\n',
  '\u2028',
  '\u200b',
  '\u200e',
  '\u2060',
  '\ufeff',
  '\uff21',
  '\uff10',
  '\uff5e',
  '\uff0d',
  '-',
  '\u2010',
  '\u00ad',
  "'",
  '.',
  '😀',
  '\u0301',
  '\u0007',
  '\ud800',
];
const text = fc.array(fc.constantFrom(...tricky), { maxLength: 12 }).map((parts) => parts.join(''));
const anyText = fc.oneof(text, fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string());
const han = fc.constantFrom(...'王李张刘陈欧阳买提艾力𠮷〇々');
const plainName = fc.oneof(
  fc
    .array(fc.array(han, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 })
    .map((parts) => parts.map((part) => part.join('')).join('\u00b7')),
  fc
    .array(fc.stringMatching(/^[A-Za-z]{1,30}$/u), { minLength: 1, maxLength: 6 })
    .map((words) => words.join(' ')),
);

describe('shortcuts of the normalisers', () => {
  it('toHalfWidth, compactIdentifier and normalizePersonName answer as before', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        expect(toHalfWidth(input)).toBe(toHalfWidthBefore(input));
        expect(compactIdentifier(input)).toBe(compactIdentifierBefore(input));
        expect(normalizePersonName(input)).toBe(normalizePersonNameBefore(input));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('isUnmaskedAccountNumber counting digits first', () => {
  it('answers as before', () => {
    const piece = fc.oneof(
      fc.stringMatching(/^\d{1,8}$/u),
      fc.constantFrom('****', ' ', '-', '\u3000', '\u200b', '１２３４', '６２２２ ０２１２', 'x'),
    );
    const number = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(fc.oneof(number, anyText), (text) => {
        expect(isUnmaskedAccountNumber(text)).toBe(isUnmaskedAccountNumberBefore(text));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseIsoDate reading digits', () => {
  it('answers as before', () => {
    const part = (length: number) =>
      fc.oneof(fc.stringMatching(new RegExp(`^\\d{${length}}$`, 'u')), fc.string({ maxLength: 3 }));
    const date = fc
      .tuple(part(4), fc.constantFrom('-', '/', ''), part(2), fc.constantFrom('-', ' '), part(2))
      .map((parts) => parts.join(''));
    const padded = fc
      .tuple(fc.constantFrom('', ' ', '\u3000', '\t'), date, fc.constantFrom('', ' ', 'Z'))
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(padded, anyText), (text) => {
        expect(parseIsoDate(text)).toEqual(parseIsoDateBefore(text));
      }),
      { numRuns: 5000 },
    );
    for (const text of ['2024-02-29', '2023-02-29', '0000-01-01', '9999-12-31', ' 2024-01-31 '])
      expect(parseIsoDate(text), text).toEqual(parseIsoDateBefore(text));
  });
});

describe('shortcut of validatePersonName', () => {
  it('answers as before for every name, plain or not, in either script', () => {
    fc.assert(
      fc.property(
        fc.oneof(plainName, anyText),
        fc.constantFrom<PersonNameOptions>({}, { script: 'latin' }, { script: 'any' }),
        (name, options) => {
          expect(validatePersonName(name, options)).toEqual(
            validatePersonNameBefore(name, options),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('takes every Han character as a name character: none is a digit, an emoji or a control', () => {
    // The shortcut accepts any Han character by its script alone; the long way would refuse a
    // name for one of these. Checked over all of Unicode as this Node knows it.
    const refused: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const character = String.fromCodePoint(code);
      if (!HAN.test(character)) continue;
      if (EMOJI.test(character) || DIGIT.test(character) || CONTROL.test(character))
        refused.push(code.toString(16));
    }
    expect(refused).toEqual([]);
  });

  it('still counts length, dots and scripts on names that look plain', () => {
    expect(validatePersonName('王'.repeat(31)).ok).toBe(false);
    expect(validatePersonName('𠮷'.repeat(16)).ok).toBe(true); // 32 UTF-16 units, 16 characters
    expect(validatePersonName('王李', { script: 'latin' }).ok).toBe(false);
    expect(validatePersonName('a'.repeat(101)).ok).toBe(false);
    expect(validatePersonName('·王').ok).toBe(false);
  });
});

describe('validatePhone asks libphonenumber for the type once', () => {
  it('relies on a number with a type being valid', () => {
    // validatePhone takes getType() !== undefined as isValid() without asking again.
    const number = fc
      .tuple(
        fc.constantFrom('+86', '+852', '+853', '+886', '+1', '+44', '+49', '+81', '+7', '+61'),
        fc.stringMatching(/^\d{4,13}$/u),
      )
      .map(([code, digits]) => code + digits);
    fc.assert(
      fc.property(number, (text) => {
        const parsed = parsePhoneNumberFromString(text, { defaultCountry: 'CN', extract: false });
        if (parsed === undefined) return;
        expect(parsed.getType() === undefined || parsed.isValid()).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('isCanonicalMainlandLandline', () => {
  // Area codes of every kind: Beijing's 10, the 2x of the big cities, three-digit ones, and ones
  // that begin numbers which are not landlines (400 and 800 service numbers, 95x, 96x, 12x).
  const areaCode = fc.constantFrom(
    ...['10', '20', '21', '22', '23', '24', '25', '27', '28', '29'],
    ...['311', '371', '431', '451', '512', '531', '571', '591', '731', '755', '769', '791', '851'],
    ...['898', '931', '991', '335', '433', '754', '978', '994', '400', '800', '950', '960'],
  );
  const national = fc
    .tuple(areaCode, fc.stringMatching(/^\d{5,9}$/u))
    .map(([area, subscriber]) => area + subscriber);

  it('says yes only where validatePhone accepts the number as a landline, unchanged', () => {
    let yes = 0;
    fc.assert(
      fc.property(national, (digits) => {
        const e164 = `+86${digits}`;
        if (!isCanonicalMainlandLandline(e164)) return;
        yes++;
        // No issue at all, not even a warning: the quality rule phone_unverified counts on it.
        expect(validatePhone(e164, { kind: 'landline' })).toMatchObject({
          ok: true,
          value: { e164, kind: 'landline' },
          issues: [],
        });
      }),
      { numRuns: 20000 },
    );
    expect(yes).toBeGreaterThan(2000);
  });

  it('says yes to the landlines of synthetic customers, no to what is not one', () => {
    for (const customer of generateCustomers({
      seed: 3,
      count: 2000,
      branches: ['B1'],
      rmsPerBranch: 2,
    }))
      for (const phone of customer.phones)
        if (phone.kind === 'landline')
          expect(isCanonicalMainlandLandline(phone.e164), phone.e164).toBe(true);
    for (const other of [
      '+864001234567',
      '+868001234567',
      '+8613800138000',
      '+86 1065529988',
      '861065529988',
      '+8621123456',
      '+8601065529988',
      '+85221234567',
      '+861065529988 ',
    ])
      expect(isCanonicalMainlandLandline(other), other).toBe(false);
  });
});
