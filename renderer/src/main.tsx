import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '@mantine/core/styles.css';
import './styles.css';
import { App } from './App';
import { prefetchRunsView } from './queries';
import { parseRoute } from './router';
import { storedGroupBy, storedSort } from './runs-session';
import { DEFAULT_COLOR_SCHEME, theme } from './theme';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The catalog is local and pushes change events: no need to refetch on focus or retry hard.
      refetchOnWindowFocus: false,
      retry: 1,
      staleTime: 30_000,
    },
  },
});

/** How long the first render waits for the first screen's data before it shows the app anyway. */
const FIRST_DATA_WAIT_MS = 400;

const firstData =
  parseRoute(location.hash).view === 'runs' ? prefetchRunsView(queryClient, storedSort(), storedGroupBy()) : Promise.resolve();
await Promise.race([firstData, new Promise((resolve) => setTimeout(resolve, FIRST_DATA_WAIT_MS))]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme={DEFAULT_COLOR_SCHEME}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
