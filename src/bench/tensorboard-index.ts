import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../core.js';
import { maskedCrc32c } from '../formats/tensorboard/tfrecord.js';
import { catalogBytes, LoopStall, msSince, PeakRss, round, withTempDir } from './measure.js';
import { EventFileWriter } from './tfevents-writer.js';

export interface TensorboardFigures {
  tags: number;
  steps: number;
  points: number;
  fileBytes: number;
  indexMs: number;
  indexPointsPerSecond: number;
  /** A plain chunked read of the file checking both CRCs of every record: what indexing cannot beat. */
  floorMs: number;
  floorPointsPerSecond: number;
  ratioToFloor: number;
  peakRssMb: number;
  /** Longest and p99 event-loop stall while indexing, ms. */
  stallMaxMs: number;
  stallP99Ms: number;
  rssMethod: string;
  catalogBytes: number;
  pointsIndexed: number;
}

const TAGS = ['train/loss', 'train/accuracy', 'learning_rate'];

/** Figure 1 (and its part of 6): cold index of one big event file, against the read + CRC floor. */
export async function benchTensorboard(steps: number): Promise<TensorboardFigures> {
  return withTempDir('tb', async (dir) => {
    const runDir = path.join(dir, 'tb', 'run-1');
    fs.mkdirSync(runDir, { recursive: true });
    const file = path.join(runDir, 'events.out.tfevents.1700000000.benchhost.4242.0');
    writeScalars(file, steps);
    const fileBytes = fs.statSync(file).size;
    const points = steps * TAGS.length;

    // Floor first, so the page cache is equally warm for both (the file was just written anyway).
    const floorStart = performance.now();
    const records = readAndCheckCrcs(file);
    const floorMs = msSince(floorStart);
    if (records !== points + 1) throw new Error(`floor pass framed ${records} records, expected ${points + 1}`);

    const dbPath = path.join(dir, 'catalog.db');
    const core = await createCore({ dbPath, watch: false });
    try {
      const rss = new PeakRss();
      const stall = new LoopStall();
      const start = performance.now();
      await core.indexFolders([path.join(dir, 'tb')]);
      const indexMs = msSince(start);
      const peak = rss.stop();
      const stalled = stall.stop();
      const page = await core.api['runs.list']({ limit: 10 });
      const pointsIndexed = page.rows.reduce((n, r) => n + Object.values(r.metrics).reduce((m, s) => m + s.count, 0), 0);
      core.db.pragma('wal_checkpoint(TRUNCATE)');
      return {
        tags: TAGS.length, steps, points, fileBytes, indexMs,
        indexPointsPerSecond: Math.round(points / (indexMs / 1000)),
        floorMs, floorPointsPerSecond: Math.round(points / (floorMs / 1000)),
        ratioToFloor: round(indexMs / floorMs, 2),
        peakRssMb: peak.peakMb, rssMethod: peak.method, stallMaxMs: stalled.maxMs, stallP99Ms: stalled.p99Ms, catalogBytes: catalogBytes(dbPath), pointsIndexed,
      };
    } finally {
      await core.close();
    }
  });
}

/** One Event per (step, tag), as `SummaryWriter.add_scalar` per tag per step produces. */
function writeScalars(file: string, steps: number): void {
  const w = new EventFileWriter(file);
  try {
    const t0 = 1_700_000_000;
    w.fileVersion(t0);
    const tags = TAGS.map((t) => Buffer.from(t));
    for (let step = 0; step < steps; step++) {
      const wall = t0 + 1 + step * 0.05;
      const loss = 2 * Math.exp(-step / 50_000) + 0.01 * Math.sin(step);
      w.scalar(wall, step, tags[0], loss);
      w.scalar(wall, step, tags[1], 1 - loss / 2);
      w.scalar(wall, step, tags[2], 1e-3 * 0.5 ** Math.floor(step / 100_000));
    }
  } finally {
    w.close();
  }
}

/** Reads in 4 MB chunks and walks the TFRecord framing, computing both masked CRC32Cs per record. */
function readAndCheckCrcs(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(4 << 20);
    let have = 0; // valid bytes in buf
    let at = 0; // start of the next record in buf
    let records = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, have, buf.length - have, null);
      have += n;
      while (have - at >= 12) {
        const length = buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 0x1_0000_0000;
        if (have - at < 12 + length + 4) break;
        if (maskedCrc32c(buf, at, at + 8) !== buf.readUInt32LE(at + 8)) throw new Error(`bad length crc at record ${records}`);
        const end = at + 12 + length;
        if (maskedCrc32c(buf, at + 12, end) !== buf.readUInt32LE(end)) throw new Error(`bad data crc at record ${records}`);
        records++;
        at = end + 4;
      }
      if (n === 0) return records;
      // Keep the partial record at the front; grow only for a record bigger than the buffer.
      const rest = have - at;
      const next = rest * 2 > buf.length ? Buffer.allocUnsafe(buf.length * 2) : buf;
      buf.copy(next, 0, at, have);
      buf = next;
      have = rest;
      at = 0;
    }
  } finally {
    fs.closeSync(fd);
  }
}
