// Types for find-browser.mjs (plain JavaScript so that tests/run-all.mjs can load it with no compiler).
export interface FindOptions {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  home?: string;
  systemPaths?: string[];
}
export type Found = { path: string; source: string } | { path: null; looked: string[] };
export interface InstallStep {
  command: string;
  args: string[];
  env?: Record<string, string>;
}
export interface InstallPlan {
  describe: string;
  steps: InstallStep[];
}

export const SYSTEM_CHROMIUM: string[];
export function playwrightCacheDir(options?: Pick<FindOptions, 'env' | 'platform' | 'home'>): string;
export function findBrowser(options?: FindOptions): Found;
export function installPlan(options?: { platform?: NodeJS.Platform; isRoot?: boolean; isDebian?: boolean }): InstallPlan;
export function ensureBrowser(options?: {
  find?: FindOptions;
  plan?: InstallPlan;
  run?: (step: InstallStep) => boolean;
  log?: (line: string) => void;
}): string;
