// `npm test`: type-check, lint, unit/integration tests, the UI build, then end-to-end tests in a real
// Chromium. Stops at the first failing stage and ends with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBrowser } from './e2e/find-browser.mjs';

const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'labdesk-test-reports-'));
const vitestJson = path.join(reports, 'vitest.json');
const playwrightJson = path.join(reports, 'playwright.json');
const bin = (name) => path.join('node_modules', '.bin', name);

const stages = [
  ['type-check (core, shells, tests)', bin('tsc'), ['-p', 'tsconfig.json']],
  ['type-check (renderer)', bin('tsc'), ['-p', 'renderer/tsconfig.json']],
  ['type-check (end-to-end tests)', bin('tsc'), ['-p', 'tests/e2e/tsconfig.json']],
  ['lint (incl. layering rules)', bin('eslint'), ['.', '--max-warnings=0']],
  ['unit and integration tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]],
  // A fresh machine has no browser: find one, or install it the platform's way (see find-browser.mjs).
  ['a Chromium for the end-to-end tests', () => {
    process.env.LABDESK_CHROMIUM = ensureBrowser();
  }],
  ['end-to-end tests (Chromium)', bin('playwright'), ['test', '-c', 'tests/e2e/playwright.config.ts', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson }],
];

function counts() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (fs.existsSync(vitestJson)) {
    const v = JSON.parse(fs.readFileSync(vitestJson, 'utf8'));
    passed += v.numPassedTests;
    failed += v.numFailedTests;
    skipped += v.numPendingTests + v.numTodoTests;
  }
  if (fs.existsSync(playwrightJson)) {
    const s = JSON.parse(fs.readFileSync(playwrightJson, 'utf8')).stats ?? {};
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
    skipped += s.skipped ?? 0;
  }
  return { passed, failed, skipped };
}

/** A stage is a command, or a function run here (which fails by throwing). */
async function runStage(cmd, args, env) {
  if (typeof cmd === 'function') {
    try {
      await cmd();
      return true;
    } catch (err) {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      return false;
    }
  }
  return spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;
}

let failedStage = null;
for (const [title, cmd, args, env] of stages) {
  process.stdout.write(`\n=== ${title}\n`);
  const started = Date.now();
  if (!(await runStage(cmd, args, env))) {
    failedStage = title;
    break;
  }
  process.stdout.write(`--- ${title}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
const c = counts();
if (failedStage) process.stdout.write(`\nFAILED at: ${failedStage}\n`);
process.stdout.write(`\ntests: ${c.passed} passed, ${c.failed + (failedStage && c.failed === 0 ? 1 : 0)} failed, ${c.skipped} skipped\n`);
fs.rmSync(reports, { recursive: true, force: true });
process.exit(failedStage ? 1 : 0);
