/** The first Tab stop: past the top bar and sidebar straight to the runs table's current row. */
import { hrefFor } from '../router';
import { focusRuns } from './runs-focus';

export function SkipLink() {
  return (
    <a
      className="ld-skip-link"
      href={hrefFor({ view: 'runs' })}
      onClick={(e) => {
        e.preventDefault();
        focusRuns();
      }}
    >
      Skip to runs
    </a>
  );
}
