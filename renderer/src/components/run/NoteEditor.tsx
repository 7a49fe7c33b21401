/** A markdown note: rendered when read, a textarea when edited (Ctrl/⌘+Enter saves, Esc cancels). */
import { useState, type ReactNode } from 'react';
import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { Markdown } from '../Markdown';

export function NoteEditor({
  value,
  label,
  empty,
  onSave,
  saving,
  error,
}: {
  value: string;
  /** The textarea's accessible name, and what the buttons talk about ("Note", "Experiment note"). */
  label: string;
  /** Shown when there is no note yet. */
  empty: ReactNode;
  onSave: (text: string) => Promise<unknown>;
  saving: boolean;
  error: Error | null;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const editing = draft !== null;

  const save = async () => {
    if (draft === null) return;
    if (draft !== value) await onSave(draft);
    setDraft(null);
  };

  if (!editing) {
    return (
      <Stack gap="xs" align="flex-start">
        {value.trim() ? <Markdown w="100%">{value}</Markdown> : <Text size="sm" c="dimmed">{empty}</Text>}
        <Button
          variant="default"
          size="xs"
          leftSection={<IconPencil size={14} aria-hidden />}
          onClick={() => setDraft(value)}
        >
          {value.trim() ? `Edit ${label.toLowerCase()}` : `Add ${label.toLowerCase()}`}
        </Button>
      </Stack>
    );
  }

  return (
    <Stack gap="xs">
      <Textarea
        aria-label={label}
        value={draft}
        onChange={(e) => setDraft(e.currentTarget.value)}
        autosize
        minRows={5}
        maxRows={24}
        autoFocus
        // Inside a modal, Esc cancels the edit rather than closing the modal.
        data-mantine-stop-propagation
        classNames={{ input: 'ld-mono' }}
        placeholder="Markdown: **bold**, _italic_, lists, `code`, [links](https://…)"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void save().catch(() => undefined);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            setDraft(null);
          }
        }}
      />
      {error && (
        <Text size="sm" c="red" role="alert">
          Could not save: {error.message}
        </Text>
      )}
      <Group gap="xs">
        <Button size="xs" loading={saving} onClick={() => void save().catch(() => undefined)}>
          Save
        </Button>
        <Button size="xs" variant="default" onClick={() => setDraft(null)} disabled={saving}>
          Cancel
        </Button>
        <Text size="xs" c="dimmed">
          Markdown. Ctrl+Enter saves, Esc cancels.
        </Text>
      </Group>
    </Stack>
  );
}
