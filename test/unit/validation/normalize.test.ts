import { describe, expect, it } from 'vitest';
import {
  compactIdentifier,
  normalizeDocumentNumber,
  normalizeIdNumber,
  normalizePersonName,
  toHalfWidth,
} from '../../../shared/validation/normalize';

describe('toHalfWidth', () => {
  it('turns full-width ASCII (U+FF01–U+FF5E) into half-width and the ideographic space into a space', () => {
    expect(toHalfWidth('１１０１０５　ＡＢｃ！～')).toBe('110105 ABc!~');
  });

  it('leaves Chinese characters and characters outside the BMP alone', () => {
    expect(toHalfWidth('张三𠮷')).toBe('张三𠮷');
  });
});

describe('compactIdentifier', () => {
  it('removes spaces, dashes and hyphen look-alikes inside an identifier', () => {
    expect(compactIdentifier(' 110105\u3000194912-31‐002–X ')).toBe('11010519491231002X');
    expect(compactIdentifier('6222\u00a00200\u20121234－5678')).toBe('6222020012345678');
  });

  it('removes the invisible characters that copy-paste brings along', () => {
    expect(compactIdentifier('\ufeff1101\u200b05\u200e')).toBe('110105');
  });
});

describe('normalizeIdNumber', () => {
  it('upper-cases a trailing x, as printed on the card', () => {
    expect(normalizeIdNumber('11010519491231002x')).toBe('11010519491231002X');
  });

  it('turns full-width digits and a full-width x into the printed form', () => {
    expect(normalizeIdNumber('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X');
  });
});

describe('normalizeDocumentNumber', () => {
  it('upper-cases every letter of a passport or permit number', () => {
    expect(normalizeDocumentNumber('ea 123 4567')).toBe('EA1234567');
  });
});

describe('normalizePersonName', () => {
  it.each([
    ['买买提\u2022艾力', 'U+2022 bullet'],
    ['买买提\u30fb艾力', 'U+30FB katakana middle dot'],
    ['买买提\uff0e艾力', 'U+FF0E full-width full stop'],
    ['买买提\u2027艾力', 'U+2027 hyphenation point'],
    ['买买提 · 艾力', 'spaces around the dot'],
  ])('normalises %s (%s) to the middle dot U+00B7', (input) => {
    expect(normalizePersonName(input)).toBe('买买提\u00b7艾力');
  });

  it('keeps compound surnames, rare characters outside the BMP and Latin names as they are', () => {
    expect(normalizePersonName('欧阳𠮷')).toBe('欧阳𠮷');
    expect(normalizePersonName('  John   F.  Kennedy ')).toBe('John F. Kennedy');
  });

  it('turns full-width letters and the ideographic space into their half-width forms', () => {
    expect(normalizePersonName('Ｌｉ\u3000Ｌｅｉ')).toBe('Li Lei');
  });
});
