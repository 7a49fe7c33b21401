// Lint, with the layering rules made visible: the core (src/) is plain Node and never reaches for a
// UI; the renderer reaches the core only through the API contract's types.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const uiPackages = ['electron', 'react', 'react-dom', 'react-dom/client'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.mjs'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: uiPackages.map((name) => ({ name, message: 'src/ is the plain-Node core: it never imports electron or react.' })),
          patterns: [
            { group: ['**/renderer/**', '**/electron/**'], message: 'The core does not depend on its shells.' },
            { group: ['@mantine/*', '@tanstack/react-*', 'plotly.js*'], message: 'UI libraries belong in renderer/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches Electron only through the preload bridge.' }],
          patterns: [
            {
              regex: '(^|/)src/(?!api/contract(\\.[jt]s)?$)',
              message: 'The renderer reaches the core only through src/api/contract.ts.',
            },
            {
              regex: '(^|/)src/api/contract(\\.[jt]s)?$',
              allowTypeImports: true,
              message: 'Import only types from the API contract (`import type`).',
            },
            { group: ['node:*', 'fs', 'path', 'child_process'], message: 'The renderer has no Node access.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)src/(?!api/contract(\\.[jt]s)?$)', message: 'The sandboxed preload exposes the contract only.' }] },
      ],
    },
  },
);
