import type { ErrorCode, YAMLError } from 'yaml';

/*
 * Parse errors of indexed files, worded for the problems list by position only. Parsers' own
 * messages quote the text around the fault, and a file reached through a link may be anyone's
 * secrets: nothing from the file itself goes into these sentences.
 */

const YAML_FAULTS: Partial<Record<ErrorCode, string>> = {
  ALIAS_PROPS: 'an alias with an anchor or tag',
  BAD_ALIAS: 'a malformed alias',
  BAD_DIRECTIVE: 'a malformed directive',
  BAD_DQ_ESCAPE: 'a bad escape in a double-quoted string',
  BAD_INDENT: 'bad indentation',
  BAD_PROP_ORDER: 'an anchor or tag in the wrong place',
  BAD_SCALAR_START: 'a value that cannot start with this character',
  BLOCK_AS_IMPLICIT_KEY: 'a nested block used as a key',
  BLOCK_IN_FLOW: 'a block value inside brackets',
  DUPLICATE_KEY: 'a duplicate key',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
  MISSING_CHAR: 'a missing closing character',
  MULTILINE_IMPLICIT_KEY: 'a key spread over several lines',
  MULTIPLE_ANCHORS: 'several anchors on one value',
  MULTIPLE_DOCS: 'more than one document',
  MULTIPLE_TAGS: 'several tags on one value',
  NON_STRING_KEY: 'a key that is not text',
  RESOURCE_EXHAUSTION: 'too many alias expansions',
  TAB_AS_INDENT: 'a tab used for indentation',
  TAG_RESOLVE_FAILED: 'a value that does not match its tag',
  UNEXPECTED_TOKEN: 'an unexpected token',
  BAD_COLLECTION_TYPE: 'a collection of the wrong kind for its tag',
};

/** A YAML syntax error as "what at line L, column C". */
export function describeYamlError(error: YAMLError): string {
  const what = YAML_FAULTS[error.code] ?? 'a syntax error';
  const at = error.linePos?.[0];
  return at ? `${what} at line ${at.line}, column ${at.col}` : what;
}

/** Where JSON text (Python's NaN/Infinity allowed) first breaks, as "what at line L, column C". */
export function describeJsonError(text: string): string {
  if (text.trim() === '') return 'the file is empty';
  const fault = locateJsonFault(text);
  if (!fault) return 'a syntax error (position unknown)';
  const before = text.slice(0, fault.at);
  const line = before.split('\n').length;
  const col = fault.at - (before.lastIndexOf('\n') + 1) + 1;
  return `${fault.what} at line ${line}, column ${col}`;
}

type State = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'done';

const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity/y;

/** The first fault of JSON text, found without recursion; null when it has none. */
function locateJsonFault(text: string): { at: number; what: string } | null {
  const stack: string[] = [];
  let state: State = 'value';
  let i = 0;
  const after = (): State => (stack.length ? 'commaOrClose' : 'done');
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
    if (i >= text.length) return state === 'done' ? null : { at: i, what: 'the text ends early (cut off?)' };
    const c = text[i];
    if (state === 'done') return { at: i, what: 'more text after the end of the JSON value' };
    if (state === 'commaOrClose') {
      const open = stack[stack.length - 1];
      const close = open === '{' ? '}' : ']';
      if (c === ',') state = open === '{' ? 'key' : 'value';
      else if (c === close) stack.pop();
      else return { at: i, what: `a "," or "${close}" is missing` };
      i++;
      if (c === close) state = after();
      continue;
    }
    if (state === 'colon') {
      if (c !== ':') return { at: i, what: 'a ":" is missing after a key' };
      i++;
      state = 'value';
      continue;
    }
    if ((state === 'valueOrClose' && c === ']') || (state === 'keyOrClose' && c === '}')) {
      stack.pop();
      i++;
      state = after();
      continue;
    }
    if (state === 'key' || state === 'keyOrClose') {
      if (c !== '"') return { at: i, what: 'a key that is not a quoted string' };
      const fault = skipString();
      if (fault) return fault;
      state = 'colon';
      continue;
    }
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      state = c === '{' ? 'keyOrClose' : 'valueOrClose';
      continue;
    }
    if (c === '"') {
      const fault = skipString();
      if (fault) return fault;
    } else {
      LITERAL.lastIndex = i;
      const m = LITERAL.exec(text);
      if (!m) return { at: i, what: 'an unexpected character where a value should be' };
      i += m[0].length;
    }
    state = after();
  }

  function skipString(): { at: number; what: string } | null {
    const start = i;
    for (let j = i + 1; j < text.length; j++) {
      const ch = text.charCodeAt(j);
      if (ch === 0x22) {
        i = j + 1;
        return null;
      }
      if (ch < 0x20) return { at: j, what: 'a control character (a raw line break?) inside a string' };
      if (ch === 0x5c) {
        const esc = text[j + 1];
        if (esc === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6)) : !'"\\/bfnrt'.includes(esc ?? 'x')) {
          return { at: j, what: 'a bad escape in a string' };
        }
        j += esc === 'u' ? 5 : 1;
      }
    }
    return { at: start, what: 'a string that is never closed (cut off?)' };
  }
}
