/**
 * A failed run says so at the top of its page, with what the tool recorded: the error or traceback
 * (Sacred's fail_trace, an MLflow error tag), else the recorded status and when it ended.
 * Notebook runs have their own banner (NotebookSummary), with the failing cell.
 */
import { useState } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertOctagon, IconFileText } from '@tabler/icons-react';
import { TracebackText, TracebackToggle } from './Traceback';
import type { RunDetail } from '../../../../src/api/contract';
import { formatDateTime } from '../../format';
import { FilePreviewModal } from './FilePreview';

const TOOL: Record<string, string> = { mlflow: 'MLflow', sacred: 'Sacred', wandb: 'W&B', 'hf-trainer': 'the HF Trainer' };

/** Python prints the exception last: that line names the failure best. */
function headline(error: string): string {
  const lines = error.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? error;
}

function toolName(format: string): string {
  return TOOL[format] ?? TOOL[format.split('-')[0] ?? ''] ?? format;
}

export function FailureBanner({ run }: { run: RunDetail }) {
  const [open, setOpen] = useState(false);
  const [record, setRecord] = useState<string | null>(null);
  if (run.status !== 'failed' || run.format === 'notebook') return null;

  const error = run.error?.trim() || null;
  // Sacred keeps the whole traceback (fail_trace) in run.json: open it rather than guess from one line.
  const runJson = run.format === 'sacred' ? run.sourceFiles.find((f) => /[\\/]run\.json$/.test(f.path))?.path : undefined;
  const multiline = !!error && error.includes('\n');
  const ended = run.startTime !== null && run.durationSeconds !== null ? run.startTime + run.durationSeconds * 1000 : null;
  const recorded = `${toolName(run.format)} recorded this run as failed${ended !== null ? `, ending ${formatDateTime(ended)}` : ''}.`;
  return (
    <Alert
      mt="sm"
      color="red"
      variant="light"
      role="alert"
      icon={<IconAlertOctagon size={20} />}
      title={error ? `Failed: ${headline(error)}` : 'This run failed'}
    >
      <Group gap="sm" justify="space-between">
        <Text size="sm">
          {recorded} {error ? '' : 'It recorded no error message or traceback.'}
        </Text>
        {runJson && (
          <Button size="xs" variant="light" color="red" leftSection={<IconFileText size={14} aria-hidden />} onClick={() => setRecord(runJson)}>
            Open run.json
          </Button>
        )}
        {multiline && (
          <TracebackToggle open={open} onToggle={() => setOpen(!open)} />
        )}
      </Group>
      {runJson && <FilePreviewModal run={run.id} path={record} label="run.json" onClose={() => setRecord(null)} />}
      {multiline && (
        <TracebackText open={open} text={error} />
      )}
    </Alert>
  );
}
