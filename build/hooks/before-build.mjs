// electron-builder beforeBuild: save node_modules' Node build of better-sqlite3 before npmRebuild replaces it.
import { save } from './node-sqlite.mjs';

export default async function beforeBuild() {
  save();
  return true; // false would skip the rebuild for Electron, which the packaged app needs
}
