import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FilePreview } from '../../src/api/contract.js';
import { ApiError } from '../../src/api/errors.js';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { PREVIEW_LIMITS, previewFile } from '../../src/preview/file-preview.js';
import { copyFixture, FIXTURES, tempCore, tempDir } from '../helpers.js';

const LIGHTNING = 'realruns/lightning_project';

async function lightningRun() {
  const dir = copyFixture(LIGHTNING);
  const core = await tempCore();
  await core.indexFolders([dir], { adapters: [lightningCsv] });
  const runs = (await core.api['runs.list']({ limit: 100 })).rows;
  const folder = path.join(dir, 'lightning_logs', 'version_4');
  const run = await core.api['runs.get']({ id: runs.find((r) => r.path === folder)!.id });
  const file = (name: string) => {
    const listed = run.sourceFiles.find((f) => path.basename(f.path) === name);
    expect(listed, `${name} is a source file of the run`).toBeDefined();
    return listed!.path;
  };
  const preview = (p: string) => core.api['artifacts.preview']({ run: run.id, path: p });
  return { run, folder, file, preview };
}

const as = <K extends FilePreview['kind']>(p: FilePreview, kind: K) => {
  expect(p.kind).toBe(kind);
  return p as Extract<FilePreview, { kind: K }>;
};

describe('artifacts.preview', () => {
  it('shows a metrics CSV as a table with its header row, and YAML as text', async () => {
    const { file, preview } = await lightningRun();
    const csvPath = file('metrics.csv');
    const table = as(await preview(csvPath), 'table');
    const header = fs.readFileSync(csvPath, 'utf8').split(/\r?\n/)[0]!.split(',');
    expect(table.columns).toEqual(header);
    expect(table.rows.length).toBe(fs.readFileSync(csvPath, 'utf8').trim().split(/\r?\n/).length - 1);
    expect(table.truncated).toBe(false);

    const yamlPath = file('hparams.yaml');
    const text = as(await preview(yamlPath), 'text');
    expect(text.syntax).toBe('yaml');
    expect(text.text).toBe(fs.readFileSync(yamlPath, 'utf8'));
  });

  it('refuses a path the run does not list, even inside its folder', async () => {
    const { folder, preview } = await lightningRun();
    fs.writeFileSync(path.join(folder, 'secret.txt'), 'x');
    const err = await preview(path.join(folder, 'secret.txt')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).name).toBe('NotFound');
  });

  it('refuses a listed file replaced by a symlink leading out of the run folder', async () => {
    const { file, preview } = await lightningRun();
    const outside = path.join(tempDir(), 'outside.yaml');
    fs.writeFileSync(outside, 'password: hunter2\n');
    const yamlPath = file('hparams.yaml');
    fs.rmSync(yamlPath);
    fs.symlinkSync(outside, yamlPath);
    const p = as(await preview(yamlPath), 'unavailable');
    expect(p.reason).toMatch(/outside the run/);
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });

  it('refuses a FIFO without blocking on it', async () => {
    const { file, preview } = await lightningRun();
    const csvPath = file('metrics.csv');
    fs.rmSync(csvPath);
    execFileSync('mkfifo', [csvPath]);
    const p = as(await preview(csvPath), 'unavailable');
    expect(p.reason).toMatch(/not a regular file/);
  });

  it('reads at most 256 KB of a big text file, cut at a line end, and says so', async () => {
    const { file, preview } = await lightningRun();
    const yamlPath = file('hparams.yaml');
    fs.appendFileSync(yamlPath, 'padding: 0123456789abcdef\n'.repeat(40_000)); // ~1 MB
    const text = as(await preview(yamlPath), 'text');
    expect(text.truncated).toBe(true);
    expect(text.sizeBytes).toBe(fs.statSync(yamlPath).size);
    expect(Buffer.byteLength(text.text)).toBeLessThanOrEqual(PREVIEW_LIMITS.textBytes);
    expect(text.text.endsWith('\n')).toBe(true);
  });

  it('detects binary content and caps CSV rows', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'weights.txt'), Buffer.from([1, 0, 2, 0, 3, 255]));
    expect((await previewFile(path.join(dir, 'weights.txt'), dir)).kind).toBe('unavailable');
    fs.writeFileSync(path.join(dir, 'big.csv'), 'step,loss\n' + Array.from({ length: 5000 }, (_, i) => `${i},0.5\n`).join(''));
    const table = as(await previewFile(path.join(dir, 'big.csv'), dir), 'table');
    expect(table.rows.length).toBe(PREVIEW_LIMITS.csvRows);
    expect(table.truncated).toBe(true);
  });

  it('reads quoted cells as CSV does, and keeps the whole rows of a file cut inside a quoted cell', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notes.csv'), '\ufeffstep,note\r\n1,"warm, then ""cosine"""\r\n2,"two\nlines"\n3\n');
    const small = as(await previewFile(path.join(dir, 'notes.csv'), dir), 'table');
    expect(small.columns).toEqual(['step', 'note']);
    expect(small.rows).toEqual([['1', 'warm, then "cosine"'], ['2', 'two\nlines'], ['3']]);
    expect(small.truncated).toBe(false);
    // Past the preview's byte cap a quoted cell with line breaks is cut open: the rows before it show.
    const row = `1,"${'x'.repeat(3000)}"\n`; // fewer rows than the row cap fit
    const rowsBefore = Math.floor(PREVIEW_LIMITS.csvBytes / row.length) - 1;
    const open = `2,"${'y\n'.repeat(PREVIEW_LIMITS.csvBytes)}"\n`;
    fs.writeFileSync(path.join(dir, 'cut.csv'), 'step,text\n' + row.repeat(rowsBefore) + open);
    const cut = as(await previewFile(path.join(dir, 'cut.csv'), dir), 'table');
    expect(rowsBefore).toBeLessThan(PREVIEW_LIMITS.csvRows);
    expect(cut.rows.length).toBe(rowsBefore);
    expect(cut.truncated).toBe(true);
  });

  it('returns a real PNG as an image with its bytes', async () => {
    const src = path.join(FIXTURES, 'public/hydra');
    const png = execFileSync('find', [src, '-name', '*.png'], { encoding: 'utf8' }).split('\n')[0]!;
    const p = as(await previewFile(png, path.dirname(png)), 'image');
    expect(p.mime).toBe('image/png');
    expect(Buffer.from(p.data, 'base64').equals(fs.readFileSync(png))).toBe(true);
  });
});
