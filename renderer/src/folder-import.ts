/**
 * Web mode's folder drop: the browser hides a dropped folder's path, so its files are read through
 * the drop's directory entries and copied, in pieces, into Labdesk's imports folder on the machine
 * running Labdesk, which then indexes and watches the copy.
 */
import type { ImportFile, RootInfo } from '../../src/api/contract';
import { api } from './api-client';

export interface PickedFile {
  /** Path inside the dropped folder, '/'-separated. */
  path: string;
  file: File;
}

export interface PickedFolder {
  name: string;
  files: PickedFile[];
}

/** The server takes 1 MiB per call; base64 adds a third. */
const PIECE_BYTES = 512 * 1024;

export interface ImportProgress {
  name: string;
  bytesDone: number;
  bytesTotal: number;
}

/** The folders of a drop, read through the entries API (every level of nesting), or null when it holds none. */
export async function foldersFromDrop(dt: DataTransfer): Promise<PickedFolder[] | null> {
  const entries = Array.from(dt.items)
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  const dirs = entries.filter((e): e is FileSystemDirectoryEntry => e.isDirectory);
  if (dirs.length) return Promise.all(dirs.map(async (d) => ({ name: d.name, files: await walk(d, '') })));
  // No entries (a scripted drop, an old browser): files that carry their folder path still work.
  return foldersFromFiles(Array.from(dt.files));
}

/** Folders from files that know their path inside a picked folder (`<input webkitdirectory>`). */
export function foldersFromFiles(files: File[]): PickedFolder[] | null {
  const byFolder = new Map<string, PickedFile[]>();
  for (const file of files) {
    const rel = file.webkitRelativePath;
    const cut = rel.indexOf('/');
    if (cut <= 0) continue;
    const name = rel.slice(0, cut);
    if (!byFolder.has(name)) byFolder.set(name, []);
    byFolder.get(name)!.push({ path: rel.slice(cut + 1), file });
  }
  return byFolder.size ? [...byFolder].map(([name, list]) => ({ name, files: list })) : null;
}

async function walk(dir: FileSystemDirectoryEntry, prefix: string): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  for (const entry of await readAll(dir)) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...(await walk(entry as FileSystemDirectoryEntry, rel)));
    else if (entry.isFile) out.push({ path: rel, file: await asFile(entry as FileSystemFileEntry) });
  }
  return out;
}

/** readEntries returns at most 100 entries per call: read until it returns none. */
async function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) return all;
    all.push(...batch);
  }
}

const asFile = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

/** Copies one folder to the server in calls of at most PIECE_BYTES of file data; resolves to the new root. */
export async function uploadFolder(folder: PickedFolder, onProgress: (p: ImportProgress) => void): Promise<RootInfo> {
  const bytesTotal = folder.files.reduce((n, f) => n + f.file.size, 0);
  let bytesDone = 0;
  let importId: string | undefined;
  let batch: ImportFile[] = [];
  let batchBytes = 0;
  const send = async (done: boolean) => {
    const result = await api['imports.add']({ name: folder.name, files: batch, done, importId });
    importId = result.importId;
    bytesDone += batchBytes;
    batch = [];
    batchBytes = 0;
    onProgress({ name: folder.name, bytesDone, bytesTotal });
    return result.root;
  };
  for (const { path, file } of folder.files) {
    // Empty files still need creating; bigger ones go in pieces.
    for (let at = 0; at === 0 || at < file.size; at += PIECE_BYTES) {
      const piece = file.slice(at, Math.min(file.size, at + PIECE_BYTES));
      if (batchBytes + piece.size > PIECE_BYTES && batch.length) await send(false);
      batch.push({ path, data: await base64(piece), ...(at > 0 ? { append: true } : {}) });
      batchBytes += piece.size;
    }
  }
  const root = await send(true);
  if (!root) throw new Error(`The copy of ${folder.name} was not added as a source.`);
  return root;
}

async function base64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
