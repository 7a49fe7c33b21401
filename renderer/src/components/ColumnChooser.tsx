/**
 * The runs table's column chooser: which run, param and metric columns show, and which summary of
 * each metric (last, min, max, best). Runs often carry hundreds of keys, so it searches.
 */
import { useMemo, useRef, useState } from 'react';
import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Popover,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconColumns3, IconSearch } from '@tabler/icons-react';
import { useLocalStorage } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import { shownColumns, withColumns, type ColumnPrefs, type MetricStat } from './column-defaults';

export type { ColumnPrefs, MetricStat } from './column-defaults';

const NO_PREFS: ColumnPrefs = { hidden: [], shown: [], stats: {} };

export function useColumnPrefs() {
  return useLocalStorage<ColumnPrefs>({ key: 'labdesk.runs.columns', defaultValue: NO_PREFS, getInitialValueInEffect: false });
}

/** Lower is better for losses, errors and times; higher for everything else (accuracy, F1, reward…). */
export function lowerIsBetter(key: string): boolean {
  return /loss|err|mse|mae|rmse|perplexity|ppl|wer|cer|time|latency|duration|nll|bpd|fid/i.test(key);
}

/** The summary a metric column sorts and shows: best resolves to min or max by the key's name. */
export function resolvedStat(key: string, stat: MetricStat | undefined): 'last' | 'min' | 'max' {
  if (stat === 'best') return lowerIsBetter(key) ? 'min' : 'max';
  return stat ?? 'last';
}

export const RUN_COLUMNS: [string, string][] = [
  ['status', 'Status'],
  ['startTime', 'Started'],
  ['durationSeconds', 'Duration'],
  ['experiment', 'Experiment'],
  ['format', 'Format'],
  ['tags', 'Tags'],
];
export const RUN_COLUMN_IDS = RUN_COLUMNS.map(([id]) => id);

type ChooserItem =
  | { kind: 'section'; title: string; ids: string[] }
  | { kind: 'run'; id: string; label: string }
  | { kind: 'param'; key: string }
  | { kind: 'metric'; key: string };

const ITEM_HEIGHT = 30;
const LIST_HEIGHT = 360;

export function ColumnChooser({
  paramKeys,
  metricKeys,
  prefs,
  defaults,
  onChange,
}: {
  paramKeys: string[];
  metricKeys: string[];
  prefs: ColumnPrefs;
  /** The key columns a fresh profile shows (column-defaults.ts). */
  defaults: ReadonlySet<string>;
  onChange: (prefs: ColumnPrefs) => void;
}) {
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => shownColumns(prefs, defaults), [prefs, defaults]);
  const setShown = (ids: string[], on: boolean) => onChange(withColumns(prefs, ids, on));
  const f = filter.trim().toLowerCase();
  const items = useMemo(() => {
    const match = (label: string) => !f || label.toLowerCase().includes(f);
    const runCols = RUN_COLUMNS.filter(([, label]) => match(label));
    const params = paramKeys.filter(match);
    const metrics = metricKeys.filter(match);
    const list: ChooserItem[] = [];
    const section = (title: string, ids: string[], rows: ChooserItem[]) => {
      if (ids.length) list.push({ kind: 'section', title, ids }, ...rows);
    };
    section('Run', runCols.map(([id]) => id), runCols.map(([id, label]) => ({ kind: 'run', id, label })));
    section('Params', params.map((k) => `params.${k}`), params.map((key) => ({ kind: 'param', key })));
    section('Metrics', metrics.map((k) => `metrics.${k}`), metrics.map((key) => ({ kind: 'metric', key })));
    return list;
  }, [f, paramKeys, metricKeys]);
  const visibleCount = [...RUN_COLUMN_IDS, ...paramKeys.map((k) => `params.${k}`), ...metricKeys.map((k) => `metrics.${k}`)].filter(shown).length;

  // Hundreds of keys: only the checkboxes in view are rendered, so the popover opens at once.
  const listRef = useRef<HTMLDivElement>(null);
  // The virtualizer returns fresh functions by design; the React Compiler just skips this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ITEM_HEIGHT,
    overscan: 8,
    initialRect: { width: 320, height: LIST_HEIGHT },
  });

  const render = (item: ChooserItem) => {
    switch (item.kind) {
      case 'section':
        return (
          <Group justify="space-between" wrap="nowrap" h="100%" role="group" aria-label={item.title}>
            <Text size="xs" fw={600} tt="uppercase" c="dimmed">
              {item.title}
            </Text>
            <Group gap={4} wrap="nowrap">
              <Button size="compact-xs" variant="subtle" onClick={() => setShown(item.ids, true)} aria-label={`Show all ${item.title.toLowerCase()}`}>
                All
              </Button>
              <Button size="compact-xs" variant="subtle" onClick={() => setShown(item.ids, false)} aria-label={`Hide all ${item.title.toLowerCase()}`}>
                None
              </Button>
            </Group>
          </Group>
        );
      case 'run':
        return <Checkbox size="xs" label={item.label} checked={shown(item.id)} onChange={(e) => setShown([item.id], e.currentTarget.checked)} />;
      case 'param':
        return (
          <Checkbox
            size="xs"
            label={<span className="ld-mono">{item.key}</span>}
            aria-label={`Param ${item.key}`}
            checked={shown(`params.${item.key}`)}
            onChange={(e) => setShown([`params.${item.key}`], e.currentTarget.checked)}
            styles={{ body: { minWidth: 0 }, label: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } }}
          />
        );
      case 'metric': {
        const k = item.key;
        return (
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Checkbox
              size="xs"
              label={<span className="ld-mono">{k}</span>}
              aria-label={`Metric ${k}`}
              checked={shown(`metrics.${k}`)}
              onChange={(e) => setShown([`metrics.${k}`], e.currentTarget.checked)}
              styles={{ root: { minWidth: 0 }, body: { minWidth: 0 }, label: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } }}
            />
            <NativeSelect
              size="xs"
              w={84}
              style={{ flex: 'none' }}
              aria-label={`Summary of ${k}`}
              data={[
                { value: 'last', label: 'last' },
                { value: 'min', label: 'min' },
                { value: 'max', label: 'max' },
                { value: 'best', label: lowerIsBetter(k) ? 'best ↓' : 'best ↑' },
              ]}
              value={prefs.stats[k] ?? 'last'}
              onChange={(e) => onChange({ ...prefs, stats: { ...prefs.stats, [k]: e.currentTarget.value as MetricStat } })}
            />
          </Group>
        );
      }
    }
  };

  return (
    <Popover position="bottom-end" width={340} shadow="md" trapFocus>
      <Popover.Target>
        <Button size="xs" variant="default" leftSection={<IconColumns3 size={14} aria-hidden />}>
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown aria-label="Choose columns">
        <Stack gap="xs">
          <TextInput
            size="xs"
            placeholder="Filter columns"
            aria-label="Filter columns"
            leftSection={<IconSearch size={13} aria-hidden />}
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="space-between" wrap="nowrap">
            <Text size="xs" c="dimmed">
              {visibleCount} of {RUN_COLUMN_IDS.length + paramKeys.length + metricKeys.length} columns shown
            </Text>
            <Button size="compact-xs" variant="subtle" onClick={() => onChange({ ...prefs, hidden: [], shown: [] })}>
              Reset to defaults
            </Button>
          </Group>
          {/* With hundreds of params, the Metrics section is far down the list: one click away instead. */}
          {items.filter((item) => item.kind === 'section').length > 1 && (
            <Group gap={4} role="group" aria-label="Jump to section">
              {items.flatMap((item, i) =>
                item.kind === 'section' ? (
                  <Button key={item.title} size="compact-xs" variant="light" onClick={() => virtualizer.scrollToIndex(i, { align: 'start' })}>
                    {`${item.title} (${item.ids.length})`}
                  </Button>
                ) : (
                  []
                ),
              )}
            </Group>
          )}
          {items.length ? (
            <div ref={listRef} className="ld-chooser-list" style={{ maxHeight: LIST_HEIGHT, height: Math.min(LIST_HEIGHT, items.length * ITEM_HEIGHT) }}>
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {virtualizer.getVirtualItems().map((v) => {
                  const item = items[v.index];
                  return (
                    <div
                      key={item.kind === 'section' ? `s-${item.title}` : item.kind === 'run' ? item.id : `${item.kind}-${item.key}`}
                      style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ITEM_HEIGHT, transform: `translateY(${v.start}px)`, display: 'flex', alignItems: 'center' }}
                    >
                      <div style={{ flex: 1, minWidth: 0 }}>{render(item)}</div>
                    </div>
                  );
                })}
              </div>
            </div>
          ) : (
            <Text size="sm" c="dimmed">
              No column matches “{filter}”.
            </Text>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
