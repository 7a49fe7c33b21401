import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunSink } from '../adapter.js';
import { describeFsError, openRegularFile, readSmallText } from '../util/files.js';
import { parseYamlBounded } from '../util/safe-parse.js';
import { flattenYamlParams } from '../util/params.js';
import { yamlParamsProblem } from '../generic/yaml-errors.js';

/** `.hydra/config.yaml`: the composed config, flattened to dotted params as written. */
export async function readConfig(file: string, sink: RunSink): Promise<void> {
  const read = await readSmallText(file);
  if ('error' in read) return sink.problem(file, `config.yaml: ${read.error}`);
  sink.fileRead(file, Buffer.byteLength(read.text));
  const { params, errors, refused } = flattenYamlParams(read.text);
  const problem = yamlParamsProblem('config.yaml', { params, errors, refused });
  if (problem) sink.problem(file, problem);
  if (!problem && params.size === 0 && read.text.trim() !== '' && read.text.trim() !== '{}') {
    sink.problem(file, 'config.yaml holds no mapping of settings');
  }
  for (const [k, v] of params) sink.param(k, v);
}

/** `.hydra/overrides.yaml`: the command-line overrides, as one tag in the order given. */
export async function readOverrides(file: string, sink: RunSink): Promise<void> {
  const read = await readSmallText(file);
  if ('error' in read) return sink.problem(file, `overrides.yaml: ${read.error}`);
  sink.fileRead(file, Buffer.byteLength(read.text));
  const parsed = parseYamlBounded(read.text);
  if ('error' in parsed) return sink.problem(file, `overrides.yaml: ${parsed.error}`);
  if (parsed.errors.length) return sink.problem(file, `overrides.yaml is not valid YAML: ${parsed.errors[0]}`);
  const list = parsed.value;
  if (!Array.isArray(list)) return sink.problem(file, 'overrides.yaml is not a list of overrides');
  // Sweep values hold commas (`partitioning=iid,dirichlet`), so overrides are joined with spaces, as typed.
  sink.tag('hydra.overrides', list.map(String).join(' '));
}

/** `.hydra/hydra.yaml`: the job's name (its log is `<name>.log`), mode and number in a sweep. */
export async function readHydraYaml(file: string, sink: RunSink): Promise<{ name: string | null }> {
  const read = await readSmallText(file);
  if ('error' in read) {
    sink.problem(file, `hydra.yaml: ${read.error}`);
    return { name: null };
  }
  sink.fileRead(file, Buffer.byteLength(read.text));
  // Syntax errors pass unreported, as ever: the fields before them are still the job's.
  const parsed = parseYamlBounded(read.text);
  if ('error' in parsed) {
    sink.problem(file, `hydra.yaml: ${parsed.error}`);
    return { name: null };
  }
  type HydraYaml = { hydra?: { mode?: unknown; job?: { name?: unknown; num?: unknown }; runtime?: { version?: unknown } } };
  const doc = (parsed.value ?? {}) as HydraYaml;
  const h = doc.hydra ?? {};
  const name = typeof h.job?.name === 'string' ? h.job.name : null;
  if (name) sink.tag('hydra.job_name', name);
  if (typeof h.mode === 'string') sink.tag('hydra.mode', h.mode);
  if (typeof h.job?.num === 'number') sink.tag('hydra.job_num', String(h.job.num));
  if (typeof h.runtime?.version === 'string') sink.tag('hydra.version', h.runtime.version);
  return { name };
}

const TRACEBACK = 'Traceback (most recent call last)';

/** True when the job log holds a Python traceback. Streams: job logs reach hundreds of MB. */
export async function jobFailed(file: string, sink: RunSink): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await openRegularFile(file);
  } catch (err) {
    sink.problem(file, `${path.basename(file)}: ${describeFsError(err)}`);
    return false;
  }
  try {
    let carry = '';
    for await (const chunk of handle.createReadStream({ encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const text = carry + chunk;
      if (text.includes(TRACEBACK)) return true;
      carry = text.slice(-TRACEBACK.length); // a match split across chunks
    }
    return false;
  } catch (err) {
    sink.problem(file, `${path.basename(file)}: ${describeFsError(err)}`);
    return false;
  } finally {
    await handle.close().catch(() => {});
  }
}
