// shared/ runs in the renderer, the core and HQ alike: the validators may import only zod,
// libphonenumber-js and other shared files. (That they touch no Node or DOM globals is proved
// by type-checking them with tsconfig.shared.json, which has neither in scope.)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const files = [
  ...readdirSync(join(root, 'shared/validation')).map((name) => join('shared/validation', name)),
  'shared/i18n/validation.ts',
];

describe('the shared validation layer', () => {
  it.each(files)('%s imports only zod, libphonenumber-js and relative shared files', (file) => {
    const source = readFileSync(join(root, file), 'utf8');
    const specifiers = [...source.matchAll(/\bfrom\s+'([^']+)'/gu)].map((match) => match[1] ?? '');
    for (const specifier of specifiers) {
      expect(specifier, file).toMatch(/^(?:zod|libphonenumber-js\/max|\.\.?\/[\w./-]+)$/u);
      expect(specifier, file).not.toMatch(/\.ts$|\.js$/u);
    }
  });
});
