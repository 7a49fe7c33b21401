/**
 * Adding a source folder, from anywhere (sidebar, empty state, drop): the desktop app asks the native
 * picker; the browser cannot reveal paths, so it asks for one in a dialog. Errors always land in the
 * dialog, saying what happened and what to do.
 */
import { createContext, use, useCallback, useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle, IconInfoCircle } from '@tabler/icons-react';
import { ApiError, client } from '../api-client';
import { useAddRoot } from '../queries';
import { navigate } from '../router';

interface AddFolderApi {
  /** Desktop: native picker; web: the path dialog. */
  addFolder(): void;
  /** Add a known path (e.g. dropped); failures open the dialog with the error. */
  addPath(path: string): void;
  /** Open the path dialog, optionally explaining why it opened. */
  openDialog(notice?: string): void;
}

const AddFolderContext = createContext<AddFolderApi | null>(null);

export function useAddFolder(): AddFolderApi {
  const ctx = use(AddFolderContext);
  if (!ctx) throw new Error('useAddFolder needs <AddFolderProvider> above it');
  return ctx;
}

/** What to do next, by kind of error: the core's message says what happened. */
function hintFor(error: unknown): string {
  const name = error instanceof ApiError ? error.name : 'Internal';
  switch (name) {
    case 'NotFound':
      return 'Check that the folder exists on the machine running Labdesk, then try again.';
    case 'BadRequest':
      return 'Use an absolute path to a folder, such as /home/you/experiments.';
    case 'Unreachable':
      return 'Start Labdesk again (labdesk serve) and reload this page.';
    default:
      return 'This looks like a bug in Labdesk; the server log has the details.';
  }
}

export function AddFolderProvider({ children }: { children: ReactNode }) {
  const addRoot = useAddRoot();
  const { mutate, reset } = addRoot; // stable across renders, unlike the result object
  const [opened, setOpened] = useState(false);
  const [path, setPath] = useState('');
  const [notice, setNotice] = useState<string | undefined>();

  const submit = useCallback(
    (p: string) => {
      const trimmed = p.trim();
      if (!trimmed) return;
      mutate(trimmed, {
        onSuccess: () => {
          setOpened(false);
          setPath('');
          navigate({ view: 'runs' });
        },
        onError: () => {
          setPath(trimmed);
          setOpened(true);
        },
      });
    },
    [mutate],
  );

  const value = useMemo<AddFolderApi>(
    () => ({
      openDialog(n) {
        reset();
        setNotice(n);
        setOpened(true);
      },
      addPath: submit,
      addFolder() {
        if (client.shell === 'desktop') {
          void client.pickFolder().then((picked) => picked && submit(picked));
        } else {
          reset();
          setNotice(undefined);
          setOpened(true);
        }
      },
    }),
    [reset, submit],
  );

  return (
    <AddFolderContext value={value}>
      {children}
      <Modal opened={opened} onClose={() => setOpened(false)} title="Add a folder" centered size="lg">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit(path);
          }}
        >
          <Stack gap="md">
            {notice && (
              <Alert color="blue" icon={<IconInfoCircle size={18} />} p="xs">
                {notice}
              </Alert>
            )}
            <TextInput
              label="Folder path"
              description="An absolute path on the machine running Labdesk. Every run found below it is indexed and watched."
              placeholder="/home/you/experiments"
              classNames={{ input: 'ld-mono' }}
              value={path}
              onChange={(e) => setPath(e.currentTarget.value)}
              data-autofocus
              spellCheck={false}
              autoComplete="off"
            />
            {addRoot.error && (
              <Alert
                color="red"
                icon={<IconAlertCircle size={18} />}
                title="Could not add this folder"
                role="alert"
                p="xs"
              >
                <Text size="sm">{addRoot.error.message}</Text>
                <Text size="sm" mt={4} c="dimmed">
                  {hintFor(addRoot.error)}
                </Text>
              </Alert>
            )}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setOpened(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={addRoot.isPending} disabled={!path.trim()}>
                Add
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </AddFolderContext>
  );
}
