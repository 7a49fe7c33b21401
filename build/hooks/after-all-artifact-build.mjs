// electron-builder afterAllArtifactBuild: put node_modules' Node build of better-sqlite3 back.
import { restore } from './node-sqlite.mjs';

export default async function afterAllArtifactBuild() {
  restore();
  return []; // no extra files to publish
}
