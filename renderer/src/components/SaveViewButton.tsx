/** "Save view": names the runs table's current search, sort and columns for the sidebar. */
import { useState } from 'react';
import { Button, Group, Popover, Stack, Text, TextInput } from '@mantine/core';
import { IconBookmarkPlus } from '@tabler/icons-react';
import type { RunSort } from '../../../src/api/contract';
import { useSaveView } from '../queries';

export function SaveViewButton({ query, sort, columns }: { query: string; sort: RunSort; columns: string[] }) {
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState('');
  const save = useSaveView();
  const submit = () => {
    if (!name.trim()) return;
    save.mutate(
      { name: name.trim(), query, sort, columns },
      {
        onSuccess: () => {
          setOpened(false);
          setName('');
        },
      },
    );
  };
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={300} shadow="md" trapFocus>
      <Popover.Target>
        <Button size="xs" variant="default" leftSection={<IconBookmarkPlus size={14} aria-hidden />} onClick={() => setOpened((o) => !o)}>
          Save view
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack gap="xs">
            <TextInput size="xs" label="View name" placeholder="e.g. Best ResNets" value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
            <Text size="xs" c="dimmed">
              Keeps the search{query ? '' : ' (none)'}, the sort and the columns shown. A view with the same name is replaced.
            </Text>
            {save.error && (
              <Text size="xs" c="red" role="alert">
                {save.error.message}
              </Text>
            )}
            <Group justify="flex-end" gap="xs">
              <Button size="xs" variant="default" onClick={() => setOpened(false)}>
                Cancel
              </Button>
              <Button size="xs" type="submit" loading={save.isPending} disabled={!name.trim()}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
