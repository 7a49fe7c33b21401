/**
 * The run header's user controls: rename in place, star, user tags, archive. Each shows the value
 * being saved while its call is in flight, so a click answers at once.
 */
import { useRef, useState, type ReactNode } from 'react';
import { ActionIcon, Badge, Button, Pill, TagsInput, TextInput, Tooltip } from '@mantine/core';
import { IconArchive, IconArchiveOff, IconPencil, IconStar, IconStarFilled, IconTag } from '@tabler/icons-react';
import type { RunDetail } from '../../../../src/api/contract';
import { useAnnotateRun } from '../../queries';

/** The name as a heading, or an input while renaming: Enter saves, Esc cancels, empty restores the tool's name. */
export function RunName({ run, heading }: { run: RunDetail; heading: (name: string) => ReactNode }) {
  const annotate = useAnnotateRun();
  const [draft, setDraft] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const done = useRef(false);
  const pending = annotate.isPending && annotate.variables?.displayName !== undefined;
  const shown = pending ? annotate.variables!.displayName || run.originalName : run.name;

  const finish = (save: boolean) => {
    if (done.current || draft === null) return;
    done.current = true;
    const name = draft.trim();
    if (save && name !== run.name) {
      annotate.mutate({ id: run.id, displayName: name && name !== run.originalName ? name : null });
    }
    setDraft(null);
    // Back to the pencil, so the keyboard user is where they started.
    requestAnimationFrame(() => buttonRef.current?.focus());
  };

  if (draft !== null) {
    return (
      <TextInput
        aria-label="Run name"
        value={draft}
        onChange={(e) => setDraft(e.currentTarget.value)}
        placeholder={run.originalName}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') finish(true);
          else if (e.key === 'Escape') finish(false);
        }}
        onBlur={() => finish(true)}
        size="md"
        miw={320}
        style={{ flex: '0 1 520px' }}
        description={`Empty restores the name the tool gave: ${run.originalName}`}
      />
    );
  }
  return (
    <>
      {heading(shown)}
      <Tooltip label="Rename" withArrow>
        <ActionIcon
          ref={buttonRef}
          variant="subtle"
          color="gray"
          aria-label="Rename run"
          onClick={() => {
            done.current = false;
            setDraft(run.name);
          }}
        >
          <IconPencil size={16} aria-hidden />
        </ActionIcon>
      </Tooltip>
    </>
  );
}

export function StarToggle({ run }: { run: RunDetail }) {
  const annotate = useAnnotateRun();
  const starred = annotate.isPending && annotate.variables?.starred !== undefined ? annotate.variables.starred : run.starred;
  const label = starred ? 'Unstar run' : 'Star run';
  return (
    <Tooltip label={label} withArrow>
      <ActionIcon
        variant="subtle"
        color={starred ? 'yellow' : 'gray'}
        className="ld-run-star"
        data-starred={starred || undefined}
        aria-label={label}
        aria-pressed={starred}
        onClick={() => annotate.mutate({ id: run.id, starred: !starred })}
      >
        {starred ? <IconStarFilled size={18} aria-hidden /> : <IconStar size={18} aria-hidden />}
      </ActionIcon>
    </Tooltip>
  );
}

/** The user's tags as chips; Enter or comma adds one, each chip's × (or Backspace) removes it. */
export function RunTags({ run }: { run: RunDetail }) {
  const annotate = useAnnotateRun();
  const tags = annotate.isPending && annotate.variables?.userTags ? annotate.variables.userTags : run.userTags;
  return (
    <TagsInput
      aria-label="Tags"
      placeholder={tags.length ? 'Add tag' : 'Add a tag: type, then Enter'}
      value={tags}
      onChange={(next) => annotate.mutate({ id: run.id, userTags: next.map((t) => t.trim()).filter(Boolean) })}
      size="xs"
      leftSection={<IconTag size={14} aria-hidden />}
      w={360}
      maw="100%"
      clearable={false}
      splitChars={[',']}
      renderPill={({ value, onRemove }) => (
        <Pill
          withRemoveButton
          onRemove={onRemove}
          // Mantine hides the × from assistive tech; here it is a real, named button.
          removeButtonProps={{ 'aria-hidden': false, 'aria-label': `Remove tag ${value}`, tabIndex: 0 }}
        >
          {value}
        </Pill>
      )}
    />
  );
}

/** Archived runs leave the runs table (a query can still ask for them); the run page says so. */
export function ArchiveToggle({ run }: { run: RunDetail }) {
  const annotate = useAnnotateRun();
  const archived = annotate.isPending && annotate.variables?.archived !== undefined ? annotate.variables.archived : run.archived;
  return (
    <Tooltip label={archived ? 'Show this run in the runs table again' : 'Hide this run from the runs table'} withArrow>
      <Button
        variant="default"
        size="xs"
        leftSection={archived ? <IconArchiveOff size={14} aria-hidden /> : <IconArchive size={14} aria-hidden />}
        onClick={() => annotate.mutate({ id: run.id, archived: !archived })}
      >
        {archived ? 'Unarchive' : 'Archive'}
      </Button>
    </Tooltip>
  );
}

export function ArchivedBadge() {
  return (
    <Badge variant="outline" color="gray" size="md" tt="none" leftSection={<IconArchive size={12} aria-hidden />}>
      Archived
    </Badge>
  );
}
