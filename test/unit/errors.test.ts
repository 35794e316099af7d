// Every error code speaks both languages, and details fill its placeholders.
import { describe, expect, it } from 'vitest';
import { BranchDeskError, describeError, errorCodes, serializeError } from '../../shared/errors';
import { errorMessages, locales } from '../../shared/i18n/errors';
import { doctorCheckLabels } from '../../shared/i18n/doctor';
import { DoctorCheckId } from '../../shared/commands/vault';

describe('error messages', () => {
  for (const locale of locales) {
    it(`has a ${locale} message for every error code, and no message for an unknown code`, () => {
      expect(Object.keys(errorMessages[locale]).sort()).toEqual([...errorCodes].sort());
      for (const code of errorCodes) expect(errorMessages[locale][code].trim()).not.toBe('');
    });
    it(`names every doctor check in ${locale}`, () => {
      expect(Object.keys(doctorCheckLabels[locale]).sort()).toEqual(
        [...DoctorCheckId.options].sort(),
      );
    });
  }

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const code of errorCodes) {
      expect(placeholders(errorMessages.en[code]), code).toEqual(
        placeholders(errorMessages['zh-CN'][code]),
      );
    }
  });

  it('fills placeholders from the details and carries the stable code across a boundary', () => {
    const error = new BranchDeskError('VAULT_KEY_MISSING', { profileId: 'p-1' });
    expect(error.message).toContain('p-1');
    const wire = serializeError(error);
    expect(wire.code).toBe('VAULT_KEY_MISSING');
    expect(wire.message['zh-CN']).toContain('密钥库中找不到档案 p-1 的密钥');
    expect(describeError('VAULT_KEY_MISSING', { profileId: 'p-1' }, 'en')).toBe(wire.message.en);
  });

  it('turns anything unexpected into INTERNAL without leaking its text', () => {
    const wire = serializeError(new Error('SELECT * FROM customer WHERE name = 张三'));
    expect(wire.code).toBe('INTERNAL');
    expect(JSON.stringify(wire)).not.toContain('张三');
  });
});
