/**
 * A tiny hash router: `#/runs`, `#/runs/<id>[/<tab>]`, `#/problems`. Hash URLs work the same under
 * Electron's custom protocol and the HTTP server, and need no server-side fallback route.
 */
import { useMemo, useSyncExternalStore } from 'react';

export const RUN_TABS = ['overview', 'charts', 'files', 'problems'] as const;
export type RunTab = (typeof RUN_TABS)[number];

export type Route =
  | { view: 'runs' }
  | { view: 'run'; id: string; tab: RunTab }
  | { view: 'problems' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
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
