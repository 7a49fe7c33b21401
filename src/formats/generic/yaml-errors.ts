import type { YamlParamsResult } from '../util/params.js';

/** The one problem a YAML params file gives (refused unread, or its first syntax error); null when none. */
export function yamlParamsProblem(name: string, result: YamlParamsResult): string | null {
  if (result.refused) return `${name}: ${result.refused}`;
  return result.errors.length ? `${name} is not valid YAML: ${yamlErrorText(result.errors)}` : null;
}

/** One problem per file: the first parse error (later ones are usually its echoes) and how many more. */
export function yamlErrorText(errors: string[]): string {
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return `${errors[0].replace(/:\s*$/, '')}${more}; the settings before it were kept`;
}
