import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dvcPipeline, dvclive } from '../../src/formats/dvc/index.js';
import { copyFixture, tempCore } from '../helpers.js';

const DVC3 = 'public/dvclive/iterative__example-get-started__dvc3-pipeline-lock-dvcfiles-exp-refs';

async function index(harm?: (dir: string) => void) {
  const dir = copyFixture(DVC3);
  harm?.(dir);
  const core = await tempCore();
  const summary = await core.indexFolders([dir], { adapters: [dvclive, dvcPipeline] });
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  return { dir, core, summary, runs };
}

/** Data versions every run of this pipeline shares (inputs and outputs upstream of training). */
const SHARED = {
  'dvc.dep.data/data.xml': '22a1a2931c8370d3aeedd7183606fd7f',
  'dvc.dep.data/features': 'f35d4cc2c552ac959ae602162b8543f3.dir',
  'dvc.dep.data/prepared': '153aad06d376b6595932470e459ef42a.dir',
  'dvc.dep.src/evaluate.py': 'a1a59f55636170fb56e0c6afd3e28fa4',
  'dvc.dep.src/featurization.py': 'e22789fc9581cad11ef7a6fa3aa3f17b',
  'dvc.dep.src/prepare.py': 'f54d670ac8a4f63206781fc31d1f2651',
  'dvc.dep.src/train.py': '324001573ed724e5ae092226fcf9ca30',
  'dvc.out.data/features': 'f35d4cc2c552ac959ae602162b8543f3.dir',
  'dvc.out.data/prepared': '153aad06d376b6595932470e459ef42a.dir',
};

// Expected values below were read from the fixture's dvc.lock / params.yaml with python3's yaml module.
describe('DVC 3 pipeline without DVCLive (dvc.lock + .dvc file + exp refs as folders, real fixture)', () => {
  it('is one run per folder holding a dvc.lock', async () => {
    const { summary, runs } = await index();
    expect(summary).toMatchObject({ runs: 6, experiments: 6, problems: 0 });
    expect(runs.map((r) => r.name)).toEqual(['main', 'messy-tire', 'minor-coos', 'nubby-inks', 'potty-quiz', 'raked-vise']);
    expect(runs.every((r) => r.format === 'dvc-pipeline' && r.startTime === null && r.status === 'finished')).toBe(true);
  });

  it('takes the params the stages used from dvc.lock, int/float changes included', async () => {
    const { runs } = await index();
    const main = runs.find((r) => r.name === 'main')!;
    expect(main.params).toEqual({
      'prepare.seed': '20170428', 'prepare.split': '0.2', 'featurize.max_features': '200', 'featurize.ngrams': '2',
      'train.min_split': '0.01', 'train.n_est': '50', 'train.seed': '20170428',
    });
    const byName = Object.fromEntries(runs.map((r) => [r.name, [r.params['train.n_est'], r.params['train.min_split']]]));
    expect(byName).toEqual({
      main: ['50', '0.01'], 'messy-tire': ['100', '2'], 'minor-coos': ['100', '64'],
      'nubby-inks': ['50', '8'], 'potty-quiz': ['50', '64'], 'raked-vise': ['100', '8'],
    });
  });

  it('records data versions as tags: lock deps/outs, the .dvc file and where the import came from', async () => {
    const { runs, core, dir } = await index();
    const main = await core.api['runs.get']({ id: runs.find((r) => r.name === 'main')!.id });
    expect(main.tags).toEqual({
      ...SHARED,
      'dvc.dep.model.pkl': 'd1f6e055f7f5e2827fcfae68d9b64d4c',
      'dvc.out.model.pkl': 'd1f6e055f7f5e2827fcfae68d9b64d4c',
      'dvc.out.eval': '80a081570c800c60b9b98ca4b3c91dd7.dir',
      'dvc.tracked.data/data.xml': '22a1a2931c8370d3aeedd7183606fd7f',
      'dvc.import.data/data.xml': 'https://github.com/iterative/dataset-registry@f59388cd04276e75d70b2136597aaa27e7937cc3:get-started/data.xml',
      'dvc.metrics.absent': 'eval/metrics.json', // a DVC-cached output, not in git
    });
    expect(main.artifacts).toEqual([
      { path: path.join(dir, 'main', 'data', 'features'), kind: 'dvc-out', sizeBytes: 2232588 },
      { path: path.join(dir, 'main', 'data', 'prepared'), kind: 'dvc-out', sizeBytes: 8437363 },
      { path: path.join(dir, 'main', 'eval'), kind: 'dvc-out', sizeBytes: 1292342 },
      { path: path.join(dir, 'main', 'model.pkl'), kind: 'model', sizeBytes: 1958115 }, // dvc.yaml `artifacts:` type
    ]);
    const tire = await core.api['runs.get']({ id: runs.find((r) => r.name === 'messy-tire')!.id });
    expect(tire.tags).toEqual({
      ...SHARED,
      'dvc.dep.model.pkl': '1e0126d214b82018f8e908d82bb937fd',
      'dvc.out.model.pkl': '1e0126d214b82018f8e908d82bb937fd',
      'dvc.out.eval': '82dca2769544c90bc5216b5d1b6cce3b.dir',
    });
  });

  it('reads the metrics files dvc.yaml declares when they are present', async () => {
    // Synthetic: the fixture's eval/metrics.json lives in the DVC cache, so one is written here.
    const { runs } = await index((dir) => {
      fs.mkdirSync(path.join(dir, 'main', 'eval'));
      fs.writeFileSync(path.join(dir, 'main', 'eval', 'metrics.json'), '{"avg_prec": {"train": 0.97, "test": 0.94}, "roc_auc": NaN}');
    });
    const main = runs.find((r) => r.name === 'main')!;
    expect(main.metrics).toEqual({
      'avg_prec/train': { count: 1, last: 0.97, min: 0.97, max: 0.97, lastStep: 0 },
      'avg_prec/test': { count: 1, last: 0.94, min: 0.94, max: 0.94, lastStep: 0 },
      roc_auc: { count: 1, last: 'NaN', min: 'NaN', max: 'NaN', lastStep: 0 },
    });
  });

  it('with a DVCLive folder in the project (evaluate.py\'s Live("eval")), that folder is the run', async () => {
    // Synthetic, shaped as DVCLive 3 writes it: summary + sklearn plots + an image, no metric TSVs.
    const { runs, core, summary } = await index((dir) => {
      const live = path.join(dir, 'main', 'eval');
      fs.mkdirSync(path.join(live, 'plots', 'sklearn', 'roc'), { recursive: true });
      fs.mkdirSync(path.join(live, 'plots', 'images'), { recursive: true });
      fs.writeFileSync(path.join(live, 'metrics.json'), '{"avg_prec": {"train": 0.97, "test": 0.94}}');
      fs.writeFileSync(path.join(live, 'plots', 'sklearn', 'roc', 'test.json'), '{"roc": []}');
      fs.writeFileSync(path.join(live, 'plots', 'images', 'importance.png'), 'png');
    });
    expect(summary.runs).toBe(6);
    const evaluate = runs.find((r) => r.format === 'dvclive')!;
    expect(evaluate).toMatchObject({ name: 'evaluate', experiment: 'main' });
    expect(evaluate.params['train.n_est']).toBe('50');
    expect(evaluate.metrics['avg_prec/test']).toEqual({ count: 1, last: 0.94, min: 0.94, max: 0.94, lastStep: 0 });
    const detail = await core.api['runs.get']({ id: evaluate.id });
    expect(detail.tags['dvc.out.eval']).toBe('80a081570c800c60b9b98ca4b3c91dd7.dir');
    expect(detail.tags['dvc.metrics.absent']).toBeUndefined();
    expect(runs.filter((r) => r.format === 'dvc-pipeline').map((r) => r.name)).not.toContain('main');
  });
});

describe('a damaged dvc.lock becomes a problem, never a crash', () => {
  it('not YAML: the run stays, params fall back to the params.yaml keys dvc.yaml names', async () => {
    const { runs, core, dir, summary } = await index((d) => fs.writeFileSync(path.join(d, 'main', 'dvc.lock'), "schema: '2.0'\nstages:\n  prepare: [cmd: python\n    deps: {\n"));
    expect(summary.runs).toBe(6);
    const problems = await core.api['problems.list']({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: path.join(dir, 'main', 'dvc.lock'), format: 'dvc-pipeline' });
    expect(problems[0].message).toMatch(/dvc.lock is not valid YAML/);
    const main = runs.find((r) => r.name === 'main')!;
    // As params.yaml writes them now (`split: 0.20`), not as a lock would have recorded them.
    expect(main.params).toEqual({
      'prepare.seed': '20170428', 'prepare.split': '0.20', 'featurize.max_features': '200', 'featurize.ngrams': '2',
      'train.min_split': '0.01', 'train.n_est': '50', 'train.seed': '20170428',
    });
    const detail = await core.api['runs.get']({ id: main.id });
    expect(Object.keys(detail.tags).filter((k) => k.startsWith('dvc.dep.'))).toEqual([]);
    expect(runs.find((r) => r.name === 'raked-vise')!.params['train.n_est']).toBe('100');
  });

  it('a dvc.lock holding a list, and an unreadable .dvc file', async () => {
    const { runs, core } = await index((d) => {
      fs.writeFileSync(path.join(d, 'exp_refs', 'raked-vise', 'dvc.lock'), '- just\n- a list\n');
      fs.writeFileSync(path.join(d, 'main', 'data', 'data.xml.dvc'), 'outs: [unclosed\n');
    });
    const messages = (await core.api['problems.list']({})).map((p) => p.message).sort();
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^dvc.lock does not hold a mapping/);
    expect(messages[1]).toMatch(/^not a valid .dvc file/);
    expect(runs.find((r) => r.name === 'main')!.params['train.n_est']).toBe('50');
  });
});
