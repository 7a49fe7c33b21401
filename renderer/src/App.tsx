/** The frame: sidebar, top bar with search, the routed view, status bar; plus app-wide behaviour. */
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { AppShell, Center, Loader } from '@mantine/core';
import { useDebouncedValue, useDisclosure, useHotkeys } from '@mantine/hooks';
import { AddFolderProvider } from './components/AddFolderDialog';
import { FolderDrop } from './components/FolderDrop';
import { Sidebar } from './components/Sidebar';
import { SkipLink } from './components/SkipLink';
import { StatusBar } from './components/StatusBar';
import { TopBar } from './components/TopBar';
import { compareSelection } from './compare-selection';
import { onApplySavedView } from './saved-views';
import { useLiveUpdates } from './queries';
import { navigate, useRoute } from './router';
import { RunsView } from './views/RunsView';

// The runs table is the first screen: the other views (and Markdown, the compare charts) load when
// first opened, so a start or reload parses a third less script before the table shows.
const RunView = lazy(() => import('./views/RunView').then((m) => ({ default: m.RunView })));
const ProblemsView = lazy(() => import('./views/ProblemsView').then((m) => ({ default: m.ProblemsView })));
const CompareView = lazy(() => import('./views/CompareView').then((m) => ({ default: m.CompareView })));

const viewLoading = (
  <Center h="100%">
    <Loader size="sm" aria-label="Loading view" />
  </Center>
);

export function App() {
  const route = useRoute();
  const [search, setSearch] = useState('');
  // The server parses the query; debouncing keeps it from re-running on every keystroke.
  const [query] = useDebouncedValue(search.trim(), 250);
  const searchRef = useRef<HTMLInputElement>(null);
  const [sidebarOpen, sidebar] = useDisclosure(true);
  useLiveUpdates();
  useEffect(() => onApplySavedView((view) => setSearch(view.query)), []);

  useHotkeys([
    ['/', () => searchRef.current?.focus()],
    ['c', compareSelection],
  ]);

  // Searching is about runs: typing from another view brings the runs table back.
  useEffect(() => {
    if (query && route.view !== 'runs') navigate({ view: 'runs' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  return (
    <AddFolderProvider>
      <AppShell
        header={{ height: 48 }}
        footer={{ height: 28 }}
        navbar={{ width: { base: 200, md: 248 }, breakpoint: 0, collapsed: { desktop: !sidebarOpen, mobile: !sidebarOpen } }}
        padding={0}
      >
        <AppShell.Header>
          {route.view === 'runs' && <SkipLink />}
          <TopBar
            search={search}
            onSearchChange={setSearch}
            searchRef={searchRef}
            sidebarOpen={sidebarOpen}
            onToggleSidebar={sidebar.toggle}
          />
        </AppShell.Header>
        <AppShell.Navbar aria-label="Sidebar">
          <Sidebar route={route} />
        </AppShell.Navbar>
        <AppShell.Main
          style={{
            height: '100dvh',
            display: 'flex',
            flexDirection: 'column',
            // The runs table and the compare view scroll their own panes.
            overflow: route.view === 'runs' || route.view === 'compare' ? 'hidden' : 'auto',
          }}
        >
          <div style={{ flex: 1, minHeight: 0 }}>
            {route.view === 'runs' && <RunsView query={query} onClearQuery={() => setSearch('')} />}
            <Suspense fallback={viewLoading}>
              {route.view === 'run' && <RunView key={route.id} id={route.id} tab={route.tab} />}
              {route.view === 'problems' && <ProblemsView />}
              {route.view === 'compare' && <CompareView ids={route.ids} />}
            </Suspense>
          </div>
        </AppShell.Main>
        <AppShell.Footer aria-label="Status bar">
          <StatusBar />
        </AppShell.Footer>
      </AppShell>
      <FolderDrop />
    </AddFolderProvider>
  );
}
