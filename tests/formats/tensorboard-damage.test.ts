import fs from 'node:fs';
import path from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { describe, expect, it } from 'vitest';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { lightningTensorboard, tensorboard } from '../../src/formats/tensorboard/index.js';
import { copyFixture, tempCore } from '../helpers.js';

/** Lightning's CSV adapter rides along: the Lightning fixture interleaves CSV and TensorBoard versions. */
const adapters = [lightningCsv, lightningTensorboard, tensorboard];

// Two 996-byte tensorboardX files. In the second, records start at 0 (40 bytes), 40 (46), then every
// 48 bytes from 86 (alternating my_value_1 / my_value_2, two per step), the last at 948.
const RUN = 'public/tfevents/cht619__tensorboardX-mnist__tensorboardx-2020-runs/runs/scalar_example_0914';
const SECOND = 'events.out.tfevents.1600090768.yca-2662-2';
const HOUR = 3_600_000;

function setAge(file: string, ageMs: number): void {
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(file, t, t);
}

async function indexDamaged(harm: (file: string, dir: string) => void) {
  const dir = copyFixture(RUN);
  const file = path.join(dir, SECOND);
  harm(file, dir);
  const core = await tempCore();
  const summary = await core.indexFolders([dir], { adapters });
  const run = (await core.api['runs.list']({})).rows[0];
  const problems = await core.api['problems.list']({});
  const offset = (f: string) =>
    (core.db.prepare("SELECT read_offset FROM file_entries WHERE entry_kind = 'run' AND path = ?").pluck().get(f) as number | undefined) ?? null;
  return { dir, file, core, summary, run, problems, offset };
}

function flipByte(file: string, at: number): void {
  const buf = fs.readFileSync(file);
  buf[at] ^= 0xff;
  fs.writeFileSync(file, buf);
}

const mask = (c: number) => ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
/** A TFRecord frame around `data`, checksummed by the native CRC (a second route to the reader's). */
function frame(data: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt32LE(data.length, 0);
  head.writeUInt32LE(mask(crc32c(head.subarray(0, 8))), 8);
  const foot = Buffer.alloc(4);
  foot.writeUInt32LE(mask(crc32c(data)), 0);
  return Buffer.concat([head, data, foot]);
}

describe('damaged TensorBoard event files become problems, never crashes', () => {
  it('the undamaged copy: 30 + 10 points, no problem', async () => {
    const { run, problems, summary } = await indexDamaged(() => {});
    expect(summary).toMatchObject({ runs: 1, problems: 0 });
    expect(problems).toEqual([]);
    expect(run.metrics.my_value_1.count).toBe(30);
    expect(run.metrics.my_value_2.count).toBe(10);
  });

  it('a flipped byte in a record: data checksum problem with the offset, that record skipped, the rest kept', async () => {
    const { run, problems, file, offset } = await indexDamaged((f) => flipByte(f, 180 + 12 + 5));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: file, format: 'tensorboard' });
    expect(problems[0].message).toMatch(/1 record\(s\) failed their data checksum \(corrupt\) at byte 180: they were skipped/);
    expect(run.metrics.my_value_2).toMatchObject({ count: 9, last: 512, lastStep: 9 }); // step 1 is gone
    expect(run.metrics.my_value_1.count).toBe(30);
    expect(offset(file)).toBe(996);
  });

  it('a flipped byte in a length header: the file ends there, the records before it kept', async () => {
    const { run, problems, file, offset } = await indexDamaged((f) => flipByte(f, 324 + 2));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/corrupt record header at byte 324 \(length checksum mismatch\): the 7 records before it were read/);
    expect(run.metrics.my_value_2).toMatchObject({ count: 3, last: 4, lastStep: 2 });
    expect(run.metrics.my_value_1.count).toBe(20 + 3);
    expect(offset(file)).toBe(324);
  });

  it('a truncated last record in a fresh file: read up to it, no problem, offset kept for the tail', async () => {
    const { run, problems, file, offset } = await indexDamaged((f) => fs.truncateSync(f, 996 - 10));
    expect(problems).toEqual([]);
    expect(run.metrics.my_value_2).toMatchObject({ count: 9, last: 256, lastStep: 8 });
    expect(offset(file)).toBe(948);
  });

  it('a truncated last record in a file untouched for an hour: a problem, the records before it kept', async () => {
    const { run, problems } = await indexDamaged((f) => {
      fs.truncateSync(f, 996 - 10);
      setAge(f, HOUR);
    });
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/the last record is cut off at byte 948 \(38 of 48 bytes\) and the file has not changed for over 5 minutes/);
    expect(run.metrics.my_value_2.count).toBe(9);
  });

  it('a record completed after a partial read is picked up on the next pass', async () => {
    const dir = copyFixture(RUN);
    const file = path.join(dir, SECOND);
    const whole = fs.readFileSync(file);
    fs.writeFileSync(file, whole.subarray(0, 996 - 30));
    const core = await tempCore();
    await core.indexFolders([dir], { adapters });
    const before = (await core.api['runs.list']({})).rows[0];
    expect(before.metrics.my_value_2.count).toBe(9);
    fs.writeFileSync(file, whole);
    await core.indexFolders([dir], { adapters }); // the same root again: a second pass
    const after = (await core.api['runs.list']({})).rows[0];
    expect(after.metrics.my_value_2).toMatchObject({ count: 10, last: 512, lastStep: 9 });
    expect(await core.api['problems.list']({})).toEqual([]);
  });

  it('a 0-byte event file (a writer that never flushed): no problem, nothing read, offset 0', async () => {
    const empty = 'events.out.tfevents.1600099999.yca-2662-2';
    const { run, problems, dir, offset } = await indexDamaged((_f, d) => {
      fs.writeFileSync(path.join(d, empty), '');
      setAge(path.join(d, empty), HOUR);
    });
    expect(problems).toEqual([]);
    expect(run.metrics.my_value_1.count).toBe(30);
    expect(offset(path.join(dir, empty))).toBe(0);
  });

  it('random bytes named like an event file: "not a TensorBoard event file", the real files kept', async () => {
    const junk = 'events.out.tfevents.1600099999.yca-2662-2';
    const { run, problems, dir } = await indexDamaged((_f, d) => {
      let x = 12345;
      const bytes = Buffer.alloc(5000, 0).map(() => (x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16);
      fs.writeFileSync(path.join(d, junk), bytes);
    });
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe(path.join(dir, junk));
    expect(problems[0].message).toMatch(/^not a TensorBoard event file/);
    expect(run.metrics.my_value_1.count).toBe(30);
  });

  it('an intact record that is not an Event: skipped with a problem, neighbours kept', async () => {
    const { run, problems } = await indexDamaged((f) => {
      // Field 5 (summary) claims 100 bytes but the record ends after 3.
      fs.appendFileSync(f, frame(Buffer.from([0x2a, 0x64, 0x0a])));
    });
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/1 record\(s\) are intact but not TensorBoard events, first at byte 996/);
    expect(run.metrics.my_value_2.count).toBe(10);
  });

  // Root reads files whatever their mode, so this only runs as a normal user.
  it.skipIf(process.getuid?.() === 0)('an unreadable file is a problem, not a crash', async () => {
    const { problems, run } = await indexDamaged((f) => fs.chmodSync(f, 0o000));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/cannot open: permission denied/);
    expect(run.metrics.my_value_1.count).toBe(20);
  });
});

describe('resume state', () => {
  it('records the offset after the last complete record and the per-tag plugins', async () => {
    const dir = copyFixture('public/tfevents/rajcreo__connector_detection_tf_model__tf2-od-api-tensor-scalars');
    const core = await tempCore();
    await core.indexFolders([dir], { adapters });
    const row = core.db.prepare("SELECT read_offset AS offset, state FROM file_entries WHERE path LIKE '%.v2'").get() as { offset: number; state: string };
    expect(row.offset).toBe(1697260);
    const state = JSON.parse(row.state) as { records: number; plugins: Record<string, string> };
    expect(state.records).toBe(141);
    expect(state.plugins).toEqual({
      train_input_images: 'images', steps_per_sec: 'scalars', 'Loss/localization_loss': 'scalars',
      'Loss/classification_loss': 'scalars', 'Loss/regularization_loss': 'scalars', 'Loss/total_loss': 'scalars', learning_rate: 'scalars',
    });
  });
});
