/** Home: every run in the catalog, filtered by the search box, sorted by the server. */
import { useSessionStorage } from '@mantine/hooks';
import { Alert, Button, Group, Loader, Select, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconFolderSearch, IconSearchOff } from '@tabler/icons-react';
import type { GroupBy, RunSort } from '../../../src/api/contract';
import { ApiError } from '../api-client';
import { EmptyState, NoSourcesState } from '../components/EmptyState';
import { useEffect } from 'react';
import { ColumnChooser, useColumnPrefs } from '../components/ColumnChooser';
import { SaveViewButton } from '../components/SaveViewButton';
import { columnsFromPrefs, DEFAULT_SORT, onApplySavedView, prefsFromColumns, takePendingView } from '../saved-views';
import { RunsTable } from '../components/RunsTable';
import { plural } from '../format';
import { useRoots, useRunKeys, useRunWindow } from '../queries';
import { navigate } from '../router';


const SORT_LABELS: Record<string, string> = {
  name: 'name',
  experiment: 'experiment',
  format: 'format',
  status: 'status',
  startTime: 'start time',
  durationSeconds: 'duration',
};

/** The sorted column may be scrolled out of view, so the toolbar says what the order is. */
function describeSort({ column, direction }: RunSort): string {
  const metric = /^metrics\.(.+?)(?::(min|max))?$/.exec(column);
  const label =
    SORT_LABELS[column] ??
    (column.startsWith('params.') ? `param ${column.slice(7)}` : metric ? `${metric[2] ?? 'last'} ${metric[1]}` : column);
  const order =
    column === 'startTime' ? (direction === 'desc' ? 'newest first' : 'oldest first') : direction === 'asc' ? 'ascending' : 'descending';
  return `sorted by ${label}, ${order}`;
}

/** The query with the part the parser names underlined, as an editor marks a syntax error. */
function QuerySpan({ query, at }: { query: string; at: { start: number; end: number } }) {
  const end = Math.max(at.end, at.start + 1);
  return (
    <Text size="sm" className="ld-mono" mb={6} style={{ whiteSpace: 'pre-wrap' }} aria-label={`Query: ${query}`}>
      {query.slice(0, at.start)}
      <mark className="ld-query-error">{query.slice(at.start, end) || ' '}</mark>
      {query.slice(end)}
    </Text>
  );
}

export function RunsView({ query, onClearQuery }: { query: string; onClearQuery: () => void }) {
  // Kept for the session so coming back from a run shows the same order.
  const [sort, setSort] = useSessionStorage<RunSort>({
    key: 'labdesk.runs.sort',
    defaultValue: DEFAULT_SORT,
    getInitialValueInEffect: false,
  });
  const [prefs, setPrefs] = useColumnPrefs();
  const [groupBy, setGroupBy] = useSessionStorage<GroupBy | null>({
    key: 'labdesk.runs.groupBy',
    defaultValue: null,
    getInitialValueInEffect: false,
  });
  const runKeys = useRunKeys();
  const groupOptions = [
    { group: 'Run', items: [{ value: 'experiment', label: 'Experiment' }, { value: 'format', label: 'Format' }, { value: 'status', label: 'Status' }] },
    { group: 'Params', items: (runKeys.data?.paramKeys ?? []).map((k) => ({ value: `params.${k}`, label: k })) },
    { group: 'Tags', items: (runKeys.data?.tagKeys ?? []).map((k) => ({ value: `tags.${k}`, label: k })) },
  ].filter((g) => g.items.length);
  const roots = useRoots();
  // Same cache entry as the grid's first page: no extra request, just the totals.
  const head = useRunWindow(query, sort, 0, 0);
  const { paramKeys, metricKeys } = head;
  const keysLoaded = head.total !== undefined;
  useEffect(() => {
    // The view's columns are read against the catalog's keys: wait for them.
    if (!keysLoaded) return;
    const take = () => {
      const view = takePendingView();
      if (!view) return;
      setSort(view.sort ?? DEFAULT_SORT);
      setPrefs(prefsFromColumns(view.columns, paramKeys, metricKeys));
    };
    take();
    return onApplySavedView(take);
  }, [keysLoaded, paramKeys, metricKeys, setSort, setPrefs]);

  if (roots.data?.length === 0 && !head.total) return <NoSourcesState />;

  if (head.error) {
    return (
      <Stack p="md" maw={720}>
        <Alert
          color="red"
          icon={<IconAlertCircle size={18} />}
          title={head.error instanceof ApiError && head.error.name === 'QueryError' ? 'This search has a mistake' : 'Could not list runs'}
          role="alert"
        >
          {head.error instanceof ApiError && head.error.at && <QuerySpan query={query} at={head.error.at} />}
          <Text size="sm">{head.error.message}</Text>
          {query && (
            <Button mt="sm" size="xs" variant="default" onClick={onClearQuery}>
              Clear search
            </Button>
          )}
        </Alert>
      </Stack>
    );
  }

  if (head.total === 0 && !head.isPlaceholder) {
    if (query) {
      return (
        <EmptyState
          icon={<IconSearchOff size={26} />}
          title="No runs match this search"
          action={
            <Button variant="default" onClick={onClearQuery}>
              Clear search
            </Button>
          }
        >
          <Text c="dimmed">
            Nothing in the catalog matches <span className="ld-mono">{query}</span>. Try fewer or
            shorter words, or clear the search to see every run.
          </Text>
        </EmptyState>
      );
    }
    const indexing = roots.data?.some((r) => r.status === 'indexing');
    return (
      <EmptyState
        icon={indexing ? <Loader size={22} /> : <IconFolderSearch size={26} />}
        title={indexing ? 'Reading your folders…' : 'No runs found yet'}
      >
        <Text c="dimmed">
          {indexing
            ? 'Runs appear here as soon as they are read.'
            : 'Labdesk found no runs it can read in your folders. Check Problems for files it could not read, or add another folder.'}
        </Text>
      </EmptyState>
    );
  }

  return (
    <Stack gap={0} h="100%">
      <Group px="md" py={6} gap="sm" justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed" aria-live="polite">
          {head.total === undefined
            ? 'Loading runs…'
            : `${query ? `${plural(head.total, 'run')} match` : plural(head.total, 'run')} · ${describeSort(sort)}`}
        </Text>
        <Group gap="xs" wrap="nowrap">
          {head.isFetching && <Loader size={14} aria-label="Updating" />}
          <Select
            size="xs"
            w={180}
            aria-label="Group by"
            placeholder="Group by…"
            data={groupOptions}
            value={groupBy}
            onChange={(v) => setGroupBy(v as GroupBy | null)}
            clearable
            searchable
            comboboxProps={{ width: 260, position: 'bottom-end' }}
          />
          <ColumnChooser paramKeys={paramKeys} metricKeys={metricKeys} prefs={prefs} onChange={setPrefs} />
          <SaveViewButton query={query} sort={sort} columns={columnsFromPrefs(prefs, paramKeys, metricKeys)} />
        </Group>
      </Group>
      <div style={{ flex: 1, minHeight: 0 }}>
        <RunsTable
          query={query}
          sort={sort}
          onSortChange={setSort}
          onOpen={(id) => navigate({ view: 'run', id, tab: 'overview' })}
          prefs={prefs}
          groupBy={groupBy}
        />
      </div>
    </Stack>
  );
}
