/** Empty states that teach: what is missing, why, and the one action that fixes it. */
import type { ReactNode } from 'react';
import { Badge, Button, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconFolderPlus } from '@tabler/icons-react';
import { useAddFolder } from './AddFolderDialog';

export function EmptyState({
  icon,
  title,
  children,
  action,
  color,
}: {
  color?: string;
  icon: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Stack align="center" gap="sm" py={48} px="md" maw={620} mx="auto" ta="center">
      <ThemeIcon size={48} radius="xl" variant="light" color={color} aria-hidden>
        {icon}
      </ThemeIcon>
      <Title order={2}>{title}</Title>
      {children}
      {action && <Group mt="xs">{action}</Group>}
    </Stack>
  );
}

// One entry per adapter family in src/formats/registry.ts.
const FORMATS_READ = [
  'MLflow (mlruns/ and mlflow.db)',
  'TensorBoard',
  'PyTorch Lightning',
  'Weights & Biases (offline too)',
  'Hugging Face Trainer',
  'DVC / DVCLive',
  'Sacred',
  'Hydra',
  'Keras CSVLogger and History JSON',
  'Comet (offline)',
  'Jupyter notebooks (executed .ipynb)',
  'metrics + params files',
];

/** Shown before any source exists: how to add one and what Labdesk will find in it. */
export function NoSourcesState() {
  const { addFolder } = useAddFolder();
  return (
    <EmptyState
      icon={<IconFolderPlus size={26} />}
      title="Add a folder or drop one here"
      action={
        <Button leftSection={<IconFolderPlus size={16} />} onClick={addFolder}>
          Add folder
        </Button>
      }
    >
      <Text c="dimmed">
        Labdesk indexes the runs your tools already wrote — nothing is copied or uploaded — and keeps
        watching the folder for new ones.
      </Text>
      <Stack gap={6} align="center" mt="xs" aria-label="Formats Labdesk reads">
        <Text size="sm" fw={600}>
          What it reads
        </Text>
        <Group gap={6} justify="center" maw={560}>
          {FORMATS_READ.map((f) => (
            <Badge key={f} variant="light" color="teal" tt="none" size="md">
              {f}
            </Badge>
          ))}
        </Group>
      </Stack>
    </EmptyState>
  );
}
