#!/usr/bin/env node
// The `labdesk` command. The core is TypeScript, loaded through tsx so that the CLI works straight
// after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
