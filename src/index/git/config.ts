import path from 'node:path';
import { readText } from './head.js';

/** The few repository settings that change how a work-tree file compares with the index. */
export interface RepoSettings {
  /** Bytes in an object id: 20 (SHA-1) or 32 (SHA-256). */
  hashBytes: number;
  /** core.filemode: the executable bit counts. */
  fileMode: boolean;
  /** core.trustctime: a changed ctime means the file may have changed. */
  trustCtime: boolean;
  /** core.symlinks: links are checked out as links (false: as plain files holding the target). */
  symlinks: boolean;
  /** core.checkStat=minimal: only size and times count, not inode and owner. */
  minimalStat: boolean;
  /** core.autocrlf is true or input: CRLF in the work tree may be LF in the repository. */
  autoCrlf: boolean;
}

/**
 * Reads the settings from `<commonDir>/config`, as data only: `include`, `includeIf` and every
 * command-valued key are ignored (Labdesk runs nothing a repository configures).
 */
export async function readRepoSettings(commonDir: string): Promise<RepoSettings> {
  const values = parseConfig((await readText(path.join(commonDir, 'config'))) ?? '');
  const bool = (key: string, fallback: boolean) => {
    const v = values.get(key);
    if (v === undefined) return fallback;
    return ['true', 'yes', 'on', '1', ''].includes(v.toLowerCase());
  };
  const autocrlf = (values.get('core.autocrlf') ?? 'false').toLowerCase();
  return {
    hashBytes: values.get('extensions.objectformat')?.toLowerCase() === 'sha256' ? 32 : 20,
    fileMode: bool('core.filemode', true),
    trustCtime: bool('core.trustctime', true),
    symlinks: bool('core.symlinks', true),
    minimalStat: values.get('core.checkstat')?.toLowerCase() === 'minimal',
    autoCrlf: autocrlf === 'input' || ['true', 'yes', 'on', '1'].includes(autocrlf),
  };
}

/** `section.key` → last value, for sections without a subsection (`[core]`, `[extensions]`). */
function parseConfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let section: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([A-Za-z0-9.-]+)\]/.exec(line);
    if (line.startsWith('[')) {
      section = header ? header[1].toLowerCase() : null; // `[remote "origin"]` and the like: not needed
      continue;
    }
    if (section === null) continue;
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*?))?\s*(?:[#;].*)?$/.exec(line);
    if (!kv) continue;
    values.set(`${section}.${kv[1].toLowerCase()}`, (kv[2] ?? '').replace(/^"(.*)"$/, '$1'));
  }
  return values;
}
