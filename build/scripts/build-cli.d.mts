// Types for build-cli.mjs, for the tests that build the CLI into a temp folder.
import type { Metafile } from 'esbuild';

export function buildCli(options?: { outdir?: string }): Promise<{ fingerprint: string; metafile: Metafile }>;
