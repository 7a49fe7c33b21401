/** Top bar: sidebar toggle, app name, the run search box and the colour scheme toggle. */
import type { Ref } from 'react';
import { compareSelection } from '../compare-selection';
import { useSelection } from '../selection';
import { SearchBox } from './search/SearchBox';
import {
  ActionIcon,
  Button,
  Group,
  Text,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import {
  IconArrowsDiff,
  IconFlask2,
  IconLayoutSidebarLeftCollapse,
  IconLayoutSidebarLeftExpand,
  IconMoon,
  IconSun,
} from '@tabler/icons-react';

export function TopBar({
  search,
  onSearchChange,
  searchRef,
  sidebarOpen,
  onToggleSidebar,
}: {
  search: string;
  onSearchChange: (value: string) => void;
  searchRef: Ref<HTMLInputElement>;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
}) {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const selection = useSelection();

  return (
    <Group h="100%" px="sm" gap="sm" wrap="nowrap">
      <ActionIcon
        variant="subtle"
        color="gray"
        size="lg"
        onClick={onToggleSidebar}
        aria-label={sidebarOpen ? 'Hide sidebar' : 'Show sidebar'}
        aria-expanded={sidebarOpen}
      >
        {sidebarOpen ? <IconLayoutSidebarLeftCollapse size={18} /> : <IconLayoutSidebarLeftExpand size={18} />}
      </ActionIcon>
      {/* Below 992 px the name gives its width to the search box: the bar stays one line at 768 px. */}
      <Group gap={6} wrap="nowrap" w={{ base: 'auto', md: 188 }} style={{ flex: 'none' }}>
        <IconFlask2 size={20} aria-label="Labdesk" color="var(--mantine-primary-color-filled)" />
        <Text fw={700} size="md" visibleFrom="md" aria-hidden>
          Labdesk
        </Text>
      </Group>
      <SearchBox value={search} onChange={onSearchChange} inputRef={searchRef} />
      <Button
        variant={selection.size >= 2 ? 'filled' : 'default'}
        leftSection={<IconArrowsDiff size={16} aria-hidden />}
        disabled={selection.size < 2}
        onClick={compareSelection}
        title={selection.size < 2 ? 'Tick two or more runs in the table (or press space on a row) to compare them' : 'Compare the selected runs (c)'}
        style={{ flex: 'none' }}
        aria-label={`Compare (${selection.size})`}
      >
        <Text span inherit visibleFrom="md">
          {'Compare\u00a0'}
        </Text>
        ({selection.size})
      </Button>
      <Group ml="auto" gap={4}>
        <ActionIcon
          variant="default"
          size="lg"
          aria-label="Toggle color scheme"
          title={scheme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
        >
          {scheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
        </ActionIcon>
      </Group>
    </Group>
  );
}
