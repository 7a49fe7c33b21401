import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO, tempDir } from '../helpers.js';
import { cycles, folderCycles, importGraph, importsOf, layerViolations } from './import-graph.js';

/**
 * Issue 13's one folder cycle left: catalog/write-run.ts takes the indexer's RunBuffer, whose points
 * are catalog PointBuffers. The catalog's file-ledger change removes it; then delete it here and in
 * eslint.config.js.
 */
const SRC = path.join(REPO, 'src');
// The table eslint.config.js enforces on static imports; here it is checked on every import.
const { SRC_LAYERS } = (await import(pathToFileURL(path.join(REPO, 'eslint.config.js')).href)) as { SRC_LAYERS: Record<string, string[]> };


/** Writes a small tree of modules: path → source. */
function tree(files: Record<string, string>): string {
  const root = tempDir();
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('the import graph', () => {
  it('sees static, dynamic, re-exported and type-only imports', () => {
    const refs = importsOf(
      'x.ts',
      `import a from './a.js';
       import type { B } from './b.js';
       import { type C, type D } from './c.js';
       import { type E, f } from './e.js';
       export * from './g.js';
       export type { H } from './h.js';
       const i = () => import('./i.js');
       type J = typeof import('./j.js');
       import 'node:fs';
       // import('./not-code.js') in a comment
       const s = "import('./not-code-either.js')";`,
    );
    expect(refs).toEqual([
      { specifier: './a.js', typeOnly: false },
      { specifier: './b.js', typeOnly: true },
      { specifier: './c.js', typeOnly: true },
      { specifier: './e.js', typeOnly: false },
      { specifier: './g.js', typeOnly: false },
      { specifier: './h.js', typeOnly: true },
      { specifier: './i.js', typeOnly: false },
      { specifier: './j.js', typeOnly: true },
      { specifier: 'node:fs', typeOnly: false },
    ]);
  });

  it('finds a cycle between folders, through any number of them, and names the imports in it', () => {
    const root = tree({
      'a/one.ts': "import { two } from '../b/two.js';",
      'b/two.ts': "export const two = () => import('../c/three.js');",
      'c/three.ts': "import type { One } from '../a/sub/one.js';",
      'a/sub/one.ts': 'export type One = 1;',
      'd/four.ts': "import '../a/one.js';",
      'core.ts': "import '../outside.js'; import './d/four.js';",
    });
    expect(folderCycles(importGraph(root))).toEqual([['a/one.ts → b/two.ts', 'b/two.ts → c/three.ts', 'c/three.ts → a/sub/one.ts (type)']]);
    expect(cycles(new Map([['x', ['y']], ['y', ['x']], ['z', ['z']]]))).toEqual([['x', 'y']]);
  });

  it('finds no cycle in a tree whose folders point one way, however the files inside a folder import each other', () => {
    const root = tree({
      'a/one.ts': "import '../b/two.js'; import './sub/x.js';",
      'a/sub/x.ts': "import '../one.js';",
      'b/two.ts': "import '../c/three.js';",
      'c/three.ts': '',
    });
    expect(folderCycles(importGraph(root))).toEqual([]);
  });

  it('checks imports against a layer table, type-only entries included', () => {
    const root = tree({
      'low/x.ts': '',
      'mid/y.ts': "import type { X } from '../low/x.js'; import '../low/x.js';",
      'high/z.ts': "import type { X } from '../low/x.js'; import '../mid/y.js'; const l = () => import('../low/x.js');",
    });
    const edges = importGraph(root);
    expect(layerViolations(edges, { low: [], mid: ['type:low'], high: ['mid', 'type:low/x'] })).toEqual([
      'high/z.ts → low/x.ts',
      'mid/y.ts → low/x.ts',
    ]);
  });
});

describe('the folders of src/', () => {
  const edges = importGraph(SRC);

  it('import each other without cycles', () => {
    expect(folderCycles(edges), 'folders of src/ that import each other: point the imports one way (README, Architecture)').toEqual([]);
  });

  it('each have a layer in eslint.config.js, and import only what their layer allows', () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(Object.keys(SRC_LAYERS).filter((f) => f !== '.').sort(), 'SRC_LAYERS in eslint.config.js lists every folder of src/').toEqual(folders.sort());
    const forbidden = layerViolations(edges, SRC_LAYERS);
    expect(forbidden, 'imports the layers of src/ forbid (SRC_LAYERS in eslint.config.js)').toEqual([]);
    expect(cycles(new Map(Object.entries(SRC_LAYERS).map(([f, to]) => [f, to.map((t) => t.replace(/^type:/, '').split('/')[0])]))), 'the layer table itself').toEqual([]);
  });
});
