// What the one search box takes a query for.
import { describe, expect, it } from 'vitest';
import { MAX_SEARCH_QUERY_LENGTH, planSearch } from '../../../shared/search/plan';

const fields = (query: string) => planSearch(query).steps.map((step) => step.field);
const step = (query: string, field: string) =>
  planSearch(query).steps.find((s) => s.field === field);

describe('planSearch', () => {
  it('takes 18 characters ending in a digit or X for a resident ID number, in any spelling', () => {
    expect(step('11010519491231002X', 'id_number')?.value).toBe('11010519491231002X');
    expect(step('１１０１０５１９４９１２３１００２ｘ', 'id_number')?.value).toBe(
      '11010519491231002X',
    );
    expect(step('110105 19491231 002x', 'id_number')?.value).toBe('11010519491231002X');
  });

  it('converts a legacy 15-digit ID number to the 18-character form', () => {
    expect(step('110105491231002', 'id_number')?.value).toBe('11010519491231002X');
  });

  it('takes 11 digits starting with 1 for a mobile, with or without +86 and separators', () => {
    for (const query of [
      '13812345678',
      '+86 138 1234 5678',
      '0086-138-1234-5678',
      '138 1234 5678',
    ]) {
      expect(step(query, 'phone')?.value, query).toBe('13812345678');
    }
  });

  it('takes a landline with its area code, stored without the trunk 0', () => {
    expect(step('010-6512 3456', 'phone')?.value).toBe('1065123456');
    expect(step('0755 8888 9999', 'phone')?.value).toBe('75588889999');
  });

  it('takes four digits for the tail of an ID, a phone or an account, and 5–6 for an ID tail', () => {
    expect(fields('5678')).toEqual(['id_tail', 'phone_tail', 'account_tail']);
    expect(fields('02X')).toEqual([]);
    expect(fields('002X')).toEqual(['id_tail']);
    expect(fields('31002X')).toEqual(['id_tail']);
  });

  it('takes 16–19 digits for a card number, matched by its visible first and last four', () => {
    expect(step('6222 0212 3456 7890', 'card')?.value).toBe('62227890');
  });

  it('takes C and ten digits for a customer number, in either case', () => {
    expect(step('c0000000018', 'customer_number')?.value).toBe('C0000000018');
  });

  it('takes Chinese characters for a name, dropping the middle dot and spaces', () => {
    expect(step('张 三丰', 'name')?.value).toBe('张三丰');
    expect(step('买买提·艾力', 'name')?.value).toBe('买买提艾力');
  });

  it('takes letters for pinyin, full or initials, in either case', () => {
    expect(step('ZhangS', 'pinyin')?.value).toBe('zhangs');
    expect(step('zs', 'pinyin')?.value).toBe('zs');
  });

  it('plans nothing for empty, overlong, or unsearchable input', () => {
    for (const query of [
      '',
      '   ',
      'x'.repeat(MAX_SEARCH_QUERY_LENGTH + 1),
      '😀',
      "' OR 1=1 --",
      '"*" NEAR(',
      '%_',
      '\u0000\u0007',
    ]) {
      expect(planSearch(query).steps, JSON.stringify(query)).toEqual([]);
    }
  });
});
