/**
 * Adding a source folder, from anywhere (sidebar, empty state, drop): the desktop app asks the native
 * picker; the browser cannot reveal paths, so it asks for one in a dialog. Errors always land in the
 * dialog, saying what happened and what to do.
 */
import { createContext, use, useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, CloseButton, Divider, Group, Modal, Paper, Progress, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle, IconFolderUp, IconInfoCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, client } from '../api-client';
import { foldersFromFiles, uploadFolder, type ImportProgress, type PickedFolder } from '../folder-import';
import { formatBytes } from '../format';
import { keys, useAddRoot } from '../queries';
import { navigate } from '../router';

interface AddFolderApi {
  /** Desktop: native picker; web: the path dialog. */
  addFolder(): void;
  /** Add a known path (e.g. dropped); failures open the dialog with the error. */
  addPath(path: string): void;
  /** Open the path dialog, optionally explaining why it opened. */
  openDialog(notice?: string): void;
  /** Web mode: copy folders read in the browser into Labdesk's imports folder and index them. */
  importFolders(folders: PickedFolder[]): void;
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
    case 'NeedsConfirm':
      return 'Add anyway indexes and watches everything below it.';
    case 'Unreachable':
      return 'Start Labdesk again (labdesk serve) and reload this page.';
    default:
      return 'This looks like a bug in Labdesk; the server log has the details.';
  }
}

export function AddFolderProvider({ children }: { children: ReactNode }) {
  const addRoot = useAddRoot();
  const needsConfirm = addRoot.error instanceof ApiError && addRoot.error.name === 'NeedsConfirm';
  const { mutate, reset } = addRoot; // stable across renders, unlike the result object
  const [opened, setOpened] = useState(false);
  const [path, setPath] = useState('');
  const [notice, setNotice] = useState<string | undefined>();

  const submit = useCallback(
    (p: string, confirm = false) => {
      const trimmed = p.trim();
      if (!trimmed) return;
      mutate({ path: trimmed, confirm }, {
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

  const qc = useQueryClient();
  const [importing, setImporting] = useState<ImportProgress | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const importFolders = useCallback(
    async (folders: PickedFolder[]) => {
      setOpened(false);
      setImportError(null);
      try {
        for (const folder of folders) {
          setImporting({ name: folder.name, bytesDone: 0, bytesTotal: 1 });
          await uploadFolder(folder, setImporting);
        }
        void qc.invalidateQueries({ queryKey: keys.roots });
        void qc.invalidateQueries({ queryKey: keys.runs });
        navigate({ view: 'runs' });
      } catch (err) {
        setImportError(`${(err as Error).message} Check that Labdesk is still running and that its folder has free space, then drop the folder again.`);
      } finally {
        setImporting(null);
      }
    },
    [qc],
  );
  const picker = useRef<HTMLInputElement>(null);

  const value = useMemo<AddFolderApi>(
    () => ({
      importFolders: (folders) => void importFolders(folders),
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
    [reset, submit, importFolders],
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
                color={needsConfirm ? 'yellow' : 'red'}
                icon={<IconAlertCircle size={18} />}
                title={needsConfirm ? 'Index the whole folder?' : 'Could not add this folder'}
                role="alert"
                p="xs"
              >
                <Text size="sm">{addRoot.error.message}</Text>
                <Text size="sm" mt={4} c="dimmed">
                  {hintFor(addRoot.error)}
                </Text>
                {needsConfirm && (
                  <Button size="xs" mt="xs" color="yellow" variant="filled" onClick={() => submit(path, true)}>
                    Add anyway
                  </Button>
                )}
              </Alert>
            )}
            {client.shell === 'web' && (
              <>
                <Divider label="or" labelPosition="center" />
                <Group justify="space-between" wrap="nowrap" gap="sm">
                  <Text size="sm" c="dimmed">
                    Folder on this computer but not on the machine running Labdesk? Labdesk can index a copy of it.
                  </Text>
                  <Button variant="default" leftSection={<IconFolderUp size={16} aria-hidden />} onClick={() => picker.current?.click()} style={{ flex: 'none' }}>
                    Import a copy…
                  </Button>
                </Group>
                <input
                  ref={picker}
                  type="file"
                  aria-label="Import a copy of a folder"
                  // Non-standard but supported by every engine: pick a folder, files carry their paths.
                  {...{ webkitdirectory: '', directory: '' }}
                  multiple
                  hidden
                  onChange={(e) => {
                    const folders = foldersFromFiles(Array.from(e.currentTarget.files ?? []));
                    e.currentTarget.value = '';
                    if (folders) void importFolders(folders);
                  }}
                />
              </>
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
      {(importing || importError) && (
        <Paper className="ld-import-panel" shadow="md" p="sm" withBorder role={importError ? 'alert' : 'status'}>
          {importing ? (
            <Stack gap={6}>
              <Text size="sm">
                Copying <b>{importing.name}</b> into Labdesk… {formatBytes(importing.bytesDone)} of {formatBytes(importing.bytesTotal)}
              </Text>
              <Progress value={(100 * importing.bytesDone) / Math.max(1, importing.bytesTotal)} aria-label={`Copying ${importing.name}`} />
            </Stack>
          ) : (
            <Group wrap="nowrap" align="flex-start" gap="xs">
              <IconAlertCircle size={18} color="var(--mantine-color-red-6)" aria-hidden style={{ flex: 'none' }} />
              <Text size="sm">Could not import the folder: {importError}</Text>
              <CloseButton size="sm" aria-label="Dismiss" onClick={() => setImportError(null)} />
            </Group>
          )}
        </Paper>
      )}
    </AddFolderContext>
  );
}
