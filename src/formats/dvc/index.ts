/** DVC formats: DVCLive output folders, and DVC pipelines (dvc.lock) that have no DVCLive folder. */
export { dvclive } from './dvclive.js';
export { dvcPipeline } from './pipeline.js';
