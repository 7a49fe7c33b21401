import { flattenObject, flattenYamlParams, type FlatParams } from '../util/params.js';
import { parsePythonJson } from './python-json.js';

/**
 * Flattens a JSON config file into dotted params, keeping numbers as written (`48.0` stays `48.0`,
 * as in the Python that wrote it, rather than JS's `48`). JSON is YAML, so the YAML flattener keeps
 * the source text; Python's bare `NaN`/`Infinity` come through as text too.
 */
export function flattenJsonParams(text: string): { params: FlatParams } | { error: string } {
  const parsed = parsePythonJson(text);
  if ('error' in parsed) return { error: parsed.error };
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'the top level is not an object of settings' };
  }
  // YAML refuses a few things JSON allows (keys over 1024 characters, for one): fall back to the parsed value.
  const { params, errors } = flattenYamlParams(text);
  if (errors.length === 0) return { params };
  return { params: flattenObject(value) };
}
