import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { wandb } from '../../src/formats/wandb/index.js';
import { leavesOf, parseWandbJson } from '../../src/formats/wandb/values.js';
import { copyFixture, tempCore } from '../helpers.js';

describe('W&B JSON values', () => {
  it('reads the NaN/Infinity literals Python writes, and leaves strings alone', () => {
    const v = parseWandbJson('{"a": NaN, "s": "NaN and Infinity \\" NaN", "b": [Infinity, -Infinity, 1e-05]}') as Record<string, unknown>;
    expect(v.a).toBeNaN();
    expect(v.s).toBe('NaN and Infinity " NaN');
    expect(v.b).toEqual([Infinity, -Infinity, 1e-5]);
    expect(parseWandbJson('NaN')).toBeNaN();
    expect(parseWandbJson('-Infinity')).toBe(-Infinity);
    expect(parseWandbJson('"Infinity"')).toBe('Infinity');
    expect(parseWandbJson('{not json')).toBeUndefined();
  });

  it('flattens nested dicts, keeps media objects whole', () => {
    expect(leavesOf('opt', { lr: 0.1, beta: { b1: 0.9 }, name: 'adam' })).toEqual([
      { key: 'opt.lr', kind: 'number', value: 0.1 },
      { key: 'opt.beta.b1', kind: 'number', value: 0.9 },
      { key: 'opt.name', kind: 'text' },
    ]);
    expect(leavesOf('img', { _type: 'image-file', path: 'media/images/a.png', width: 2 })).toEqual([
      { key: 'img', kind: 'image-file', path: 'media/images/a.png' },
    ]);
  });
});

/*
 * The real logs hold only plain scalars, so records with what else wandb.log accepts are appended
 * to a copy of a real log by a writer written here from datastore.py's description (zlib CRC-32).
 */
describe('W&B history records beyond plain scalars (appended to a real log)', () => {
  const RUN = 'wandb/run-20251104_111004-6h7uaalc';

  it('NaN and ±Inf are values, dicts flatten, media and text are listed, a record spanning blocks is read', async () => {
    const dir = copyFixture('public/wandb-offline-sweep');
    const log = path.join(dir, RUN, 'run-6h7uaalc.wandb');
    const big = { _type: 'histogram', values: Array.from({ length: 9000 }, (_, i) => i * 1.25), bins: Array.from({ length: 9001 }, (_, i) => i) };
    appendRecords(log, [
      historyRecord(200, 2, [
        item('loss', 'NaN'),
        item('acc', 'Infinity'),
        item('neg', '-Infinity'),
        item('opt', '{"lr": 0.001, "beta": {"b1": 0.9}}'),
        item('img', '{"_type": "image-file", "path": "media/images/img_2_abc.png", "width": 2, "height": 2, "format": "png"}'),
        item('hist', '{"_type": "histogram", "values": [1, 2], "bins": [0, 1, 2]}'),
        item('note', '"hello"'),
        item('flag', 'true'),
        typedNumber('typed', 1.5),
        keyed('plain', '7'),
        item('_step', '2'),
        item('_timestamp', '1762254700.5'),
      ]),
      historyRecord(201, 3, [item('loss', '0.25'), item('big', JSON.stringify(big)), item('broken', '{not json'), item('_step', '3'), item('_timestamp', '1762254701.25')]),
    ]);
    const media = path.join(dir, RUN, 'files', 'media', 'images', 'img_2_abc.png');
    fs.mkdirSync(path.dirname(media), { recursive: true });
    fs.writeFileSync(media, Buffer.alloc(70));

    const core = await tempCore();
    await core.indexFolders([dir], { adapters: [wandb] });
    const run = (await core.api['runs.list']({ limit: 100 })).rows.find((r) => r.path.endsWith('6h7uaalc'))!;
    expect(run.metrics.loss).toEqual({ last: 0.25, min: 0.25, max: 0.25, lastStep: 3, count: 2 });
    expect((await core.api['metrics.get']({ run: run.id, key: 'loss' })).points).toEqual([[2, 'NaN', 1762254700.5], [3, 0.25, 1762254701.25]]);
    expect(run.metrics.acc).toMatchObject({ last: 'Infinity', count: 1 });
    expect(run.metrics.neg).toMatchObject({ last: '-Infinity', count: 1 });
    expect(run.metrics['opt.lr']).toMatchObject({ last: 0.001, lastStep: 2 });
    expect(run.metrics['opt.beta.b1']).toMatchObject({ last: 0.9, lastStep: 2 });
    expect(run.metrics.typed).toMatchObject({ last: 1.5, lastStep: 2 });
    expect(run.metrics.plain).toMatchObject({ last: 7, lastStep: 2 });
    for (const key of ['img', 'hist', 'big', 'note', 'flag', 'broken']) expect(run.metrics[key]).toBeUndefined();
    expect(run.metrics['valid/mae']).toMatchObject({ last: 5633.947058449217, count: 1 });

    const detail = await core.api['runs.get']({ id: run.id });
    expect(detail.tags).toMatchObject({
      'wandb.non_scalar.histogram': 'big, hist',
      'wandb.non_scalar.image-file': 'img',
      'wandb.non_scalar.text': 'note',
      'wandb.non_scalar.boolean': 'flag',
    });
    expect(detail.artifacts).toContainEqual({ path: media, kind: 'wandb-image-file', sizeBytes: 70 });
    expect(detail.problems.map((p) => p.message)).toEqual(['1 history value(s) are not valid JSON, e.g. broken={not json; they were skipped']);
    expect(detail.sourceFiles.find((f) => f.path === log)!.readOffset).toBe(fs.statSync(log).size);
  });
});

// --- a minimal protobuf + framing writer, for the test only ---

const BLOCK = 32 * 1024;

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 127) {
    out.push((n % 128) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}
const tag = (field: number, wire: number) => varint(field * 8 + wire);
const bytesField = (field: number, payload: Buffer) => Buffer.concat([tag(field, 2), varint(payload.length), payload]);
const text = (field: number, s: string) => bytesField(field, Buffer.from(s, 'utf8'));
/** A HistoryItem as wandb-core writes it: nested_key (2) with one element, value_json (16). */
const item = (key: string, json: string) => Buffer.concat([text(2, key), text(16, json)]);
const keyed = (key: string, json: string) => Buffer.concat([text(1, key), text(16, json)]);
function typedNumber(key: string, value: number): Buffer {
  const d = Buffer.alloc(8);
  d.writeDoubleLE(value);
  return Buffer.concat([text(2, key), tag(6, 1), d]);
}
function historyRecord(num: number, step: number, items: Buffer[]): Buffer {
  const history = Buffer.concat([...items.map((i) => bytesField(1, i)), bytesField(2, Buffer.concat([tag(1, 0), varint(step)]))]);
  return Buffer.concat([tag(1, 0), varint(num), bytesField(2, history)]);
}

/** Appends records the way wandb's datastore writes them: FULL, or FIRST/MIDDLE…/LAST across blocks. */
function appendRecords(file: string, records: Buffer[]): void {
  let index = fs.statSync(file).size;
  const out: Buffer[] = [];
  const chunk = (data: Buffer, type: number) => {
    const header = Buffer.alloc(7);
    header.writeUInt32LE(zlib.crc32(data, zlib.crc32(Buffer.from([type]))), 0);
    header.writeUInt16LE(data.length, 4);
    header[6] = type;
    out.push(header, data);
    index += 7 + data.length;
  };
  for (const rec of records) {
    let space = BLOCK - (index % BLOCK);
    if (space < 7) {
      out.push(Buffer.alloc(space));
      index += space;
      space = BLOCK;
    }
    if (rec.length + 7 <= space) {
      chunk(rec, 1);
      continue;
    }
    let used = space - 7;
    chunk(rec.subarray(0, used), 2);
    while (rec.length - used > BLOCK - 7) {
      chunk(rec.subarray(used, used + BLOCK - 7), 3);
      used += BLOCK - 7;
    }
    chunk(rec.subarray(used), 4);
  }
  fs.appendFileSync(file, Buffer.concat(out));
}
