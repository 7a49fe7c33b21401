/**
 * A tiny hash router: `#/runs`, `#/runs/<id>[/<tab>]`, `#/problems`. Hash URLs work the same under
 * Electron's custom protocol and the HTTP server, and need no server-side fallback route.
 */
import { useMemo, useSyncExternalStore } from 'react';

/** `notebook` (the read-only rendering) is shown for notebook runs only. */
export const RUN_TABS = ['overview', 'notebook', 'charts', 'files', 'problems'] as const;
export type RunTab = (typeof RUN_TABS)[number];

export type Route =
  | { view: 'runs' }
  | { view: 'run'; id: string; tab: RunTab }
  | { view: 'problems' }
  /** `#/compare?runs=<id>,<id>`: the runs side by side, in the order given. */
  | { view: 'compare'; ids: string[] };

/** The ids of `#/compare?runs=a,b,c`, in order, without duplicates or empty entries. */
function compareIds(query: string): string[] {
  const runs = new URLSearchParams(query).get('runs') ?? '';
  return [...new Set(runs.split(',').map((s) => s.trim()).filter(Boolean))];
}

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'compare') return { view: 'compare', ids: compareIds(query) };
  if (parts[0] === 'problems') return { view: 'problems' };
  if (parts[0] === 'runs' && parts[1]) {
    const tab = RUN_TABS.find((t) => t === parts[2]) ?? 'overview';
    return { view: 'run', id: decodeURIComponent(parts[1]), tab };
  }
  return { view: 'runs' };
}

export function hrefFor(route: Route): string {
  switch (route.view) {
    case 'runs':
      return '#/runs';
    case 'problems':
      return '#/problems';
    case 'compare':
      // Ids are hex, so commas stay readable in the URL; anything else is escaped.
      return `#/compare?runs=${route.ids.map(encodeURIComponent).join(',')}`;
    case 'run': {
      const base = `#/runs/${encodeURIComponent(route.id)}`;
      return route.tab === 'overview' ? base : `${base}/${route.tab}`;
    }
  }
}

export function navigate(route: Route, { replace = false } = {}): void {
  const href = hrefFor(route);
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  // pushState does not fire hashchange; tell subscribers ourselves.
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
  };
}

/** The current hash, re-rendering on change; parse with parseRoute. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return useMemo(() => parseRoute(hash), [hash]);
}
