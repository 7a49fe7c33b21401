/** The traceback of a failed run or notebook: a toggle, and the text opened scrolled to its end. */
import { useEffect, useRef } from 'react';
import { Button, Collapse } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';

export function TracebackToggle({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  return (
    <Button
      size="xs"
      variant="subtle"
      color="red"
      aria-expanded={open}
      leftSection={open ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden />}
      onClick={onToggle}
    >
      {open ? 'Hide traceback' : 'Show traceback'}
    </Button>
  );
}

export function TracebackText({ open, text }: { open: boolean; text: string }) {
  // Python prints the raising frame last: a long traceback opens scrolled to its end.
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [open, text]);
  return (
    <Collapse expanded={open}>
      <pre className="ld-nb-traceback" aria-label="Traceback" ref={ref} tabIndex={0}>
        {text}
      </pre>
    </Collapse>
  );
}
