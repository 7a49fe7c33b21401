// Types for source-stamp.mjs (plain JavaScript: the launcher reads it before anything is compiled).
export const REPO_ROOT: string;
export const SRC_DIR: string;
export const BUILT_CLI_DIR: string;
export const BUILT_CLI: string;
export function sourceFingerprint(dir?: string): string;
export function builtCliIsCurrent(options?: { srcDir?: string; builtDir?: string }): boolean;
