/**
 * The runs table's column chooser: which run, param and metric columns show, and which summary of
 * each metric (last, min, max, best). Runs often carry hundreds of keys, so it searches.
 */
import { useMemo, useState } from 'react';
import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Popover,
  ScrollArea,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconColumns3, IconSearch } from '@tabler/icons-react';
import { useLocalStorage } from '@mantine/hooks';

export type MetricStat = 'last' | 'min' | 'max' | 'best';

export interface ColumnPrefs {
  /** Column ids the user hid (new keys show until hidden). */
  hidden: string[];
  /** Per metric key, the summary its column shows; last when absent. */
  stats: Record<string, MetricStat>;
}

const NO_PREFS: ColumnPrefs = { hidden: [], stats: {} };

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
  ['experiment', 'Experiment'],
  ['format', 'Format'],
  ['status', 'Status'],
  ['startTime', 'Started'],
  ['durationSeconds', 'Duration'],
  ['tags', 'Tags'],
];
export const RUN_COLUMN_IDS = RUN_COLUMNS.map(([id]) => id);

export function ColumnChooser({
  paramKeys,
  metricKeys,
  prefs,
  onChange,
}: {
  paramKeys: string[];
  metricKeys: string[];
  prefs: ColumnPrefs;
  onChange: (prefs: ColumnPrefs) => void;
}) {
  const [filter, setFilter] = useState('');
  const hidden = useMemo(() => new Set(prefs.hidden), [prefs.hidden]);
  const shown = (id: string) => !hidden.has(id);
  const setShown = (ids: string[], on: boolean) => {
    const next = new Set(hidden);
    for (const id of ids) {
      if (on) next.delete(id);
      else next.add(id);
    }
    onChange({ ...prefs, hidden: [...next] });
  };
  const f = filter.trim().toLowerCase();
  const match = (label: string) => !f || label.toLowerCase().includes(f);
  const params = paramKeys.filter(match);
  const metrics = metricKeys.filter(match);
  const runCols = RUN_COLUMNS.filter(([, label]) => match(label));
  const visibleCount = [...RUN_COLUMNS.map(([id]) => id), ...paramKeys.map((k) => `params.${k}`), ...metricKeys.map((k) => `metrics.${k}`)].filter(shown).length;

  const section = (title: string, ids: string[], body: React.ReactNode) =>
    ids.length > 0 && (
      <Stack gap={4} role="group" aria-label={title}>
        <Group justify="space-between" wrap="nowrap">
          <Text size="xs" fw={600} tt="uppercase" c="dimmed">
            {title}
          </Text>
          <Group gap={4} wrap="nowrap">
            <Button size="compact-xs" variant="subtle" onClick={() => setShown(ids, true)} aria-label={`Show all ${title.toLowerCase()}`}>
              All
            </Button>
            <Button size="compact-xs" variant="subtle" onClick={() => setShown(ids, false)} aria-label={`Hide all ${title.toLowerCase()}`}>
              None
            </Button>
          </Group>
        </Group>
        {body}
      </Stack>
    );

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
          <Text size="xs" c="dimmed">
            {visibleCount} columns shown
          </Text>
          <ScrollArea.Autosize mah={360} type="auto" offsetScrollbars>
            <Stack gap="sm">
              {section(
                'Run',
                runCols.map(([id]) => id),
                runCols.map(([id, label]) => (
                  <Checkbox key={id} size="xs" label={label} checked={shown(id)} onChange={(e) => setShown([id], e.currentTarget.checked)} />
                )),
              )}
              {section(
                'Params',
                params.map((k) => `params.${k}`),
                params.map((k) => (
                  <Checkbox
                    key={k}
                    size="xs"
                    label={<span className="ld-mono">{k}</span>}
                    aria-label={`Param ${k}`}
                    checked={shown(`params.${k}`)}
                    onChange={(e) => setShown([`params.${k}`], e.currentTarget.checked)}
                  />
                )),
              )}
              {section(
                'Metrics',
                metrics.map((k) => `metrics.${k}`),
                metrics.map((k) => (
                  <Group key={k} justify="space-between" wrap="nowrap" gap="xs">
                    <Checkbox
                      size="xs"
                      label={<span className="ld-mono">{k}</span>}
                      aria-label={`Metric ${k}`}
                      checked={shown(`metrics.${k}`)}
                      onChange={(e) => setShown([`metrics.${k}`], e.currentTarget.checked)}
                      styles={{ body: { minWidth: 0 }, label: { overflow: 'hidden', textOverflow: 'ellipsis' } }}
                    />
                    <NativeSelect
                      size="xs"
                      w={84}
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
                )),
              )}
              {!runCols.length && !params.length && !metrics.length && (
                <Text size="sm" c="dimmed">
                  No column matches “{filter}”.
                </Text>
              )}
            </Stack>
          </ScrollArea.Autosize>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
