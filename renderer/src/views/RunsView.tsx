/** Home: every run in the catalog, filtered by the search box, sorted by the server. */
import { useSessionStorage } from '@mantine/hooks';
import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconFolderSearch, IconSearchOff } from '@tabler/icons-react';
import type { GroupBy, RunKeys, RunSort } from '../../../src/api/contract';
import { ApiError } from '../api-client';
import { EmptyState, NoSourcesState } from '../components/EmptyState';
import { useEffect, useState } from 'react';
import { unknownKeys } from '../components/search/no-match';
import { reportQueryProblem } from '../components/search/query-problem';
import { ColumnChooser, useColumnPrefs } from '../components/ColumnChooser';
import { GroupBySelect } from '../components/GroupBySelect';
import { useDefaultColumns } from '../components/column-defaults';
import { SaveViewButton } from '../components/SaveViewButton';
import { columnsFromPrefs, DEFAULT_SORT, onApplySavedView, prefsFromColumns, takePendingView } from '../saved-views';
import { RunsTable } from '../components/RunsTable';
import { plural } from '../format';
import { useAddRoot, useRoots, useRunKeys, useRunWindow } from '../queries';
import { navigate } from '../router';
import { GROUP_BY_KEY, SORT_KEY } from '../runs-session';


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

const openRun = (id: string) => navigate({ view: 'run', id, tab: 'overview' });

export function RunsView({ query, onClearQuery }: { query: string; onClearQuery: () => void }) {
  // Kept for the session so coming back from a run shows the same order.
  const [sort, setSort] = useSessionStorage<RunSort>({
    key: SORT_KEY,
    defaultValue: DEFAULT_SORT,
    getInitialValueInEffect: false,
  });
  const [prefs, setPrefs] = useColumnPrefs();
  const [groupBy, setGroupBy] = useSessionStorage<GroupBy | null>({
    key: GROUP_BY_KEY,
    defaultValue: null,
    getInitialValueInEffect: false,
  });
  const runKeys = useRunKeys();
  const roots = useRoots();
  const reindex = useAddRoot();
  // Same cache entry as the grid's first page: no extra request, just the totals.
  const typed = useRunWindow(query, sort, 0, 0);
  const queryError = typed.error instanceof ApiError && typed.error.name === 'QueryError' ? typed.error : null;
  // A half-typed query is usually malformed: the table keeps the last good query's runs meanwhile,
  // and the search box shows the mistake (after a pause) from what is reported here.
  const [lastGood, setLastGood] = useState(query);
  const typedOk = typed.total !== undefined && !typed.isPlaceholder && !typed.error;
  // Adjusted while rendering (React's pattern for state derived from a change), not in an effect.
  if (typedOk && lastGood !== query) setLastGood(query);
  useEffect(() => {
    if (queryError) reportQueryProblem({ query, message: queryError.message, at: queryError.at });
    else if (typedOk) reportQueryProblem(null);
  }, [query, queryError, typedOk]);
  const shown = queryError ? lastGood : query;
  const head = useRunWindow(shown, sort, 0, 0);
  const { paramKeys, metricKeys } = head;
  const keysLoaded = head.total !== undefined;
  const defaultColumns = useDefaultColumns(shown, head.page, keysLoaded && !head.isPlaceholder, paramKeys, metricKeys);
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

  // A malformed query is shown in the search box; only a failure to list runs at all replaces the table.
  const listError = head.error ?? (queryError ? null : typed.error);
  if (listError) {
    return (
      <Stack p="md" maw={720}>
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="Could not list runs" role="alert">
          <Text size="sm">{listError.message}</Text>
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
    if (shown) return <NoMatchState query={shown} keys={runKeys.data} onClearQuery={onClearQuery} />;
    // Which empty state it is depends on the folders: wait for them rather than flash the wrong one.
    if (!roots.data) return null;
    const indexing = roots.data?.some((r) => r.status === 'indexing');
    const stopped = indexing ? [] : (roots.data ?? []).filter((r) => r.status === 'stopped');
    return (
      <EmptyState
        icon={indexing ? <Loader size={22} /> : <IconFolderSearch size={26} />}
        title={indexing ? 'Reading your folders…' : stopped.length ? 'Indexing was stopped' : 'No runs found yet'}
        action={
          stopped.length > 0 && (
            <Button variant="default" loading={reindex.isPending} onClick={() => stopped.forEach((r) => reindex.mutate({ path: r.path, confirm: true }))}>
              Index again
            </Button>
          )
        }
      >
        <Text c="dimmed">
          {indexing
            ? 'Runs appear here as soon as they are read.'
            : stopped.length
              ? 'A cancelled pass keeps the catalog as it was before it. Index the folder again to read it (also in its menu under Sources).'
              : 'Labdesk found no runs it can read in your folders. Check Problems for files it could not read, or add another folder.'}
        </Text>
      </EmptyState>
    );
  }

  return (
    <Stack gap={0} h="100%">
      <Group px="md" py={6} gap="sm" justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed" aria-live="polite" truncate="end" miw={0}>
          {head.total === undefined
            ? 'Loading runs…'
            : `${shown ? `${plural(head.total, 'run')} match` : plural(head.total, 'run')} · ${describeSort(sort)}`}
        </Text>
        <Group gap="xs" wrap="nowrap">
          {head.isFetching && <Loader size={14} aria-label="Updating" />}
          <GroupBySelect keys={runKeys.data} value={groupBy} onChange={setGroupBy} />
          <ColumnChooser paramKeys={paramKeys} metricKeys={metricKeys} prefs={prefs} defaults={defaultColumns} onChange={setPrefs} />
          <SaveViewButton query={shown} sort={sort} columns={columnsFromPrefs(prefs, paramKeys, metricKeys, defaultColumns)} />
        </Group>
      </Group>
      {queryError && (
        <Text size="xs" c="dimmed" px="md" pb={4} truncate="end" role="status">
          {`The search has a mistake: showing ${shown ? `the runs of the last good search, ${shown}` : 'every run'}, until it is fixed.`}
        </Text>
      )}
      <div style={{ flex: 1, minHeight: 0 }}>
        <RunsTable
          query={shown}
          sort={sort}
          onSortChange={setSort}
          onOpen={openRun}
          prefs={prefs}
          defaults={defaultColumns}
          groupBy={groupBy}
        />
      </div>
    </Stack>
  );
}

/**
 * A search that matched nothing, explained: the keys it names that no run has (with the nearest
 * key that exists), or, when every key exists, that the terms together exclude every run.
 */
function NoMatchState({ query, keys, onClearQuery }: { query: string; keys: RunKeys | undefined; onClearQuery: () => void }) {
  const unknown = keys ? unknownKeys(query, keys) : [];
  const structured = /\b(params?|parameters?|metrics?|tags?|attributes?)\.|[=<>]|\b(IS|LIKE|IN)\b/i.test(query);
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
      {unknown.length > 0 ? (
        <Stack gap={4} aria-label="Why nothing matched">
          {unknown.map((u) => (
            <Text key={u.term} className="ld-mono">
              {`No run has ${u.term}${u.suggestion ? ` — did you mean ${u.suggestion}?` : '.'}`}
            </Text>
          ))}
        </Stack>
      ) : structured ? (
        <Text c="dimmed">
          Every key in <span className="ld-mono">{query}</span> exists in the catalog, but no run meets all of its conditions
          together: loosen or remove one.
        </Text>
      ) : (
        <Text c="dimmed">
          No run&apos;s names, params, tags, metric names or notes contain <span className="ld-mono">{query}</span>. Try fewer or
          shorter words, or clear the search to see every run.
        </Text>
      )}
    </EmptyState>
  );
}
