// The pinyin of names is cached, and the cache stays small: a big one kept a whole initial sync's
// names alive and the client's peak memory grew with it (see PINYIN_CACHE_NAMES).
import { describe, expect, it } from 'vitest';
import {
  cachedPinyinNames,
  namePinyin,
  PINYIN_CACHE_NAMES,
} from '../../../electron/core/customers/terms';

const surnames = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'];
const given = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂'];

/** 20 × 26 × 26 = 13,520 distinct three-character names, more than the cache holds. */
function* names(): Generator<string> {
  for (const surname of surnames)
    for (const first of given) for (const second of given) yield surname + first + second;
}

describe('the pinyin cache', () => {
  it('answers a name seen before from the cache, and never holds more than its limit', () => {
    const first = namePinyin('单晓禾');
    expect(first).toEqual({ syllables: ['shan', 'xiao', 'he'], initials: 'sxh' });
    expect(namePinyin('单晓禾')).toBe(first);

    // At 100k names the 100k-customer bench's client peaked at 458 MB (354 MB at 10k).
    expect(PINYIN_CACHE_NAMES).toBeLessThanOrEqual(10_000);
    let distinct = 0;
    for (const name of names()) {
      namePinyin(name);
      distinct++;
      expect(cachedPinyinNames()).toBeLessThanOrEqual(PINYIN_CACHE_NAMES);
    }
    expect(distinct).toBeGreaterThan(PINYIN_CACHE_NAMES);
    // Emptied when full, it still answers correctly.
    expect(namePinyin('王伟芳')).toEqual({ syllables: ['wang', 'wei', 'fang'], initials: 'wwf' });
  });
});
