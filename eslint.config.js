// ESLint flat config. Besides style, it enforces the runtime boundaries of ARCHITECTURE.md §2:
// a wrong import between layers fails `npm test`, not a review.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const noElectron = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron (ARCHITECTURE.md §2).',
};
const noRendererFromHere = {
  group: ['**/renderer/**', 'renderer/**'],
  message: 'Nothing outside renderer/ may import the renderer.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'bench-results/**',
      'test-results/**',
      'coverage/**',
      'test/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  // shared/: runs anywhere. No DOM, no Node, no Electron, nothing from the other layers.
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            noElectron,
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'shared/ must not use Node built-ins.',
            })),
          ],
          patterns: [
            noRendererFromHere,
            {
              group: ['**/electron/**', 'electron/**', '**/hq/**', 'hq/**'],
              message: 'shared/ imports nothing outside shared/.',
            },
          ],
        },
      ],
    },
  },
  // renderer/: DOM only. Never Electron, never Node, never the core.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer talks to the core only through the command contract.',
            },
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The renderer must not use Node built-ins.',
            })),
          ],
          patterns: [
            {
              group: ['**/electron/**', 'electron/**', '**/hq/**', 'hq/**'],
              message: 'The renderer imports only shared/ and UI packages.',
            },
          ],
        },
      ],
    },
  },
  // electron/core and hq/: plain Node. Never Electron, never the renderer.
  {
    files: ['electron/core/**/*.ts', 'hq/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            noRendererFromHere,
            {
              group: ['**/electron/main/**', '**/electron/preload/**'],
              message: 'The core does not depend on the Electron shell.',
            },
          ],
        },
      ],
    },
  },
  // electron/core's domain: never imports the hosts that start it (hosts/: branchctl, the
  // harness, the utility process, the desk host), so the folder list shows the design.
  {
    files: ['electron/core/**/*.ts'],
    ignores: ['electron/core/hosts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            noRendererFromHere,
            {
              group: ['**/electron/main/**', '**/electron/preload/**'],
              message: 'The core does not depend on the Electron shell.',
            },
            {
              group: ['**/hosts/**', './hosts', './hosts/**'],
              message: "The core's domain does not depend on the hosts that start it.",
            },
          ],
        },
      ],
    },
  },
  // electron/main and electron/preload: the only homes of `electron`.
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [noRendererFromHere] }],
    },
  },
  // Packaging hooks and configuration: CommonJS, as electron-builder loads them.
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
