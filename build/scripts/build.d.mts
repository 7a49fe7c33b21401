// Types for build.mjs, for the tests that bundle code the way the desktop build does.
import type { BuildOptions } from 'esbuild';

export const REPO_ROOT: string;
export const ELECTRON_MAIN_OPTIONS: BuildOptions;
export function buildRenderer(): Promise<void>;
export function buildElectron(): Promise<void>;
export function buildAll(options?: { renderer?: boolean; electron?: boolean }): Promise<string[]>;
