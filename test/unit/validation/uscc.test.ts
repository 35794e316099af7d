import { describe, expect, it } from 'vitest';
import type { ValidationResult } from '../../../shared/validation/result';
import {
  USCC_ALPHABET,
  computeOrganisationCodeCheck,
  computeUsccCheck,
  validateUscc,
} from '../../../shared/validation/uscc';

const codes = (result: ValidationResult<unknown>) =>
  result.issues.map((issue) => `${issue.severity}:${issue.code}`);

describe('validateUscc', () => {
  it('accepts a real code and returns it compact and upper-case', () => {
    expect(validateUscc('91110000600037341L')).toEqual({
      ok: true,
      value: '91110000600037341L',
      issues: [],
    });
    expect(validateUscc(' 91 110000 600037341l ')).toMatchObject({
      ok: true,
      value: '91110000600037341L',
    });
    expect(validateUscc('９１１１００００６０００３７３４１Ｌ')).toMatchObject({
      ok: true,
      value: '91110000600037341L',
    });
  });

  it("accepts the standard's worked example 91350100M000100Y43 and rejects its counter-example …Y4Z", () => {
    // GB 32100-2015 works the check character out as 3 for 91350100M000100Y4; the organisation
    // code inside, M000100Y4, also satisfies GB 11714 (check 4).
    expect(computeUsccCheck('91350100M000100Y4')).toBe('3');
    expect(computeOrganisationCodeCheck('M000100Y')).toBe('4');
    expect(validateUscc('91350100M000100Y43')).toEqual({
      ok: true,
      value: '91350100M000100Y43',
      issues: [],
    });
    expect(codes(validateUscc('91350100M000100Y4Z'))).toEqual(['error:USCC_FORMAT']);
  });

  it('warns, without rejecting, when the organisation code inside fails its own GB 11714 check', () => {
    const first17 = '91350100M000100Y5';
    expect(validateUscc(first17 + computeUsccCheck(first17))).toMatchObject({
      ok: true,
      issues: [{ code: 'USCC_ORGANISATION_CODE_CHECK', severity: 'warning' }],
    });
  });

  it('rejects a code whose MOD 31 check character is wrong', () => {
    expect(codes(validateUscc('91110000600037341N'))).toEqual(['error:USCC_CHECK_CHARACTER']);
    expect(codes(validateUscc('91350100M000100Y44'))).toEqual(['error:USCC_CHECK_CHARACTER']);
  });

  it('rejects the letters I, O, Z, S and V, which the code never uses', () => {
    for (const letter of ['I', 'O', 'Z', 'S', 'V']) {
      expect(codes(validateUscc(`9111000060003734${letter}L`))).toEqual(['error:USCC_FORMAT']);
    }
  });

  it('rejects a code of the wrong length and says how long it was', () => {
    expect(validateUscc('12345').issues).toEqual([
      { code: 'USCC_LENGTH', severity: 'error', params: { length: 5 } },
    ]);
    expect(validateUscc('').issues).toEqual([{ code: 'REQUIRED', severity: 'error' }]);
  });

  it('rejects a region code (characters 3–8) that is not six digits', () => {
    const first17 = '91A10000600037341';
    expect(codes(validateUscc(first17 + computeUsccCheck(first17)))).toContain(
      'error:USCC_REGION_FORMAT',
    );
  });

  it('accepts letter registration authorities the standard allows (N for agricultural collectives)', () => {
    const first17 = 'N2340621MA2UK3C36';
    expect(validateUscc(first17 + computeUsccCheck(first17))).toMatchObject({
      ok: true,
      issues: [],
    });
  });

  it('warns about an unknown registration authority, organisation type or province', () => {
    const unknownAuthority = 'B1340621MA2UK3C36';
    expect(validateUscc(unknownAuthority + computeUsccCheck(unknownAuthority)).issues).toEqual([
      {
        code: 'USCC_REGISTRATION_AUTHORITY_UNKNOWN',
        severity: 'warning',
        params: { authority: 'B' },
      },
    ]);
    const unknownType = '97340621MA2UK3C36';
    expect(validateUscc(unknownType + computeUsccCheck(unknownType)).issues).toEqual([
      {
        code: 'USCC_ORGANISATION_TYPE_UNKNOWN',
        severity: 'warning',
        params: { authority: '9', organisationType: '7' },
      },
    ]);
    const unknownProvince = '91990621MA2UK3C36';
    expect(codes(validateUscc(unknownProvince + computeUsccCheck(unknownProvince)))).toEqual([
      'warning:USCC_REGION_UNKNOWN',
    ]);
  });

  it('accepts 100000, the region of organisations registered at the national level', () => {
    const first17 = '11100000MA2UK3C36';
    expect(validateUscc(first17 + computeUsccCheck(first17))).toMatchObject({
      ok: true,
      issues: [],
    });
  });
});

describe('USCC check characters', () => {
  it('uses the weights 3^(i-1) mod 31 and 31 characters, I O Z S V excluded', () => {
    expect(USCC_ALPHABET).toHaveLength(31);
    expect(USCC_ALPHABET).not.toMatch(/[IOZSV]/u);
    // With a single 1 at position i and zeros elsewhere, the check is 31 - w(i) (mod 31).
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    weights.forEach((weight, index) => {
      const body = '0'.repeat(index) + '1' + '0'.repeat(16 - index);
      expect(computeUsccCheck(body)).toBe(USCC_ALPHABET[(31 - weight) % 31]);
    });
    expect(computeUsccCheck('00000000000000000')).toBe('0');
  });

  it('computes the GB 11714 organisation code check: 10 becomes X, 11 becomes 0', () => {
    expect(computeOrganisationCodeCheck('60003734')).toBe('1'); // 91110000 600037341 L
    expect(computeOrganisationCodeCheck('07837941')).toBe('X'); // 9115220107837941X1
    expect(computeOrganisationCodeCheck('MA2PBP6A')).toBe('1'); // 91340600MA2PBP6A1W
    expect(computeOrganisationCodeCheck('00000000')).toBe('0');
    expect(() => computeOrganisationCodeCheck('0000000')).toThrow(RangeError);
  });
});
