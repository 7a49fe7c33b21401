import { navigate } from './router';
import { getSelection } from './selection';

/** Opens the compare view for the selected runs (two or more), in the order they were picked. */
export function compareSelection(): void {
  const ids = [...getSelection().keys()];
  if (ids.length >= 2) navigate({ view: 'compare', ids });
}
