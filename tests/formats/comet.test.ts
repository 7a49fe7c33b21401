import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { comet } from '../../src/formats/comet/index.js';
import { REPO, tempCore, tempDir } from '../helpers.js';
import { buildZip, type ZipEntrySpec } from './zip-writer.js';

const MADE = path.join(REPO, 'tests', 'fixtures-made', 'comet');
const KEY1 = 'db5b5fab8f4d4e279da1494c73cf256d';
const KEY2 = '73ab4876773447c187fde805ec99108d';
/** A key as comet_ml makes them (uuid4().hex), for archives built in the tests. */
const KEY3 = '0123456789ab4cdef0123456789abcde'.replace(/^(.{16})./, '$18');

/** A copy of the made fixtures: `<root>/project/.cometml-runs/<key>.zip` and `<root>/project/offline/<key>.zip`. */
function copyMade(): string {
  const root = path.join(tempDir(), 'project');
  fs.cpSync(MADE, root, { recursive: true });
  return root;
}

async function index(root: string) {
  const core = await tempCore();
  const summary = await core.indexFolders([root], { adapters: [comet] });
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  const problems = await core.api['problems.list']({});
  return { core, summary, runs, problems, byName: (n: string) => runs.find((r) => r.name === n)! };
}

function writeArchive(dir: string, entries: ZipEntrySpec[], name = `${KEY3}.zip`): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, buildZip(entries));
  return file;
}

const EXPERIMENT_JSON = Buffer.from(JSON.stringify({ offline_id: KEY3, project_name: 'hostile', start_time: 1768910000000, stop_time: 1768910005000, tags: [], workspace: 'w' }));
const metricLine = (step: number, value: number | string) =>
  JSON.stringify({ payload: { local_timestamp: 1768910000000 + step, metric: { epoch: 0, metricName: 'loss', metricValue: value, step } }, type: 'metric_msg' });

describe('Comet offline archives (made as comet_ml writes them)', () => {
  it('reads metrics, params, others, system details and git metadata from both archives', async () => {
    const root = copyMade();
    const { summary, runs, problems, byName, core } = await index(root);
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({ runs: 2, problems: 0 });
    expect(runs.map((r) => r.name)).toEqual([KEY2, 'line-fit lr=0.1']);
    expect(runs.every((r) => r.format === 'comet' && r.status === 'finished' && r.experiment === 'line-fit')).toBe(true);

    const named = byName('line-fit lr=0.1');
    expect(named.path).toBe(path.join(root, '.cometml-runs', `${KEY1}.zip`));
    expect(named.params).toEqual({ lr: '0.1', epochs: '3', optimizer: 'sgd' });
    expect(named.startTime).toBe(1768903200000);
    expect(named.durationSeconds).toBeCloseTo(3.523, 3);
    expect(named.metrics.train_loss).toEqual({ count: 12, last: 0.535214476004973, lastStep: 12, min: 0.535214476004973, max: 3.4737466666666665 });
    expect(named.metrics.epoch_a).toEqual({ count: 3, last: 1.7971713911229876, lastStep: 12, min: 0.787845682962963, max: 1.7971713911229876 });
    const series = await core.api['metrics.get']({ run: named.id, key: 'epoch_a' });
    expect(series.points.map(([s]) => s)).toEqual([4, 8, 12]);

    const detail = await core.api['runs.get']({ id: named.id });
    expect(detail.gitCommit).toBe('9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d');
    expect(detail.tags).toMatchObject({
      'comet.key': KEY1, 'comet.workspace': 'ana', 'comet.tags': 'baseline, cpu', offline_experiment: 'true', dataset: 'synthetic-21',
      host: 'gpu-box-3', os: 'Linux-6.1.0-x86_64-with-glibc2.36', python: '3.11.7', user: 'ana', command: 'train.py --lr 0.1',
      'git.branch': 'main', 'git.url': 'git@example.org:ana/line-fit.git',
    });

    // Newer SDKs' typed messages, no name (the key stands in), NaN written as the string "NaN".
    const unnamed = byName(KEY2);
    expect(unnamed.params).toEqual({ lr: '2.5', epochs: '2' });
    expect(unnamed.metrics.train_loss).toMatchObject({ count: 6, last: 'NaN', lastStep: 6 });
    expect((await core.api['runs.get']({ id: unnamed.id })).tags).toMatchObject({ host: 'laptop', 'comet.workspace': 'ben' });
  });

  it('detects by name only: any zip in .cometml-runs, elsewhere only experiment-key names', async () => {
    const root = tempDir();
    const dirEntries = (names: string[]) => names.map((name) => ({ name, isFile: true, isDirectory: false }));
    const names = [`${KEY3}.zip`, `${KEY3}-AbCdEf.zip`, 'data.zip', 'd41d8cd98f00b204e9800998ecf8427e.zip', `${KEY3}.json`];
    expect(await comet.detect(root, dirEntries(names))).toHaveLength(2);
    expect(await comet.detect(path.join(root, '.cometml-runs'), dirEntries(names))).toHaveLength(4);
  });
});

describe('hostile and damaged Comet archives', () => {
  it('a zip bomb whose header claims a small size stops at the claim, fast', async () => {
    const root = tempDir();
    // 64 MiB of metric lines deflate to ~200 KB; the headers claim 2,000 bytes.
    const lines = Buffer.from(`${Array.from({ length: 400_000 }, (_, i) => metricLine(i, 0.5)).join('\n')}\n`);
    writeArchive(root, [
      { name: 'experiment.json', data: EXPERIMENT_JSON },
      { name: 'messages.json', data: lines, deflate: true, claimedSize: 2000 },
    ]);
    const started = performance.now();
    const { runs, problems } = await index(root);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: KEY3, experiment: 'hostile', status: 'finished' });
    expect(runs[0].metrics.loss?.count ?? 0).toBeLessThan(20);
    expect(problems.map((p) => p.message)).toEqual([
      // yauzl's own check (validateEntrySizes) fires first; SafeZip's cap at the claimed size backs it up.
      expect.stringMatching(/messages\.json (is damaged: too many bytes in the stream|holds more than 2000 bytes)/),
    ]);
  });

  it('an entry claiming a bomb-like ratio or a huge size is refused before it is inflated', async () => {
    const root = tempDir();
    writeArchive(root, [
      { name: 'experiment.json', data: EXPERIMENT_JSON },
      { name: 'messages.json', data: Buffer.alloc(32 * 1024 * 1024, 0x20), deflate: true },
    ]);
    writeArchive(root, [
      { name: 'experiment.json', data: Buffer.alloc(10), deflate: true, claimedSize: 0xfffffff0 },
      { name: 'messages.json', data: Buffer.from(`${metricLine(1, 1)}\n`) },
    ], `${KEY3}-AbCdEf.zip`);
    const { runs, problems } = await index(root);
    expect(runs).toHaveLength(2);
    expect(problems.map((p) => p.message).sort()).toEqual([
      expect.stringMatching(new RegExp(`^${KEY3}-AbCdEf.zip: experiment.json is too large \\(4294967280 bytes; limit 1048576\\)`)),
      expect.stringMatching(/messages\.json claims a compression ratio of \d+:1 \(limit 200:1\), as zip bombs do/),
    ]);
    // The second archive's messages are still read.
    expect(runs.find((r) => r.path.endsWith('-AbCdEf.zip'))!.metrics.loss).toMatchObject({ count: 1, last: 1 });
  });

  it('entry names with .. or an absolute path make the archive a problem; nothing is written', async () => {
    const root = tempDir();
    // Relative to the archive's folder, `../../<name>` lands beside the temp dir.
    const escaped = `${path.basename(root)}-escaped`;
    const outside = path.join(path.dirname(root), escaped);
    writeArchive(path.join(root, 'a'), [
      { name: 'experiment.json', data: EXPERIMENT_JSON },
      { name: `../../${escaped}`, data: Buffer.from('owned') },
      { name: 'messages.json', data: Buffer.from(`${metricLine(1, 1)}\n`) },
    ]);
    writeArchive(path.join(root, 'b'), [{ name: '/etc/cron.d/x', data: Buffer.from('owned') }]);
    const { runs, problems } = await index(root);
    expect(runs).toHaveLength(2);
    expect(problems.map((p) => p.message).sort()).toEqual([
      expect.stringMatching(/damaged or unsafe zip archive: absolute path: \/etc\/cron\.d\/x/),
      expect.stringMatching(new RegExp(`damaged or unsafe zip archive: invalid relative path: \\.\\./\\.\\./${escaped}`)),
    ]);
    expect(fs.existsSync(outside)).toBe(false);
  });

  it('a truncated archive is a problem', async () => {
    const root = tempDir();
    const whole = fs.readFileSync(path.join(MADE, '.cometml-runs', `${KEY1}.zip`));
    fs.writeFileSync(path.join(root, `${KEY3}.zip`), whole.subarray(0, Math.floor(whole.length / 2)));
    const { runs, problems } = await index(root);
    expect(runs).toHaveLength(1);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/not a readable zip archive: end of central directory record signature not found/i)]);
  });

  it('an archive linked from outside the indexed folder is not read', async () => {
    const outside = path.join(tempDir(), `${KEY1}.zip`);
    fs.copyFileSync(path.join(MADE, '.cometml-runs', `${KEY1}.zip`), outside);
    const runs = path.join(tempDir(), '.cometml-runs');
    fs.mkdirSync(runs);
    fs.symlinkSync(outside, path.join(runs, `${KEY3}.zip`));
    const { problems, byName } = await index(path.dirname(runs));
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('a link out of the indexed folder; not followed')]);
    expect(byName('line-fit lr=0.1')).toBeUndefined();
  });

  it('100,000 entries are refused from the directory record, without listing them', async () => {
    const root = tempDir();
    const entries = Array.from({ length: 100_000 }, (_, i) => ({ name: `f${i}`, data: Buffer.alloc(0) }));
    writeArchive(root, [{ name: 'experiment.json', data: EXPERIMENT_JSON }, ...entries]);
    const started = performance.now();
    const { runs, problems } = await index(root);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(runs).toHaveLength(1);
    expect(problems.map((p) => p.message)).toEqual([`${KEY3}.zip: 100001 entries (limit 10000)`]);
  });

  it('garbage and overlong lines in messages.json are skipped and counted; the rest is read', async () => {
    const root = tempDir();
    const text = [metricLine(1, 0.9), 'Traceback (most recent call last):', `{"type":"metric_msg","payload":"${'x'.repeat(5 * 1024 * 1024)}"}`,
      metricLine(2, 'NaN'), '{"payload":{"metric":{"metricName":"loss","metricValue":"not a number","step":3}},"type":"metric_msg"}', metricLine(4, '0.25'),
      // log_other("score", float("nan")): no fix_special_floats there, so json writes a bare NaN.
      '{"payload":{"log_other":{"key":"score","val":NaN},"local_timestamp":1768910000009},"type":"ws_msg"}'].join('\n');
    writeArchive(root, [
      { name: 'experiment.json', data: EXPERIMENT_JSON },
      { name: 'messages.json', data: Buffer.from(text) }, // stored, as comet_ml writes it
    ]);
    const { runs, problems, core } = await index(root);
    expect(runs[0].metrics.loss).toMatchObject({ count: 3, last: 0.25, lastStep: 4 });
    const series = await core.api['metrics.get']({ run: runs[0].id, key: 'loss' });
    expect(series.points.map(([s]) => s)).toEqual([1, 2, 4]);
    expect((await core.api['runs.get']({ id: runs[0].id })).tags).toMatchObject({ score: 'NaN' });
    expect(problems.map((p) => p.message).sort()).toEqual([
      `${KEY3}.zip: messages.json: 1 line(s) are not Comet messages and were skipped, e.g. line 2`,
      `${KEY3}.zip: messages.json: 1 line(s) longer than 4194304 bytes were skipped, e.g. line 3`,
    ]);
  });

  it('an archive without messages.json or experiment.json says so', async () => {
    const root = tempDir();
    writeArchive(root, [{ name: 'readme.txt', data: Buffer.from('not comet') }]);
    const { runs, problems } = await index(root);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: KEY3, status: 'finished', metrics: {} });
    expect(problems.map((p) => p.message).sort()).toEqual([
      `${KEY3}.zip holds no experiment.json: its project and times are unknown`,
      `${KEY3}.zip holds no messages.json: not a Comet offline experiment, or a damaged one`,
    ]);
  });
});
