// Normalises what tellers type, scan or paste before anything is validated: Chinese IMEs and
// ID readers produce full-width characters, ideographic spaces and look-alike dots and dashes.

const FULL_WIDTH_FIRST = 0xff01; // ！
const FULL_WIDTH_LAST = 0xff5e; // ～
const FULL_TO_HALF_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = '\u3000';
// What toHalfWidth changes. Most text has none of it, and walking it code point by code point
// to build the same string again was a good part of checking a record HQ sends.
const FULL_WIDTH_OR_IDEOGRAPHIC_SPACE = /[\uff01-\uff5e\u3000]/u;

/** Full-width ASCII (U+FF01–U+FF5E) to half-width, and the ideographic space U+3000 to a space. */
export function toHalfWidth(input: string): string {
  if (!FULL_WIDTH_OR_IDEOGRAPHIC_SPACE.test(input)) return input;
  let out = '';
  for (const char of input) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST) {
      out += String.fromCharCode(code - FULL_TO_HALF_OFFSET);
    } else if (char === IDEOGRAPHIC_SPACE) {
      out += ' ';
    } else {
      out += char;
    }
  }
  return out;
}

// Hyphen-minus and its look-alikes: U+00AD soft hyphen, U+2010–U+2015 hyphens and dashes,
// U+2043 hyphen bullet, U+2212 minus, U+FE58 / U+FE63 small dashes, U+FF0D full-width hyphen.
const HYPHEN_LIKE = /[-\u00ad\u2010-\u2015\u2043\u2212\ufe58\ufe63\uff0d]/gu;
// Every kind of whitespace, plus the invisible characters that copy-paste drags along
// (zero-width space / joiners, word joiner, BOM, left-to-right and right-to-left marks).
const SPACE_LIKE = /[\s\u200b-\u200f\u2060\ufeff]/gu;

const ASCII_ALPHANUMERIC = /^[0-9A-Za-z]*$/u;

/**
 * The compact form of an identifier (ID, card, licence number): half-width, with every
 * space, invisible character and dash removed. Letters keep their case.
 */
export function compactIdentifier(input: string): string {
  // Stored numbers are compact already: letters and digits only leave nothing to remove.
  if (ASCII_ALPHANUMERIC.test(input)) return input;
  return toHalfWidth(input).replace(SPACE_LIKE, '').replace(HYPHEN_LIKE, '');
}

/** A compact ID number whose trailing check character `x` is upper-cased, as printed on the card. */
export function normalizeIdNumber(input: string): string {
  return compactIdentifier(input).replace(/x$/u, 'X');
}

/** A compact document number (passport, permit, licence) in upper case. */
export function normalizeDocumentNumber(input: string): string {
  return compactIdentifier(input).toUpperCase();
}

/** The middle dot of transliterated and ethnic-minority names (买买提·艾力). */
export const NAME_MIDDLE_DOT = '\u00b7';

// What readers and IMEs produce instead of U+00B7: U+2022 bullet, U+2027 hyphenation point,
// U+30FB katakana middle dot, U+FF0E full-width full stop, U+FF65 half-width katakana middle dot,
// U+2219 bullet operator, U+22C5 dot operator, U+0387 Greek ano teleia.
const MIDDLE_DOT_LIKE = /[\u2022\u2027\u30fb\uff0e\uff65\u2219\u22c5\u0387]/gu;

// Whatever normalizePersonName would change: a look-alike dot, full-width ASCII or the
// ideographic space, an invisible character, whitespace other than a single space between two
// other characters, a space next to the middle dot. A name without any of these (every stored
// one) is returned as it is, with one regex instead of five replaces.
const PERSON_NAME_CHANGES =
  /[\u2022\u2027\u30fb\uff0e\uff65\u2219\u22c5\u0387\uff01-\uff5e\u3000\u200b-\u200f\u2060\ufeff]|[^\S ]|^ | $| {2}| \u00b7|\u00b7 /u;

/**
 * A person's name as it should be stored: look-alike middle dots become U+00B7 (before the
 * full-width step, which would otherwise turn U+FF0E into a plain full stop), full-width
 * ASCII becomes half-width, spaces around a middle dot go, other runs of spaces become one.
 * Characters outside the BMP are kept as they are.
 */
export function normalizePersonName(input: string): string {
  if (!PERSON_NAME_CHANGES.test(input)) return input;
  const dotted = input.replace(MIDDLE_DOT_LIKE, NAME_MIDDLE_DOT);
  return toHalfWidth(dotted)
    .replace(/[\u200b-\u200f\u2060\ufeff]/gu, '')
    .replace(/\s+/gu, ' ')
    .replace(/ ?\u00b7 ?/gu, NAME_MIDDLE_DOT)
    .trim();
}

/** Free text typed into a form field (e-mail, phone): half-width and trimmed, nothing removed inside. */
export function normalizeFreeText(input: string): string {
  return toHalfWidth(input)
    .replace(/[\u200b-\u200f\u2060\ufeff]/gu, '')
    .trim();
}
