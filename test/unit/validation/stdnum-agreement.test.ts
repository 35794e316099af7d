// Our resident ID and USCC validators against an independent implementation, python-stdnum
// (stdnum.cn.ric, stdnum.cn.uscc), number for number. The fixtures hold stdnum's own test
// vectors plus generated bodies, each with the verdict stdnum gave when run (see the fixture
// headers for repository, commit and licence). Where we decide differently on purpose, the
// difference is listed here with its reason, and the test proves the difference is exactly that.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { computeResidentIdCheck, validateResidentId } from '../../../shared/validation/resident-id';
import type { ValidationCode } from '../../../shared/validation/codes';
import type { ValidationResult } from '../../../shared/validation/result';
import { USCC_ALPHABET, computeUsccCheck, validateUscc } from '../../../shared/validation/uscc';

const source = z.object({ repository: z.url(), commit: z.string().regex(/^[0-9a-f]{40}$/u) });
const doctestFixture = z.object({
  source,
  licence: z.string().startsWith('LGPL'),
  vectors: z.array(
    z.object({
      number: z.string(),
      seenIn: z.array(z.string()).nonempty(),
      stdnum: z.string(),
      compact: z.string().optional(),
    }),
  ),
});
const generatedFixture = z.object({
  source,
  licence: z.string().startsWith('LGPL'),
  vectors: z.array(
    z.object({ body: z.string(), stdnumAccepts: z.array(z.string()), note: z.string() }),
  ),
});

function loadFixture<T>(name: string, schema: z.ZodType<T>): T {
  const text = readFileSync(join(import.meta.dirname, '../../fixtures/stdnum', name), 'utf8');
  return schema.parse(JSON.parse(text));
}

const ricDoctests = loadFixture('cn-ric.json', doctestFixture);
const ricGenerated = loadFixture('cn-ric-generated.json', generatedFixture);
const usccDoctests = loadFixture('cn-uscc.json', doctestFixture);
const usccGenerated = loadFixture('cn-uscc-generated.json', generatedFixture);

// Every birth date in the fixtures is 2025 or earlier, except the two future ones listed below.
const today = '2026-08-15';
const RIC_CHECK_CHARACTERS = [...'0123456789X'];
const USCC_CHECK_CHARACTERS = [...USCC_ALPHABET];

const errorCodes = (result: ValidationResult<unknown>) =>
  result.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.code);

/** Which of our error codes correspond to each exception stdnum raises. */
const ricReasons: Record<string, ValidationCode[]> = {
  InvalidLength: ['RESIDENT_ID_LENGTH'],
  InvalidFormat: ['RESIDENT_ID_FORMAT'],
  InvalidChecksum: ['RESIDENT_ID_CHECK_CHARACTER'],
  // stdnum raises InvalidComponent for a bad birth date and for an unknown birth place.
  InvalidComponent: ['RESIDENT_ID_BIRTH_DATE_INVALID', 'RESIDENT_ID_REGION'],
};
const usccReasons: Record<string, ValidationCode[]> = {
  InvalidLength: ['USCC_LENGTH'],
  InvalidFormat: ['USCC_FORMAT', 'USCC_REGION_FORMAT'],
  InvalidChecksum: ['USCC_CHECK_CHARACTER'],
};

/**
 * Deliberate differences, resident ID.
 * stdnum looks the six-digit address code up in a table of county codes with the years each
 * was in use; we check the province level only (two digits, and digits 3–6 not all zero),
 * because a number keeps the county code of the year it was assigned and a county table that
 * is even slightly out of date turns real customers away. stdnum does not bound the birth
 * date; we reject birth dates after today and before 1900. stdnum accepts 810000 and 820000
 * (Hong Kong, Macao) and 710000 (Taiwan) as birth places; 81/82 numbers are residence permits
 * for Hong Kong and Macao residents, which we refuse as a resident ID unless the caller asks
 * for them, and no resident ID number is assigned under 71.
 */
const ricDoctestDifferences: Record<string, { ours: 'valid'; reason: string }> = {
  '110111198012010078': {
    ours: 'valid',
    reason: 'county 110111 not yet in use in 1980; province level is fine',
  },
  '110201199312010077': {
    ours: 'valid',
    reason: 'county 110201 no longer in use in 1993; province level is fine',
  },
};
const ricGeneratedDifferences: Record<
  string,
  { ours: 'none' | 'one'; rejectedWith?: ValidationCode }
> = {
  'difference: born before 1900': {
    ours: 'none',
    rejectedWith: 'RESIDENT_ID_BIRTH_DATE_TOO_EARLY',
  },
  'difference: birth date in the future': {
    ours: 'none',
    rejectedWith: 'RESIDENT_ID_BIRTH_DATE_IN_FUTURE',
  },
  'difference: residence permit for Hong Kong residents': {
    ours: 'none',
    rejectedWith: 'RESIDENT_ID_RESIDENCE_PERMIT_NUMBER',
  },
  'difference: residence permit for Macao residents': {
    ours: 'none',
    rejectedWith: 'RESIDENT_ID_RESIDENCE_PERMIT_NUMBER',
  },
  'difference: 71 (Taiwan) in GB/T 2260 but no resident ID number is assigned under it': {
    ours: 'none',
    rejectedWith: 'RESIDENT_ID_REGION',
  },
  'difference: county code (房山区) not yet in use in the birth year': { ours: 'one' },
  'difference: county code (崇文区) no longer in use in the birth year': { ours: 'one' },
};

/**
 * Deliberate differences, USCC.
 * stdnum requires positions 1–8 to be digits. GB 32100-2015 and the authority codes allocated
 * since let position 1 be a letter (A 军队, N 农业, Y 其他), so we accept letters there when the
 * MOD 31 check holds. In stdnum's own vectors this changes only the reason for rejecting
 * A1110000600037341L (its check character was computed for a 9), never the verdict.
 * We also check the GB 11714 organisation code inside (positions 9–17), as a warning only, so
 * it never changes a verdict.
 */
const usccReasonDifferences: Record<string, ValidationCode[]> = {
  A1110000600037341L: ['USCC_CHECK_CHARACTER'],
};
const usccGeneratedDifferences: Record<string, { ours: 'one' }> = {
  'difference: registration authority code is a letter': { ours: 'one' },
};

describe('agreement with python-stdnum: resident ID numbers (stdnum.cn.ric)', () => {
  it('reads all 12 of stdnum’s own example and doctest numbers', () => {
    expect(ricDoctests.vectors).toHaveLength(12);
  });

  it.each(ricDoctests.vectors)(
    'decides $number as stdnum does ($stdnum), or differs as documented',
    (vector) => {
      const result = validateResidentId(vector.number, { today });
      const difference = ricDoctestDifferences[vector.number];
      if (difference) {
        expect(vector.stdnum).not.toBe('valid');
        expect(result.ok).toBe(true);
        return;
      }
      if (vector.stdnum === 'valid') {
        expect(result).toEqual({ ok: true, value: vector.compact, issues: [] });
      } else {
        expect(result.ok).toBe(false);
        const reasons = ricReasons[vector.stdnum] ?? [];
        expect(errorCodes(result).some((code) => reasons.includes(code))).toBe(true);
      }
    },
  );

  const generatedCount = ricGenerated.vectors.length * RIC_CHECK_CHARACTERS.length;
  it(`accepts exactly the check characters stdnum accepts, for ${ricGenerated.vectors.length} generated bodies × 11 (${generatedCount} numbers)`, () => {
    expect(ricGenerated.vectors).toHaveLength(178);
    const seenDifferences = new Set<string>();
    for (const vector of ricGenerated.vectors) {
      const oursAccepted = RIC_CHECK_CHARACTERS.filter(
        (check) => validateResidentId(vector.body + check, { today }).ok,
      );
      const difference = ricGeneratedDifferences[vector.note];
      if (difference === undefined) {
        expect(oursAccepted, vector.body).toEqual(vector.stdnumAccepts);
        continue;
      }
      seenDifferences.add(vector.note);
      expect(oursAccepted, vector.body).not.toEqual(vector.stdnumAccepts);
      if (difference.ours === 'one') {
        expect(oursAccepted, vector.body).toEqual([computeResidentIdCheck(vector.body)]);
      } else {
        expect(oursAccepted, vector.body).toEqual([]);
        const withStdnumsCheck = validateResidentId(vector.body + (vector.stdnumAccepts[0] ?? ''), {
          today,
        });
        expect(errorCodes(withStdnumsCheck), vector.body).toEqual([difference.rejectedWith]);
      }
    }
    expect([...seenDifferences].sort()).toEqual(Object.keys(ricGeneratedDifferences).sort());
  });

  it('agrees with stdnum on residence permit numbers for Hong Kong and Macao when asked to accept them', () => {
    for (const vector of ricGenerated.vectors.filter((v) =>
      v.note.includes('residence permit for'),
    )) {
      const oursAccepted = RIC_CHECK_CHARACTERS.filter(
        (check) =>
          validateResidentId(vector.body + check, { today, acceptResidencePermit: true }).ok,
      );
      // 830000 (Taiwan residents) is not in stdnum's table at all: there we accept, stdnum does not.
      const expected = vector.body.startsWith('83')
        ? [computeResidentIdCheck(vector.body)]
        : vector.stdnumAccepts;
      expect(oursAccepted, vector.body).toEqual(expected);
    }
  });
});

describe('agreement with python-stdnum: unified social credit codes (stdnum.cn.uscc)', () => {
  it('reads all 207 of stdnum’s own example and doctest codes', () => {
    expect(usccDoctests.vectors).toHaveLength(207);
  });

  it.each(usccDoctests.vectors)('decides $number as stdnum does ($stdnum)', (vector) => {
    const result = validateUscc(vector.number);
    if (vector.stdnum === 'valid') {
      // Real codes: accepted, normalised as stdnum does, and without a single warning.
      expect(result).toEqual({ ok: true, value: vector.compact, issues: [] });
    } else {
      expect(result.ok).toBe(false);
      const reasons = usccReasonDifferences[vector.number] ?? usccReasons[vector.stdnum] ?? [];
      expect(errorCodes(result).some((code) => reasons.includes(code))).toBe(true);
    }
  });

  const generatedCount = usccGenerated.vectors.length * USCC_CHECK_CHARACTERS.length;
  it(`accepts exactly the check characters stdnum accepts, for ${usccGenerated.vectors.length} generated bodies × 31 (${generatedCount} codes)`, () => {
    expect(usccGenerated.vectors).toHaveLength(195);
    const seenDifferences = new Set<string>();
    for (const vector of usccGenerated.vectors) {
      const oursAccepted = USCC_CHECK_CHARACTERS.filter(
        (check) => validateUscc(vector.body + check).ok,
      );
      const difference = usccGeneratedDifferences[vector.note];
      if (difference === undefined) {
        expect(oursAccepted, vector.body).toEqual(vector.stdnumAccepts);
        continue;
      }
      seenDifferences.add(vector.note);
      expect(vector.stdnumAccepts, vector.body).toEqual([]);
      expect(oursAccepted, vector.body).toEqual([computeUsccCheck(vector.body)]);
    }
    expect([...seenDifferences]).toEqual(Object.keys(usccGeneratedDifferences));
  });
});
