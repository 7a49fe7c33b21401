import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from '@node-rs/crc32';
import { describe, expect, it } from 'vitest';
import { EventFileWriter } from '../../src/bench/tfevents-writer.js';
import { dvclive } from '../../src/formats/dvc/index.js';
import { kerasCsv } from '../../src/formats/keras-csv/index.js';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { maskedCrc32c } from '../../src/formats/tensorboard/tfrecord.js';
import { tensorboard } from '../../src/formats/tensorboard/index.js';
import { BLOCK_SIZE, HEADER_SIZE, readFramedRecords, type ScanReport } from '../../src/formats/wandb/framing.js';
import { wandb } from '../../src/formats/wandb/index.js';
import type { Adapter } from '../../src/formats/adapter.js';
import { copyFixture, tempCore, tempDir } from '../helpers.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const HOUR = 3_600_000;

/** Indexes `dir` with the given adapters into a fresh catalog; reports how long it took and how much RSS grew. */
async function indexMeasured(dir: string, adapters: Adapter[]) {
  const core = await tempCore();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const summary = await core.indexFolders([dir], { adapters });
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const runs = (await core.api['runs.list']({ limit: 100 })).rows;
  const problems = await core.api['problems.list']({});
  const offset = (f: string) => core.db.prepare("SELECT read_offset FROM file_entries WHERE entry_kind = 'run' AND path = ?").pluck().get(f) as number | undefined;
  console.log(`${path.basename(dir)}: ${ms.toFixed(0)} ms, peak RSS +${((peak - rss0) / MiB).toFixed(0)} MiB`);
  return { core, summary, runs, problems, ms, rssDelta: peak - rss0, offset };
}

function age(file: string, ms: number): void {
  const t = new Date(Date.now() - ms);
  fs.utimesSync(file, t, t);
}

/** A TFRecord length header (12 bytes) claiming `length` bytes, its checksum right: only the length lies. */
function tfrecordHeader(length: number): Buffer {
  const b = Buffer.alloc(16); // header + 4 bytes where a data checksum would follow a tiny record
  b.writeUInt32LE(length % 2 ** 32, 0);
  b.writeUInt32LE(Math.floor(length / 2 ** 32), 4);
  b.writeUInt32LE(maskedCrc32c(b, 0, 8), 8);
  return b;
}

/** The bytes of a real event file: the version record and `scalars` values of `loss`. */
function eventRecords(dir: string, scalars: number): Buffer {
  const file = path.join(dir, 'scratch.tfevents');
  const w = new EventFileWriter(file);
  w.fileVersion(1_700_000_000);
  for (let i = 0; i < scalars; i++) w.scalar(1_700_000_000 + i, i, Buffer.from('loss'), i / 2);
  w.close();
  const bytes = fs.readFileSync(file);
  fs.rmSync(file);
  return bytes;
}

describe('TFRecord headers that lie about their length', () => {
  for (const gib of [1, 3]) {
    it(`a ${gib} GiB sparse file whose first header claims 2^40 bytes: a problem at once, no big allocation`, async () => {
      const root = tempDir();
      const dir = path.join(root, 'run');
      fs.mkdirSync(dir);
      const file = path.join(dir, 'events.out.tfevents.1.host');
      fs.writeFileSync(file, tfrecordHeader(2 ** 40));
      fs.truncateSync(file, gib * GiB);
      const { problems, ms, rssDelta, offset } = await indexMeasured(root, [tensorboard]);
      // Fresh file, yet reported: no writer will ever finish a 1 TiB record.
      expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/byte 0 claims 1099511627776 bytes, more than the 64 MiB/)]);
      expect(offset(file)).toBe(0);
      expect(ms).toBeLessThan(5_000);
      expect(rssDelta).toBeLessThan(200 * MiB);
    });
  }

  it('a header claiming nearly all of a 1 GiB sparse file is stepped over unread; the events after it are read', async () => {
    const root = tempDir();
    const dir = path.join(root, 'run');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'events.out.tfevents.1.host');
    const events = eventRecords(root, 3);
    const claimed = GiB - 16 - events.length;
    fs.writeFileSync(file, tfrecordHeader(claimed));
    fs.truncateSync(file, 16 + claimed); // the hole is the record's "data" and checksum
    fs.appendFileSync(file, events);
    expect(fs.statSync(file).size).toBe(GiB);
    const { runs, problems, ms, rssDelta, offset } = await indexMeasured(root, [tensorboard]);
    expect(problems.map((p) => p.message)).toEqual([`1 record(s) over the 64 MiB Labdesk reads were skipped unread, first at byte 0 (${claimed} bytes); the records around them were read`]);
    expect(runs[0].metrics.loss).toMatchObject({ count: 3, last: 1, lastStep: 2 });
    expect(offset(file)).toBe(GiB);
    expect(ms).toBeLessThan(5_000);
    expect(rssDelta).toBeLessThan(200 * MiB);
  });

  it('a run naming more than 10,000 scalar tags keeps the first 10,000 and says so once', async () => {
    const root = tempDir();
    const dir = path.join(root, 'run');
    fs.mkdirSync(dir);
    const w = new EventFileWriter(path.join(dir, 'events.out.tfevents.1.host'));
    w.fileVersion(1_700_000_000);
    for (let i = 0; i < 10_500; i++) w.scalar(1_700_000_000, 0, Buffer.from(`tag_${i}`), i);
    w.close();
    const { runs, problems, core } = await indexMeasured(root, [tensorboard]);
    expect(problems.map((p) => [p.path, p.message])).toEqual([[dir, expect.stringMatching(/^more than 10000 metric keys: the first 10000 were kept, later ones \(from "tag_10000" on\) were dropped/)]]);
    const keys = core.db.prepare('SELECT COUNT(*) FROM metric_series WHERE run_id = ?').pluck().get(runs[0].id);
    expect(keys).toBe(10_000);
  });
});

/** Writes a `.wandb` log the way wandb's datastore does: 7-byte header, records framed into 32 KiB blocks. */
class WandbLogWriter {
  private readonly fd: number;
  private pos = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
    this.write(Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00])); // ":W&B", 0xBEE1 LE, version 0
  }

  /** One record of `length` bytes, its bytes produced piece by piece (so a huge one is never held whole). */
  record(length: number, bytes: (from: number, to: number) => Buffer): void {
    let done = 0;
    let first = true;
    do {
      const left = BLOCK_SIZE - (this.pos % BLOCK_SIZE);
      if (left < HEADER_SIZE) this.write(Buffer.alloc(left)); // a block tail too short for a header is zero padding
      const room = BLOCK_SIZE - (this.pos % BLOCK_SIZE) - HEADER_SIZE;
      const n = Math.min(room, length - done);
      const last = done + n === length;
      const type = first && last ? 1 : first ? 2 : last ? 4 : 3;
      const data = bytes(done, done + n);
      const head = Buffer.alloc(HEADER_SIZE);
      head.writeUInt32LE(crc32(data, crc32(Buffer.from([type]))), 0);
      head.writeUInt16LE(n, 4);
      head[6] = type;
      this.write(head);
      this.write(data);
      done += n;
      first = false;
    } while (done < length);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private write(b: Buffer): void {
    fs.writeSync(this.fd, b);
    this.pos += b.length;
  }
}

describe('W&B records too big to hold', () => {
  it('a 256 MiB record is skipped with a problem; the records after it are read', async () => {
    const run = copyFixture('public/wandb-offline-sweep/wandb/run-20251104_083622-b8n37x6d');
    const log = path.join(run, 'run-b8n37x6d.wandb');
    // The real log's records, re-framed with a 256 MiB record of zeros after the first one.
    const handle = await fs.promises.open(log, 'r');
    const report: ScanReport = { end: HEADER_SIZE, damage: [], cutOff: 0 };
    const records: Buffer[] = [];
    for await (const r of readFramedRecords(handle, (await handle.stat()).size, report)) records.push(r.data);
    await handle.close();
    expect(records.length).toBeGreaterThan(5);
    const w = new WandbLogWriter(log);
    w.record(records[0].length, (a, b) => records[0].subarray(a, b));
    const zeros = Buffer.alloc(BLOCK_SIZE);
    w.record(256 * MiB, (a, b) => zeros.subarray(0, b - a));
    for (const r of records.slice(1)) w.record(r.length, (a, b) => r.subarray(a, b));
    w.close();
    expect(fs.statSync(log).size).toBeGreaterThan(256 * MiB);

    const { runs, problems, rssDelta, ms } = await indexMeasured(path.dirname(run), [wandb]);
    expect(problems.map((p) => [p.path, p.message])).toEqual([[log, expect.stringMatching(/^1 record\(s\) over the 64 MiB Labdesk reads were skipped, the first at byte \d+/)]]);
    // Everything around it as in the untouched log (see wandb.test.ts): six metrics, the exit record read.
    expect(Object.keys(runs[0].metrics)).toHaveLength(6);
    expect(runs[0].name).toBe('lightgbm_20251104_083621');
    expect(rssDelta).toBeLessThan(200 * MiB);
    expect(ms).toBeLessThan(20_000);
  });
});

/** `epoch,m0,m1,...` with `columns` metric columns and `rows` rows of ones. */
function wideCsv(columns: number, rows: number, first = 'epoch'): string {
  const names = Array.from({ length: columns }, (_, i) => `m${i}`);
  const row = (e: number) => `${e},${'1,'.repeat(columns - 1)}1\n`;
  return `${first},${names.join(',')}\n${Array.from({ length: rows }, (_, e) => row(e)).join('')}`;
}

describe('CSVs too wide to read whole', () => {
  it('a 1.2 M-column Keras CSV: the first 10,000 columns are read, one problem, fast', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'history.csv');
    fs.writeFileSync(file, wideCsv(1_200_000, 2));
    expect(fs.statSync(file).size).toBeGreaterThan(10 * MiB);
    const { runs, problems, ms, rssDelta, core } = await indexMeasured(dir, [kerasCsv]);
    expect(problems.map((p) => p.message)).toEqual(['the header has more than 10000 columns: only the first 10000 were read']);
    const series = core.db.prepare('SELECT COUNT(*) FROM metric_series WHERE run_id = ?').pluck().get(runs[0].id);
    expect(series).toBe(9_999); // epoch is the step
    expect(runs[0].metrics.m9998).toMatchObject({ count: 2, last: 1, lastStep: 1 });
    expect(ms).toBeLessThan(10_000);
    expect(rssDelta).toBeLessThan(200 * MiB);
  });

  it('a Keras CSV whose header line is over 16 MiB is refused before it is split', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'history.csv');
    // Short names, as a detector sees in the first 4 KiB; the line goes on for 17 MiB.
    fs.writeFileSync(file, `epoch,${'abcdefg,'.repeat((17 * MiB) / 8)}\n0,1\n`);
    const { runs, problems, rssDelta } = await indexMeasured(dir, [kerasCsv]);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^the header line is 17825798 characters long, more than the 16 MiB Labdesk reads/)]);
    expect(runs[0].metrics).toEqual({});
    expect(rssDelta).toBeLessThan(200 * MiB);
  });

  it('a Lightning metrics.csv with 12,000 columns keeps the first 10,000', async () => {
    const dir = path.join(tempDir(), 'lightning_logs', 'version_0');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'metrics.csv'), wideCsv(12_000, 3, 'step'));
    const { runs, problems, core } = await indexMeasured(path.dirname(dir), [lightningCsv]);
    expect(problems.map((p) => p.message)).toEqual(['the header has more than 10000 columns: only the first 10000 were read']);
    expect(core.db.prepare('SELECT COUNT(*) FROM metric_series WHERE run_id = ?').pluck().get(runs[0].id)).toBe(9_999);
  });

  it('a Lightning metrics.csv with a 1.2 M-column header is refused, fast and small', async () => {
    const dir = path.join(tempDir(), 'lightning_logs', 'version_0');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'metrics.csv'), wideCsv(1_200_000, 2, 'step'));
    const { runs, problems, ms, rssDelta } = await indexMeasured(path.dirname(dir), [lightningCsv]);
    expect(problems.map((p) => p.message)).toEqual(['the header line is longer than the 1 MiB Labdesk reads: nothing was read from it']);
    expect(runs[0].metrics).toEqual({});
    expect(ms).toBeLessThan(10_000);
    expect(rssDelta).toBeLessThan(200 * MiB);
  });
});

describe('a DVCLive TSV with an endless header line', () => {
  it('is refused with a problem; the run and its other metrics are kept', async () => {
    const dir = copyFixture('public/dvclive/tuannd-vbee__model-training-dvc__dvclive0x-huggingface-scalars');
    const file = path.join(dir, 'dvclive', 'scalars', 'eval', 'loss.tsv');
    fs.writeFileSync(file, `timestamp\tstep\t${'x'.repeat(17 * MiB)}\n1\t1\t0.5\n`);
    const { runs, problems, rssDelta } = await indexMeasured(dir, [dvclive]);
    expect(problems.map((p) => [p.path, p.message])).toEqual([[file, expect.stringMatching(/^the header line is 17825807 characters long, more than the 16 MiB/)]]);
    expect(runs[0].metrics['eval/loss']).toBeUndefined();
    expect(runs[0].metrics.epoch.count).toBe(36);
    expect(rssDelta).toBeLessThan(200 * MiB);
  });
});

describe('a Keras CSV cut mid-value', () => {
  // CSVLogger was writing `2,0.75,0.5123\n`; the file ends in `2,0.75,0.51`, which parses as a whole row.
  const CUT = 'epoch,acc,loss\n0,0.25,1.5\n1,0.5,1.25\n2,0.75,0.51';

  it('while fresh: the cut line is not data and no problem yet (its writer may be mid-row)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'training.log');
    fs.writeFileSync(file, CUT);
    const { runs, problems, offset } = await indexMeasured(dir, [kerasCsv]);
    expect(problems).toEqual([]);
    expect(runs[0].metrics.acc).toMatchObject({ count: 2, last: 0.5, lastStep: 1 });
    expect(offset(file)).toBe(CUT.lastIndexOf('\n') + 1);
  });

  it('left so for longer than the grace period: a "last line cut off" problem, still not data', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'training.log');
    fs.writeFileSync(file, CUT);
    age(file, HOUR);
    const { runs, problems } = await indexMeasured(dir, [kerasCsv]);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^the last line is cut off \(11 bytes without a line end\)/)]);
    expect(runs[0].metrics.acc).toMatchObject({ count: 2, last: 0.5 });
    expect(runs[0].metrics.loss).toMatchObject({ count: 2, last: 1.25 });
  });
});
