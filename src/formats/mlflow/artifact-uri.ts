import path from 'node:path';

const SERVER_SCHEME = /^mlflow-artifacts:/i;

/** Whether a URI names artifacts kept by an MLflow tracking server (`mlflow-artifacts:/1/<run>/artifacts`). */
export const isServerArtifactUri = (uri: string | null | undefined): boolean => !!uri && SERVER_SCHEME.test(uri);

/**
 * Where a tracking server's artifacts would be on this machine, best first. `mlflow server
 * --backend-store-uri sqlite:///mlflow.db` keeps them under `./mlartifacts` (its default
 * `--artifacts-destination`) beside the database; older setups served `./mlruns`. Null when `uri`
 * is not an `mlflow-artifacts:` URI; empty when its path could leave those folders (`..`).
 */
export function serverArtifactCandidates(uri: string, storeDir: string): string[] | null {
  if (!isServerArtifactUri(uri)) return null;
  // `mlflow-artifacts:/1/abc/artifacts`, or with the server's address: `mlflow-artifacts://host:5000/1/...`.
  let rest = uri.replace(SERVER_SCHEME, '');
  if (rest.startsWith('//')) rest = rest.slice(2).replace(/^[^/]*/, '');
  rest = rest.replace(/[?#].*$/, '');
  let segments: string[];
  try {
    segments = rest.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return []; // a broken %-escape: no folder to look in
  }
  // The URI is untrusted: only plain names, so the result stays inside the two folders.
  if (segments.some((s) => s === '.' || s === '..' || /[\\/\0]/.test(s))) return [];
  return ['mlartifacts', 'mlruns'].map((root) => path.join(storeDir, root, ...segments));
}
