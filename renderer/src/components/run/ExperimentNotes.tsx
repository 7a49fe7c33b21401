/**
 * The run's experiment: its name opens a small dialog with the experiment's display name and
 * markdown note, both the user's (kept apart from indexed data like a run's annotations).
 */
import { useRef, useState } from 'react';
import { Anchor, Button, Group, Loader, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconNotes, IconPencil } from '@tabler/icons-react';
import type { RunDetail } from '../../../../src/api/contract';
import { useAnnotateExperiment, useExperimentAnnotation } from '../../queries';
import { NoteEditor } from './NoteEditor';

function ExperimentName({ id, name, displayName }: { id: string; name: string; displayName: string | null }) {
  const annotate = useAnnotateExperiment();
  const [draft, setDraft] = useState<string | null>(null);
  // Enter then the input's blur on unmount must save once.
  const done = useRef(false);
  const finish = (save: boolean) => {
    if (done.current || draft === null) return;
    done.current = true;
    const next = draft.trim();
    setDraft(null);
    if (save && next !== (displayName ?? name)) annotate.mutate({ id, displayName: next && next !== name ? next : null });
  };

  if (draft !== null) {
    return (
      <TextInput
        label="Experiment name"
        description={`Empty restores the name the tool gave: ${name}`}
        value={draft}
        placeholder={name}
        onChange={(e) => setDraft(e.currentTarget.value)}
        autoFocus
        data-mantine-stop-propagation
        onKeyDown={(e) => {
          if (e.key === 'Enter') finish(true);
          else if (e.key === 'Escape') finish(false);
        }}
        onBlur={() => finish(true)}
      />
    );
  }
  return (
    <Group gap="xs" wrap="nowrap" align="center">
      <Stack gap={0}>
        <Title order={3} size="h4" style={{ overflowWrap: 'anywhere' }}>
          {annotate.isPending ? annotate.variables.displayName || name : (displayName ?? name)}
        </Title>
        {displayName && displayName !== name && (
          <Text size="xs" c="dimmed">
            originally <span className="ld-mono">{name}</span>
          </Text>
        )}
      </Stack>
      <Button
        variant="subtle"
        color="gray"
        size="compact-xs"
        leftSection={<IconPencil size={12} aria-hidden />}
        onClick={() => {
          done.current = false;
          setDraft(displayName ?? name);
        }}
      >
        Rename experiment
      </Button>
    </Group>
  );
}

/** The experiment's name in the run header: a button that opens its notes. */
export function ExperimentLink({ run }: { run: RunDetail }) {
  const [opened, setOpened] = useState(false);
  const annotation = useExperimentAnnotation(run.experimentId);
  const annotate = useAnnotateExperiment();
  if (!run.experimentId) return <>{run.experiment || '—'}</>;
  const shown = annotation.data?.displayName ?? run.experiment;
  const hasNote = !!annotation.data?.note.trim();

  return (
    <>
      <Anchor
        component="button"
        type="button"
        size="sm"
        onClick={() => setOpened(true)}
        aria-haspopup="dialog"
        title={hasNote ? 'Open the experiment’s notes' : 'Add notes to this experiment'}
      >
        <Group gap={4} wrap="nowrap" component="span">
          {shown}
          <IconNotes size={14} aria-label={hasNote ? '(has notes)' : undefined} aria-hidden={!hasNote} />
        </Group>
      </Anchor>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Experiment notes" size="lg">
        {annotation.isPending ? (
          <Loader size="sm" aria-label="Loading experiment notes" />
        ) : annotation.error ? (
          <Text c="red" role="alert">
            {annotation.error.message}
          </Text>
        ) : (
          <Stack gap="md">
            <ExperimentName id={run.experimentId} name={run.experiment} displayName={annotation.data.displayName} />
            <NoteEditor
              label="Experiment note"
              value={annotation.data.note}
              empty="No note for this experiment yet: what it is testing, what was learned."
              onSave={(note) => annotate.mutateAsync({ id: run.experimentId, note })}
              saving={annotate.isPending}
              error={annotate.error}
            />
          </Stack>
        )}
      </Modal>
    </>
  );
}
