import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunSink } from '../adapter.js';
import { describeFsError, readSmallText } from './files.js';
import { flattenYamlParams } from './params.js';

/** Lightning's `ModelCheckpoint` files in `<version dir>/checkpoints/`, as models of the run (both loggers). */
export async function listLightningCheckpoints(dir: string, sink: RunSink): Promise<void> {
  const ckptDir = path.join(dir, 'checkpoints');
  let names: string[];
  try {
    names = await fs.readdir(ckptDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') sink.problem(ckptDir, `cannot list checkpoints: ${describeFsError(err)}`);
    return;
  }
  for (const name of names.filter((n) => n.endsWith('.ckpt')).sort()) {
    const file = path.join(ckptDir, name);
    let size: number | null = null;
    try {
      size = (await fs.stat(file)).size;
    } catch {
      continue;
    }
    sink.artifact(file, 'checkpoint', size);
    sink.model({
      name: `${path.basename(dir)}/${name.replace(/\.ckpt$/, '')}`,
      path: file,
      format: 'lightning-checkpoint',
      framework: 'pytorch-lightning',
      version: null,
      sizeBytes: size,
    });
  }
}

/** Lightning's `hparams.yaml` (both loggers write it) as params, scalars kept as written. */
export async function readLightningHparams(file: string, sink: RunSink): Promise<void> {
  const read = await readSmallText(file);
  if ('error' in read) return sink.problem(file, `hparams.yaml: ${read.error}`);
  const { params, errors, refused } = flattenYamlParams(read.text);
  if (refused) sink.problem(file, `hparams.yaml: ${refused}`);
  for (const e of errors) sink.problem(file, `hparams.yaml is not valid YAML: ${e}`);
  for (const [k, v] of params) sink.param(k, v);
  sink.fileRead(file, Buffer.byteLength(read.text));
}
