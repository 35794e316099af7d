import { describe, expect, it } from 'vitest';
import {
  NAME_MAX_LENGTH,
  corporateCustomerSchema,
  customerSchema,
  individualCustomerSchema,
} from '../../../shared/customer';
import { PERSON_NAME_MAX_LENGTH } from '../../../shared/validation';
import { corporateInput, individualInput, refusals } from './examples';

function storedName(legalName: string): string {
  return individualCustomerSchema.parse(individualInput({ legalName })).legalName;
}

describe('customer names', () => {
  it('stores a middle dot variant typed by a reader or an IME as U+00B7', () => {
    expect(storedName('买买提•艾力')).toBe('买买提·艾力');
    expect(storedName('买买提 ・ 艾力')).toBe('买买提·艾力');
    expect(storedName('买买提．艾力')).toBe('买买提·艾力');
  });

  it('keeps a rare character outside the BMP intact', () => {
    const name = '王\u{2A6A5}';
    expect(name).toHaveLength(3); // two UTF-16 code units for the rare character
    expect(storedName(name)).toBe(name);
  });

  it('accepts a long transliterated name in Chinese, pinyin and English', () => {
    const customer = individualCustomerSchema.parse(
      individualInput({
        legalName: '阿卜杜热合曼·买买提明·艾合买提江·库尔班·阿不都克力木',
        pinyinName: 'Abudureheman Maimaitiming Aihemaitijiang Kuerban Abudukelimu',
        englishName: 'Abdurehman Memetimin Ehmetjan Qurban Abdukerim',
      }),
    );
    expect(customer.legalName).toBe('阿卜杜热合曼·买买提明·艾合买提江·库尔班·阿不都克力木');
    expect(customer.pinyinName).toBe(
      'Abudureheman Maimaitiming Aihemaitijiang Kuerban Abudukelimu',
    );
  });

  it('accepts a name of one part, in Chinese or Latin letters', () => {
    expect(storedName('王')).toBe('王');
    expect(storedName('Madonna')).toBe('Madonna');
    expect(storedName('Ólafur Þórðarson')).toBe('Ólafur Þórðarson');
  });

  it("refuses a person's name in another script: the passport's Latin spelling is the legal name", () => {
    expect(refusals(individualInput({ legalName: 'Ахмедов' }))).toEqual([
      'PERSON_NAME_CHARACTERS@legalName',
    ]);
  });

  it('counts characters, not UTF-16 units, against the length limit', () => {
    const rare = '\u{2A6A5}'.repeat(PERSON_NAME_MAX_LENGTH.han);
    expect(storedName(rare)).toBe(rare);
    expect(refusals(individualInput({ legalName: `${rare}王` }))).toEqual([
      'PERSON_NAME_TOO_LONG@legalName',
    ]);
  });

  it("keeps a company's registered name to the looser rule: digits and any script", () => {
    const long = '\u{2A6A5}'.repeat(NAME_MAX_LENGTH);
    expect(
      corporateCustomerSchema.parse(corporateInput({ legalName: '3M中国有限公司' })).legalName,
    ).toBe('3M中国有限公司');
    expect(refusals(corporateInput({ legalName: `${long}王` }))).toEqual([
      'NAME_TOO_LONG@legalName',
    ]);
  });

  it('refuses an empty name, and one of only spaces', () => {
    expect(refusals(individualInput({ legalName: '' }))).toEqual(['REQUIRED@legalName']);
    expect(refusals(individualInput({ legalName: ' \u3000 ' }))).toEqual(['REQUIRED@legalName']);
  });

  it('normalises the optional names the same way, and lets them be left out', () => {
    const customer = customerSchema.parse(
      individualInput({
        chineseName: '买买提・艾力',
        englishName: undefined,
        pinyinName: undefined,
      }),
    );
    expect(customer.chineseName).toBe('买买提·艾力');
    expect(customer.englishName).toBeUndefined();
  });
});
