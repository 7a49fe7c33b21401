#!/usr/bin/env node
// The `labdesk` command. Runs the plain-JavaScript build in dist/cli/ (made at `npm ci` by
// build/scripts/build-cli.mjs) when it matches src/ exactly; otherwise, or with LABDESK_DEV=1, it
// compiles the TypeScript core through tsx, so edits take effect with no build step (a few hundred ms slower).
import { BUILT_CLI, builtCliIsCurrent } from '../util/source-stamp.mjs';

if (process.env.LABDESK_DEV !== '1' && builtCliIsCurrent()) {
  const [{ pathToFileURL }, nodeModule] = await Promise.all([import('node:url'), import('node:module')]);
  // Node ≥ 22.1 keeps compiled code between calls (in the OS temp dir); Node 20 lacks it.
  nodeModule.enableCompileCache?.();
  await import(pathToFileURL(BUILT_CLI).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
