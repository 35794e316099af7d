import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeIssue } from '../../../shared/i18n/validation';
import {
  PERSON_NAME_MAX_LENGTH,
  personNameSchema,
  validatePersonName,
  validationIssuesFromZod,
} from '../../../shared/validation';
import type { ValidationResult } from '../../../shared/validation/result';

const codes = (result: ValidationResult<unknown>) => result.issues.map((issue) => issue.code);

// Common characters of Chinese given names and surnames, and the letters of Latin names.
const hanCharacter = fc.constantFrom(...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗惠明丽华伟芳娜敏静');
const latinLetter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzÀÉÍÓÚÑÇÄÖÜàéíóúñçäöüßðþ');
const hanPart = fc.array(hanCharacter, { minLength: 1, maxLength: 5 }).map((c) => c.join(''));
const latinPart = fc.array(latinLetter, { minLength: 1, maxLength: 10 }).map((c) => c.join(''));
const chineseName = fc.array(hanPart, { minLength: 1, maxLength: 3 }).map((p) => p.join('·'));
const latinName = fc
  .tuple(latinPart, fc.array(fc.tuple(fc.constantFrom(' ', '-', "'", '. '), latinPart)))
  .map(([first, rest]) => first + rest.map(([joiner, part]) => joiner + part).join(''))
  .filter((name) => [...name].length <= PERSON_NAME_MAX_LENGTH.latin);
const personName = fc.oneof(chineseName, latinName);

// What must never be in a name: digits (half and full width), emoji, control characters.
const digit = fc.constantFrom(...'0123456789０１２３');
const emoji = fc.constantFrom('😀', '👍🏽', '❤️', '🇨🇳', '👨‍👩‍👧', '⭐');
const control = fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u202e');

/** `name` with `extra` put in at a position chosen by `at` (0..1). */
const inserted = (name: string, extra: string, at: number) => {
  const characters = [...name];
  const index = Math.floor(at * (characters.length + 1));
  return [...characters.slice(0, index), extra, ...characters.slice(index)].join('');
};
const position = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('person names', () => {
  it('accepts Chinese names, minority names with the middle dot, and Latin names', () => {
    fc.assert(
      fc.property(personName, (name) => {
        expect(validatePersonName(name)).toMatchObject({ ok: true, value: name });
      }),
    );
    for (const name of [
      '阿依古丽·买买提',
      '王\u{2A6A5}',
      "Seán O'Brien",
      'Jean-Luc Picard',
      'Martin Luther King Jr.',
      'Ólafur Þórðarson',
      'Nguyễn Văn An',
    ])
      expect(validatePersonName(name), name).toMatchObject({ ok: true, value: name });
  });

  it('normalises the middle dot variants of readers and IMEs to U+00B7', () => {
    for (const dot of ['•', '・', '．', '･', '∙', '⋅'])
      expect(validatePersonName(`阿依古丽${dot}买买提`)).toMatchObject({
        ok: true,
        value: '阿依古丽·买买提',
      });
  });

  it('refuses any name with a digit in it', () => {
    fc.assert(
      fc.property(personName, digit, position, (name, extra, at) => {
        expect(codes(validatePersonName(inserted(name, extra, at)))).toEqual([
          'PERSON_NAME_DIGITS',
        ]);
      }),
    );
  });

  it('refuses any name with an emoji in it, 😀😀测试 included', () => {
    expect(codes(validatePersonName('😀😀测试'))).toEqual(['PERSON_NAME_EMOJI']);
    fc.assert(
      fc.property(personName, emoji, position, (name, extra, at) => {
        expect(codes(validatePersonName(inserted(name, extra, at)))).toEqual(['PERSON_NAME_EMOJI']);
      }),
    );
  });

  it('refuses control characters and signs that are not part of a name', () => {
    fc.assert(
      fc.property(personName, control, position, (name, extra, at) => {
        expect(validatePersonName(inserted(name, extra, at)).ok).toBe(false);
      }),
    );
    for (const name of ['王@惠', '王_惠', 'Ахмедов', '--', '·'])
      expect(validatePersonName(name).ok, name).toBe(false);
  });

  it('puts the middle dot only between two parts', () => {
    for (const name of ['·买买提', '买买提·', '阿依古丽··买买提'])
      expect(codes(validatePersonName(name)), name).toEqual(['PERSON_NAME_DOT_POSITION']);
  });

  it('keeps pinyin and English names to Latin letters', () => {
    expect(codes(validatePersonName('Wang 惠', { script: 'latin' }))).toEqual([
      'PERSON_NAME_LATIN_ONLY',
    ]);
    expect(validatePersonName('Wang Hui', { script: 'latin' })).toMatchObject({ ok: true });
  });

  it('limits the length sensibly, counting characters', () => {
    expect(validatePersonName('王'.repeat(PERSON_NAME_MAX_LENGTH.han)).ok).toBe(true);
    expect(validatePersonName('王'.repeat(PERSON_NAME_MAX_LENGTH.han + 1)).issues).toEqual([
      { code: 'PERSON_NAME_TOO_LONG', severity: 'error', params: { max: 30 } },
    ]);
    expect(validatePersonName('a'.repeat(PERSON_NAME_MAX_LENGTH.latin + 1)).ok).toBe(false);
  });

  it('says what is wrong in a sentence in both languages, and carries the code through zod', () => {
    const parsed = personNameSchema.safeParse('😀😀测试');
    expect(parsed.success).toBe(false);
    const issues = parsed.success ? [] : validationIssuesFromZod(parsed.error);
    expect(issues.map((issue) => issue.code)).toEqual(['PERSON_NAME_EMOJI']);
    const [issue] = issues;
    expect(issue && describeIssue(issue, 'zh-CN')).toBe(
      '姓名不能包含表情符号，请按证件上的姓名填写。',
    );
    expect(issue && describeIssue(issue, 'en')).toMatch(/^A name cannot contain emoji\./u);
  });
});
