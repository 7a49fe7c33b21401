// Lint, with the layering rules made visible: the core (src/) is plain Node and never reaches for a
// UI; the renderer reaches the core only through the API contract's types; inside src/, each folder
// imports only the layers below it, and SQL stays in src/catalog/.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const uiPackages = ['electron', 'react', 'react-dom', 'react-dom/client'];

/**
 * The folders of src/ and what each may import, lowest layers first ('.' is the files directly in
 * src/: core.ts, core-types.ts, app-paths.ts). `type:X` allows only `import type` from X (a folder, or
 * one module as folder/name). README's architecture section draws this; tests/architecture checks
 * every import (dynamic ones too, which no-restricted-imports does not see) against it and for cycles.
 */
export const SRC_LAYERS = {
  api: [],
  util: ['type:api'],
  formats: ['api', 'util'],
  // The catalog stores the records a format emits (their types), and reads no file itself.
  catalog: ['api', 'util', 'type:formats/adapter'],
  folders: ['api', 'util'],
  imports: ['api', 'util'],
  preview: ['api', 'util', 'formats'],
  index: ['api', 'util', 'formats', 'catalog'],
  watch: ['api', 'util', 'index'],
  // Long work: index passes as jobs, hashing in worker threads.
  jobs: ['api', 'util', 'formats', 'catalog', 'index'],
  '.': ['api', 'util', 'formats', 'catalog', 'folders', 'imports', 'preview', 'index', 'watch', 'jobs'],
  server: ['api', 'util', '.'],
  bench: ['api', 'util', 'formats', 'catalog', 'folders', 'imports', 'preview', 'index', 'watch', 'jobs', '.', 'server'],
  cli: ['api', 'util', '.', 'server', 'bench'],
};

/** SQL outside the catalog is allowed only in the MLflow reader (it reads MLflow's own database) and the bench. */
const SQL_ALLOWED = ['src/catalog/**', 'src/formats/mlflow/sqlite-store.ts', 'src/bench/**'];

const srcRestrictions = {
  paths: uiPackages.map((name) => ({ name, message: 'src/ is the plain-Node core: it never imports electron or react.' })),
  patterns: [
    { group: ['**/renderer/**', '**/electron/**'], message: 'The core does not depend on its shells.' },
    { group: ['@mantine/*', '@tanstack/react-*', 'plotly.js*'], message: 'UI libraries belong in renderer/.' },
  ],
};

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MODULE_EXT = '\\.[cm]?[jt]s$';

/**
 * no-restricted-imports patterns for a file `depth` folders below src/ in `layer`: a relative
 * specifier reaches src/ by exactly `depth` `../` steps, so each pattern names one folder of src/.
 */
function layerPatterns(layer, depth) {
  const toSrc = depth === 0 ? '\\./' : `(\\.\\./){${depth}}`;
  const allowed = SRC_LAYERS[layer];
  const name = (a) => (a === '.' ? 'src/*.ts' : a.startsWith('type:') ? `types of ${a.slice(5)}` : `${a}/`);
  const message = `Layers of src/ (README, Architecture): ${layer === '.' ? 'src/*.ts' : `src/${layer}/`} may import ${
    allowed.length ? allowed.map(name).join(', ') : 'no other folder of src/'
  } only.`;
  const patterns = [];
  for (const target of Object.keys(SRC_LAYERS)) {
    if (target === layer || allowed.includes(target)) continue;
    if (target === '.') {
      if (depth > 0) patterns.push({ regex: `^${toSrc}[^/]+$`, message });
      continue;
    }
    const typeModules = allowed.filter((a) => a.startsWith(`type:${target}/`)).map((a) => a.slice(5 + target.length + 1));
    const except = typeModules.length ? `(?!(${typeModules.map(escape).join('|')})${MODULE_EXT})` : '';
    patterns.push({
      regex: `^${toSrc}${escape(target)}(/${except}|$)`,
      message,
      ...(allowed.includes(`type:${target}`) ? { allowTypeImports: true } : {}),
    });
    for (const m of typeModules) patterns.push({ regex: `^${toSrc}${escape(target)}/${escape(m)}${MODULE_EXT}`, message, allowTypeImports: true });
  }
  return patterns;
}

const importRule = (patterns) => ({
  'no-restricted-imports': 'off',
  '@typescript-eslint/no-restricted-imports': ['error', { ...srcRestrictions, patterns: [...srcRestrictions.patterns, ...patterns] }],
});

const sources = (dir) => [`${dir}*.ts`, `${dir}*.mts`, `${dir}*.mjs`];

/**
 * One block per layer and depth below src/ (two folders deep today; the architecture test checks
 * deeper files too).
 */
function layerBlocks() {
  const blocks = [];
  for (const layer of Object.keys(SRC_LAYERS)) {
    for (const depth of layer === '.' ? [0] : [1, 2, 3, 4]) {
      const dir = layer === '.' ? 'src/' : `src/${layer}/${'*/'.repeat(depth - 1)}`;
      blocks.push({ files: sources(dir), rules: importRule(layerPatterns(layer, depth)) });
    }
  }
  return blocks;
}

/** Calls that run SQL: any `.prepare(`, a database handle's exec/pragma/transaction, and exec of an SQL string. */
const SQL_KEYWORDS = '/^\\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|WITH|VACUUM|ATTACH)\\b/i';
const DB_HANDLE = '/^(db|database|catalog|sqlite)$/i';
const sqlMessage = 'SQL lives in src/catalog/ (one small module per entry kind): call a catalog function instead.';
const sqlSelectors = [
  "CallExpression[callee.property.name='prepare']",
  `CallExpression[callee.property.name=/^(exec|pragma|transaction)$/][callee.object.name=${DB_HANDLE}]`,
  `CallExpression[callee.property.name=/^(exec|pragma|transaction)$/][callee.object.property.name=${DB_HANDLE}]`,
  `CallExpression[callee.property.name='exec'][arguments.0.value=${SQL_KEYWORDS}]`,
  `CallExpression[callee.property.name='exec'][arguments.0.quasis.0.value.raw=${SQL_KEYWORDS}]`,
];

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
  { files: sources('src/**/'), rules: importRule([]) },
  ...layerBlocks(),
  {
    files: sources('src/**/'),
    ignores: SQL_ALLOWED,
    rules: { 'no-restricted-syntax': ['error', ...sqlSelectors.map((selector) => ({ selector, message: sqlMessage }))] },
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
