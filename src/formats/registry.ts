import type { Adapter } from './adapter.js';
import { comet } from './comet/index.js';
import { dvclive, dvcPipeline } from './dvc/index.js';
import { generic } from './generic/index.js';
import { hfTrainer } from './hf-trainer/index.js';
import { hydra } from './hydra/index.js';
import { kerasCsv } from './keras-csv/index.js';
import { kerasHistory } from './keras-history/index.js';
import { lightningCsv } from './lightning-csv.js';
import { mlflowFileStore, mlflowSqlite } from './mlflow/index.js';
import { notebook } from './notebook/index.js';
import { sacred } from './sacred/index.js';
import { lightningTensorboard, tensorboard } from './tensorboard/index.js';
import { wandb } from './wandb/index.js';

/**
 * Every format Labdesk reads. Each folder listing is offered to all of them; an adapter that claims a
 * folder's subtree stops the walk below it. Adapters exclude each other's layouts themselves, so the
 * order matters only for the catch-all `generic`, which comes last.
 */
export const adapters: readonly Adapter[] = [
  lightningCsv,
  lightningTensorboard,
  tensorboard,
  mlflowFileStore,
  mlflowSqlite,
  wandb,
  hfTrainer,
  sacred,
  dvclive,
  dvcPipeline,
  hydra,
  kerasCsv,
  kerasHistory,
  comet,
  notebook,
  generic,
];
