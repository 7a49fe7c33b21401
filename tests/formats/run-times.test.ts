import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hfTrainer } from '../../src/formats/hf-trainer/index.js';
import { hydra } from '../../src/formats/hydra/index.js';
import { kerasCsv } from '../../src/formats/keras-csv/index.js';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { wandb } from '../../src/formats/wandb/index.js';
import type { Adapter } from '../../src/formats/adapter.js';
import { copyFixture, tempCore } from '../helpers.js';

const HYDRA = 'public/hydra/stavrosb00__FedLearningFoodClassification__flower-outputs-multirun-tensorboard';
const KERAS = 'public/keras/NASA-NeMO-Net__NeMO-Net__csvlogger-semicolon-hyperas-tf1-tensorboard';

async function runsOf(dir: string, adapter: Adapter) {
  const core = await tempCore();
  await core.indexFolders([dir], { adapters: [adapter] });
  return (await core.api['runs.list']({ limit: 500 })).rows;
}

/** Hydra's folder names and log lines are local times of the machine that ran the job. */
const local = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0) => new Date(y, mo - 1, d, h, mi, s, ms).getTime();

describe('run times from what each tool recorded', () => {
  it('Hydra: the start from the <date>/<time> folder, the end from the job log\'s last line', async () => {
    const runs = await runsOf(copyFixture(HYDRA, { freshTimes: true }), hydra);
    const run = runs.find((r) => r.name === '2024-05-24/09-40-56')!;
    expect(run.startTime).toBe(local(2024, 5, 24, 9, 40, 56));
    expect(run.durationSeconds).toBeCloseTo((local(2024, 5, 24, 16, 54, 18, 143) - local(2024, 5, 24, 9, 40, 56)) / 1000, 3);
    expect(run.timeNote).toBeNull();
    // A multirun job has no time in its folder name: its log's first line is its start.
    const job = runs.find((r) => r.path.endsWith(path.join('2024-03-14', '11-56-42', '1')))!;
    expect(job.startTime).toBe(local(2024, 3, 14, 16, 46, 10, 869));
    // Jobs whose logs are empty: nothing recorded, and the copy's dates are not shown as theirs.
    const empty = runs.find((r) => r.path.endsWith(path.join('2024-02-26', '16-40-30', '3')))!;
    expect(empty).toMatchObject({ startTime: null, durationSeconds: null });
    expect(empty.timeNote).toMatch(/^Hydra \(with an empty job log\) records no times, and its files' dates are when they were copied/);
  });

  it('Keras CSVLogger and Lightning CSVLogger: unknown, with the reason, when the files were copied', async () => {
    for (const [fixture, adapter, tool] of [[KERAS, kerasCsv, "Keras's CSVLogger"], ['realruns/lightning_project', lightningCsv, "Lightning's CSVLogger"]] as const) {
      for (const freshTimes of [false, true]) {
        const runs = await runsOf(copyFixture(fixture, { freshTimes }), adapter);
        expect(runs.length).toBeGreaterThan(0);
        for (const r of runs) {
          expect(r).toMatchObject({ startTime: null, durationSeconds: null });
          expect(r.timeNote).toBe(`${tool} records no times, and its files' dates are when they were copied, not when the run ran`);
        }
      }
    }
  });

  it('Lightning CSVLogger: a run whose files were written over time spans their creation to the last write', async () => {
    const dir = copyFixture('realruns/lightning_project', { freshTimes: true });
    const csv = path.join(dir, 'lightning_logs', 'version_0', 'metrics.csv');
    const born = fs.statSync(csv).birthtimeMs;
    if (!(born > 0)) return; // this file system keeps no creation times: covered by the note above
    const later = new Date(born + 42_000);
    fs.utimesSync(csv, later, later);
    const run = (await runsOf(dir, lightningCsv)).find((r) => r.name === 'version_0')!;
    expect(run.timeNote).toBeNull();
    expect(run.startTime).toBeLessThanOrEqual(Math.round(born));
    expect(run.durationSeconds).toBeGreaterThan(41.9);
    expect(run.durationSeconds).toBeLessThan(45);
  });

  it('W&B: a 7-byte log with no run record is status unknown, its end unknown (not the copy time)', async () => {
    const runs = await runsOf(copyFixture('public/wandb-offline-sweep', { freshTimes: true }), wandb);
    const bare = runs.filter((r) => r.timeNote !== null);
    expect(bare.map((r) => r.name).sort()).toEqual(['8u2lhde6', '97kz4nuq', 'dou77108', 'srttg4lk', 'yg9a9n72']);
    for (const r of bare) {
      expect(r).toMatchObject({ status: 'unknown', durationSeconds: null, timeNote: 'The W&B log holds no run record, so when the run ended is unknown' });
    }
    // wandb-metadata.json still records the start.
    expect(bare.find((r) => r.name === 'yg9a9n72')!.startTime).toBe(Date.parse('2025-11-04T08:24:58.911Z'));
    // Runs with an exit record keep their status and a duration of seconds, not days.
    for (const r of runs.filter((x) => x.timeNote === null)) {
      expect(r.status).not.toBe('unknown');
      expect(r.durationSeconds).toBeLessThan(24 * 3600);
    }
  });

  it('HF Trainer: the start from the runs/ event file, the end from train_runtime', async () => {
    const [run] = await runsOf(copyFixture('realruns/hf_trainer', { freshTimes: true }), hfTrainer);
    expect(run.startTime).toBe(1795369582000);
    expect(run.durationSeconds).toBeCloseTo(1.636, 3);
    expect(run.timeNote).toBeNull();
  });
});
