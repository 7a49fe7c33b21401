/**
 * The import graph of a source tree, read with TypeScript's own parser: static and dynamic imports,
 * re-exports, `import type` and `typeof import(...)` alike. Folders of src/ are its first path segment
 * ('.' for the files directly in src/); a folder cycle is a strongly connected group of folders.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportRef {
  specifier: string;
  /** Erased at compile time: `import type`, only type specifiers, or a type position (`typeof import(...)`). */
  typeOnly: boolean;
}

/** An import between two modules of the tree, as paths relative to its root ('/'-separated). */
export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const SOURCE = /\.(ts|mts|cts|mjs|js|cjs)$/;

/** Every module specifier `text` imports. */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const out: ImportRef[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      out.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) out.push({ specifier: arg.text, typeOnly: false });
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) out.push({ specifier: arg.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** The file a relative specifier names (`./x.js` may be x.ts), relative to `root`; null if outside it. */
function resolve(root: string, fromFile: string, specifier: string): string | null {
  const target = path.resolve(path.dirname(fromFile), specifier);
  const rel = path.relative(root, target);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), `${target}.ts`, path.join(target, 'index.ts')];
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? target;
  return path.relative(root, found).split(path.sep).join('/');
}

/** Every relative import between modules under `root` (imports of packages and of files outside it are left out). */
export function importGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !SOURCE.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const from = path.relative(root, file).split(path.sep).join('/');
    for (const ref of importsOf(file, fs.readFileSync(file, 'utf8'))) {
      if (!ref.specifier.startsWith('.')) continue;
      const to = resolve(root, file, ref.specifier);
      if (to !== null) edges.push({ from, to, typeOnly: ref.typeOnly });
    }
  }
  return edges;
}

/** The folder of src/ a module is in: its first path segment, or '.' for a file directly in src/. */
export function folderOf(module: string): string {
  const i = module.indexOf('/');
  return i < 0 ? '.' : module.slice(0, i);
}

/** Imports that cross from one folder to another, grouped as folder → folder → the imports making that link. */
export function folderLinks(edges: ImportEdge[]): Map<string, Map<string, ImportEdge[]>> {
  const links = new Map<string, Map<string, ImportEdge[]>>();
  for (const e of edges) {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b) continue;
    if (!links.has(a)) links.set(a, new Map());
    const to = links.get(a)!;
    if (!to.has(b)) to.set(b, []);
    to.get(b)!.push(e);
  }
  return links;
}

/** Groups of nodes that reach each other (Tarjan's strongly connected components of more than one node), sorted. */
export function cycles(graph: Map<string, Iterable<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const strongConnect = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) strongConnect(v);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The folder cycles of `edges`, each as one line per import inside the cycle ("catalog/a.ts → index/b.ts"). */
export function folderCycles(edges: ImportEdge[]): string[][] {
  const links = folderLinks(edges);
  const graph = new Map([...links].map(([a, to]) => [a, [...to.keys()]]));
  return cycles(graph).map((group) => {
    const lines: string[] = [];
    for (const a of group) {
      for (const [b, imports] of links.get(a) ?? []) {
        if (group.includes(b)) lines.push(...imports.map((e) => `${e.from} → ${e.to}${e.typeOnly ? ' (type)' : ''}`));
      }
    }
    return lines.sort();
  });
}

/**
 * Imports that a layer table (folder → what it may import; `type:X` for types only, X a folder or a
 * module as folder/name without extension) does not allow.
 */
export function layerViolations(edges: ImportEdge[], layers: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const from = folderOf(e.from);
    const to = folderOf(e.to);
    if (from === to) continue;
    const allowed = layers[from] ?? [];
    const module = e.to.replace(SOURCE, '');
    const ok =
      allowed.includes(to) || (e.typeOnly && (allowed.includes(`type:${to}`) || allowed.includes(`type:${module}`)));
    if (!ok) out.push(`${e.from} → ${e.to}${e.typeOnly ? ' (type)' : ''}`);
  }
  return out.sort();
}
