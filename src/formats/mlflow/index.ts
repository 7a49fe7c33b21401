/** MLflow: the file store (`mlruns/`) and the SQLite tracking database (`mlflow.db`). */
export { mlflowFileStore } from './file-store.js';
export { mlflowSqlite } from './sqlite-store.js';
export { LIFECYCLE_TAG } from './common.js';
