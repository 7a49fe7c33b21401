import fs from 'node:fs';
import path from 'node:path';

/** Lightning's CSVLogger sorts its keys and writes with csv.DictWriter, whose line end is \r\n. */
export const CSV_HEADER = 'epoch,step,train_loss,val_acc,val_loss';
const EOL = '\r\n';
const STEPS_PER_EPOCH = 20;

/** A training row as CSVLogger writes it: unlogged keys are empty cells. */
export function trainRow(step: number, loss: number): string {
  return `${Math.floor(step / STEPS_PER_EPOCH)},${step},${loss},,${EOL}`;
}

/**
 * Writes `runs` CSVLogger runs under `<dir>/lightning_logs/version_<n>/`, each with `steps` training
 * rows and a validation row at every epoch end, plus `hparams.yaml`. Returns the run folders.
 */
export function writeLightningTree(dir: string, runs: number, steps: number): string[] {
  const logs = path.join(dir, 'lightning_logs');
  const folders: string[] = [];
  for (let n = 0; n < runs; n++) {
    const runDir = path.join(logs, `version_${n}`);
    fs.mkdirSync(runDir, { recursive: true });
    const lr = [0.1, 0.03, 0.01, 0.003, 0.001][n % 5];
    let csv = `${CSV_HEADER}${EOL}`;
    for (let step = 0; step < steps; step++) {
      csv += trainRow(step, round6(2 * Math.exp(-step * lr) + 0.05 * Math.sin(step + n)));
      if ((step + 1) % STEPS_PER_EPOCH === 0) {
        const acc = round6(0.5 + 0.45 * (1 - Math.exp(-step * lr)));
        csv += `${Math.floor(step / STEPS_PER_EPOCH)},${step},,${acc},${round6(1 - acc)}${EOL}`;
      }
    }
    fs.writeFileSync(path.join(runDir, 'metrics.csv'), csv);
    fs.writeFileSync(
      path.join(runDir, 'hparams.yaml'),
      `lr: ${lr}\nhidden: ${[32, 64, 128][n % 3]}\nbatch_size: ${[16, 32][n % 2]}\noptimizer: adam\nseed: ${n}\n`,
    );
    folders.push(runDir);
  }
  return folders;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
