import path from 'node:path';
import { paramText } from '../util/params.js';
import { isoMs, record } from './timing.js';

/** What `metadata.papermill` says about an execution (papermill 1.x/2.x). */
export interface PapermillFacts {
  /** `parameters` as papermill recorded them (JSON types: `1.0` reads back as `1`). */
  params: Map<string, string>;
  tags: [string, string][];
  start: number | null;
  end: number | null;
  /** papermill saw a cell raise. */
  exception: boolean;
  /** Started but not finished: papermill writes `end_time` only when it is done. */
  unfinished: boolean;
}

export function papermillFacts(metadata: Record<string, unknown>): PapermillFacts | null {
  if (!('papermill' in metadata)) return null;
  const pm = record(metadata.papermill);
  const params = new Map<string, string>();
  for (const [k, v] of Object.entries(record(pm.parameters))) params.set(k, paramText(v));
  const tags: [string, string][] = [];
  const text = (key: string, value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') tags.push([key, String(value)]);
  };
  text('papermill.version', pm.version);
  text('papermill.input_path', pm.input_path);
  text('papermill.output_path', pm.output_path);
  text('papermill.duration', pm.duration);
  const exception = pm.exception === true;
  if ('exception' in pm) tags.push(['papermill.exception', String(exception)]);
  for (const key of ['default_parameters', 'environment_variables'] as const) {
    if (Object.keys(record(pm[key])).length) tags.push([`papermill.${key}`, JSON.stringify(pm[key])]);
  }
  const start = isoMs(pm.start_time);
  const end = isoMs(pm.end_time);
  return { params, tags, start, end, exception, unfinished: start !== null && end === null && !exception };
}

/**
 * The folder and notebook name a papermill output was made from. papermill records `input_path` and
 * `output_path` as the caller typed them, relative to the caller's working folder: where the output
 * now lies tells where that folder was, hence where the input is. Null when the paths do not line up
 * (remote URLs, a moved output) or do not say.
 */
export function papermillSource(file: string, inputPath: unknown, outputPath: unknown): { dir: string; stem: string } | null {
  if (typeof inputPath !== 'string' || !inputPath.trim() || /^[a-z][\w+.-]*:\/\//i.test(inputPath)) return null;
  const input = slashes(inputPath);
  const stem = notebookStem(path.posix.basename(input));
  if (!stem) return null;
  const here = path.dirname(file);
  if (typeof outputPath !== 'string' || /^[a-z][\w+.-]*:\/\//i.test(outputPath)) return { dir: here, stem };
  const output = slashes(outputPath);
  if (isAbsolute(input) !== isAbsolute(output)) return { dir: here, stem };
  // Both relative to one working folder, or both absolute: the input's folder seen from the output's.
  const base = '/';
  const outDir = path.posix.dirname(path.posix.resolve(base, stripDrive(output)));
  const inDir = path.posix.dirname(path.posix.resolve(base, stripDrive(input)));
  const rel = path.posix.relative(outDir, inDir);
  return { dir: path.resolve(here, ...rel.split('/').filter(Boolean)), stem };
}

/** A notebook's name without `.ipynb` and nbconvert's `.nbconvert` suffix (`train.nbconvert.ipynb`). */
export function notebookStem(name: string): string {
  return name.replace(/\.ipynb$/i, '').replace(/\.nbconvert$/i, '');
}

const slashes = (p: string) => p.replace(/\\/g, '/');
const isAbsolute = (p: string) => p.startsWith('/') || /^[a-zA-Z]:\//.test(p);
const stripDrive = (p: string) => p.replace(/^[a-zA-Z]:/, '');
