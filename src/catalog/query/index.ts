/**
 * The runs query language: lexer → parser → SQL. See README "Searching runs" for the syntax.
 *
 *   metrics.val_acc > 0.9 and params.optimizer = 'adam'      MLflow's search_runs filters
 *   (status = 'FAILED' or status = 'KILLED') and not resnet   plus OR, NOT, parentheses, free text
 */
import { compileQuery } from './compile.js';
import { parseQuery } from './parser.js';

export { compileQuery, likeToGlob, type CompiledQuery } from './compile.js';
export { parseQuery, type Comparator, type Literal, type QueryNode } from './parser.js';
export { ATTRIBUTES, type Field } from './fields.js';
export { ftsMatchExpression } from './search-index.js';

/** The WHERE terms (over RUN_FROM) selecting the runs a query matches, and their bound values. */
export interface RunFilter {
  where: string[];
  bind: Record<string, unknown>;
}

/**
 * Parses and compiles a query, throwing a QueryError for a malformed one. Archived runs are left out
 * unless `includeArchived`, or the query compares `attributes.archived` itself.
 */
export function runFilter(query: string | undefined, includeArchived = false): RunFilter {
  const compiled = compileQuery(parseQuery(query ?? ''));
  const where = compiled.where ? [compiled.where] : [];
  if (!includeArchived && !compiled.attributes.has('archived')) where.push('COALESCE(a.archived, 0) = 0');
  return { where, bind: compiled.bind };
}
