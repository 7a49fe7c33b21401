/**
 * Text from the catalog (folder, run, param and metric names, problem messages) comes from indexed
 * folders, so it may hold terminal escapes: ESC sequences that recolour, retitle or rewrite the
 * screen, C1 controls, and bidi overrides that make a name read as another. Human-readable output
 * shows them escaped, the way JSON would; `--json` output is already escaped by JSON.stringify.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** One line of output: every control character, newlines included, shown as an escape. */
export function safeText(value: unknown): string {
  return String(value).replace(UNSAFE, escapeChar);
}

/** Several lines of output (an error message, say): lines are kept, everything else is escaped. */
export function safeLines(value: unknown): string {
  return String(value).split('\n').map(safeText).join('\n');
}

/** Control characters as `?`, one for one, so that positions in the text stay where they were. */
export function maskControls(value: string): string {
  return value.replace(UNSAFE, '?');
}
