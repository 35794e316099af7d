// The customer model's own catalog, and the layer rule for shared/customer.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  customerAlertKinds,
  customerAlertMessages,
  customerIssueCodes,
  customerMessages,
} from '../../../shared/customer';
import { locales } from '../../../shared/i18n/errors';
import { validationCodes } from '../../../shared/validation';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/gu)].map((m) => m[1]).sort();

describe('the customer message catalog', () => {
  it('shares no code with the validation catalog, so a code names one message', () => {
    const shared = customerIssueCodes.filter((code) =>
      (validationCodes as readonly string[]).includes(code),
    );
    expect(shared).toEqual([]);
  });

  it('has a message in every locale for every code and alert, with the same placeholders', () => {
    for (const locale of locales) {
      for (const code of customerIssueCodes) {
        expect(customerMessages[locale][code].trim(), `${locale} ${code}`).not.toBe('');
        expect(placeholders(customerMessages[locale][code]), code).toEqual(
          placeholders(customerMessages.en[code]),
        );
      }
      for (const kind of customerAlertKinds) {
        expect(placeholders(customerAlertMessages[locale][kind]), kind).toEqual(['date']);
      }
    }
  });
});

describe('the shared customer layer', () => {
  const root = join(import.meta.dirname, '../../..');
  const files = readdirSync(join(root, 'shared/customer')).map((name) =>
    join('shared/customer', name),
  );

  it.each(files)('%s imports only zod and relative shared files', (file) => {
    const source = readFileSync(join(root, file), 'utf8');
    const specifiers = [...source.matchAll(/\bfrom\s+'([^']+)'/gu)].map((match) => match[1] ?? '');
    for (const specifier of specifiers) {
      expect(specifier, file).toMatch(/^(?:zod|\.\.?\/[\w./-]+)$/u);
      expect(specifier, file).not.toMatch(/\.ts$|\.js$/u);
    }
  });
});
