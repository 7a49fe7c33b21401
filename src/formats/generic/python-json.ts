import { parseJsonBounded } from '../util/safe-parse.js';

/**
 * JSON as Python's `json.dump` writes it: like JSON, but floats may be the bare tokens `NaN`,
 * `Infinity` and `-Infinity` (a diverged loss is the common case). Those become JS numbers.
 * Nesting is bounded and errors give a position, never the file's text (see safe-parse).
 */
export function parsePythonJson(text: string): { value: unknown } | { error: string } {
  return parseJsonBounded(text);
}
