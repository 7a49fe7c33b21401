/** Left sidebar: the watched source folders, then navigation between views. */
import {
  ActionIcon,
  AppShell,
  Badge,
  Button,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconBookmark, IconDots, IconFolderPlus, IconRefresh, IconTable, IconTrash } from '@tabler/icons-react';
import type { RootInfo, SavedView } from '../../../src/api/contract';
import { baseName, formatDateTime, plural } from '../format';
import { useAddRoot, useDeleteView, useIndexProgress, useRemoveRoot, useRoots, useSavedViews, useStats } from '../queries';
import { hrefFor, navigate, type Route } from '../router';
import { applySavedView } from '../saved-views';
import { useAddFolder } from './AddFolderDialog';
import { RootStatusDot } from './Status';

function SourceItem({ root }: { root: RootInfo }) {
  const remove = useRemoveRoot();
  // Adding a folder that is already watched indexes it again (a full pass).
  const reindex = useAddRoot();
  const progress = useIndexProgress()[root.path];
  const detail = progress
    ? `${progress.phase} · ${progress.runsRead}/${progress.runsTotal || '?'} runs`
    : plural(root.runCount, 'run');
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" py={6} px={8} role="listitem">
      <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
        <Tooltip label={root.path} openDelay={400} multiline maw={360}>
          <Text size="sm" fw={500} truncate="end" className="ld-mono">
            {baseName(root.path)}
          </Text>
        </Tooltip>
        <Group gap={8} wrap="nowrap">
          <RootStatusDot status={root.status} />
          <Text
            size="xs"
            c="dimmed"
            title={root.lastIndexedAt ? `Last indexed ${formatDateTime(root.lastIndexedAt)}` : undefined}
          >
            {detail}
          </Text>
        </Group>
      </Stack>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`Actions for ${root.path}`}>
            <IconDots size={14} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label className="ld-mono">{root.path}</Menu.Label>
          <Menu.Item
            leftSection={<IconRefresh size={14} />}
            disabled={root.status === 'indexing'}
            onClick={() => reindex.mutate({ path: root.path, confirm: true })}
          >
            Index again
          </Menu.Item>
          <Menu.Item
            color="red"
            leftSection={<IconTrash size={14} />}
            onClick={() => remove.mutate(root.id)}
          >
            Stop watching (keeps the files)
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}

function SavedViewItem({ view }: { view: SavedView }) {
  const remove = useDeleteView();
  return (
    <Group gap={4} wrap="nowrap" role="listitem">
      <NavLink
        component="button"
        label={view.name}
        description={view.query || undefined}
        leftSection={<IconBookmark size={15} aria-hidden />}
        onClick={() => {
          navigate({ view: 'runs' });
          applySavedView(view);
        }}
        styles={{ description: { fontFamily: 'var(--mantine-font-family-monospace)', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } }}
        style={{ flex: 1, minWidth: 0 }}
        aria-label={`Open saved view ${view.name}`}
      />
      <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`Delete saved view ${view.name}`} onClick={() => remove.mutate(view.id)}>
        <IconTrash size={13} />
      </ActionIcon>
    </Group>
  );
}

export function Sidebar({ route }: { route: Route }) {
  const views = useSavedViews();
  const roots = useRoots();
  const stats = useStats();
  const { addFolder } = useAddFolder();
  const problems = stats.data?.problems ?? 0;

  return (
    <>
      <AppShell.Section px="xs" pt="sm" pb={4} component="nav" aria-label="Views">
        <NavLink
          href={hrefFor({ view: 'runs' })}
          label="Runs"
          leftSection={<IconTable size={16} />}
          active={route.view === 'runs' || route.view === 'run'}
          aria-current={route.view === 'runs' ? 'page' : undefined}
        />
        <NavLink
          href={hrefFor({ view: 'problems' })}
          label="Problems"
          leftSection={<IconAlertTriangle size={16} />}
          active={route.view === 'problems'}
          aria-current={route.view === 'problems' ? 'page' : undefined}
          rightSection={
            <Badge
              size="sm"
              variant={problems ? 'filled' : 'light'}
              color={problems ? 'orange' : 'gray'}
              aria-label={plural(problems, 'problem')}
            >
              {problems}
            </Badge>
          }
        />
      </AppShell.Section>
      <AppShell.Section grow component={ScrollArea} px="xs" pt="sm" pb="sm">
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px={8} mb={4} id="sources-heading">
          Sources
        </Text>
        <div role="list" aria-labelledby="sources-heading">
          {roots.data?.map((root) => <SourceItem key={root.id} root={root} />)}
        </div>
        {roots.data?.length === 0 && (
          <Text size="xs" c="dimmed" px={8} pb={4}>
            No folders yet.
          </Text>
        )}
        {roots.error && (
          <Text size="xs" c="red" px={8} role="alert">
            {roots.error.message}
          </Text>
        )}
        <Button
          variant="subtle"
          size="xs"
          justify="flex-start"
          fullWidth
          leftSection={<IconFolderPlus size={16} />}
          onClick={addFolder}
          mt={4}
        >
          Add folder…
        </Button>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px={8} mt="md" mb={4} id="views-heading">
          Saved views
        </Text>
        <div role="list" aria-labelledby="views-heading">
          {views.data?.map((v) => <SavedViewItem key={v.id} view={v} />)}
        </div>
        {views.data?.length === 0 && (
          <Text size="xs" c="dimmed" px={8}>
            Search, sort and pick columns in the runs table, then “Save view” keeps them here.
          </Text>
        )}
      </AppShell.Section>
    </>
  );
}
