// A small, fast, seedable random source for synthetic data. Every record gets its own stream,
// keyed by (seed, index), so a record is reproducible on its own and the same whatever `count`.

/** A bijective 32-bit mixer (murmur3's finaliser): distinct inputs stay distinct. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The low and high 32 bits of a non-negative safe integer. */
function split(value: number): [number, number] {
  return [value >>> 0, Math.floor(value / 0x1_0000_0000) >>> 0];
}

function hex8(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/** A weighted table prepared for sampling: values and their cumulative weights. */
export interface WeightedTable<T> {
  readonly values: readonly T[];
  readonly cumulative: Float64Array;
  readonly total: number;
}

export function weighted<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, weight], index) => {
    total += weight;
    cumulative[index] = total;
  });
  return { values: entries.map(([value]) => value), cumulative, total };
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator), 128 bits of state. The state is
 * seeded injectively from (seed, index) and the transition is a bijection, so two records never
 * share a stream.
 */
export class RecordRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, index: number) {
    const [seedLow, seedHigh] = split(seed);
    const [indexLow, indexHigh] = split(index);
    this.a = mix32(seedLow);
    this.b = mix32(seedHigh ^ 0x9e3779b9);
    this.c = mix32(indexLow);
    this.d = mix32(indexHigh ^ 0x7f4a7c15);
    for (let round = 0; round < 12; round += 1) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(values: readonly T[]): T {
    const value = values[this.int(values.length)];
    if (value === undefined) throw new RangeError('pick from an empty list');
    return value;
  }

  pickWeighted<T>(table: WeightedTable<T>): T {
    const target = this.float() * table.total;
    let low = 0;
    let high = table.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((table.cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    const value = table.values[low];
    if (value === undefined) throw new RangeError('pick from an empty table');
    return value;
  }

  /** `length` decimal digits, leading zeros kept. */
  digits(length: number): string {
    let text = '';
    while (text.length < length) text += String(this.next() % 1_000_000).padStart(6, '0');
    return text.slice(0, length);
  }

  /** A random (version 4) UUID. */
  uuid(): string {
    const a = hex8(this.next());
    const b = hex8(this.next());
    const c = hex8(this.next());
    const d = hex8(this.next());
    const variant = '89ab'[this.next() & 3] ?? '8';
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}
