/**
 * The runs table's "Group by" box. Opening it starts a fresh search, so typing a key replaces the
 * current grouping instead of appending to its label (which read "Statusoptim" and matched nothing);
 * closing it shows the chosen grouping again. Clearing returns to one flat list.
 */
import { useState } from 'react';
import { Select } from '@mantine/core';
import type { GroupBy, RunKeys } from '../../../src/api/contract';

export function groupByOptions(keys: RunKeys | undefined) {
  return [
    { group: 'Run', items: [{ value: 'experiment', label: 'Experiment' }, { value: 'format', label: 'Format' }, { value: 'status', label: 'Status' }] },
    { group: 'Params', items: (keys?.paramKeys ?? []).map((k) => ({ value: `params.${k}`, label: k })) },
    { group: 'Tags', items: (keys?.tagKeys ?? []).map((k) => ({ value: `tags.${k}`, label: k })) },
  ].filter((g) => g.items.length);
}

export function GroupBySelect({ keys, value, onChange }: { keys: RunKeys | undefined; value: GroupBy | null; onChange: (by: GroupBy | null) => void }) {
  const data = groupByOptions(keys);
  const labelOf = (v: string | null) => data.flatMap((g) => g.items).find((i) => i.value === v)?.label ?? '';
  const [search, setSearch] = useState<string | null>(null);
  return (
    <Select
      size="xs"
      w={180}
      aria-label="Group by"
      placeholder="Group by…"
      data={data}
      value={value}
      onChange={(v) => onChange(v as GroupBy | null)}
      // null: not searching, the box shows the chosen grouping's label.
      searchValue={search ?? labelOf(value)}
      onSearchChange={(s) => setSearch(s)}
      onDropdownOpen={() => setSearch('')}
      onDropdownClose={() => setSearch(null)}
      nothingFoundMessage="No such key"
      // Mantine hides its clear button from assistive tech and the Tab order: this one is a real button.
      clearButtonProps={{ 'aria-label': 'Clear grouping', 'aria-hidden': false, tabIndex: 0 }}
      clearable
      searchable
      comboboxProps={{ width: 260, position: 'bottom-end' }}
    />
  );
}
