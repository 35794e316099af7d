import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/fault/**/*.test.ts',
      'test/e2e/**/*.test.ts',
      'test/electron/**/*.test.ts',
    ],
    // The vault and keychain tests spawn real child processes and touch a real keyring;
    // two cores are all we have, so keep parallelism modest.
    pool: 'forks',
    // A migrated HQ folder that each test HQ on a new folder starts from (see the file).
    globalSetup: ['test/support/global-setup.ts'],
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits this long before failing (default 1 s): a busy two-core CI machine
    // sometimes needs more for a page to show what a command just did.
    expect: { poll: { timeout: 10_000 } },
  },
});
