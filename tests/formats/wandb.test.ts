import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { wandb } from '../../src/formats/wandb/index.js';
import { copyFixture, tempCore } from '../helpers.js';

const SWEEP = 'public/wandb-offline-sweep';
const OLD = 'public/wandb-2021-run';
const PROJECT = 'real-estate-price-prediction';
const B8 = 'wandb/run-20251104_083622-b8n37x6d';

async function index(dir: string) {
  const core = await tempCore();
  const summary = await core.indexFolders([dir], { adapters: [wandb] });
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  const byDir = (name: string) => runs.find((r) => path.basename(r.path) === name)!;
  const rawStatus = (id: string) => (core.db.prepare('SELECT status, git_commit FROM runs WHERE id = ?').get(id) as { status: string | null; git_commit: string | null });
  return { core, summary, runs, byDir, rawStatus };
}

/*
 * Expected values below come from an independent decode of the real files: a Python script walking
 * the 32 KiB block framing with zlib.crc32 and a bare protobuf wire reader, and from
 * files/wandb-summary.json, whose values equal the last history values.
 */
describe('W&B offline sweep (wandb 0.22.3, wandb-core)', () => {
  it('finds the 15 distinct runs once each: latest-run (a real copy of 6h7uaalc) is skipped', async () => {
    const { summary, runs } = await index(copyFixture(SWEEP));
    expect(summary).toMatchObject({ runs: 15, experiments: 2, problems: 0 });
    expect(runs.some((r) => r.path.includes('latest-run'))).toBe(false);
    expect(runs.filter((r) => r.path.endsWith('6h7uaalc'))).toHaveLength(1);
    expect(runs.every((r) => r.format === 'wandb')).toBe(true);
    // The project comes from each log's run record; header-only logs name none, so the folder holding wandb/ does.
    const byExperiment = new Map<string, string[]>();
    for (const r of runs) byExperiment.set(r.experiment, [...(byExperiment.get(r.experiment) ?? []), r.name]);
    expect(byExperiment.get(PROJECT)).toHaveLength(10);
    expect(byExperiment.get('wandb-offline-sweep')!.sort()).toEqual(['8u2lhde6', '97kz4nuq', 'dou77108', 'srttg4lk', 'yg9a9n72']);
  });

  it('names runs by their display name and takes status from the exit record', async () => {
    const { runs, byDir, rawStatus } = await index(copyFixture(SWEEP));
    expect(byDir('run-20251104_111004-6h7uaalc').name).toBe('lightgbm_20251104_111003');
    expect(byDir('offline-run-20251104_081436-c7qtbmof').name).toBe('xgboost_20251104_081436');
    const finished = runs.filter((r) => rawStatus(r.id).status === 'finished').map((r) => r.name).sort();
    expect(finished).toEqual(['lightgbm_20251104_081332', 'lightgbm_20251104_081924', 'lightgbm_20251104_083621', 'lightgbm_20251104_111003']);
    // Six offline runs crashed (exit code 1) before logging anything.
    expect(runs.filter((r) => rawStatus(r.id).status === 'failed')).toHaveLength(6);
    // Header-only logs have no run record: how they ended is unknown (not "finished").
    expect(rawStatus(byDir('run-20251104_080513-dou77108').id).status).toBe('unknown');
    expect(runs.find((r) => r.id === byDir('run-20251104_080513-dou77108').id)!.status).toBe('unknown');
    expect(rawStatus(byDir(path.basename(B8)).id).git_commit).toBe('ec923717cfad024a82129adcb0692256cc78e8a7');
  });

  it('reads the history from the binary log: counts, last, steps and wall times', async () => {
    const { core, byDir } = await index(copyFixture(SWEEP));
    const run = byDir('run-20251104_111004-6h7uaalc');
    const summary = JSON.parse(fs.readFileSync(path.join(run.path, 'files', 'wandb-summary.json'), 'utf8'));
    expect(Object.keys(run.metrics).sort()).toEqual(['train/mae', 'train/r2', 'train/rmse', 'valid/mae', 'valid/r2', 'valid/rmse']);
    for (const key of Object.keys(run.metrics)) expect(run.metrics[key].last).toBe(summary[key]);
    expect(run.metrics['valid/rmse']).toEqual({ last: 9540.952177286363, min: 9540.952177286363, max: 9540.952177286363, lastStep: 1, count: 1 });
    expect(run.metrics['train/mae']).toEqual({ last: 5578.966987657498, min: 5578.966987657498, max: 5578.966987657498, lastStep: 0, count: 1 });
    const valid = await core.api['metrics.get']({ run: run.id, key: 'valid/mae' });
    expect(valid.points).toEqual([[1, 5633.947058449217, 1762254654.673405]]);
    expect(summary._timestamp).toBe(1762254654.673405);
    const train = await core.api['metrics.get']({ run: run.id, key: 'train/r2' });
    expect(train.points).toEqual([[0, 0.9614075829591927, 1762254653.664552]]);
    // The log's run record: 2025-11-04T11:10:04.389412Z.
    expect(run.startTime).toBe(1762254604389);

    const offline = byDir('offline-run-20251104_081332-xh926o7l');
    expect(offline.metrics['train/mae']).toMatchObject({ last: 34804.745026269076, lastStep: 0, count: 1 });
    expect(offline.metrics['valid/r2']).toMatchObject({ last: 0.5234343957614971, lastStep: 1, count: 1 });
    const points = await core.api['metrics.get']({ run: offline.id, key: 'train/rmse' });
    expect(points.points).toEqual([[0, 46231.661456625465, 1762244014.0432398]]);
    // Crashed runs logged nothing; header-only online runs have neither history nor summary.
    expect(byDir('offline-run-20251104_081111-6v58hf0r').metrics).toEqual({});
    expect(byDir('run-20251104_080513-dou77108').metrics).toEqual({});
  });

  it('reads config.yaml with `value:` unwrapped and `_wandb` hidden, scalars as written', async () => {
    const { byDir } = await index(copyFixture(SWEEP));
    const params = byDir('run-20251104_111004-6h7uaalc').params;
    expect(Object.keys(params).some((k) => k.startsWith('_wandb') || k.includes('.value'))).toBe(false);
    expect(params).toMatchObject({
      device: 'cpu',
      seed: '42',
      project_name: PROJECT,
      'experiment.name': 'lightgbm_20251104_111003',
      'model.params.learning_rate': '0.05',
      'model.params.n_estimators': '1000',
      'model.params.max_depth': '-1',
      'data.split.val_size': '0.2',
      'train.metrics': '["mae","rmse","r2"]',
      'wandb.entity': 'null',
    });
    expect(Object.keys(params)).toHaveLength(64);
  });

  it('reads an offline run config from the log alone (no config.yaml is written offline)', async () => {
    const { byDir } = await index(copyFixture(SWEEP));
    const run = byDir('offline-run-20251104_081332-xh926o7l');
    expect(fs.existsSync(path.join(run.path, 'files', 'config.yaml'))).toBe(false);
    expect(run.params).toMatchObject({ 'model.params.n_estimators': '10', 'data.files.train': 'train_sample.csv', 'wandb.offline': 'true', seed: '42' });
    expect(Object.keys(run.params).some((k) => k.startsWith('_wandb'))).toBe(false);
  });

  it('turns the environment into tags and lists saved files as artifacts', async () => {
    const { core, byDir } = await index(copyFixture(SWEEP));
    const detail = await core.api['runs.get']({ id: byDir(path.basename(B8)).id });
    expect(detail.tags).toMatchObject({
      'wandb.host': 'instance-16851',
      'wandb.python': 'CPython 3.10.19',
      'wandb.gpu': 'NVIDIA GeForce RTX 3090',
      'wandb.gpu_count': '1',
      'wandb.cuda': '12.2',
      'wandb.mode': 'online',
      'wandb.run_id': 'b8n37x6d',
    });
    expect(detail.tags['labdesk.metrics_source']).toBeUndefined();
    expect(detail.artifacts.map((a) => [path.basename(a.path), a.kind, a.sizeBytes])).toEqual([['requirements.txt', 'requirements', 1326]]);
    expect(detail.sourceFiles.find((f) => f.path.endsWith('.wandb'))!.readOffset).toBe(43876);
    // A header-only online run still has its metadata file.
    const online = await core.api['runs.get']({ id: byDir('run-20251104_082550-97kz4nuq').id });
    expect(online.tags).toMatchObject({ 'wandb.python': 'CPython 3.10.19', 'wandb.host': 'instance-16851' });
  });
});

describe('W&B 2021 run (wandb 0.12.4, no .wandb log)', () => {
  it('is read from files/ only: config, summary as single points, metadata', async () => {
    const { summary, runs, core, rawStatus } = await index(copyFixture(OLD));
    expect(summary).toMatchObject({ runs: 1, experiments: 1, problems: 0 });
    const run = runs[0];
    expect(run).toMatchObject({ name: '3v1gxofa', experiment: 'wandb-2021-run', startTime: 1634670782854 });
    expect(run.params).toEqual({
      R: '6', bs: '1', dataset: 'voxceleb1 mixture + WHAMR', dataset_version: '1', device: '0', epochs: '6',
      eval_size: '4000', optimizer: 'adam_torch', sr: '8000', train_size: '36000',
    });
    // The summary's two scalars at its _step; its 584 histograms are listed, not charted.
    expect(run.metrics).toEqual({
      train_avg_loss: { last: 3.0203593757193246, min: 3.0203593757193246, max: 3.0203593757193246, lastStep: 5, count: 1 },
      eval_avg_loss: { last: 5.047067381075584, min: 5.047067381075584, max: 5.047067381075584, lastStep: 5, count: 1 },
    });
    const series = await core.api['metrics.get']({ run: run.id, key: 'eval_avg_loss' });
    expect(series.points).toEqual([[5, 5.047067381075584, 1634745068]]);
    const detail = await core.api['runs.get']({ id: run.id });
    expect(detail.tags).toMatchObject({ 'labdesk.metrics_source': 'summary', 'wandb.host': 'hulk-Z390-M-GAMING', 'wandb.python': '3.9.7' });
    expect(detail.tags['wandb.non_scalar.histogram']).toMatch(/^gradients\/encoder\.conv\.weight, .* and 534 more$/);
    expect(detail.artifacts.map((a) => [path.basename(a.path), a.kind])).toEqual([
      ['conda-environment.yaml', 'environment'], ['output.log', 'log'], ['requirements.txt', 'requirements'],
    ]);
    expect(detail.problems).toEqual([]);
    expect(rawStatus(run.id)).toEqual({ status: null, git_commit: 'a3e6a33e822216105770715e020112dca8e45252' });
  });
});

describe('damaged W&B files become problems, never crashes', () => {
  async function damaged(harm: (dir: string) => void) {
    const dir = copyFixture(SWEEP);
    harm(dir);
    const result = await index(dir);
    const run = result.byDir(path.basename(B8));
    const detail = await result.core.api['runs.get']({ id: run.id });
    return { ...result, run, detail, log: path.join(dir, B8, 'run-b8n37x6d.wandb') };
  }

  it('a corrupted chunk: a problem with its offset; records before it kept', async () => {
    // Byte 43268 is inside the second history record (chunk at 43261, after the first one at 42331).
    const { summary, run, detail, log, rawStatus } = await damaged((dir) => flipByte(path.join(dir, B8, 'run-b8n37x6d.wandb'), 43261 + 7 + 20));
    expect(summary.runs).toBe(15);
    expect(detail.problems).toHaveLength(1);
    expect(detail.problems[0]).toMatchObject({ path: log, format: 'wandb' });
    expect(detail.problems[0].message).toMatch(/damaged at byte 43261: checksum mismatch/);
    expect(Object.keys(run.metrics).sort()).toEqual(['train/mae', 'train/r2', 'train/rmse']);
    expect(run.metrics['train/mae']).toMatchObject({ last: 5578.966987657498, count: 1 });
    expect(run.name).toBe('lightgbm_20251104_083621');
    expect(rawStatus(run.id).status).toBeNull(); // the exit record was after the damage
    expect(detail.sourceFiles.find((f) => f.path === log)!.readOffset).toBe(43261);
  });

  it('a corrupted chunk in the first block: reading resumes at the next 32 KiB block', async () => {
    // The console-output chunk at 19716 (block 0); the history and the exit record are in block 1.
    const { run, detail, rawStatus } = await damaged((dir) => flipByte(path.join(dir, B8, 'run-b8n37x6d.wandb'), 19716 + 7 + 10));
    expect(detail.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^damaged at byte 19716: checksum mismatch.*next 32 KiB block$/)]);
    expect(Object.keys(run.metrics)).toHaveLength(6);
    expect(rawStatus(run.id).status).toBe('finished');
  });

  it('a log cut off mid-record and left so is read up to the cut', async () => {
    const { run, detail, log } = await damaged((dir) => {
      const file = path.join(dir, B8, 'run-b8n37x6d.wandb');
      fs.truncateSync(file, 43300);
      const old = new Date(Date.now() - 10 * 60_000);
      fs.utimesSync(file, old, old);
    });
    expect(detail.problems.map((p) => p.message)).toEqual([expect.stringMatching(/last record is cut off \(39 bytes after byte 43261\).*writer stopped mid-record/)]);
    expect(Object.keys(run.metrics).sort()).toEqual(['train/mae', 'train/r2', 'train/rmse']);
    expect(detail.sourceFiles.find((f) => f.path === log)!.readOffset).toBe(43261);
  });

  it('a log cut inside its 7-byte header: a problem, files/ still read', async () => {
    const { run, detail } = await damaged((dir) => fs.truncateSync(path.join(dir, B8, 'run-b8n37x6d.wandb'), 4));
    expect(detail.problems.map((p) => p.message)).toEqual([expect.stringMatching(/only 4 bytes/)]);
    expect(run.name).toBe('b8n37x6d');
    expect(run.params['model.params.learning_rate']).toBe('0.05');
    expect(detail.tags['labdesk.metrics_source']).toBe('summary');
    expect(run.metrics['valid/r2']).toMatchObject({ last: 0.9581675267484078, lastStep: 1, count: 1 });
  });

  it('garbage config.yaml: a problem; params from the log and metrics still read', async () => {
    const { summary, run, detail, byDir } = await damaged((dir) =>
      fs.writeFileSync(path.join(dir, B8, 'files', 'config.yaml'), 'model: {value: [unclosed\n  - : : :\n\tseed: "'),
    );
    expect(summary.runs).toBe(15);
    expect(detail.problems).toHaveLength(1);
    expect(detail.problems[0].path).toBe(path.join(run.path, 'files', 'config.yaml'));
    expect(detail.problems[0].message).toMatch(/config\.yaml is not valid YAML/);
    expect(run.params['model.params.learning_rate']).toBe('0.05');
    expect(Object.keys(run.metrics)).toHaveLength(6);
    expect(byDir('run-20251104_111004-6h7uaalc').params.seed).toBe('42');
  });

  it('garbage wandb-summary.json on a run that needs it: a problem, no metrics, the run kept', async () => {
    const dir = copyFixture(OLD);
    const file = path.join(dir, 'wandb', 'run-20211019_161302-3v1gxofa', 'files', 'wandb-summary.json');
    fs.writeFileSync(file, '{"train_avg_loss": 3.02, "_step": ');
    const { runs, core } = await index(dir);
    const detail = await core.api['runs.get']({ id: runs[0].id });
    expect(detail.problems.map((p) => [p.path, p.message])).toEqual([[file, expect.stringMatching(/not a JSON object \(not valid JSON, or cut off\)/)]]);
    expect(runs[0].metrics).toEqual({});
    expect(runs[0].params.epochs).toBe('6');
  });
});

function flipByte(file: string, offset: number): void {
  const fd = fs.openSync(file, 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, offset);
  b[0] ^= 0xff;
  fs.writeSync(fd, b, 0, 1, offset);
  fs.closeSync(fd);
}
