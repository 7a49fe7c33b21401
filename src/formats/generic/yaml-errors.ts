/** One problem per file: the first parse error (later ones are usually its echoes) and how many more. */
export function yamlErrorText(errors: string[]): string {
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return `${errors[0].replace(/:\s*$/, '')}${more}; the settings before it were kept`;
}
