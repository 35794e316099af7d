// A person's name as printed on their identity document. Mainland and Hong Kong/Macao/Taiwan
// documents print Chinese characters, ethnic-minority and transliterated names joined by the
// middle dot (阿依古丽·买买提); passports of foreigners print Latin letters, which may carry
// accents and be joined by spaces, hyphens, apostrophes and periods (O'Brien, Jean-Luc, Jr.).
// Nothing else belongs in a name: a digit, an emoji or a control character is a typing slip or
// garbage, and a bank must not open an account under it.
import { NAME_MIDDLE_DOT, normalizePersonName } from './normalize';
import { type ValidationIssue, type ValidationResult, conclude, error, rejected } from './result';

/** Which writing a name field holds: a legal name may be either; pinyin and English only Latin. */
export type PersonNameScript = 'any' | 'latin';

export interface PersonNameOptions {
  script?: PersonNameScript;
}

/**
 * Longest name kept, in characters (code points). The longest Chinese names on record, Uyghur
 * names with a father's and grandfather's name, stay under 30; a passport's name field holds 39
 * characters per line, and a full Latin name with all its given names stays under 100.
 */
export const PERSON_NAME_MAX_LENGTH = { han: 30, latin: 100 } as const;

const HAN = /\p{Script=Han}/u;
// A Latin letter, or a combining mark on one (é typed as e + U+0301).
const LATIN = /[\p{Script=Latin}\p{M}]/u;
const DIGIT = /\p{Nd}/u;
// Emoji presentations, pictographs and the pieces that build them (joiners, selectors, skin tones).
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Presentation}|\p{Emoji_Modifier}|\u200d|\ufe0f/u;
// Control and format characters; the normaliser already dropped the zero-width ones.
const CONTROL = /[\p{Cc}\p{Cf}]/u;
// Between the parts of a Latin name. ’ is the typographic apostrophe a word processor makes.
const LATIN_JOINERS = new Set([' ', '-', "'", '\u2019', '.']);
// The names almost every record holds, which pass every rule below by their shape alone: Han
// characters with single middle dots between the parts (no Han character is a digit, an emoji
// or a control character; test/unit/validation/fast-paths.test.ts checks every one), or Latin
// letters with single spaces between the words. Checking them character by character, six
// times over, cost a few microseconds a name in every record HQ sends.
const PLAIN_HAN_NAME = /^\p{Script=Han}+(?:\u00b7\p{Script=Han}+)*$/u;
const PLAIN_LATIN_NAME = /^[A-Za-z]+(?: [A-Za-z]+)*$/u;

/**
 * Validates and normalises a person's name: look-alike middle dots become U+00B7, full-width
 * letters half-width, spaces single. One issue only, the first a teller should fix.
 */
export function validatePersonName(
  input: string,
  options: PersonNameOptions = {},
): ValidationResult<string> {
  const name = normalizePersonName(input);
  if (name === '') return rejected([error('REQUIRED')]);
  // UTF-16 length bounds the length in code points from above, so these only take names that
  // are surely short enough.
  if (
    options.script !== 'latin' &&
    name.length <= PERSON_NAME_MAX_LENGTH.han &&
    PLAIN_HAN_NAME.test(name)
  )
    return conclude(name, []);
  if (name.length <= PERSON_NAME_MAX_LENGTH.latin && PLAIN_LATIN_NAME.test(name))
    return conclude(name, []);
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
    character === NAME_MIDDLE_DOT ||
    LATIN_JOINERS.has(character);
  if (!characters.every(allowed)) return rejected([error('PERSON_NAME_CHARACTERS')]);
  if (!characters.some((character) => HAN.test(character) || /\p{L}/u.test(character)))
    return rejected([error('PERSON_NAME_CHARACTERS')]);

  const issues: ValidationIssue[] = [];
  if (
    name.startsWith(NAME_MIDDLE_DOT) ||
    name.endsWith(NAME_MIDDLE_DOT) ||
    name.includes(NAME_MIDDLE_DOT + NAME_MIDDLE_DOT)
  )
    issues.push(error('PERSON_NAME_DOT_POSITION'));

  const max = han ? PERSON_NAME_MAX_LENGTH.han : PERSON_NAME_MAX_LENGTH.latin;
  if (characters.length > max) issues.push(error('PERSON_NAME_TOO_LONG', { max }));
  return issues.length > 0 ? rejected(issues) : conclude(name, issues);
}
