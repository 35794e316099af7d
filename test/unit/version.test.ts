// The version the desk shows is the one package.json (and so the installer) carries.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { APP_VERSION } from '../../shared/version';

it('shows the version package.json declares', () => {
  const manifest = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  expect(APP_VERSION).toBe(manifest.version);
});
